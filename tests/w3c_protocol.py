"""The 20 query tests of the W3C SPARQL 1.1 Protocol test suite, as a harness that runs them on any endpoint.

The cases are those of the suite's manifest (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl, whose
``ht:requests`` give each request and ``mf:expectedStatus`` / ``mf:expectedFormat`` / ``mf:expectedBoolean``
what a passing answer is), checked strictly: status class, Content-Type and, where the manifest gives
one, the boolean. Two notes on the manifest:

- its ``query_multiple_dataset`` request percent-encodes the ``&`` between its two ``named-graph-uri``
  values (``…data1.rdf%26named-graph-uri%3D…``), which makes them one odd IRI and the expected ``true``
  unreachable; the generator it is made from (gen_manifest.rb) gives two values, and so do we;
- the data (``ut:graphData``) is loaded first, as the suite's runner does: data1–3 each hold one
  ``foaf:Document`` typing triple; ``data0.rdf``, which several tests name as default graph, is in no
  ``ut:graphData`` and so names a graph the store does not hold.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx

KASEI = "http://kasei.us/2009/09/sparql/data/"
DATA = [f"{KASEI}data{n}.rdf" for n in range(4)]
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"

GRAPH_DATA = "".join(f"<{DATA[n]}> {{ <{DATA[n]}> a <{FOAF_DOCUMENT}> . }}\n" for n in (1, 2, 3))
"""The suite's data1–3 as TriG: each graph holds one foaf:Document typing triple about itself."""

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
BOOLEAN = ("application/sparql-results+xml", "application/sparql-results+json")
TABULAR = BOOLEAN + ("text/tab-separated-values", "text/csv")
RDF = ("application/rdf+xml", "text/turtle", "application/n-triples", "text/html", "application/ld+json")

ASK_1_AND_2 = f"ASK {{ <{DATA[1]}> a ?type . <{DATA[2]}> a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ <{DATA[1]}> a ?type }} GRAPH ?g2 {{ <{DATA[2]}> a ?type }} }}"
ASK_FULL = (f"ASK {{\n  <{DATA[3]}> a ?type\n  GRAPH ?g1 {{ <{DATA[1]}> a ?type }}\n"
            f"  GRAPH ?g2 {{ <{DATA[2]}> a ?type }}\n}}")
ASK_FROM = f"ASK FROM <{DATA[3]}> {{ GRAPH ?g1 {{ <{DATA[1]}> a ?type }} GRAPH ?g2 {{ <{DATA[2]}> a ?type }} }}"


@dataclass(frozen=True)
class Case:
    """One protocol test: the request, and what a passing answer is."""

    name: str
    method: str
    params: list[tuple[str, str]] = field(default_factory=list)  # the URL's query string
    body: bytes | None = None
    content_type: str | None = None
    success: bool = True  # 2xx/3xx; else 4xx
    media: tuple[str, ...] = ()  # acceptable Content-Types of a success
    boolean: bool | None = None  # the ASK answer a success must carry


def _default(n: int) -> list[tuple[str, str]]:
    return [("default-graph-uri", DATA[n])]


def _named(*numbers: int) -> list[tuple[str, str]]:
    return [("named-graph-uri", DATA[n]) for n in numbers]


CASES = [
    Case("query_post_form", "POST", _default(0), b"query=ASK%20%7B%7D", FORM, media=BOOLEAN, boolean=True),
    Case("query_dataset_default_graphs_get", "GET", [("query", ASK_1_AND_2)] + _default(1) + _default(2),
         media=BOOLEAN, boolean=True),
    Case("query_dataset_default_graphs_post", "POST", _default(1) + _default(2), ASK_1_AND_2.encode(), DIRECT,
         media=BOOLEAN, boolean=True),
    Case("query_dataset_named_graphs_post", "POST", _named(1, 2), ASK_NAMED.encode(), DIRECT, media=BOOLEAN, boolean=True),
    Case("query_dataset_named_graphs_get", "GET", [("query", ASK_NAMED)] + _named(1, 2), media=BOOLEAN, boolean=True),
    Case("query_dataset_full", "POST", _default(3) + _named(1, 2), ASK_FULL.encode(), DIRECT, media=BOOLEAN, boolean=True),
    Case("query_multiple_dataset", "POST", _named(1, 2), ASK_FROM.encode(), DIRECT, media=BOOLEAN, boolean=True),
    Case("query_get", "GET", [("query", "ASK {}")] + _default(0), media=BOOLEAN, boolean=True),
    Case("query_content_type_select", "POST", _default(0), b"SELECT (1 AS ?value) {}", DIRECT, media=TABULAR),
    Case("query_content_type_ask", "POST", _default(0), b"ASK {}", DIRECT, media=BOOLEAN),
    Case("query_content_type_describe", "POST", _default(0), b"DESCRIBE <http://example.org/>", DIRECT, media=RDF),
    Case("query_content_type_construct", "POST", _default(0), b"CONSTRUCT { <s> <p> 1 } WHERE {}", DIRECT, media=RDF),
    Case("query_post_direct", "POST", [], b"ASK {}", DIRECT, media=BOOLEAN, boolean=True),
    Case("bad_query_method", "PUT", [("query", "ASK {}")] + _default(0), None, FORM, success=False),
    Case("bad_multiple_queries", "GET", [("query", "ASK {}"), ("query", "SELECT * {}")], success=False),
    Case("bad_query_wrong_media_type", "POST", [], b"ASK {}", "text/plain", success=False),
    Case("bad_query_missing_form_type", "POST", [], b"query=ASK%20%7B%7D", success=False),
    Case("bad_query_missing_direct_type", "POST", [], b"ASK {}", success=False),
    Case("bad_query_non_utf8", "POST", [], "ASK {}".encode("utf-16"), f"{DIRECT}; charset=UTF-16", success=False),
    Case("bad_query_syntax", "GET", [("query", "ASK {")], success=False),
]
"""The suite's 20 query tests (its 14 update tests do not apply to a read-only endpoint)."""


def run_case(case: Case, endpoint: str) -> str | None:
    """Send the case's request to ``endpoint``; None when the answer passes, else why it fails."""
    url = f"{endpoint}?{urlencode(case.params)}" if case.params else endpoint
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    try:
        response = httpx.request(case.method, url, content=case.body, headers=headers, timeout=30)
    except httpx.HTTPError as exc:
        return f"no answer: {exc}"
    status = response.status_code
    if not case.success:
        return None if 400 <= status < 500 else f"status {status}, expected 4xx"
    if not 200 <= status < 400:
        return f"status {status}, expected 2xx/3xx: {response.text[:160]}"
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if media not in case.media:
        return f"Content-Type {media or '(none)'}, expected one of {', '.join(case.media)}"
    if case.boolean is not None and boolean_of(response.text, media) is not case.boolean:
        return f"answer is not {str(case.boolean).lower()}: {response.text[:160]}"
    return None


def boolean_of(text: str, media: str) -> bool | None:
    """The boolean of a SPARQL JSON or XML ASK answer (None when there is none)."""
    if media.endswith("+json"):
        import json

        value = json.loads(text).get("boolean")
        return value if isinstance(value, bool) else None
    import xml.etree.ElementTree as ET

    found = ET.fromstring(text).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return None if found is None else found.text.strip() == "true"


def run_suite(endpoint: str) -> dict[str, str | None]:
    """Every case against ``endpoint``: name → None (passed) or why it failed."""
    return {case.name: run_case(case, endpoint) for case in CASES}
