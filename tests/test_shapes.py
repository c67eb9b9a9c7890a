"""Each shape proven by fixtures: the valid graph conforms, each invalid variant fires exactly its shape; and
the fast validator (SPARQL on pyoxigraph) reports the same findings as pyshacl on every fixture, from the
same pyshacl run."""

from pathlib import Path

import pytest
from rdflib import Graph

from samkart.shacl.reference import run_shacl
from shacl_reports import assert_fast_matches

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
INVALID = sorted((FIXTURES / "invalid").glob("*.ru"))
SHAPES_NS = "https://w3id.org/samkart/shapes#"


def fired(graph: Graph, shapes: Graph) -> set[str]:
    """The shapes pyshacl reports on ``graph``, after checking the fast validator reports the same."""
    findings = run_shacl(graph, shapes)
    assert_fast_matches(graph, shapes, findings)
    return {f.shape.removeprefix(SHAPES_NS) for f in findings}


def test_valid_fixture_conforms_without_warnings(valid_graph, shapes):
    assert fired(valid_graph, shapes) == set()


@pytest.mark.parametrize("update", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_fires_only_its_shape(valid_graph, shapes, update):
    graph = Graph()
    for triple in valid_graph:
        graph.add(triple)
    before = len(graph)
    graph.update(update.read_text(encoding="utf-8"))
    assert len(graph) != before or "INSERT" in update.read_text(), "the update changed nothing"
    assert fired(graph, shapes) == {update.stem}


def test_every_named_constraint_has_an_invalid_fixture(shapes):
    from rdflib.namespace import RDF, SH

    named = {str(s).removeprefix(SHAPES_NS) for kind in (SH.PropertyShape, SH.SPARQLConstraint)
             for s in shapes.subjects(RDF.type, kind) if str(s).startswith(SHAPES_NS)}
    node_level = {"ListedOrganisation"}  # a node shape with its own constraint (sh:or)
    assert named | node_level == {p.stem for p in INVALID}


def test_every_constraint_has_a_message(shapes):
    from rdflib.namespace import RDF, SH

    constraints = [s for kind in (SH.PropertyShape, SH.SPARQLConstraint) for s in shapes.subjects(RDF.type, kind)]
    assert constraints and all(shapes.value(s, SH.message) for s in constraints)
