"""The HTML pages: the SPARQL query page and the linked-data page of a resource (no external assets)."""

import json
import re
from html import escape
from urllib.parse import quote

import pyoxigraph as ox

from samkart import __version__
from samkart.formats import by_key
from samkart.namespaces import ONTOLOGY_GRAPH, PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DEF_PATH = ONTOLOGY_GRAPH + "/"
DEF_HASH = ONTOLOGY_GRAPH + "#"

EXAMPLE = """PREFIX cv: <http://data.europa.eu/m8g/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

# Who develops "Digitalt dødsbo" together, and in which role?
SELECT ?org ?orgLabel ?role ?roleLabel WHERE {
  ?s dct:title "Digitalt dødsbo"@nb ; cv:hasParticipation ?participation .
  ?participation cv:hasParticipant ?org ; cv:role ?role .
  ?org skos:prefLabel ?orgLabel FILTER(lang(?orgLabel) = "nb")
  OPTIONAL { ?role skos:prefLabel ?roleLabel FILTER(lang(?roleLabel) = "en") }
}
ORDER BY ?orgLabel
"""


def local_href(iri: str, base: str) -> str | None:
    """The path of the app's own page for ``iri`` (instances, ontology terms, schemes), else None."""
    for prefix, path in ((base, "/id/"), (DEF_PATH, "/def/"), (DEF_HASH, "/def#")):
        if iri.startswith(prefix):
            return path + iri[len(prefix):]
    return "/def" if iri == ONTOLOGY_GRAPH else None


def curie(iri: str, base: str) -> str:
    """A short form of ``iri``: ``id:org/x``, ``def:scheme/role/lead`` or a CURIE from PREFIXES; else the IRI."""
    candidates = [("id", base), ("def", DEF_PATH)] + [(p, str(ns)) for p, ns in PREFIXES.items()]
    best = max((c for c in candidates if iri.startswith(c[1]) and len(iri) > len(c[1])), key=lambda c: len(c[1]),
               default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


def display(iri: str, base: str, labels: dict[str, str]) -> str:
    """What to call an IRI: its label, else its nearest labelled parent path plus the rest, else its short form."""
    if iri in labels:
        return labels[iri]
    parts = iri.split("/")
    for cut in range(len(parts) - 1, 3, -1):
        parent = "/".join(parts[:cut])
        if parent in labels and iri.startswith(base):
            return f"{labels[parent]} › {'/'.join(parts[cut:])}"
    return curie(iri, base)


def iri_link(iri: str, base: str, labels: dict[str, str], css: str = "") -> str:
    """An <a> for an IRI: its label (else short form) as text, the IRI as title; local pages linked locally."""
    href = local_href(iri, base)
    text = display(iri, base, labels)
    cls = css + ("" if href else " external")
    return (f'<a href="{escape(href or iri)}" title="{escape(iri)}" class="{escape(cls.strip())}">'
            f"{escape(text)}</a>")


def term_html(term, base: str, labels: dict[str, str]) -> str:
    """HTML for any RDF term: IRIs linked, literals with language tag or datatype, blank nodes as _:id."""
    if isinstance(term, ox.NamedNode):
        return iri_link(term.value, base, labels)
    if isinstance(term, ox.BlankNode):
        return f'<span class="bnode">_:{escape(term.value)}</span>'
    lang = f' lang="{escape(term.language)}"' if term.language else ""
    text = f'<span class="literal"{lang}>{escape(term.value)}</span>'
    if term.language:
        return f'{text} <span class="tag">@{escape(term.language)}</span>'
    if term.datatype.value != XSD_STRING:
        return f'{text} <span class="tag">{escape(curie(term.datatype.value, base))}</span>'
    return text


def layout(title: str, body: str, head: str = "", script: bool = False) -> str:
    """The page shell shared by every page: header navigation, main, footer; only local assets."""
    js = '<script src="/static/app.js" defer></script>' if script else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="stylesheet" href="/static/app.css">
{head}{js}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
  <a class="brand" href="/">samkart</a>
  <span class="tagline">Who does what in Norwegian public-sector digitalisation</span>
  <nav aria-label="Site"><ul>
    <li><a href="/">Query</a></li>
    <li><a href="/explore">Collaboration map</a></li>
    <li><a href="/def">Ontology</a></li>
    <li><a href="/api/queries">Named queries API</a></li>
    <li><a href="/openapi.json">OpenAPI</a></li>
  </ul></nav>
</header>
<main id="main">
{body}
</main>
<footer class="site">samkart {escape(__version__)} · data from five public government documents, each fact linked
to its source · <a href="/sparql?format=ttl">service description</a></footer>
</body>
</html>
"""


def editor_text(query) -> str:
    """A named query for the editor: no ``#+`` header, IRI parameters with a default bound to it."""
    text = "\n".join(line for line in query.text.splitlines() if not line.startswith("#+")).strip() + "\n"
    for param in query.parameters:
        value = query.defaults.get(param.name, "")
        if param.kind == "iri" and re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", value):
            text = re.sub(rf"[?$]{re.escape(param.variable)}(?![A-Za-z0-9_])", f"<{value}>", text)
    return f"# {query.name}: {query.summary}\n" + text


def _parameter_field(query, param) -> str:
    """One labelled input (or select when the values are enumerated) for a named-query parameter."""
    ident = f"q-{query.name}-{param.name}"
    default = query.defaults.get(param.name, "")
    hint = param.description or {"iri": "an IRI or an exact name", "integer": "a whole number",
                                 "literal": "text"}.get(param.kind, f"text in language '{param.kind}'")
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
            f'<small id="{escape(ident)}-hint">{escape(hint)}</small></div>')


def _named_query(query) -> str:
    """A named query's entry: summary, description and a form that runs it through the REST API."""
    fields = "".join(_parameter_field(query, p) for p in query.parameters) or '<p class="muted">No parameters.</p>'
    path = f"/api/queries/{quote(query.name)}"
    description = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(query.description))
    return f"""<li><details>
<summary><span class="qname">{escape(query.name)}</span><span class="qsum">{escape(query.summary)}</span></summary>
<p>{description}</p>
<form class="named" method="get" action="{escape(path)}" data-name="{escape(query.name)}">
{fields}
<div class="actions"><button type="submit">Run {escape(query.name)}</button>
<button type="button" class="secondary load" data-example="{escape(query.name)}">Open in editor</button></div>
</form></details></li>"""


def query_page(state) -> str:
    """The SPARQL query page: editor with examples, results table, downloads and the named-query forms."""
    queries = state.service.queries
    config = {"base": state.settings.base, "defPath": DEF_PATH, "defHash": DEF_HASH,
              "prefixes": {"id": state.settings.base, "def": DEF_PATH, **{p: str(ns) for p, ns in PREFIXES.items()}},
              "examples": {"": EXAMPLE, **{q.name: editor_text(q) for q in queries.values()}}}
    data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    options = '<option value="">Co-developers of Digitalt dødsbo</option>' + "".join(
        f'<option value="{escape(q.name)}">{escape(q.name)}: {escape(q.summary)}</option>' for q in queries.values())
    named = "".join(_named_query(q) for q in queries.values()) or '<li class="muted">No named queries installed.</li>'
    body = f"""<div class="query-layout">
<section class="editor" aria-labelledby="editor-title">
  <h1 id="editor-title">SPARQL query</h1>
  <p class="muted">The default graph is the union of all documents' graphs. Prefixes
  <code>sk cv cpsv org skos prov dct dcat foaf rdf rdfs xsd</code> may be used without declaring them.</p>
  <form id="query-form" method="post" action="/sparql">
    <div class="field"><label for="example">Example</label>
      <select id="example">{options}</select></div>
    <div class="field"><label for="query">Query</label>
      <textarea id="query" name="query" rows="16" spellcheck="false"
        autocapitalize="off">{escape(EXAMPLE)}</textarea></div>
    <div class="actions"><button id="run" type="submit">Run</button>
      <span class="muted">or Ctrl+Enter</span></div>
  </form>
</section>
<section class="results" aria-labelledby="results-title">
  <h2 id="results-title">Results</h2>
  <div id="error" class="error" role="alert" hidden></div>
  <p id="status" role="status" aria-live="polite" class="muted">Run a query to see its results here.</p>
  <nav id="downloads" aria-label="Download the results" class="downloads" hidden></nav>
  <div class="table-wrap"><table id="results" hidden></table></div>
  <pre id="graph" hidden></pre>
</section>
<aside class="named-queries" aria-labelledby="named-title">
  <h2 id="named-title">Named queries</h2>
  <p class="muted">Each runs through the REST API at <code>/api/queries/&lt;name&gt;</code>;
  <abbr class="req" title="required">*</abbr> marks a required parameter.</p>
  <ul class="plain">{named}</ul>
</aside>
</div>
<script type="application/json" id="config">{data}</script>"""
    return layout("samkart · SPARQL query", body, script=True)


# predicates listed first among a resource's facts, in this order (the rest by label)
FIRST = ["http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel",
         "http://purl.org/dc/terms/title", "http://purl.org/dc/terms/identifier", RDF_TYPE]
COLLAPSE = 12  # longer value lists are folded into a <details> element


def label_targets(triples: list, base: str) -> set[str]:
    """The IRIs whose labels a resource page shows: every IRI in the triples, and the parent paths of our own."""
    iris = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
    parents = {"/".join(i.split("/")[:cut]) for i in iris if i.startswith(base)
               for cut in range(base.count("/") + 2, i.count("/") + 1)}
    return iris | parents


def _rows(pairs: list[tuple[str, str]]) -> str:
    """Table body rows from (header cell, value cell) HTML pairs."""
    return "".join(f'<tr><th scope="row">{a}</th><td>{b}</td></tr>' for a, b in pairs)


def _table(ident: str, title: str, heads: tuple[str, str], pairs: list[tuple[str, str]], count: int, empty: str) -> str:
    """A titled section with a two-column table, or a note when there is nothing to show."""
    heading = f'<h2 id="{ident}">{title}' + (f' <span class="count">{count}</span>' if count else "") + "</h2>"
    if not pairs:
        return f'<section aria-labelledby="{ident}">{heading}<p class="muted">{empty}</p></section>'
    return (f'<section aria-labelledby="{ident}">{heading}<div class="wide"><table class="facts"><thead><tr>'
            f'<th scope="col">{heads[0]}</th><th scope="col">{heads[1]}</th></tr></thead><tbody>{_rows(pairs)}'
            "</tbody></table></div></section>")


def _predicate(iri: str, base: str, labels: dict[str, str]) -> str:
    """A predicate cell: its label (else CURIE) linked, with the CURIE beneath when a label is shown."""
    extra = f' <span class="curie">{escape(curie(iri, base))}</span>' if iri in labels else ""
    return iri_link(iri, base, labels) + extra


def _grouped(triples: list, base: str, labels: dict[str, str], column: str) -> list[tuple[str, str]]:
    """(predicate, values) pairs: one row per predicate, its values (``column``: subject or object) sorted by name."""
    groups: dict[str, list] = {}
    for t in triples:
        groups.setdefault(t.predicate.value, []).append(getattr(t, column))
    name = lambda i: display(i, base, labels).casefold()  # noqa: E731
    order = sorted(groups, key=lambda p: (FIRST.index(p) if p in FIRST else len(FIRST), name(p)))
    pairs = []
    for predicate in order:
        values = [term_html(v, base, labels) for v in sorted(groups[predicate], key=lambda v: name(v.value))]
        items = '<ul class="values">' + "".join(f"<li>{v}</li>" for v in values) + "</ul>"
        what = "values" if column == "object" else "resources"
        cell = values[0] if len(values) == 1 else items if len(values) <= COLLAPSE else (
            f"<details><summary>{len(values)} {what}</summary>{items}</details>")
        pairs.append((_predicate(predicate, base, labels), cell))
    return pairs


def resource_page(state, iri: str, triples: list, labels: dict[str, str]) -> str:
    """The linked-data page of ``iri``: label, types, outgoing facts, sources, incoming links, other formats."""
    base = state.settings.base
    short = curie(iri, base)
    title = labels.get(iri) or short
    outgoing = [t for t in triples if t.subject.value == iri and isinstance(t.subject, ox.NamedNode)]
    incoming = [t for t in triples if t.object.value == iri and isinstance(t.object, ox.NamedNode)]
    others = [t for t in triples if t.subject.value != iri and t.object.value != iri]
    name = lambda i: display(i, base, labels).casefold()  # noqa: E731
    types = sorted({t.object.value for t in outgoing if t.predicate.value == RDF_TYPE}, key=name)
    sources = sorted({t.object.value for t in outgoing if t.predicate.value == DERIVED_FROM}, key=name)
    page = (local_href(iri, base) or "/").split("#")[0]
    formats = [(f.names[0], f.label, f.media_type) for f in map(by_key, ("turtle", "jsonld", "ntriples"))]
    alternates = "".join(f'<link rel="alternate" type="{m}" href="{escape(page)}?format={f}" title="{n}">\n'
                         for f, n, m in formats)
    format_links = " · ".join(f'<a href="{escape(page)}?format={f}" type="{m}">{n}</a>' for f, n, m in formats)
    explore = "/?query=" + quote(f"SELECT ?p ?o WHERE {{\n  <{iri}> ?p ?o\n}}\nORDER BY ?p\n", safe="")
    type_links = " ".join(iri_link(t, base, labels, "type") for t in types)
    source_items = "".join(f"<li>{iri_link(s, base, labels, 'source')}</li>" for s in sources)
    body = [f"""<nav class="crumbs" aria-label="Breadcrumb"><a href="/">Query</a> <span aria-hidden="true">›</span>
<span>{escape(short)}</span></nav>
<header class="resource">
  {f'<p class="types">{type_links}</p>' if types else ''}
  <h1>{escape(title)}</h1>
  <p class="iri"><code>{escape(iri)}</code></p>
  <p class="formats">This description as {format_links} · <a href="{escape(explore)}">open in the query editor</a></p>
</header>""",
            _table("facts", "Facts", ("Property", "Value"), _grouped(outgoing, base, labels, "object"),
                   len(outgoing), "No outgoing facts."),
            '<section aria-labelledby="sources"><h2 id="sources">Source documents</h2>'
            + (f'<ul class="sources">{source_items}</ul>' if sources else '<p class="muted">No source document is '
               "recorded for this resource itself; its facts carry their own sources.</p>") + "</section>"
            if sources or iri.startswith(base) else "",
            _table("incoming", "Linked from", ("Property", "Resources"), _grouped(incoming, base, labels, "subject"),
                   len(incoming), "Nothing links here.")]
    by_subject: dict[str, list] = {}
    for t in others:
        by_subject.setdefault(t.subject.value, []).append(t)
    for subject in sorted(by_subject, key=name):
        anchor = subject.rsplit("#", 1)[1] if "#" in subject else curie(subject, base)
        body.append(f'<section class="term" id="{escape(anchor)}"><h2>{iri_link(subject, base, labels)} '
                    f'<span class="curie">{escape(curie(subject, base))}</span></h2><div class="wide">'
                    f'<table class="facts">{_rows(_grouped(by_subject[subject], base, labels, "object"))}</table></div>'
                    "</section>")
    return layout(f"{title} · samkart", "\n".join(body), head=alternates)
