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


def test_a_fresh_answer_runs_on_the_loop_only_when_no_other_request_waits(build_file, tmp_path, monkeypatch):
    """A repeat of a known-cheap query asked afresh runs on the event loop when it is the only request in
    flight, else in the lane's thread (so requests in flight never wait behind it), and when that thread is
    busy the app answers it instead; all give the answer."""
    import anyio.from_thread

    from inprocess import Client
    from samkart.settings import Settings
    from samkart_service import fastpath
    from samkart_service.app import create_app

    monkeypatch.setattr(fastpath, "INLINE_MS", 0.0)  # every known query counts as "not tiny" here
    monkeypatch.setattr(fastpath, "ALONE_MS", 1e6)
    app = create_app(Settings(data=[build_file], store_dir=tmp_path, query_workers=1, inprocess_ms=1e6))
    try:
        with anyio.from_thread.start_blocking_portal() as portal:
            client = Client(portal, httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"), app)
            fresh = {"Cache-Control": "no-cache", "Accept": "application/sparql-results+json"}
            first = client.get(NAMED, params=SUBJECT, headers=fresh)  # the app, through a worker
            assert client.get(NAMED, params=SUBJECT, headers=fresh).content == first.content  # now known cheap
            layer = app.middleware_stack
            assert isinstance(layer, fastpath.FastPath) and layer.active == 0
            scope = {"type": "http", "method": "GET", "path": NAMED, "query_string": str(httpx.QueryParams(SUBJECT)).encode(),
                     "headers": [(b"host", b"127.0.0.1"), (b"accept", b"application/sparql-results+json"), (b"cache-control", b"no-cache")]}
            layer.active = 1  # this request alone
            service = app.state.samkart.service
            ran, entries = service.backend.lane.ran, service.cache.stats()["entries"]
            alone = layer.lookup(scope)
            assert alone[0] == NAMED and alone[1] == 200 and alone[3] == first.content
            assert service.backend.lane.ran == ran + 1 and service.cache.stats()["entries"] == entries  # it ran again
            layer.active = 2  # another request in flight
            busy = layer.lookup(scope)
            assert busy[0] is fastpath.LATER and busy[1]()[3] == first.content
            layer.lane_busy = 1  # the lane thread is taken: this one goes to the app, not into its queue
            assert layer.lookup(scope) is None
            assert client.get(NAMED, params=SUBJECT, headers=fresh).content == first.content
            layer.active, layer.lane_busy = 0, 0
            portal.call(client.client.aclose)
    finally:
        app.state.samkart.close()
