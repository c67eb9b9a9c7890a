"""Real SPARQL clients with their default settings, run over a matrix of requests against any endpoint.

SPARQLWrapper 2.0 with each of its 8 return formats × SELECT/ASK/CONSTRUCT/DESCRIBE × GET/POST (64), and
rdflib's ``SPARQLStore`` with ``returnFormat`` json and xml × the 4 forms (8): 72 requests. A request passes
when the client reads the answer without error (SPARQLWrapper: a Content-Type it converts) and the answer
holds what the query asks for.
"""

import warnings
from dataclasses import dataclass

PREFIX = "PREFIX sk: <https://w3id.org/samkart/def#>\n"
QUERIES = {
    "SELECT": PREFIX + "SELECT ?m WHERE { ?m a sk:Measure }",
    "ASK": PREFIX + "ASK { ?m a sk:Measure }",
    "CONSTRUCT": PREFIX + "CONSTRUCT { ?m a sk:Measure } WHERE { ?m a sk:Measure }",
    "DESCRIBE": "DESCRIBE <https://w3id.org/samkart/id/org/ks>",
}
MEASURES = 19
"""How many sk:Measure the build holds: the rows and triples SELECT and CONSTRUCT must give."""

WRAPPER_FORMATS = ("json", "xml", "turtle", "n3", "rdf+xml", "csv", "tsv", "json-ld")


@dataclass(frozen=True)
class Request:
    """One cell of the matrix."""

    client: str  # "SPARQLWrapper" or "SPARQLStore"
    form: str
    return_format: str
    method: str = "GET"

    @property
    def id(self) -> str:
        return f"{self.client}-{self.return_format}-{self.form}" + (f"-{self.method}" if self.client == "SPARQLWrapper" else "")


MATRIX = [Request("SPARQLWrapper", form, fmt, method) for fmt in WRAPPER_FORMATS for form in QUERIES
          for method in ("GET", "POST")] + \
         [Request("SPARQLStore", form, fmt) for fmt in ("json", "xml") for form in QUERIES]


def run(request: Request, endpoint: str) -> str | None:
    """Send one request with the real client; None when it passes, else why not."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            answer = _wrapper(request, endpoint) if request.client == "SPARQLWrapper" else _store(request, endpoint)
    except Exception as exc:  # the client's own error is the finding
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    unknown = [str(w.message) for w in caught if "unknown response content type" in str(w.message)]
    if unknown:
        return unknown[0]
    return check(request.form, answer)


def check(form: str, answer) -> str | None:
    """Whether the answer holds what the query asks for."""
    if form == "ASK":
        return None if answer is True else f"ASK answered {answer!r}"
    if form == "DESCRIBE":
        return None if isinstance(answer, int) and answer > 0 else f"DESCRIBE gave {answer!r} triples"
    return None if answer == MEASURES else f"{form} gave {answer!r}, expected {MEASURES}"


def _wrapper(request: Request, endpoint: str):
    """SPARQLWrapper with its defaults: the answer as a row count, triple count or boolean."""
    from SPARQLWrapper import GET, POST, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(QUERIES[request.form])
    client.setReturnFormat(request.return_format)
    client.setMethod(GET if request.method == "GET" else POST)
    result = client.query()
    media = result.info().get("content-type", "").split(";")[0].strip()
    return measure(result.convert(), media, request.form)


def measure(converted, media: str, form: str):
    """Rows, triples or the boolean of what SPARQLWrapper's convert() gave for a body of type ``media``."""
    from rdflib import Graph

    if isinstance(converted, dict):  # SPARQL JSON results
        return converted["boolean"] if "boolean" in converted else len(converted["results"]["bindings"])
    if hasattr(converted, "getElementsByTagName"):  # SPARQL XML results (a DOM)
        booleans = converted.getElementsByTagName("boolean")
        if booleans:
            return booleans[0].firstChild.data.strip() == "true"
        return len(converted.getElementsByTagName("result"))
    if isinstance(converted, Graph):  # RDF/XML, JSON-LD
        return len(converted)
    text = converted.decode("utf-8") if isinstance(converted, bytes) else str(converted)
    if media in ("text/csv", "text/tab-separated-values"):
        if form == "ASK":  # no standard boolean form; engines that write one write the word
            return text.strip().lower() == "true"
        return len([line for line in text.splitlines() if line.strip()]) - 1
    return len(Graph().parse(data=text, format="nt" if media == "application/n-triples" else "turtle"))


def _store(request: Request, endpoint: str):
    """rdflib's SPARQLStore (read-only, GET): the answer as a row count, triple count or boolean."""
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(endpoint, returnFormat=request.return_format)
    result = Graph(store=store).query(QUERIES[request.form])
    if request.form == "ASK":
        return bool(result.askAnswer)
    if request.form == "SELECT":
        return len(list(result))
    return len(result.graph)


def tally(endpoint: str) -> dict[str, str | None]:
    """The whole matrix against ``endpoint``: request id → None (passed) or why it failed."""
    return {request.id: run(request, endpoint) for request in MATRIX}
