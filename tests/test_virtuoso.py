"""The service in front of a real OpenLink Virtuoso answers exactly as over the embedded store."""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import yaml

from samkart.sparql.queries import parse_query_file, split_header

QUERIES = sorted(Path(__file__).resolve().parents[1].glob("queries/*.rq"))
JSON = {"Accept": "application/sparql-results+json"}
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
OURS = 'FILTER(STRSTARTS(STR(?g), "https://w3id.org/samkart/"))'


def plain(binding: dict | None):
    """A binding's plain value; numbers by value, so 2, "2"^^xsd:decimal and 2.0E0 are alike."""
    if binding is None:
        return None
    if binding.get("datatype") in NUMERIC:
        return Decimal(binding["value"]).normalize()
    return binding["value"]


def rows(response: httpx.Response) -> list[tuple]:
    """The result rows as a sorted multiset of plain values."""
    assert response.status_code == 200, response.text
    body = response.json()
    names = body["head"]["vars"]
    found = [tuple(plain(b.get(n)) for n in names) for b in body["results"]["bindings"]]
    return sorted(found, key=repr)


def parameter_sets(path: Path) -> list[dict[str, str]]:
    """Ways to call a named query: bare (when nothing is required), with its defaults, with its x-example."""
    query = parse_query_file(path)
    example = yaml.safe_load(split_header(query.text)[0]).get("x-example") or {}
    required = {p.name for p in query.parameters if p.required}
    candidates = [{}, dict(query.defaults), {k: str(v) for k, v in example.items()}]
    chosen: list[dict[str, str]] = []
    for params in candidates:
        if required <= set(params) and params not in chosen:
            chosen.append(params)
    return chosen


def test_every_named_query_can_be_compared():
    assert QUERIES and all(parameter_sets(path) for path in QUERIES)


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_named_query_gives_the_same_rows(server, virtuoso_server_app, path):
    for params in parameter_sets(path):
        url = f"/api/queries/{path.stem}"
        embedded = rows(httpx.get(server + url, params=params, headers=JSON, timeout=60))
        remote = rows(httpx.get(virtuoso_server_app + url, params=params, headers=JSON, timeout=60))
        assert embedded, f"{path.stem} {params} gives no rows: nothing is compared"
        assert remote == embedded, f"{path.stem} {params}"


def sparql(base: str, query: str, **dataset) -> list[tuple]:
    return rows(httpx.post(f"{base}/sparql", data={"query": query, **dataset}, headers=JSON, timeout=60))


def test_every_triple_of_every_graph_is_there(build_file, server, virtuoso_server_app):
    quads = ox.parse(path=str(build_file), format=ox.RdfFormat.N_QUADS if build_file.suffix == ".nq" else ox.RdfFormat.TRIG)
    expected = Counter(q.graph_name.value for q in quads)
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }}"
    assert sparql(virtuoso_server_app, count) == [(Decimal(sum(expected.values())),)]
    per_graph = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OURS} }} GROUP BY ?g"
    assert sparql(virtuoso_server_app, per_graph) == sorted(((g, Decimal(n)) for g, n in expected.items()), key=repr)
    assert sparql(virtuoso_server_app, per_graph) == sparql(server, per_graph)


def test_default_graph_is_the_union_of_our_graphs(server, virtuoso_server_app):
    """With the system graphs hidden from anonymous users (tests/virtuoso.py read_only), the default graph
    is exactly ours, bare and with our graphs named as the default graph."""
    every = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    graphs = [g for (g,) in sparql(server, every)]
    assert sparql(virtuoso_server_app, every) == sparql(server, every)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    for query in (count, distinct):
        assert sparql(virtuoso_server_app, query) == sparql(server, query), query
        assert sparql(virtuoso_server_app, query, **{"default-graph-uri": graphs}) == sparql(server, query), query


def test_service_description_names_the_same_graphs(server, virtuoso_server_app):
    from rdflib import Graph, URIRef

    name = URIRef("http://www.w3.org/ns/sparql-service-description#name")
    names = []
    for base in (server, virtuoso_server_app):
        response = httpx.get(f"{base}/sparql", headers={"Accept": "text/turtle"}, timeout=60)
        assert response.status_code == 200, response.text
        names.append(set(Graph().parse(data=response.text, format="turtle").objects(None, name)))
    assert names[0] and names[1] == names[0]


@pytest.mark.xfail(strict=True, reason="Virtuoso 7.2 answers SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } from its "
                   "graph list, past graph permissions: it names its own system graphs (virtrdf#, ldp#, "
                   "localuriqaserver), whose triples anonymous users cannot see, and takes ~3 s; "
                   "GROUP BY ?g gives the right graphs (the service lists graphs that way)")
def test_distinct_graph_names_alike(server, virtuoso_server_app):
    every = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert sparql(virtuoso_server_app, every) == sparql(server, every)


def test_virtuoso_is_read_only_after_loading(virtuoso):
    graph = "https://w3id.org/samkart/id/graph/meta"
    put = httpx.put(f"{virtuoso}/sparql-graph-crud", params={"graph": graph}, content=b"<urn:a> <urn:b> <urn:c> .\n",
                    headers={"Content-Type": "application/n-triples"})
    update = httpx.post(f"{virtuoso}/sparql", data={"query": f"CLEAR GRAPH <{graph}>"})
    assert put.status_code >= 400 and update.status_code >= 400, (put.text, update.text)
    assert sparql(virtuoso, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") == [(Decimal(61),)]


@pytest.mark.parametrize("page", ["/id/org/skatteetaten", "/id/service/digitalt-dodsbo"])
def test_resource_page_is_the_same_graph(server, virtuoso_server_app, page):
    from rdflib import Graph
    from rdflib.compare import isomorphic, to_isomorphic

    graphs = []
    for base in (server, virtuoso_server_app):
        response = httpx.get(base + page, headers={"Accept": "text/turtle"}, timeout=60)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle"), response.text
        graphs.append(Graph().parse(data=response.text, format="turtle"))
    embedded, remote = graphs
    assert len(embedded) > 10
    assert isomorphic(embedded, remote), set(to_isomorphic(embedded) ^ to_isomorphic(remote))
