"""A public endpoint that can't be abused and keeps serving: no outbound requests or file reads, limits
with clear errors, a result cache with ETags, and reloads that swap the data atomically or not at all."""

import os
import signal
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from servers import app_server, free_port

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ID = "https://w3id.org/samkart/id/"
JSON = {"Accept": "application/sparql-results+json"}
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


class Listener:
    """A TCP listener on loopback that counts every connection made to it (it must stay at zero)."""

    def __init__(self):
        self.port = free_port()
        self.connections = 0
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", self.port))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def error_shape(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status and body["error"] and body["code"]
    assert "Traceback" not in response.text
    return body


# -- no outbound requests, no local files ---------------------------------------------------------
def outbound_attempts(port: int) -> list[tuple[dict, int]]:
    """Requests that name a URL or a file; each is refused, or answered from an empty graph (200)."""
    url = f"http://127.0.0.1:{port}"
    return [
        ({"query": f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"}, 400),
        ({"query": f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}"}, 400),
        ({"query": f"PREFIX x: <{url}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}"}, 400),
        ({"query": f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}"}, 200),
        ({"query": f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}, 200),
        ({"query": f"PREFIX x: <{url}/> SELECT * FROM x:data.ttl WHERE {{ ?s ?p ?o }}"}, 200),
        ({"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"}, 200),
        ({"query": "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"}, 400),
        ({"query": COUNT, "default-graph-uri": f"{url}/data.ttl"}, 200),
        ({"query": COUNT, "named-graph-uri": "file:///etc/passwd"}, 200),
        ({"query": f"LOAD <{url}/data.ttl>"}, 400),
        ({"update": f"LOAD <{url}/data.ttl>"}, 403),
    ]


@pytest.mark.parametrize("mode", ["embedded", "remote"])
def test_no_outbound_request_and_no_file_read(request, mode, listener):
    base = request.getfixturevalue("server" if mode == "embedded" else "remote_server")
    for params, status in outbound_attempts(listener.port):
        for send in (lambda params=params: httpx.get(f"{base}/sparql", params=params, timeout=30, headers=JSON),
                     lambda params=params: httpx.post(f"{base}/sparql", data=params, timeout=30, headers=JSON)):
            response = send()
            if status != 200:
                error_shape(response, status)
                continue
            assert response.status_code == 200, (params, response.text)  # an empty graph: no rows, nothing read
            rows = response.json()["results"]["bindings"]
            assert rows in ([], [{"n": {"type": "literal", "value": "0", "datatype": XSD_INTEGER}}]), (params, rows)
    time.sleep(0.3)
    assert listener.connections == 0


def test_own_graphs_can_still_be_named(server):
    graph = ID + "graph/erfaringsrapport-2020"
    response = httpx.get(f"{server}/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"},
                         headers={"Accept": "application/sparql-results+json"})
    assert int(response.raise_for_status().json()["results"]["bindings"][0]["n"]["value"]) > 100


# -- limits --------------------------------------------------------------------------------
def test_request_body_over_the_limit_is_413(server):
    big = "SELECT * WHERE { ?s ?p ?o }" + " " * 1_100_000
    error_shape(httpx.post(f"{server}/sparql", content=big, headers={"Content-Type": "application/sparql-query"}), 413)

    def chunks():  # no Content-Length: the body is counted while it is read
        for _ in range(12):
            yield b" " * 100_000

    response = httpx.post(f"{server}/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert "SAMKART_MAX_BODY_BYTES" in error_shape(response, 413)["error"]


def test_query_over_the_length_limit_is_413(server):
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 60_000
    response = httpx.post(f"{server}/sparql", data={"query": long_query})
    assert "SAMKART_MAX_QUERY_LENGTH" in error_shape(response, 413)["error"]


# -- the result cache --------------------------------------------------------------------------
def test_etag_and_304(server):
    url = f"{server}/api/queries/network"
    first = httpx.get(url, headers={"Accept": "text/csv"}).raise_for_status()
    tag = first.headers["etag"]
    again = httpx.get(url, headers={"Accept": "text/csv", "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert httpx.get(url, headers={"Accept": "text/csv"}).content == first.content
    json_tag = httpx.get(url, headers={"Accept": "application/sparql-results+json"}).headers["etag"]
    assert json_tag != tag
    assert httpx.get(url, headers={"Accept": "text/csv", "If-None-Match": '"other"'}).status_code == 200
    page = f"{server}/id/org/ks.ttl"
    page_tag = httpx.get(page).headers["etag"]
    assert httpx.get(page, headers={"If-None-Match": page_tag}).status_code == 304


def test_cache_hits_are_counted(server):
    def hits():
        metrics = httpx.get(f"{server}/metrics").text
        return float(next(line.split()[-1] for line in metrics.splitlines() if line.startswith("samkart_cache_hits_total")))

    query = {"query": "SELECT ?o WHERE { ?o a org:Organization } ORDER BY ?o LIMIT 3"}
    httpx.get(f"{server}/sparql", params=query).raise_for_status()
    before = hits()
    for _ in range(3):
        httpx.get(f"{server}/sparql", params=query).raise_for_status()
    assert hits() == before + 3


def server_timing(response: httpx.Response) -> dict[str, str]:
    """The Server-Timing entries of a response: name → its dur (or desc)."""
    entries = {}
    for entry in response.headers.get("server-timing", "").split(","):
        name, *params = [part.strip() for part in entry.split(";")]
        entries[name] = next((p.split("=", 1)[1] for p in params), "")
    return entries


def test_server_timing_says_what_the_query_cost_and_when_the_cache_answered(server):
    query = {"query": "SELECT ?o WHERE { ?o a org:Organization } ORDER BY DESC(?o) LIMIT 4"}
    accept = {"Accept": "application/sparql-results+json"}
    first = server_timing(httpx.get(f"{server}/sparql", params=query, headers=accept).raise_for_status())
    assert set(first) == {"query", "engine", "write"} and float(first["query"]) > 0 and float(first["write"]) >= 0
    assert 0 < float(first["engine"]) <= float(first["query"])  # the worker's part of the round trip, inside it
    assert server_timing(httpx.get(f"{server}/sparql", params=query, headers=accept)) == {"cache": "hit"}
    fresh = server_timing(httpx.get(f"{server}/sparql", params=query, headers={**accept, "Cache-Control": "no-cache"}))
    # run again (in a worker, or in the server process once it is known to be cheap: then written with it)
    assert {"query", "engine"} <= set(fresh) <= {"query", "engine", "write"} and float(fresh["engine"]) > 0
    csv = server_timing(httpx.get(f"{server}/sparql", params=query, headers={"Accept": "text/csv"}))
    assert set(csv) == {"cache", "write"}  # the result from the cache, written in a format not asked for before
    named = httpx.get(f"{server}/api/queries/measures", headers={"Cache-Control": "no-cache"})
    assert "query" in server_timing(named.raise_for_status())

# -- reloads ---------------------------------------------------------------------------------
def nquads_without(build_file: Path, graph: str, target: Path) -> None:
    lines = build_file.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.rstrip().endswith(f"<{graph}> .")]
    assert len(kept) < len(lines)
    temporary = target.with_suffix(".tmp")
    temporary.write_text("".join(kept), encoding="utf-8")
    os.replace(temporary, target)


def count(base: str) -> int:
    response = httpx.get(f"{base}/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"},
                         timeout=60)
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def reloadable(build_file, tmp_path):
    data = tmp_path / "data.nq"
    data.write_bytes(build_file.read_bytes())
    env = {"SAMKART_DATA": f'["{data}"]', "SAMKART_ADMIN_TOKEN": "s3cret", "SAMKART_STORE_DIR": str(tmp_path / "stores"),
           "SAMKART_RELOAD_VALIDATE": "false"}
    with app_server(env) as base:
        yield base, data


def reload(base, token="s3cret"):
    return httpx.post(f"{base}/admin/reload", headers={"Authorization": f"Bearer {token}"}, timeout=120)


def test_admin_routes_need_the_token(server, reloadable):
    error_shape(httpx.post(f"{server}/admin/reload"), 404)  # no token set: no admin routes
    base, _ = reloadable
    error_shape(httpx.post(f"{base}/admin/reload"), 401)
    error_shape(reload(base, "wrong"), 401)
    assert reload(base).json()["ok"] is True


def test_reload_swaps_atomically_under_load(reloadable, build_file):
    base, data = reloadable
    full = count(base)
    nquads_without(build_file, ID + "graph/erfaringsrapport-2020", data.with_name("smaller.nq"))
    smaller_bytes = data.with_name("smaller.nq").read_bytes()
    full_bytes = build_file.read_bytes()
    seen, failures, stop = set(), [], threading.Event()

    def client():
        with httpx.Client(timeout=60) as http:
            while not stop.is_set():
                response = http.get(f"{base}/sparql", params={"query": COUNT},
                                    headers={"Accept": "application/sparql-results+json"})
                if response.status_code != 200:
                    failures.append(response.status_code)
                    continue
                seen.add(int(response.json()["results"]["bindings"][0]["n"]["value"]))

    clients = [threading.Thread(target=client) for _ in range(4)]
    for thread in clients:
        thread.start()
    for round_ in range(4):
        data.write_bytes(smaller_bytes if round_ % 2 == 0 else full_bytes)
        assert reload(base).status_code == 200
        time.sleep(0.3)
    stop.set()
    for thread in clients:
        thread.join()
    assert not failures  # every request was answered, during every swap
    assert seen == {full, len(smaller_bytes.splitlines())}, seen  # old or new data, never a mix or nothing


def test_broken_data_is_refused_and_the_old_data_keeps_serving(reloadable):
    base, data = reloadable
    before = count(base)
    data.write_text("<http://a> <http://b> this is not RDF .\n", encoding="utf-8")
    body = error_shape(reload(base), 409)
    assert "keeps serving" in body["error"]
    assert count(base) == before
    data.write_text("", encoding="utf-8")
    error_shape(reload(base), 409)
    assert count(base) == before


def test_data_breaking_the_shapes_is_refused(build_file, tmp_path):
    data = tmp_path / "data.nq"
    data.write_bytes(build_file.read_bytes())
    env = {"SAMKART_DATA": f'["{data}"]', "SAMKART_ADMIN_TOKEN": "t", "SAMKART_STORE_DIR": str(tmp_path / "stores")}
    with app_server(env) as base:
        before = count(base)
        bad = ("<https://w3id.org/samkart/id/org/ks> <https://w3id.org/samkart/def#sector> \"not a sector\" "
               f"<{ID}graph/erfaringsrapport-2020> .\n")
        data.write_bytes(build_file.read_bytes() + bad.encode())
        body = error_shape(reload(base, "t"), 409)
        assert "shape" in body["error"]
        assert count(base) == before


def test_sighup_reloads(reloadable, build_file):
    base, data = reloadable
    full = count(base)
    nquads_without(build_file, ID + "graph/erfaringsrapport-2020", data)
    os.kill(base.pid, signal.SIGHUP)
    deadline = time.monotonic() + 60
    while count(base) == full and time.monotonic() < deadline:
        time.sleep(0.2)
    assert count(base) == len(data.read_bytes().splitlines()) < full


def test_a_json_body_sent_as_written_is_counted_once_in_the_cache_budget():
    """The SPARQL JSON body of a result is the bytes the result holds: keeping it costs nothing more,
    so a result that fits the byte budget stays cached when it is sent (another format does count)."""
    from samkart.sparql.cache import ResultCache
    from samkart.sparql.results import Table, to_csv

    body = b'{"head":{"vars":["x"]},"results":{"bindings":[' + b",".join(
        b'{"x":{"type":"literal","value":"%d"}}' % i for i in range(2000)) + b"]}}"
    table = Table(["x"], body=body)
    csv = to_csv(table)
    cache = ResultCache(max_entries=10, max_bytes=64 + len(body) + len(csv) // 2)  # room for one copy, not two
    entry = cache.put("key", table)
    cache.add_body(entry, "application/sparql-results+json", table.body)
    assert cache.get("key") is entry
    cache.add_body(entry, "text/csv", csv)
    assert cache.get("key") is None  # the CSV copy is real bytes: now over the budget, evicted
