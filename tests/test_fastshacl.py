"""fastshacl (SPARQL on pyoxigraph) gives the same findings as pyshacl on the real build and a mutated copy of
it (on every shape fixture: tests/test_shapes.py); and it refuses what it cannot compile instead of skipping it."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS, XSD

from samkart.errors import SamkartError
from samkart.namespaces import CV, SK
from samkart.shacl.compiler import UnsupportedShape
from samkart.shacl.fast import store_from_graph, validate_path, validate_store
from samkart.shacl.loading import load_for_validation
from samkart.shacl.reference import run_shacl
from shacl_reports import assert_fast_matches, report


def copy(graph: Graph) -> Graph:
    new = Graph()
    for triple in graph:
        new.add(triple)
    return new


def first(graph: Graph, query: str):
    return next(iter(graph.query(query, initNs={"sk": SK, "cv": CV, "skos": SKOS, "prov": PROV})))[0]


@pytest.fixture(scope="module")
def mutated(union, shapes):
    """The real build with seven kinds of mistake made in it, the nodes the changes touch, and pyshacl's findings
    on it: the one pyshacl run over real data, which both tests below compare with."""
    graph = copy(union)
    org = first(graph, "SELECT ?o WHERE { ?o a <http://www.w3.org/ns/org#Organization> ; prov:wasDerivedFrom [] } "
                       "ORDER BY ?o LIMIT 1")
    part = first(graph, "SELECT ?p WHERE { ?p a cv:Participation } ORDER BY ?p LIMIT 1")
    doc = first(graph, "SELECT ?d WHERE { ?d a <http://xmlns.com/foaf/0.1/Document> } ORDER BY ?d LIMIT 1")
    span = first(graph, "SELECT ?s WHERE { ?s a sk:SourceSpan ; sk:fromLine ?f } ORDER BY ?s LIMIT 1")
    other = first(graph, "SELECT ?s WHERE { ?s a sk:SourceSpan ; sk:fromLine ?f } ORDER BY DESC(?s) LIMIT 1")
    removed = [(org, PROV.wasDerivedFrom, None), (span, SK.fromLine, None), (other, SK.fromLine, None)]
    added = [(part, CV.hasParticipant, doc),  # wrong class, and a second participant
             (org, SKOS.prefLabel, Literal("Enda et navn", lang="nb")),  # duplicate @nb label
             (org, SKOS.prefLabel, Literal("uten språk")),  # not a langString
             (span, SK.fromLine, Literal("0", datatype=XSD.integer)),  # lines count from 1
             (other, SK.fromLine, Literal("7")),  # a string, not an integer
             (URIRef("https://example.org/x"), SK.sector, URIRef("https://example.org/nowhere"))]
    for triple in removed:  # the required provenance gone; the line numbers replaced below
        graph.remove(triple)
    for triple in added:
        graph.add(triple)
    touched = {str(n) for t in removed + added for n in t if n is not None}
    touched |= {str(s) for s in graph.subjects(CV.hasParticipation, part)}  # its collaboration count changed
    return graph, touched, run_shacl(graph, shapes)


def test_mutated_build_matches_pyshacl(mutated, shapes):
    graph, _, reference = mutated
    fast = assert_fast_matches(graph, shapes, reference)
    fired = {f.shape.rsplit("#", 1)[-1] for f in fast if f.severity == "Violation"}
    assert {"EntitySource-document", "Participation-participant", "EntityLabel-nb", "EntityLabel-unique",
            "SourceSpan-from", "SourceSpan-from-positive", "Referenced-type"} <= fired


def test_real_build_matches_pyshacl(findings, mutated):
    """The unchanged build: about every node the changes did not touch, the fast validator (the session's
    ``findings``) finds what pyshacl found on the mutated copy; no violations at all."""
    fast = findings
    _, touched, reference = mutated
    assert report(f for f in fast if f.focus not in touched) == report(f for f in reference if f.focus not in touched)
    assert not [f for f in fast if f.severity == "Violation"]


def test_validate_path_on_the_build_file(build_file, shapes, findings, settings):
    assert report(validate_path(build_file, settings.shapes_dir)) == report(findings)


def test_unsupported_component_is_named(valid_graph, shapes):
    extra = copy(shapes)
    extra.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:S> a sh:NodeShape ; sh:targetClass <urn:x:C> ;
            sh:property [ sh:path <urn:x:p> ; sh:pattern "^a" ] .""", format="turtle")
    with pytest.raises(UnsupportedShape, match="pattern"):
        validate_store(store_from_graph(valid_graph), extra)


def test_integer_subtypes_are_refused_with_the_reason(valid_graph, shapes):
    """Oxigraph stores xsd:positiveInteger, xsd:int … as xsd:integer, so such a sh:datatype cannot be checked
    on it: the shape is refused, naming the way out (our shapes use xsd:integer with sh:minInclusive)."""
    extra = copy(shapes)
    extra.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:S> a sh:NodeShape ; sh:targetClass <urn:x:C> ;
            sh:property [ sh:path <urn:x:p> ; sh:datatype <http://www.w3.org/2001/XMLSchema#positiveInteger> ] .""",
                format="turtle")
    with pytest.raises(UnsupportedShape, match="minInclusive"):
        validate_store(store_from_graph(valid_graph), extra)
    assert validate_store(store_from_graph(valid_graph), shapes) == []


REWRITES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix x: <urn:x:> .
x:Thing a sh:NodeShape ; sh:targetClass x:Thing ;
    sh:property [ sh:path x:owner ; sh:message "owner" ;
                  sh:or ( [ sh:class x:Org ] [ sh:class x:Person ] [ sh:path x:name ; sh:minCount 1 ] ) ] ;
    sh:property [ sh:path x:kind ; sh:message "kind" ; sh:node [ sh:property [ sh:path x:scheme ; sh:hasValue x:Kinds ] ] ] ;
    sh:property [ sh:path x:size ; sh:message "size" ; sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ;
                  sh:minCount 1 ] ;
    sh:property [ sh:path x:tag ; sh:message "tag" ; sh:hasValue x:Main ; sh:in ( x:Main x:Side ) ] ;
    sh:property [ sh:path x:part ; sh:message "part" ; sh:class x:Org ; sh:node x:Named ; sh:not [ sh:class x:Person ] ] ;
    sh:property [ sh:path x:part ; sh:message "unit" ; sh:qualifiedValueShape [ sh:class x:Unit ] ; sh:qualifiedMinCount 1 ] .
x:Named a sh:NodeShape ; sh:property [ sh:path x:name ; sh:minCount 2 ] .
x:Listed a sh:NodeShape ; sh:targetSubjectsOf x:listed ; sh:message "listed" ; sh:class x:Thing ;
    sh:or ( [ sh:not [ sh:class x:Org ] ] [ sh:path x:name ; sh:minCount 1 ] ) .
"""
REWRITES_DATA = """@prefix x: <urn:x:> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
x:Unit rdfs:subClassOf x:Org .
x:ok a x:Thing ; x:owner x:o1 ; x:kind x:k1 ; x:size 3 ; x:tag x:Main ; x:part x:u1 .
x:o1 a x:Org . x:k1 x:scheme x:Kinds . x:u1 a x:Unit ; x:name "a", "b" .
x:bad a x:Thing ; x:owner x:nobody, "text", x:named ; x:kind x:k2 ; x:size "3" ; x:tag x:Side, x:Other ;
    x:part x:p1, x:u2 ; x:listed true .
x:named x:name "n" . x:k2 x:scheme x:Other . x:p1 a x:Person, x:Org ; x:name "p" . x:u2 a x:Unit .
x:none a x:Thing ; x:listed false .
x:stranger x:listed true .
x:o2 a x:Org ; x:listed true .
"""


def test_rewritten_constraints_match_pyshacl():
    """The compiler's faster forms (sh:or and sh:node of "there is such a value" shapes as MINUS, value tests
    as expressions, per-value conditions value first, class targets without a subquery, subclasses) on
    shapes beyond ours: the same findings as pyshacl, and every constraint fires at least once."""
    shapes, data = Graph().parse(data=REWRITES, format="turtle"), Graph().parse(data=REWRITES_DATA, format="turtle")
    fast = assert_fast_matches(data, shapes, run_shacl(data, shapes))
    fired = {(f.focus.rsplit(":", 1)[-1], f.path.rsplit(":", 1)[-1]) for f in fast}
    assert {("bad", "owner"), ("bad", "kind"), ("bad", "size"), ("bad", "tag"), ("bad", "part"),
            ("none", "size"), ("none", "tag"), ("stranger", ""), ("o2", "")} <= fired, fired
    assert len([f for f in fast if f.focus.endswith(":o2")]) == 2  # not a Thing, and an Org without a name
    assert not any(f.focus.endswith(":ok") for f in fast)


GOOD_QUADS = '<urn:x:a> <urn:x:p> "x"@nb <urn:x:g> .\n' * 3
BAD_LINES = {  # what the strict parser refuses; the lenient one takes the first two (and a bad language tag)
    "malformed-iri": ('<urn:x:a> <http://exa mple.org/p> "x" <urn:x:g> .', "Invalid IRI code point"),
    "relative-iri": ('<a> <urn:x:p> "x" <urn:x:g> .', "No scheme found in an absolute IRI"),
    "bad-language-tag": ('<urn:x:a> <urn:x:p> "x"@123-abc <urn:x:g> .', "language code"),
    "syntax-error": ("not rdf <<", "subject"),
}


def bad_file(folder: Path, case: str, suffix: str) -> Path:
    """A dataset file with the bad line of ``case`` on line 4, after good lines and before more of them."""
    line = BAD_LINES[case][0]
    if suffix == ".trig":  # the same triples in a graph block: its opening line, two good ones, the bad one
        body = "<urn:x:g> {\n" + "".join(GOOD_QUADS.splitlines(keepends=True)[:2]) + line + "\n}\n"
        body = body.replace(" <urn:x:g> .", " .")
    else:
        body = GOOD_QUADS + line + "\n" + GOOD_QUADS
    path = folder / f"{case}{suffix}"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_lenient_load_refuses_what_the_strict_load_refuses(tmp_path, case, suffix):
    """A file the strict parser refuses is refused by the lenient load with its strict pass too: the same
    one-line error, naming the file and the line, and no store."""
    path = bad_file(tmp_path, case, suffix)
    errors = []
    for lenient_from in (10**15, 0):  # strict in one go; lenient beside the strict pass
        with pytest.raises(SamkartError) as caught:
            load_for_validation(path, lenient_from)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert errors[0].startswith(f"cannot read '{path}': ") and BAD_LINES[case][1] in errors[0]
    assert "line 4" in errors[0] and "\n" not in errors[0]


def test_the_lenient_parser_alone_takes_bad_iris(tmp_path):
    """Why the strict pass is needed: the lenient parser stores a malformed and a relative IRI."""
    for case in ("malformed-iri", "relative-iri"):
        store = ox.Store()
        store.load(path=str(bad_file(tmp_path, case, ".nq")), format=ox.RdfFormat.N_QUADS, lenient=True)
        assert len(store) == 2


def test_lenient_load_of_the_build_equals_the_strict_one(build_file, shapes, findings, settings):
    strict, lenient = load_for_validation(build_file, 10**15), load_for_validation(build_file, 0)
    assert set(strict) == set(lenient) and len(lenient) > 10_000
    assert report(validate_path(build_file, settings.shapes_dir, lenient_from=0)) == report(findings)
