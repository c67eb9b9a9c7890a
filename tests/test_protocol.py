"""The SPARQL 1.1 Protocol at /sparql over real HTTP, against the embedded and the remote backend.

The cases follow the W3C SPARQL 1.1 Protocol test suite for a query endpoint
(query_get, query_post_form, query_post_direct, query_dataset_*, query_content_type_*, bad_*).
"""

import json

import httpx
import pytest

GRAPH = "https://w3id.org/samkart/id/graph/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module", params=["embedded", "remote"])
def base(request):
    return request.getfixturevalue("server" if request.param == "embedded" else "remote_server")


def triples(dataset, *names: str) -> int:
    """The number of distinct triples in the named graphs ``names`` of the built dataset, merged."""
    from rdflib import URIRef

    return len({t for name in names for t in dataset.graph(URIRef(GRAPH + name))})


def count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_query_get(base):
    assert count(httpx.get(f"{base}/sparql", params={"query": COUNT}, headers=JSON)) > 10000


def test_query_post_form(base):
    assert count(httpx.post(f"{base}/sparql", data={"query": COUNT}, headers=JSON)) > 10000


def test_query_post_direct(base):
    response = httpx.post(f"{base}/sparql", content=COUNT.encode(),
                          headers={**JSON, "Content-Type": "application/sparql-query"})
    assert count(response) > 10000


def test_query_dataset_default_graph(base, dataset):
    one = count(httpx.get(f"{base}/sparql", params={"query": COUNT, "default-graph-uri": GRAPH + "digital-agenda-pressemelding"}, headers=JSON))
    assert one == triples(dataset, "digital-agenda-pressemelding") > 100


def test_query_dataset_default_graphs_get_and_post(base, dataset):
    names = ["digital-agenda-pressemelding", "en-digital-offentlig-sektor-forord"]
    graphs = [GRAPH + name for name in names]
    both = triples(dataset, *names)
    assert both > max(triples(dataset, name) for name in names)
    params = [("query", COUNT)] + [("default-graph-uri", g) for g in graphs]
    assert count(httpx.get(f"{base}/sparql", params=params, headers=JSON)) == both
    assert count(httpx.post(f"{base}/sparql", data={"query": COUNT, "default-graph-uri": graphs}, headers=JSON)) == both


def test_query_dataset_named_graphs(base):
    named = GRAPH + "meta"
    for response in (httpx.get(f"{base}/sparql", params={"query": PER_GRAPH, "named-graph-uri": named}, headers=JSON),
                     httpx.post(f"{base}/sparql", data={"query": PER_GRAPH, "named-graph-uri": named}, headers=JSON)):
        rows = response.json()["results"]["bindings"]
        assert [r["g"]["value"] for r in rows] == [named]


def test_query_dataset_full(base, dataset):
    params = {"query": "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
              "default-graph-uri": GRAPH + "en-digital-offentlig-sektor-forord", "named-graph-uri": GRAPH + "meta"}
    meta = count(httpx.get(f"{base}/sparql", params={"query": COUNT, "default-graph-uri": GRAPH + "meta"}, headers=JSON))
    assert count(httpx.get(f"{base}/sparql", params=params, headers=JSON)) == triples(dataset, "en-digital-offentlig-sektor-forord") + meta


def test_unknown_dataset_graph_is_an_empty_graph(base, dataset):
    """A graph the store does not hold is empty (as in Oxigraph and Fuseki), never fetched: see test_reliability."""
    nope = "http://example.org/nope"
    assert count(httpx.get(f"{base}/sparql", params={"query": COUNT, "default-graph-uri": nope}, headers=JSON)) == 0
    assert count(httpx.get(f"{base}/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{nope}> WHERE {{ ?s ?p ?o }}"},
                           headers=JSON)) == 0
    # beside a graph it holds, an unknown graph adds nothing
    both = [("query", COUNT), ("default-graph-uri", nope), ("default-graph-uri", GRAPH + "digital-agenda-pressemelding")]
    assert count(httpx.get(f"{base}/sparql", params=both, headers=JSON)) == triples(dataset, "digital-agenda-pressemelding")
    named = httpx.get(f"{base}/sparql", params={"query": PER_GRAPH, "named-graph-uri": nope}, headers=JSON)
    assert named.status_code == 200 and named.json()["results"]["bindings"] == []


def test_protocol_dataset_wins_over_from(base, dataset):
    """SPARQL 1.1 Protocol 2.1.4: with both, the protocol's dataset is used."""
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}en-digital-offentlig-sektor-forord> WHERE {{ ?s ?p ?o }}"
    params = {"query": query, "default-graph-uri": GRAPH + "digital-agenda-pressemelding"}
    assert count(httpx.get(f"{base}/sparql", params=params, headers=JSON)) == triples(dataset, "digital-agenda-pressemelding")
    assert count(httpx.get(f"{base}/sparql", params={"query": query}, headers=JSON)) == triples(dataset, "en-digital-offentlig-sektor-forord")


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"), ("*/*", "application/sparql-results+json"),
])
def test_query_content_type_select(base, accept, media):
    response = httpx.get(f"{base}/sparql", params={"query": "SELECT ?s WHERE { ?s a sk:Measure } LIMIT 2"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_query_content_type_ask(base, accept):
    response = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s a sk:Measure }"}, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(accept) and "true" in response.text


@pytest.mark.parametrize("form", ["CONSTRUCT { ?s a sk:Measure } WHERE { ?s a sk:Measure }",
                                  "DESCRIBE <https://w3id.org/samkart/id/org/ks>"])
@pytest.mark.parametrize("accept, media", [(None, "text/turtle"), ("application/n-triples", "application/n-triples"),
                                           ("application/ld+json", "application/ld+json"), ("application/rdf+xml", "application/rdf+xml")])
def test_query_content_type_graph(base, form, accept, media):
    response = httpx.get(f"{base}/sparql", params={"query": form}, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media and len(response.content) > 50


def test_format_parameter_overrides_accept(base):
    response = httpx.get(f"{base}/sparql", params={"query": "SELECT ?s WHERE { ?s a sk:Measure }", "format": "csv"}, headers=JSON)
    assert response.headers["content-type"].startswith("text/csv") and response.text.startswith("s\r\n")


def test_not_acceptable(base):
    response = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert response.status_code == 406 and response.json()["code"] == "not_acceptable"


@pytest.mark.parametrize("case, send, status", [
    ("bad_query_method", lambda b: httpx.put(f"{b}/sparql", params={"query": "ASK {}"}), 405),
    ("bad_multiple_queries", lambda b: httpx.get(f"{b}/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")]), 400),
    ("bad_query_wrong_media_type", lambda b: httpx.post(f"{b}/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}), 415),
    ("bad_query_missing_form_type", lambda b: httpx.post(f"{b}/sparql", content=b"query=ASK%20%7B%7D"), 415),
    ("bad_query_missing_direct_type", lambda b: httpx.post(f"{b}/sparql", content=b"ASK {}"), 415),
    ("bad_query_non_utf8", lambda b: httpx.post(f"{b}/sparql", content="ASK { ?s ?p \"æøå\" }".encode("latin-1"),
                                                headers={"Content-Type": "application/sparql-query"}), 400),
    ("bad_query_non_utf8_get", lambda b: httpx.get(f"{b}/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%22%E6%22%20%7D"), 400),
    ("bad_query_syntax", lambda b: httpx.get(f"{b}/sparql", params={"query": "SELECT * WHERE {"}), 400),
    ("bad_post_form_without_query", lambda b: httpx.post(f"{b}/sparql", data={"default-graph-uri": GRAPH + "meta"}), 400),
    ("bad_update_get", lambda b: httpx.get(f"{b}/sparql", params={"update": "CLEAR ALL"}), 403),
    ("bad_update_post", lambda b: httpx.post(f"{b}/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}), 403),
    ("bad_update_in_query", lambda b: httpx.post(f"{b}/sparql", data={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}), 400),
])
def test_bad_requests(base, case, send, status):
    response = send(base)
    assert response.status_code == status, (case, response.text)
    body = response.json()
    assert set(body) == {"ok", "status", "code", "error"} and body["status"] == status and body["ok"] is False


def test_syntax_error_carries_position(base):
    body = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE {"}).json()
    assert "syntax error" in body["error"] or "refused" in body["error"]
    assert "Traceback" not in json.dumps(body)


def test_service_description(base):
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    response = httpx.get(f"{base}/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef(f"{base}/sparql"), RDF.type, URIRef(sd + "Service")) in graph
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert GRAPH + "meta" in names and GRAPH + "erfaringsrapport-2020" in names


def test_cors_headers(base):
    response = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, headers={**JSON, "Origin": "https://example.org"})
    assert response.headers.get("access-control-allow-origin") in ("*", "https://example.org")


def test_sparqlwrapper_client(base):
    from SPARQLWrapper import JSON as SW_JSON
    from SPARQLWrapper import TURTLE, SPARQLWrapper

    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery("PREFIX sk: <https://w3id.org/samkart/def#> SELECT ?m WHERE { ?m a sk:Measure }")
    client.setReturnFormat(SW_JSON)
    assert len(client.queryAndConvert()["results"]["bindings"]) == 19
    client.setQuery("ASK { ?s ?p ?o }")
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery("PREFIX sk: <https://w3id.org/samkart/def#> CONSTRUCT { ?m a sk:Measure } WHERE { ?m a sk:Measure }")
    client.setReturnFormat(TURTLE)
    graph_text = client.queryAndConvert()
    assert graph_text.count(b"Measure") == 19
