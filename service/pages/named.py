"""/api/queries for a browser: every named query with its parameters and a form to try it."""

import re
from html import escape
from urllib.parse import quote

from .layout import json_script, layout
from .query import editor_text

KIND_HINTS = {"iri": "an IRI or an exact name", "integer": "a whole number", "literal": "text"}


def _parameter_field(query, param) -> str:
    """One labelled input (or select when the values are enumerated) for a named-query parameter."""
    ident = f"q-{query.name}-{param.name}"
    default = query.defaults.get(param.name, "")
    hint = param.description or KIND_HINTS.get(param.kind, f"text in language '{param.kind}'")
    required = ' required aria-required="true"' if param.required else ""
    marker = (' <abbr class="req" title="required">*</abbr>' if param.required
              else ' <span class="opt">(optional)</span>')
    values = query.enumerate.get(param.name)
    if values:
        options = ("" if param.required else '<option value="">(any)</option>') + "".join(
            f'<option value="{escape(v)}"{" selected" if v == default else ""}>'
            f'{escape(v.rstrip("/").rsplit("/", 1)[-1])}</option>' for v in values)
        control = f'<select id="{escape(ident)}" name="{escape(param.name)}"{required}>{options}</select>'
    else:
        kind = "number" if param.kind in ("integer", "number") else "text"
        control = (f'<input id="{escape(ident)}" name="{escape(param.name)}" type="{kind}" value="{escape(default)}"'
                   f' aria-describedby="{escape(ident)}-hint"{required}>')
    return (f'<div class="field"><label for="{escape(ident)}">{escape(param.name)}{marker}</label>{control}'
            f'<small id="{escape(ident)}-hint">{escape(hint)} · <span class="tag">{escape(param.kind)}</span></small></div>')


def _entry(query) -> str:
    """A named query's entry: summary, description, variables, and a form that runs it through the REST API."""
    fields = "".join(_parameter_field(query, p) for p in query.parameters) or '<p class="muted">No parameters.</p>'
    path = f"/api/queries/{quote(query.name)}"
    description = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(query.description))
    columns = " ".join(f"<code>?{escape(v)}</code>" for v in query.variables)
    editor = "/?" + "query=" + quote(editor_text(query), safe="")
    return f"""<li id="{escape(query.name)}"><article aria-labelledby="h-{escape(query.name)}">
<h2 id="h-{escape(query.name)}"><span class="qname">{escape(query.name)}</span> {escape(query.summary)}</h2>
<p>{description}</p>
<p class="muted">Returns {columns or "no columns"} · <code>GET {escape(path)}</code> ·
<a href="{escape(editor)}">open its SPARQL in the editor</a></p>
<form class="named" method="get" action="{escape(path)}" data-name="{escape(query.name)}">
{fields}
<div class="actions"><button type="submit">Run {escape(query.name)}</button>
<span class="formats">or download as <button type="submit" class="link" name="format" value="csv">CSV</button>
<button type="submit" class="link" name="format" value="json">JSON</button></span></div>
</form>
<div class="named-results" aria-live="polite"></div>
</article></li>"""


def named_queries_page(queries: dict, base: str) -> str:
    """The index of named queries for people; machines get the same list as JSON at the same address."""
    entries = "".join(_entry(q) for q in queries.values()) or '<li class="muted">No named queries installed.</li>'
    toc = " · ".join(f'<a href="#{escape(name)}">{escape(name)}</a>' for name in queries)
    body = f"""<section class="intro" aria-labelledby="named-title">
<h1 id="named-title">Named queries</h1>
<p>Each named query is a REST operation: <code>GET /api/queries/&lt;name&gt;?parameter=value</code> answers in
JSON, XML, CSV or TSV (by <code>Accept</code> or <code>format=</code>). Parameters are bound as RDF terms, never
pasted into the query; an IRI parameter also takes an exact name. This list as JSON:
<a href="/api/queries?format=json">/api/queries?format=json</a>; all operations: <a href="/openapi.json">OpenAPI</a>.
<abbr class="req" title="required">*</abbr> marks a required parameter.</p>
<p class="toc">{toc}</p>
</section>
<ul class="plain named-list">{entries}</ul>
{json_script("named-config", {"base": base})}"""
    return layout("Named queries · samkart", body, scripts=("named.js",), current="/api/queries")
