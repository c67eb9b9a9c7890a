"""The SPARQL query page: YASGUI from our own static files, set up for this endpoint, its prefixes, our
examples and named queries; a plain form stands in when scripts are off."""

import re
from html import escape
from urllib.parse import quote

from samkart.namespaces import PREFIXES

from .html import DEF_HASH, DEF_PATH
from .layout import json_script, layout

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

VOCABULARY = """SELECT DISTINCT ?term ?kind WHERE {
  { ?x a ?term BIND("class" AS ?kind) } UNION { ?x ?term ?y BIND("property" AS ?kind) }
  UNION { GRAPH <https://w3id.org/samkart/def> { ?term a ?k FILTER(?k IN (owl:Class, rdfs:Class)) BIND("class" AS ?kind) } }
  UNION { GRAPH <https://w3id.org/samkart/def> { ?term a ?k
          FILTER(?k IN (owl:ObjectProperty, owl:DatatypeProperty, rdf:Property)) BIND("property" AS ?kind) } }
} ORDER BY ?kind ?term LIMIT 2000"""
"""The classes and properties the editor completes (those of the ontology and those the data uses)."""


def editor_text(query) -> str:
    """A named query for the editor: no ``#+`` header, IRI parameters with a default bound to it."""
    text = "\n".join(line for line in query.text.splitlines() if not line.startswith("#+")).strip() + "\n"
    for param in query.parameters:
        value = query.defaults.get(param.name, "")
        if param.kind == "iri" and re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", value):
            text = re.sub(rf"[?$]{re.escape(param.variable)}(?![A-Za-z0-9_])", f"<{value}>", text)
    return f"# {query.name}: {query.summary}\n" + text


def vocabulary(service) -> dict[str, list[str]]:
    """Classes and properties for the editor's completion, read once per loaded dataset."""
    found: dict[str, list[str]] = {"class": [], "property": []}
    for term, kind in service.run(VOCABULARY).rows:
        found[kind.value].append(term.value)
    return found


def query_config(state, service) -> dict:
    """What query.js needs: prefixes, examples, the vocabulary to complete and where our pages are."""
    prefixes = {"id": state.settings.base, "def": DEF_PATH, **{p: str(ns) for p, ns in PREFIXES.items()}}
    examples = [{"name": "", "summary": "Co-developers of Digitalt dødsbo", "text": EXAMPLE}]
    examples += [{"name": q.name, "summary": q.summary, "text": editor_text(q)} for q in service.queries.values()]
    return {"base": state.settings.base, "defPath": DEF_PATH, "defHash": DEF_HASH, "prefixes": prefixes,
            "examples": examples, "vocabulary": vocabulary(service)}


def query_page(state, service) -> str:
    """The query page; the same for every request on one loaded dataset (a query in the URL is filled in by
    query.js and never run until the user presses Run)."""
    config = query_config(state, service)
    items = "".join(f"""<li><button type="button" class="link load" data-example="{index}">{escape(e['summary'])}</button>
{f'<a class="api" href="/api/queries#{quote(e["name"])}" title="Run it with parameters through the REST API">API</a>'
 if e['name'] else ''}</li>""" for index, e in enumerate(config["examples"]))
    prefixes = " ".join(f"<code>{escape(p)}</code>" for p in config["prefixes"])
    body = f"""<div class="query-layout">
<section class="editor" aria-labelledby="editor-title">
  <h1 id="editor-title">SPARQL query</h1>
  <p class="muted">Type a query and press <kbd>Ctrl</kbd>+<kbd>Enter</kbd> or the run button. The default graph is
  the union of all documents' graphs; <kbd>Ctrl</kbd>+<kbd>Space</kbd> completes classes and properties, and typing
  a prefix such as <code>cv:</code> adds its declaration.</p>
  <div id="yasgui" class="yasgui-host" data-endpoint="/sparql"></div>
  <p id="editor-loading" class="loading" role="status">Loading the editor …</p>
  <form id="plain-query" class="plain-query" method="post" action="/sparql">
    <div class="field"><label for="query">Query</label>
      <textarea id="query" name="query" rows="14" spellcheck="false" autocapitalize="off">{escape(EXAMPLE)}</textarea></div>
    <div class="actions"><button type="submit">Run</button>
      <span class="muted">Without scripts the results come as a file.</span></div>
  </form>
</section>
<aside class="named-queries" aria-labelledby="examples-title">
  <h2 id="examples-title">Examples and named queries</h2>
  <p class="muted">Open one in the editor, then run it. Each named query is also a REST operation with
  parameters: <a href="/api/queries">named queries</a>.</p>
  <ul class="plain examples">{items}</ul>
  <h2 class="prefixes-title">Prefixes you need not declare</h2>
  <p class="prefix-list">{prefixes}</p>
</aside>
</div>
{json_script("query-config", config)}"""
    return layout("samkart · SPARQL query", body, styles=("vendor/yasgui/yasgui.min.css", "query.css"),
                  scripts=("vendor/yasgui/yasgui.min.js", "query.js"), current="/")
