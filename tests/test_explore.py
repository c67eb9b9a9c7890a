"""samkart.explore: DataFrames, network builders, measures and exports, on a small fixture graph with
known degrees and weights (tests/fixtures/explore/small.ttl) and on the real data."""

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from samkart import explore
from samkart.cli import main
from samkart.errors import InputError, ParameterError

SMALL = Path(__file__).parent / "fixtures" / "explore" / "small.ttl"
T = "https://example.org/t/"
ID = "https://w3id.org/samkart/id/org/"


@pytest.fixture(scope="module")
def small(settings):
    return explore.connect(data=[SMALL], settings=settings)


@pytest.fixture(scope="module")
def real(settings, build_file):
    return explore.connect(data=[build_file], settings=settings)


@pytest.fixture(scope="module")
def real_collaboration(real):
    return explore.collaboration_graph(real)


def weights(graph):
    return {tuple(sorted((a.removeprefix(T), b.removeprefix(T)))): w for a, b, w in graph.edges(data="weight")}


# -- DataFrames ------------------------------------------------------------------------------
def test_named_query_frame_has_typed_columns(real):
    frame = explore.to_dataframe(real, "network")
    assert list(frame.columns) == ["a", "aLabel", "b", "bLabel", "shared"]
    assert str(frame["shared"].dtype) == "Int64" and str(frame["a"].dtype) == "string"
    assert frame["shared"].sum() > len(frame) > 200


def test_literal_datatypes_become_pandas_types(small):
    frame = explore.to_dataframe(small, """SELECT ?n ?x ?flag ?day ?text ?missing WHERE {
        VALUES (?n ?x ?flag ?day ?text) { (1 2.5 true "2024-03-01"^^xsd:date "a"@nb) (2 3 false "2025-01-31"^^xsd:date "b") } }""")
    assert [str(frame[c].dtype) for c in ("n", "x", "flag", "text", "missing")] == ["Int64", "Float64", "boolean", "string", "string"]
    assert pd.api.types.is_datetime64_any_dtype(frame["day"])
    assert frame["n"].tolist() == [1, 2] and frame["x"].tolist() == [2.5, 3.0]
    assert frame["flag"].tolist() == [True, False] and frame["day"].dt.year.tolist() == [2024, 2025]
    assert frame["missing"].isna().all()


def test_named_query_parameters_by_label(real):
    frame = explore.to_dataframe(real, "subordinates", parent="Samferdselsdepartementet")
    assert "Statens vegvesen" in set(frame["orgLabel"])
    with pytest.raises(ParameterError):
        explore.to_dataframe(real, "subordinates", parent="Nobody at all")


def test_raw_sparql_parameters_are_bound_as_terms(small):
    query = "SELECT ?org WHERE { ?org skos:prefLabel ?name }"
    assert explore.to_dataframe(small, query, name="Etat A").empty  # a plain literal is not the @nb label
    import pyoxigraph as ox

    found = explore.to_dataframe(small, query, name=ox.Literal("Etat A", language="nb"))
    assert found["org"].tolist() == [T + "A"]
    hostile = explore.to_dataframe(small, query, name='x" } UNION { ?org ?p ?o } #')
    assert hostile.empty


def test_non_select_is_refused(small):
    with pytest.raises(InputError, match="SELECT"):
        explore.to_dataframe(small, "ASK { ?s ?p ?o }")


# -- builders on the fixture ------------------------------------------------------------------
def test_bipartite_graph(small):
    graph = explore.bipartite_graph(small)
    degrees = {n.removeprefix(T): d for n, d in graph.degree}
    assert degrees == {"A": 2, "B": 2, "C": 2, "D": 1, "M": 1, "X": 3, "Y": 2, "Z": 2, "Q": 1}
    assert {n.removeprefix(T) for n, b in graph.nodes(data="bipartite") if b == 0} == {"A", "B", "C", "D", "M"}
    assert graph.edges[T + "A", T + "Y"] == {"roles": ["eier", "samarbeidspartner"], "sources": [T + "doc1", T + "doc2"],
                                             "participants": [T + "A"]}
    assert graph.edges[T + "D", T + "Z"]["roles"] == ["medlem"]


def test_collaboration_graph_weights_and_subjects(small):
    graph = explore.collaboration_graph(small)
    assert weights(graph) == {("A", "B"): 2, ("A", "C"): 1, ("B", "C"): 1, ("C", "D"): 1}
    assert graph.edges[T + "A", T + "B"]["subjects"] == [T + "X", T + "Y"]
    assert graph.edges[T + "A", T + "B"]["subject_labels"] == ["Løsning X", "Tjeneste Y"]
    assert graph.degree(T + "M") == 0 and T + "E" not in graph  # alone on Q; in nothing


def test_collaboration_graph_by_subject_type(small):
    graph = explore.collaboration_graph(small, {"service"})
    assert weights(graph) == {("A", "B"): 1}


def test_node_attributes(small):
    graph = explore.collaboration_graph(small)
    assert graph.nodes[T + "A"] == {"label": "Etat A", "type": "agency", "sector": "Sektor én",
                                    "sector_iri": T + "S1", "iri": T + "A", "kind": "organisation"}
    assert graph.nodes[T + "B"]["sector"] == "Sektor én"   # from its parent ministry
    assert graph.nodes[T + "M"]["sector"] == "Sektor én"   # the sector's ministry
    assert graph.nodes[T + "D"]["sector"] == explore.NO_SECTOR


def test_governance_and_strategy_graphs(small):
    tree = explore.governance_graph(small)
    assert set(tree.edges) == {(T + "M", T + "A"), (T + "M", T + "B")}
    assert tree.number_of_nodes() == 7 and tree.nodes[T + "M"]["type"] == "ministry"
    plans = explore.strategy_graph(small)
    assert plans.edges[T + "P", T + "Q"]["relation"] == "hasPart"
    assert plans.edges[T + "Q", T + "M"] == {"relation": "participant", "roles": ["ansvarlig"]}


# -- measures ---------------------------------------------------------------------------------
def test_centrality(small):
    frame = explore.centrality(explore.collaboration_graph(small))
    assert frame["label"].tolist()[:3] == ["Etat C", "Etat A", "Etat B"]
    row = frame.set_index("label").loc["Etat A"]
    assert (row["degree"], row["weighted_degree"]) == (2, 3)
    # C is on the only shortest paths A–D and B–D: 2 of the 6 pairs of the other four nodes
    assert frame.set_index("label").loc["Etat C", "betweenness"] == pytest.approx(2 / 6)


def test_cross_sector_share(small):
    frame = explore.cross_sector_share(explore.collaboration_graph(small)).set_index("sector")
    assert frame.loc["(all)"].to_dict() == {"links": 4, "cross_sector": 2, "unknown": 1, "share": pytest.approx(2 / 3)}
    assert frame.loc["Sektor én", "links"] == 3 and frame.loc["Sektor to", "unknown"] == 1


def test_bridges_and_communities(small):
    graph = explore.collaboration_graph(small)
    bridges = explore.sector_bridges(graph).set_index("label")
    assert bridges.loc["Etat C", "other_sectors"] == 1 and bridges.loc["Etat C", "partners_in_other_sectors"] == 2
    groups = explore.communities(graph)
    assert sorted(groups["iri"]) == sorted(graph.nodes)
    assert groups.equals(explore.communities(graph))  # fixed seed: same answer every run


# -- exports ----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", explore.NETWORK_FORMATS)
@pytest.mark.parametrize("kind", ["collaboration", "bipartite", "governance", "strategy"])
def test_export_round_trip(small, tmp_path, fmt, kind):
    graph = getattr(explore, f"{kind}_graph")(small)
    back = explore.read_graph(explore.export_graph(graph, tmp_path / f"g.{fmt}"))
    assert set(back.nodes) == set(graph.nodes) and set(back.edges) == set(graph.edges)
    assert back.is_directed() == graph.is_directed()
    assert all(back.nodes[n]["label"] == graph.nodes[n]["label"] for n in graph)
    if kind == "collaboration":
        assert {e: int(w) for e, w in nx.get_edge_attributes(back, "weight").items()} == \
            dict(nx.get_edge_attributes(graph, "weight"))


def test_exports_are_deterministic(small, tmp_path):
    graph = explore.collaboration_graph(small)
    for fmt in explore.NETWORK_FORMATS:
        first = explore.export_graph(graph, tmp_path / f"a.{fmt}").read_bytes()
        assert first == explore.export_graph(explore.collaboration_graph(small), tmp_path / f"b.{fmt}").read_bytes()


def test_network_command(tmp_path, capsys):
    out = tmp_path / "net.graphml"
    assert main(["network", "--kind", "collaboration", "--data", str(SMALL), str(out)]) == 0
    assert weights(nx.read_graphml(out)) == {("A", "B"): 2, ("A", "C"): 1, ("B", "C"): 1, ("C", "D"): 1}
    assert main(["network", "--kind", "governance", "--format", "json", "--data", str(SMALL), str(tmp_path / "t.out")]) == 0
    assert main(["network", "--data", str(SMALL), str(tmp_path / "net.txt")]) == 2
    assert "give --format" in capsys.readouterr().err and not (tmp_path / "net.txt").exists()


# -- the real data ----------------------------------------------------------------------------
def test_real_collaboration_matches_the_network_query(real, real_collaboration):
    rows = explore.to_dataframe(real, "network")
    expected = {tuple(sorted((r.a, r.b))): int(r.shared) for r in rows.itertuples()}
    assert {tuple(sorted((a, b))): w for a, b, w in real_collaboration.edges(data="weight")} == expected


def test_real_data_most_central(real_collaboration):
    # hand count in the network query's rows: KS has 30 partners, Digdir 28, Landbruksdirektoratet 20
    top = explore.centrality(real_collaboration).head(3)
    assert top["iri"].tolist() == [ID + "ks", ID + "digitaliseringsdirektoratet", ID + "landbruksdirektoratet"]
    assert top["degree"].tolist() == [30, 28, 20]
    assert real_collaboration.nodes[ID + "skatteetaten"]["sector"] == "Finansdepartementets område"


def test_real_bipartite_projection_is_the_collaboration_graph(real, real_collaboration):
    bipartite = explore.bipartite_graph(real)
    organisations = [n for n, d in bipartite.nodes(data=True) if d["kind"] == "organisation"]
    assert set(organisations) == set(real_collaboration.nodes)


def test_same_graphs_from_a_remote_sparql_endpoint(settings, oxigraph, real, real_collaboration):
    """connect(endpoint=…) reads a real Oxigraph server through the same service code path."""
    remote = explore.connect(endpoint=f"{oxigraph}/query", settings=settings)
    collaboration = explore.collaboration_graph(remote)
    assert nx.utils.graphs_equal(collaboration, real_collaboration)
    assert explore.to_dataframe(remote, "organisations").equals(explore.to_dataframe(real, "organisations"))
    tree, real_tree = explore.governance_graph(remote), explore.governance_graph(real)
    assert set(tree.edges) == set(real_tree.edges) and dict(tree.nodes(data=True)) == dict(real_tree.nodes(data=True))


def test_governance_graph_gives_a_listed_group_of_actors_its_attributes(real):
    graph = explore.governance_graph(real)
    group = "https://w3id.org/samkart/id/group/universiteter-og-hoyskoler"
    assert graph.has_edge("https://w3id.org/samkart/id/org/kunnskapsdepartementet", group)
    assert graph.nodes[group]["label"] == "Universiteter og høyskoler" and graph.nodes[group]["type"] == "group"
    assert all("type" in data and "label" in data for _node, data in graph.nodes(data=True))
