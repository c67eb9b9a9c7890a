"""Content negotiation: lenient where clients differ, strict where it matters (samkart.sparql.negotiation)."""

import pytest

from samkart.errors import ParameterError
from samkart.formats import GRAPH_FORMATS, RESULT_FORMATS
from samkart.sparql.negotiation import negotiate

BOOLEAN = tuple(f for f in RESULT_FORMATS if f.boolean)


@pytest.mark.parametrize("formats, accept, names, key", [
    # SPARQLWrapper's repeats: name and media type, or a name and an empty value
    (RESULT_FORMATS, "text/tab-separated-values", ("tsv", "text/tab-separated-values"), "tsv"),
    (GRAPH_FORMATS, "application/rdf+xml", ("rdf+xml", "application/rdf+xml"), "rdfxml"),
    (GRAPH_FORMATS, "*/*", ("json-ld", "application/ld+json"), "jsonld"),
    # aliases and names of the graph kind
    (GRAPH_FORMATS, "*/*", ("n3",), "turtle"), (GRAPH_FORMATS, "*/*", ("turtle",), "turtle"),
    (GRAPH_FORMATS, "*/*", ("json",), "jsonld"), (GRAPH_FORMATS, "*/*", ("xml",), "rdfxml"),
    # a name of the other kind falls back to Accept, then to the default
    (GRAPH_FORMATS, "*/*", ("csv",), "turtle"), (GRAPH_FORMATS, "application/n-triples", ("tsv",), "ntriples"),
    (RESULT_FORMATS, "application/turtle,text/turtle", ("turtle",), "json"),
    (RESULT_FORMATS, "text/csv", ("rdf+xml", ""), "csv"),
    (BOOLEAN, "text/csv", ("csv",), "json"),
    # an Accept of the other kind: its counterpart, else the default
    (GRAPH_FORMATS, "application/sparql-results+json", (), "jsonld"),
    (GRAPH_FORMATS, "application/rdf+xml, application/sparql-results+xml", (), "rdfxml"),
    (GRAPH_FORMATS, "text/csv", (), "turtle"),
    (RESULT_FORMATS, "application/ld+json", (), "json"),
])
def test_lenient_where_clients_differ(formats, accept, names, key):
    assert negotiate(formats, accept, names).key == key


def test_strict_where_it_matters():
    assert negotiate(RESULT_FORMATS, "image/png", ()) is None  # → 406
    assert negotiate(RESULT_FORMATS, "*/*", ("foo",)) is None  # a name that means no format → 406
    assert negotiate(RESULT_FORMATS, "*/*", ("foo", "csv")).key == "csv"  # one is recognised
    with pytest.raises(ParameterError, match="csv and json"):
        negotiate(RESULT_FORMATS, "*/*", ("csv", "json"))  # two different formats asked for
