"""The cache's fast path (service/fastpath.py) answers exactly as the app does: same bytes, same headers,
same ETag and 304, same Host check and security headers, and it steps aside whenever the app must answer."""

import httpx
import pytest

NAMED = "/api/queries/collaborators"
SUBJECT = {"subject": "https://w3id.org/samkart/id/service/digitalt-dodsbo"}
VARYING = {"date", "server-timing"}


def comparable(response: httpx.Response) -> tuple:
    headers = {k: v for k, v in response.headers.items() if k not in VARYING}
    return response.status_code, headers, response.content


@pytest.mark.parametrize("path, params, accept", [
    (NAMED, SUBJECT, "application/sparql-results+json"),
    (NAMED, {**SUBJECT, "format": "csv"}, None),
    ("/api/queries/network", None, "text/tab-separated-values"),
    ("/sparql", {"query": "SELECT ?o WHERE { ?o a org:Organization } ORDER BY ?o LIMIT 5"}, "application/sparql-results+xml"),
    ("/sparql", {"query": "CONSTRUCT WHERE { ?s a sk:Measure } LIMIT 3"}, "text/turtle"),
    ("/sparql", {"query": "ASK { ?s ?p ?o }"}, None),
])
def test_a_cache_hit_is_the_same_answer_as_from_the_app(server, path, params, accept):
    headers = {"Accept": accept} if accept else {}
    with httpx.Client(base_url=server) as client:
        fresh = client.get(path, params=params, headers={**headers, "Cache-Control": "no-cache"})  # the app answers
        hit = client.get(path, params=params, headers=headers)
        assert fresh.status_code == 200 and "query" in fresh.headers["server-timing"]
        assert hit.headers["server-timing"] == "cache;desc=hit"
        assert comparable(hit)[2] == comparable(fresh)[2]
        assert comparable(hit)[1] == {**comparable(fresh)[1]}  # every header but the date and the timing
        again = client.get(path, params=params, headers={**headers, "If-None-Match": hit.headers["etag"]})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == hit.headers["etag"]
        head = client.head(path, params=params, headers=headers)
        assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == hit.headers["content-length"]


def test_the_fast_path_checks_the_host_and_steps_aside_when_the_app_must_answer(server):
    with httpx.Client(base_url=server) as client:
        assert client.get(NAMED, params=SUBJECT).status_code == 200  # cached now
        evil = client.get(NAMED, params=SUBJECT, headers={"Host": "evil.example"})
        assert evil.status_code == 400 and evil.json()["code"] == "bad_host"
        cors = client.get(NAMED, params=SUBJECT, headers={"Origin": "https://example.org"})
        assert cors.headers["access-control-allow-origin"] == "*" and cors.headers["server-timing"] == "cache;desc=hit"
        repeated = client.get(f"{NAMED}?subject={SUBJECT['subject']}&format=json&format=csv")
        assert repeated.status_code == 400 and "given 2 times" in repeated.json()["error"]
        refused = client.get(NAMED, params=SUBJECT, headers={"Accept": "image/png"})  # no format at all
        assert refused.status_code == 406 and "accept" in refused.headers["vary"].lower()


def test_fast_path_hits_are_counted_in_the_metrics(server):
    def value(name: str, label: str = "") -> float:
        lines = httpx.get(f"{server}/metrics").text.splitlines()
        return sum(float(line.split()[-1]) for line in lines if line.startswith(name) and label in line)

    httpx.get(f"{server}{NAMED}", params=SUBJECT).raise_for_status()
    hits, requests = value("samkart_cache_hits_total"), value("samkart_requests_total{", f'route="{NAMED}",status="200"')
    for _ in range(5):
        httpx.get(f"{server}{NAMED}", params=SUBJECT).raise_for_status()
    assert value("samkart_cache_hits_total") == hits + 5
    assert value("samkart_requests_total{", f'route="{NAMED}",status="200"') == requests + 5
