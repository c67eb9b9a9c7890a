"""The fast validator's report compared with pyshacl's: the same findings, and label/sources from the data."""

from collections import Counter

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, SKOS

from samkart.shacl.fast import store_from_graph, validate_store


def report(findings) -> Counter:
    """What must be identical: each result's severity, focus, path, shape and message, with multiplicity."""
    return Counter((f.severity, f.focus, f.path, f.shape, f.message) for f in findings)


def assert_fast_matches(graph: Graph, shapes: Graph, reference: list) -> list:
    """The fast validator on ``graph``: the same report as pyshacl's ``reference`` findings, and each finding's
    label and sources filled from the data like validate._finding. Returns the fast findings."""
    fast = validate_store(store_from_graph(graph), shapes)
    assert report(fast) == report(reference)
    for f in fast:
        labels = {str(x) for x in graph.objects(URIRef(f.focus), SKOS.prefLabel)}
        assert (f.label in labels) if labels else f.label == ""
        assert f.sources == sorted(str(s) for s in graph.objects(URIRef(f.focus), PROV.wasDerivedFrom))
    return fast
