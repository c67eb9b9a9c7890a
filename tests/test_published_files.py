"""The files `samkart publish` writes: dumps (checksums, gzip twins, round trips, determinism), VoID counts, the ontology page."""

import gzip
import hashlib
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import FOAF, OWL, PROV, RDF, RDFS, VOID

from samkart.namespaces import CV, SK, SKOS
from samkart.publish.docs import ontology_html
from samkart.publish.dumps import FILE_TYPE, write_dumps
from samkart.publish.void import SD, void_graph, void_iri

ENDPOINT = "https://example.org/sparql"
DUMP_BASE = "https://example.org/dumps/"
PLAIN = ["samkart.trig", "samkart.nq", "samkart.ttl", "samkart.nt", "samkart.jsonld"]
QUAD_FORMATS = {"samkart.trig": "trig", "samkart.nq": "nquads", "samkart.jsonld": "json-ld"}
TRIPLE_FORMATS = {"samkart.ttl": "turtle", "samkart.nt": "nt"}


@pytest.fixture(scope="module")
def dumps(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("dumps")
    return out, write_dumps(dataset, out)


@pytest.fixture(scope="module")
def oxstore(dumps) -> ox.Store:
    """The N-Quads dump in pyoxigraph: an independent engine for the VoID counts."""
    out, _ = dumps
    store = ox.Store()
    store.load((out / "samkart.nq").read_bytes(), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def void(dataset, settings, dumps) -> Graph:
    return void_graph(dataset, settings.base, ENDPOINT, dumps[1], DUMP_BASE)


def _graphs(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def _count(store: ox.Store, where: str, var: str = "n") -> int:
    rows = list(store.query(f"SELECT (COUNT(*) AS ?{var}) WHERE {{ {where} }}"))
    return int(rows[0][var].value)


def _int(graph: Graph, subject, prop) -> int:
    values = list(graph.objects(subject, prop))
    assert len(values) == 1, (subject, prop, values)
    return int(values[0].toPython())


# -- dumps ---------------------------------------------------------------------------------

def test_every_dump_is_written_with_true_size_and_checksum(dumps):
    out, infos = dumps
    names = sorted(info.path.name for info in infos)
    assert names == sorted(PLAIN + [f"{name}.gz" for name in PLAIN])
    assert sorted(p.name for p in out.iterdir()) == names  # no temporary files left behind
    for info in infos:
        data = info.path.read_bytes()
        assert info.byte_size == len(data) > 0, info.path.name
        assert info.sha256 == hashlib.sha256(data).hexdigest(), info.path.name
        assert info.compressed == info.path.name.endswith(".gz")
        assert info.file_type.startswith(FILE_TYPE)
    types = {info.path.name: (info.media_type, info.file_type.rsplit("/", 1)[1]) for info in infos}
    assert types["samkart.trig"] == ("application/trig", "RDF_TRIG")
    assert types["samkart.nq"] == ("application/n-quads", "RDF_N_QUADS")
    assert types["samkart.ttl"] == ("text/turtle", "RDF_TURTLE")
    assert types["samkart.nt"] == ("application/n-triples", "RDF_N_TRIPLES")
    assert types["samkart.jsonld"] == ("application/ld+json", "JSON_LD")
    for name in PLAIN:
        assert types[f"{name}.gz"] == types[name]


def test_gzip_twins_hold_the_same_bytes(dumps):
    out, _ = dumps
    for name in PLAIN:
        assert gzip.decompress((out / f"{name}.gz").read_bytes()) == (out / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(QUAD_FORMATS))
def test_dataset_dumps_round_trip_per_named_graph(dumps, dataset, name):
    out, _ = dumps
    again = Dataset()
    again.parse(data=(out / name).read_text(encoding="utf-8"), format=QUAD_FORMATS[name])
    original, parsed = _graphs(dataset), _graphs(again)
    assert parsed.keys() == original.keys()
    for graph_name, graph in original.items():
        assert len(parsed[graph_name]) == len(graph), graph_name
        assert isomorphic(parsed[graph_name], graph), graph_name


@pytest.mark.parametrize("name", sorted(TRIPLE_FORMATS))
def test_union_dumps_round_trip(dumps, union, name):
    out, _ = dumps
    again = Graph().parse(data=(out / name).read_text(encoding="utf-8"), format=TRIPLE_FORMATS[name])
    assert len(again) == len(union) and isomorphic(again, union)


def test_every_dump_loads_in_oxigraph(dumps, union):
    out, _ = dumps
    formats = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
               ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}
    for name in PLAIN:
        store = ox.Store()
        store.load(gzip.decompress((out / f"{name}.gz").read_bytes()), format=formats[Path(name).suffix])
        distinct = _count(store, "SELECT DISTINCT ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        assert distinct == len(union), name


def test_nt_and_nq_lines_are_sorted(dumps):
    out, _ = dumps
    for name in ("samkart.nt", "samkart.nq"):
        lines = (out / name).read_text(encoding="utf-8").splitlines()
        assert lines == sorted(set(lines)), name


@pytest.mark.slow
def test_two_runs_give_identical_files(dataset, dumps, tmp_path):
    out, first = dumps
    second = write_dumps(dataset, tmp_path)
    assert [(i.path.name, i.sha256, i.byte_size) for i in first] == [(i.path.name, i.sha256, i.byte_size) for i in second]
    for info in second:
        assert info.path.read_bytes() == (out / info.path.name).read_bytes(), info.path.name


DUMP_SCRIPT = """
import sys
from pathlib import Path
from samkart.graph.build import build_dataset
from samkart.graph.project import load_project
from samkart.publish.dumps import write_dumps
from samkart.settings import Settings
write_dumps(build_dataset(load_project(Settings())), Path(sys.argv[1]))
"""


@pytest.fixture(scope="module")
def dumps_from_another_process(tmp_path_factory):
    """Dumps written by another interpreter with another hash seed (set order differs between them)."""
    out = tmp_path_factory.mktemp("other-process")
    env = {**os.environ, "PYTHONHASHSEED": "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"}
    done = subprocess.run([sys.executable, "-c", DUMP_SCRIPT, str(out)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", PLAIN)
def test_dumps_are_identical_across_processes(dumps, dumps_from_another_process, name):
    """The dumps this process wrote, byte for byte those of another process, plain and gzipped."""
    a, b = dumps[0], dumps_from_another_process
    assert (a / name).read_bytes() == (b / name).read_bytes()
    assert (a / f"{name}.gz").read_bytes() == (b / f"{name}.gz").read_bytes()


# -- VoID ----------------------------------------------------------------------------------

UNION = "GRAPH ?g { ?s ?p ?o }"


def test_void_counts_match_an_independent_count(void, settings, oxstore):
    me = void_iri(settings.base)
    assert (me, RDF.type, VOID.Dataset) in void
    expected = {
        VOID.triples: _count(oxstore, f"SELECT DISTINCT ?s ?p ?o WHERE {{ {UNION} }}"),
        VOID.entities: _count(oxstore, f"SELECT DISTINCT ?s WHERE {{ {UNION} FILTER isIRI(?s) }}"),
        VOID.classes: _count(oxstore, "SELECT DISTINCT ?c WHERE { GRAPH ?g { ?x a ?c } }"),
        VOID.properties: _count(oxstore, f"SELECT DISTINCT ?p WHERE {{ {UNION} }}"),
        VOID.distinctSubjects: _count(oxstore, f"SELECT DISTINCT ?s WHERE {{ {UNION} }}"),
        VOID.distinctObjects: _count(oxstore, f"SELECT DISTINCT ?o WHERE {{ {UNION} }}"),
    }
    for prop, value in expected.items():
        assert _int(void, me, prop) == value, prop


def test_void_counts_match_python_sets(void, settings, union):
    me = void_iri(settings.base)
    assert _int(void, me, VOID.triples) == len(set(union))
    assert _int(void, me, VOID.distinctSubjects) == len(set(union.subjects()))
    assert _int(void, me, VOID.distinctObjects) == len(set(union.objects()))
    assert _int(void, me, VOID.properties) == len(set(union.predicates()))
    assert _int(void, me, VOID.classes) == len(set(union.objects(None, RDF.type)))


def _partitions(void: Graph, me, link, key) -> dict:
    return {void.value(node, key): node for node in void.objects(me, link)}


def test_every_class_partition_counts_its_instances(void, settings, oxstore):
    me = void_iri(settings.base)
    partitions = _partitions(void, me, VOID.classPartition, VOID["class"])
    rows = oxstore.query("SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x a ?c } } GROUP BY ?c")
    expected = {URIRef(row["c"].value): int(row["n"].value) for row in rows}
    assert set(partitions) == set(expected)
    for cls, count in expected.items():
        assert _int(void, partitions[cls], VOID.entities) == count, cls
    assert _int(void, partitions[SK.Measure], VOID.entities) == 19
    participations = _count(oxstore, f"SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ ?x a <{CV.Participation}> }} }}")
    assert participations > 100
    assert _int(void, partitions[CV.Participation], VOID.entities) == participations


def test_every_property_partition_counts_its_triples(void, settings, oxstore):
    me = void_iri(settings.base)
    partitions = _partitions(void, me, VOID.propertyPartition, VOID.property)
    rows = oxstore.query("SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
                         " GROUP BY ?p")
    expected = {URIRef(row["p"].value): int(row["n"].value) for row in rows}
    assert set(partitions) == set(expected)
    for prop, count in expected.items():
        assert _int(void, partitions[prop], VOID.triples) == count, prop


def test_one_subset_per_document_graph(void, settings, dataset, oxstore):
    me = void_iri(settings.base)
    meta = URIRef(f"{settings.base}graph/meta")
    rows = oxstore.query(f"SELECT ?g ?doc WHERE {{ GRAPH <{meta}> {{ ?g <{PROV.wasDerivedFrom}> ?doc . "
                         f"?doc a <{FOAF.Document}> }} }}")
    expected = {URIRef(row["g"].value): URIRef(row["doc"].value) for row in rows}
    assert len(expected) == 5
    subsets = _partitions(void, me, VOID.subset, SD.name)
    assert set(subsets) == set(expected)
    for graph_iri, node in subsets.items():
        assert void.value(node, PROV.wasDerivedFrom) == expected[graph_iri]
        assert _int(void, node, VOID.triples) == len(dataset.graph(graph_iri)) > 0
        assert _int(void, node, VOID.triples) == _count(oxstore, f"GRAPH <{graph_iri}> {{ ?s ?p ?o }}")


def test_void_links_dumps_endpoint_examples_and_vocabularies(void, settings, dumps):
    me = void_iri(settings.base)
    assert set(void.objects(me, VOID.dataDump)) == {URIRef(DUMP_BASE + name) for name in PLAIN}
    assert void.value(me, VOID.sparqlEndpoint) == URIRef(ENDPOINT)
    assert str(void.value(me, VOID.uriSpace)) == settings.base
    examples = {str(e) for e in void.objects(me, VOID.exampleResource)}
    assert examples == {settings.base + local for local in
                        ("service/digitalt-dodsbo", "org/digitaliseringsdirektoratet", "org/ks")}
    vocabularies = {str(v) for v in void.objects(me, VOID.vocabulary)}
    assert {str(SK), str(CV), str(SKOS), str(PROV), "http://www.w3.org/ns/org#"} <= vocabularies


def test_void_is_deterministic_and_has_no_blank_nodes(void, dataset, settings, dumps):
    assert not any(isinstance(term, BNode) for triple in void for term in triple)
    again = void_graph(dataset, settings.base, ENDPOINT, dumps[1], DUMP_BASE)
    assert set(again) == set(void)
    me = str(void_iri(settings.base))
    nodes = {str(s) for s in void.subjects() if str(s) != me}
    assert all(s.startswith(me + "/") for s in nodes)


# -- ontology documentation ----------------------------------------------------------------

class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.ids += [value for name, value in attrs if name == "id"]


@pytest.fixture(scope="module")
def page(project) -> str:
    return ontology_html(project.ontology)


def test_ontology_page_documents_every_term(page, project):
    onto = project.ontology
    parser = _Ids()
    parser.feed(page)
    assert len(parser.ids) == len(set(parser.ids)), "duplicate anchors"
    ours = {s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
            for s in onto.subjects(RDF.type, kind) if str(s).startswith(str(SK))}
    assert len(ours) > 30
    for term in ours:
        assert str(term).split("#", 1)[1] in parser.ids, term
    for scheme in onto.subjects(RDF.type, SKOS.ConceptScheme):
        assert f'id="{str(scheme).rsplit("/", 1)[1]}"' in page
    assert 'id="role/lead"' in page


def test_ontology_page_has_both_languages_and_the_diagram(page, project):
    from html import escape

    from samkart.reports.diagram import mermaid

    for lang, label in (("nb", "tiltak"), ("en", "measure")):
        assert f'<dd lang="{lang}">{label}</dd>' in page
        for value in project.ontology.objects(SK.Measure, SKOS.definition):
            if value.language == lang:
                assert escape(str(value)) in page
    role_lead = URIRef("https://w3id.org/samkart/def/scheme/role/lead")
    for value in project.ontology.objects(role_lead, SKOS.prefLabel):
        assert escape(str(value)) in page
    assert f'<pre class="mermaid">\n{escape(mermaid(project.ontology))}\n</pre>' in page
    parser = _Ids()
    parser.feed(page)
    assert not parser.tags & {"script", "link", "img", "iframe"}  # nothing loaded from elsewhere
    assert "<style>" in page and page == ontology_html(project.ontology)
    superclass = '<a href="#Plan"><code>sk:Plan</code></a>'  # sk:ActionPlan rdfs:subClassOf sk:Plan
    assert superclass in page
    assert RDFS.subClassOf in set(project.ontology.predicates())


def test_large_turtle_is_the_same_graph_in_the_same_bytes_whatever_the_order(dataset):
    """The services file's writer (pyoxigraph, sorted triples): same graph as rdflib reads it back, same
    bytes for the same triples added in another order, and only the prefixes it uses."""
    from samkart.publish.dumps import large_turtle
    from samkart.shacl.inputs import union_graph

    triples = sorted(union_graph(dataset).triples((None, RDF.type, None)))[:500]
    forward, backward = Graph(), Graph()
    for triple in triples:
        forward.add(triple)
    for triple in reversed(triples):
        backward.add(triple)
    forward.bind("sk", SK)
    backward.bind("sk", SK)
    text = large_turtle(forward)
    assert text == large_turtle(backward)
    assert isomorphic(Graph().parse(data=text, format="turtle"), forward)
    header = [line for line in text.decode().splitlines() if line.startswith("@prefix")]
    assert any(line.startswith("@prefix sk:") for line in header) and not any("brick" in line for line in header)
