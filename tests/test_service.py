"""The service over real HTTP: named queries, linked data, errors, limits, metrics; both backends agree."""

import threading

import httpx
import pytest

ID = "https://w3id.org/samkart/id/"
JSON = {"Accept": "application/sparql-results+json"}


def rows(response: httpx.Response) -> set[tuple]:
    assert response.status_code == 200, response.text
    body = response.json()
    names = body["head"]["vars"]
    return {tuple(b.get(n, {}).get("value") for n in names) for b in body["results"]["bindings"]}


def test_error_shape_is_pinned(server):
    """Every error, whatever raised it, has exactly these keys (like datasette's test_error_shape)."""
    responses = [httpx.get(f"{server}/id/org/does-not-exist"), httpx.get(f"{server}/api/queries/nope"),
                 httpx.get(f"{server}/sparql", params={"query": "SELECT"}), httpx.delete(f"{server}/sparql"),
                 httpx.get(f"{server}/api/queries/subordinates"), httpx.get(f"{server}/nowhere")]
    for response in responses:
        body = response.json()
        assert list(body) == ["ok", "status", "code", "error"], body
        assert body["ok"] is False and body["status"] == response.status_code and body["error"]
    assert [r.status_code for r in responses] == [404, 404, 400, 405, 400, 404]


def test_named_query_catalogue_and_openapi(server):
    catalogue = {q["name"]: q for q in httpx.get(f"{server}/api/queries").json()}
    contract = {"collaborators": ["org", "orgLabel", "role", "roleLabel", "source"],
                "subordinates": ["org", "orgLabel"], "network": ["a", "aLabel", "b", "bLabel", "shared"]}
    for name, variables in contract.items():
        assert catalogue[name]["variables"] == variables
    openapi = httpx.get(f"{server}/openapi.json").json()
    operation = openapi["paths"]["/api/queries/collaborators"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"subject", "format"}
    assert next(p for p in operation["parameters"] if p["name"] == "subject")["required"] is True


def test_named_query_by_label_and_by_iri_agree(server):
    by_label = httpx.get(f"{server}/api/queries/subordinates", params={"parent": " samferdselsdepartementet "}, headers=JSON)
    by_iri = httpx.get(f"{server}/api/queries/subordinates", params={"parent": ID + "org/samferdselsdepartementet"}, headers=JSON)
    assert rows(by_label) == rows(by_iri) and len(rows(by_iri)) == 12


def test_named_query_csv(server):
    response = httpx.get(f"{server}/api/queries/subordinates", params={"parent": "KS", "format": "csv"})
    assert response.text.splitlines()[0] == "org,orgLabel"


@pytest.mark.parametrize("value", ['Samferdselsdepartementet" } ?s ?p ?o {', "x> } UNION { ?s ?p ?o } #",
                                   "KS\n} SELECT * WHERE { ?s ?p ?o", "\u202eKS", "../../etc/passwd", "a" * 5000,
                                   "http://x.org/a> <b> <c", "%22%7D"])
def test_injection_attempts_get_400_or_nothing(server, value):
    response = httpx.get(f"{server}/api/queries/subordinates", params={"parent": value}, headers=JSON)
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        assert rows(response) == set()
    else:
        assert response.json()["code"] == "invalid_parameter"


def test_unknown_and_repeated_parameters(server):
    unknown = httpx.get(f"{server}/api/queries/subordinates", params={"parent": "KS", "colour": "red"})
    assert unknown.status_code == 400 and "has no parameter 'colour'" in unknown.json()["error"]
    repeated = httpx.get(f"{server}/api/queries/subordinates", params=[("parent", "KS"), ("parent", "KD")])
    assert repeated.status_code == 400


@pytest.mark.parametrize("accept, media", [("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json"),
                                           ("application/n-triples", "application/n-triples")])
def test_linked_data_by_accept(server, accept, media):
    response = httpx.get(f"{server}/id/org/digitaliseringsdirektoratet", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert "Digitaliseringsdirektoratet" in response.text


@pytest.mark.parametrize("suffix, media", [(".ttl", "text/turtle"), (".jsonld", "application/ld+json"), (".nt", "application/n-triples")])
def test_linked_data_by_suffix(server, suffix, media):
    response = httpx.get(f"{server}/id/service/digitalt-dodsbo{suffix}")
    assert response.headers["content-type"].startswith(media) and "Digitalt dødsbo" in response.text


def test_linked_data_includes_incoming_links_and_parses(server):
    from rdflib import Graph, URIRef

    graph = Graph().parse(data=httpx.get(f"{server}/id/org/skatteetaten.ttl").text, format="turtle")
    skatteetaten = URIRef(ID + "org/skatteetaten")
    assert (skatteetaten, URIRef("http://www.w3.org/ns/org#subOrganizationOf"), URIRef(ID + "org/finansdepartementet")) in graph
    assert any(graph.subjects(URIRef("http://data.europa.eu/m8g/hasParticipant"), skatteetaten))


def test_ontology_terms_and_schemes_dereference(server):
    concept = httpx.get(f"{server}/def/scheme/measure-status/pagar", headers={"Accept": "text/turtle"})
    assert concept.status_code == 200 and "Pågår" in concept.text
    ontology = httpx.get(f"{server}/def", headers={"Accept": "text/turtle"})
    assert ontology.status_code == 200 and "StatusAssessment" in ontology.text


def test_health_and_metrics(server):
    assert httpx.get(f"{server}/health").json()["ok"] is True
    httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers=JSON)
    metrics = httpx.get(f"{server}/metrics").text
    assert 'samkart_requests_total{route="/sparql",status="200"}' in metrics
    assert "samkart_query_timeouts_total" in metrics and "samkart_cache_hits_total" in metrics


def test_remote_and_embedded_answer_named_queries_alike(server, remote_server):
    catalogue = httpx.get(f"{server}/api/queries").json()
    compared = 0
    for query in catalogue:
        params = {p["name"]: p["default"] for p in query["parameters"] if p.get("default")}
        if any(p["required"] and p["name"] not in params for p in query["parameters"]):
            continue
        embedded = httpx.get(f"{server}{query['path']}", params=params, headers=JSON, timeout=60)
        remote = httpx.get(f"{remote_server}{query['path']}", params=params, headers=JSON, timeout=60)
        assert rows(embedded) == rows(remote), query["name"]
        compared += 1
    assert compared >= 5


@pytest.mark.slow
def test_configurable_base_resolves_under_another_host(settings, tmp_path):
    """Built and served with SAMKART_BASE pointing at the server itself, IRIs resolve as they are."""
    import subprocess
    import sys

    from servers import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}/id/"
    data = tmp_path / "other.nq"
    env = {"SAMKART_BASE": base}
    import os

    built = subprocess.run([sys.executable, "-m", "samkart.cli", "build", "-o", str(data)], env={**os.environ, **env},
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    from servers import ROOT, wait_until_up

    process = subprocess.Popen([sys.executable, "-m", "samkart_service.server", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT,
                               env={**os.environ, **env, "SAMKART_DATA": f'["{data}"]'},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process)
        response = httpx.get(base + "org/ks", headers={"Accept": "text/turtle"})
        assert response.status_code == 200 and f"<{base}org/ks>" in response.text
    finally:
        process.kill()
        process.wait()


@pytest.mark.slow
def test_timeout_gives_504_and_other_queries_keep_going(build_file):
    """A runaway query gets a real error status, and a simple query sent meanwhile is answered first."""
    from servers import app_server

    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with app_server({"SAMKART_DATA": f'["{build_file}"]', "SAMKART_QUERY_TIMEOUT": "2"}) as base:
        finished = []

        def slow():
            response = httpx.get(f"{base}/sparql", params={"query": heavy}, headers=JSON, timeout=60)
            finished.append(("heavy", response.status_code, response.json()))

        thread = threading.Thread(target=slow)
        thread.start()
        quick = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s a sk:Measure }"}, headers=JSON, timeout=60)
        finished.append(("quick", quick.status_code, None))
        thread.join()
    assert [f[0] for f in finished] == ["quick", "heavy"]
    assert finished[0][1] == 200
    status, body = finished[1][1], finished[1][2]
    assert status == 504 and body["code"] == "timeout" and "longer than 2 s" in body["error"]


@pytest.mark.slow
def test_samkart_serve_with_own_data_in_any_format(tmp_path):
    """`samkart serve --data FILE` serves a user's own RDF (here Turtle) through the same API."""
    import os
    import subprocess
    import sys

    from servers import free_port, wait_until_up

    data = tmp_path / "mine.ttl"
    data.write_text('<http://example.org/a> <http://www.w3.org/2004/02/skos/core#prefLabel> "Min etat"@nb .\n', encoding="utf-8")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "samkart.cli", "serve", "--port", str(port), "--data", str(data)],
                               env=os.environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process)
        found = rows(httpx.get(f"http://127.0.0.1:{port}/api/queries/search", params={"q": "min etat"}, headers=JSON))
        assert found == set()  # no entity type in user data: search only lists typed entities
        answer = rows(httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "SELECT ?l WHERE { ?s skos:prefLabel ?l }"}, headers=JSON))
        assert answer == {("Min etat",)}
    finally:
        process.kill()
        process.wait()


def test_row_cap_is_an_error_not_a_cut(store):
    from samkart.errors import TooManyRows
    from samkart.sparql.backends import EmbeddedBackend
    from samkart.sparql.service import SparqlService

    capped = SparqlService(EmbeddedBackend(store, "test"), {}, max_rows=5)
    assert len(capped.run("SELECT ?m WHERE { ?m a sk:Measure } LIMIT 5").rows) == 5
    with pytest.raises(TooManyRows, match="more than 5 rows"):
        capped.run("SELECT ?m WHERE { ?m a sk:Measure }")


def test_browsers_get_the_query_page_at_sparql(server):
    page = httpx.get(f"{server}/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="yasgui"' in page.text and "/static/vendor/yasgui/yasgui.min.js" in page.text
    resource = httpx.get(f"{server}/id/org/ks", headers={"Accept": "text/html"})
    assert resource.status_code == 200 and "<h1" in resource.text and "KS" in resource.text
