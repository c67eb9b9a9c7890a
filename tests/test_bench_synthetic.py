"""The synthetic benchmark data: deterministic, about the asked size, valid under our shapes, answerable by the named queries."""

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from samkart.shacl.fast import store_from_graph, validate_store
from samkart.shacl.findings import violations  # noqa: E402
from samkart.shacl.inputs import union_graph
from samkart.sparql.backends import EmbeddedBackend  # noqa: E402
from samkart.sparql.queries import load_queries  # noqa: E402
from samkart.sparql.service import SparqlService  # noqa: E402
from samkart.sparql.store import EmbeddedStore  # noqa: E402
from samkart_bench.synthetic import generate, ontology_nquads, write  # noqa: E402

TARGET = 10_000
ID = "https://w3id.org/samkart/id/"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "syn-10k.nq"
    write(path, TARGET, seed=0)
    return path


@pytest.fixture(scope="module")
def synthetic_store(synthetic) -> EmbeddedStore:
    """Ontology graph + synthetic data in pyoxigraph, as a benchmark loads them."""
    store = EmbeddedStore()
    store.store.load(ontology_nquads() + synthetic.read_bytes(), format=ox.RdfFormat.N_QUADS)
    return store


def test_same_seed_gives_byte_identical_files(synthetic, tmp_path):
    again = tmp_path / "again.nq"
    write(again, TARGET, seed=0)
    assert again.read_bytes() == synthetic.read_bytes()
    write(tmp_path / "other.nq", TARGET, seed=1)
    assert (tmp_path / "other.nq").read_bytes() != synthetic.read_bytes()


def test_size_is_near_the_target_and_grows_linearly(synthetic):
    lines = synthetic.read_text(encoding="utf-8").splitlines()
    assert abs(len(lines) - TARGET) <= TARGET * 0.1
    assert len(set(lines)) == len(lines), "no duplicate quads"
    larger = sum(1 for _ in generate(4 * TARGET, seed=0))
    assert 3.6 <= larger / len(lines) <= 4.4


def test_mix_has_every_kind_of_node(synthetic_store):
    rows = synthetic_store.select("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    counts = {r["c"]: int(r["n"]) for r in rows}
    for cls in ("http://www.w3.org/ns/org#Organization", "http://data.europa.eu/m8g/Participation",
                "http://www.w3.org/ns/org#Membership", "https://w3id.org/samkart/def#CommonSolution",
                "https://w3id.org/samkart/def#Measure", "https://w3id.org/samkart/def#StatusAssessment",
                "https://w3id.org/samkart/def#Strategy", "https://w3id.org/samkart/def#FundingScheme",
                "https://w3id.org/samkart/def#Sector", "https://w3id.org/samkart/def#SourceSpan"):
        assert counts.get(cls, 0) > 0, cls


def test_services_have_two_to_twelve_participants_and_hubs_emerge(synthetic_store):
    per_service = synthetic_store.select("""SELECT ?s (COUNT(DISTINCT ?o) AS ?n) WHERE {
        ?s a cpsv:PublicService ; cv:hasParticipation/cv:hasParticipant ?o } GROUP BY ?s""")
    assert per_service and all(2 <= int(r["n"]) <= 12 for r in per_service)
    per_org = Counter(r["o"] for r in synthetic_store.select("SELECT ?o ?p WHERE { ?p cv:hasParticipant ?o }"))
    counts = sorted(per_org.values(), reverse=True)
    assert counts[0] >= 5 * counts[len(counts) // 2], "a few organisations take part far more than the median one"


def test_synthetic_graph_conforms_to_the_shapes(synthetic, shapes):
    ds = Dataset()
    ds.parse(data=ontology_nquads().decode("utf-8") + synthetic.read_text(encoding="utf-8"), format="nquads")
    found = violations(validate_store(store_from_graph(union_graph(ds)), shapes))
    assert not found, "\n".join(f"{f.focus} {f.path}: {f.message}" for f in found[:10])


@pytest.fixture(scope="module")
def synthetic_service(synthetic_store) -> SparqlService:
    from samkart.settings import Settings

    return SparqlService(EmbeddedBackend(synthetic_store, "synthetic"), load_queries(Settings().queries_dir),
                         max_rows=1_000_000)


@pytest.mark.parametrize("name, params", [
    ("network", {}),
    ("measures", {}),
    ("current_status", {}),
    ("collaborators", {"subject": [ID + "service/syn-felleslosning-1"]}),
    ("collaborations", {"org": [ID + "org/syn-etat-1"]}),
    ("subordinates", {"parent": [ID + "org/syn-departement-1"]}),
    ("members", {"body": [ID + "org/syn-rad-1"]}),
    ("strategies", {}),
    ("funding", {}),
])
def test_named_queries_answer_on_synthetic_data(synthetic_service, name, params):
    table = synthetic_service.run_named(name, params)
    assert table.rows, f"{name} returned no rows"
