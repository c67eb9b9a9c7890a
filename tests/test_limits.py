"""HTTP limits, headers and hosts on a real server with real (slow, oversized, idle) sockets.

Each limit is a setting (docs/reliability.md, "Event loop and connections" and "Pages and headers"); the
server here runs with short timeouts so a test waits seconds, not minutes. No timing is asserted: a
socket that the server never closes fails the test at the socket's own (generous) timeout.
"""

import json
import socket
import threading
import time

import httpx
import pytest

from servers import app_server

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
LIMITS = {"SAMKART_HEADER_TIMEOUT": "1.5", "SAMKART_BODY_TIMEOUT": "1.5", "SAMKART_KEEP_ALIVE_TIMEOUT": "1",
          "SAMKART_MAX_HEADER_BYTES": "8192", "SAMKART_MAX_CONNECTIONS": "12"}
PATIENCE = 30  # seconds a socket waits for the server before the test fails


@pytest.fixture(scope="module")
def limited(build_file, tmp_path_factory):
    env = {"SAMKART_DATA": json.dumps([str(build_file)]), "SAMKART_STORE_DIR": str(tmp_path_factory.mktemp("stores")),
           **LIMITS}
    with app_server(env) as base:
        yield base


def connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    sock.settimeout(PATIENCE)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a test fails if it never does)."""
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def status_and_error(raw: bytes) -> tuple[int, dict]:
    """The status of a raw HTTP response and its JSON error body."""
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    error = json.loads(body)
    assert error["ok"] is False and error["status"] == status and error["error"]
    assert CSP.encode() in head  # the refusals carry the security headers too
    return status, error


def test_a_request_head_over_the_limit_is_431_whole_or_unfinished(limited):
    sock = connect(limited)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n")
    status, error = status_and_error(read_all(sock))
    assert status == 431 and "SAMKART_MAX_HEADER_BYTES" in error["error"]

    sock = connect(limited)  # a head that never ends: cut at the limit, not buffered
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
    sent = 0
    with pytest.raises(OSError):  # the server closed the connection long before 32 MB
        for _ in range(512):
            sock.sendall(b"a" * 65536)
            sent += 65536
    assert sent < 32 * 2**20
    sock.close()
    ok = connect(limited)  # a head just under the limit is fine, and the next request on it too
    ok.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Ok: " + b"a" * 7_000 + b"\r\n\r\n"
               b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert read_all(ok).count(b"HTTP/1.1 200 OK") == 2


def test_a_half_sent_head_or_body_is_cut_off(limited):
    head = connect(limited)
    head.sendall(b"GET /health HTTP/1.1\r\nHost: local")
    status, error = status_and_error(read_all(head))
    assert status == 408 and "SAMKART_HEADER_TIMEOUT" in error["error"]

    body = connect(limited)
    body.sendall(b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
                 b"Content-Length: 100\r\n\r\nSELECT")
    status, error = status_and_error(read_all(body))
    assert status == 408 and "SAMKART_BODY_TIMEOUT" in error["error"]

    trickle = connect(limited)  # a byte now and then does not keep a head alive
    trickle.sendall(b"GET /health HTTP/1.1\r\n")
    outcome = []

    def drip():
        try:
            for _ in range(40):
                time.sleep(0.25)
                trickle.sendall(b"X")
        except OSError:
            outcome.append("cut")

    dripping = threading.Thread(target=drip)
    dripping.start()
    status, _ = status_and_error(read_all(trickle))
    dripping.join()
    assert status == 408 and outcome == ["cut"]


def test_idle_connections_are_closed(limited):
    silent = connect(limited)  # never sends a byte
    assert read_all(silent) == b""
    kept = connect(limited)  # idle after an answer
    kept.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert read_all(kept).startswith(b"HTTP/1.1 200 OK")


def test_connections_over_the_cap_get_503_and_the_server_recovers(build_file, tmp_path):
    env = {"SAMKART_DATA": json.dumps([str(build_file)]), "SAMKART_STORE_DIR": str(tmp_path / "stores"),
           "SAMKART_MAX_CONNECTIONS": "8", "SAMKART_KEEP_ALIVE_TIMEOUT": "60", "SAMKART_HEADER_TIMEOUT": "60"}
    with app_server(env) as base:
        held = [connect(base) for _ in range(8)]
        for sock in held:  # each connection is open and answered, and stays open
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK")
        status, error = status_and_error(read_all(connect(base)))
        assert status == 503 and "SAMKART_MAX_CONNECTIONS" in error["error"]
        for sock in held:
            sock.close()
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:  # the server notices the closed connections, then takes new ones
            with httpx.Client() as client:
                if client.get(f"{base}/health").status_code == 200:
                    break
            time.sleep(0.1)
        assert httpx.get(f"{base}/health").status_code == 200


def test_form_bodies_and_query_strings_have_a_parameter_limit(limited):
    many = "&".join(f"p{i}=1" for i in range(330_000))[:900_000]
    response = httpx.post(f"{limited}/sparql", content=many, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400 and "SAMKART_MAX_PARAMETERS" in response.json()["error"]
    response = httpx.get(f"{limited}/api/queries/measures?" + "&".join(f"p{i}=1" for i in range(101)))
    assert response.status_code == 400 and "SAMKART_MAX_PARAMETERS" in response.json()["error"]
    fine = httpx.post(f"{limited}/sparql", data={"query": "ASK { ?s ?p ?o }", "pad": "x" * 500_000},
                      headers={"Accept": "application/sparql-results+json"})
    assert fine.json()["boolean"] is True  # a long body with few parameters is read (off the event loop)


def timed_health(client: httpx.Client, base: str) -> float:
    started = time.perf_counter()
    client.get(f"{base}/health").raise_for_status()
    return (time.perf_counter() - started) * 1000


def test_health_answers_while_clients_send_large_form_bodies(limited):
    """The loop stays free: /health is answered throughout a flood of near-limit form bodies (figures printed)."""
    stop, floods, seen = threading.Event(), [], []
    body = "query=ASK%20%7B%7D&pad=" + "%41" * 300_000 + "&" + "&".join(f"p{i}=x" for i in range(90))

    def flood():
        with httpx.Client(timeout=PATIENCE) as client:
            while not stop.is_set():
                floods.append(client.post(f"{limited}/sparql", content=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded", "Cache-Control": "no-cache"}).status_code)

    with httpx.Client(timeout=PATIENCE) as client:
        idle = sorted(timed_health(client, limited) for _ in range(30))
    threads = [threading.Thread(target=flood) for _ in range(3)]
    for thread in threads:
        thread.start()
    with httpx.Client(timeout=PATIENCE) as client:
        while len(floods) < 10:
            time.sleep(0.05)
        for _ in range(30):
            started = time.perf_counter()
            seen.append((client.get(f"{limited}/health").status_code, (time.perf_counter() - started) * 1000))
    stop.set()
    for thread in threads:
        thread.join()
    latencies = sorted(ms for _, ms in seen)
    print(f"\n/health idle: p50 {idle[15]:.1f} ms, max {idle[-1]:.1f} ms; during {len(floods)} form bodies of "
          f"{len(body) // 1000} KB from 3 clients: p50 {latencies[15]:.1f} ms, max {latencies[-1]:.1f} ms")
    assert {status for status, _ in seen} == {200} and set(floods) == {200}


PATHS = ["/", "/sparql", "/sparql?query=ASK%7B%7D", "/health", "/metrics", "/static/app.css", "/id/org/ks",
         "/id/org/ks.ttl", "/def", "/api/queries", "/api/queries/network", "/explore", "/openapi.json",
         "/no/such/page", "/api/queries/nothing", "/sparql?query=SELEKT"]


def test_every_response_carries_the_security_headers(limited):
    with httpx.Client(base_url=limited) as client:
        responses = [client.get(p) for p in PATHS] + [client.get(p, headers={"Accept": "text/html"}) for p in PATHS]
        responses += [client.head(p) for p in PATHS] + [client.post("/health"), client.put("/sparql")]
        tag = client.get("/api/queries/network").headers["etag"]
        responses.append(client.get("/api/queries/network", headers={"If-None-Match": tag}))
    statuses = {r.status_code for r in responses}
    assert {200, 304, 400, 404, 405} <= statuses
    for response in responses:
        headers = response.headers
        assert headers["content-security-policy"] == CSP, response.url
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/id/org/ks", "/def", "/def/scheme/role", "/sparql", "/sparql?query=ASK%7B%7D",
                                  "/api/queries/network", "/catalog", "/void"])
def test_answers_chosen_by_accept_say_vary_accept(limited, path):
    for accept in ("text/html", "text/turtle", "application/sparql-results+json", "*/*"):
        response = httpx.get(f"{limited}{path}", headers={"Accept": accept})
        if response.status_code in (200, 406):
            assert "accept" in [v.strip().lower() for v in response.headers.get("vary", "").split(",")], (path, accept)


def test_head_works_wherever_get_does(limited):
    with httpx.Client(base_url=limited) as client:
        for path in PATHS + ["/catalog", "/void", "/api/queries/collaborators?subject=Digitalt%20d%C3%B8dsbo"]:
            got, head = client.get(path), client.head(path)
            assert head.status_code == got.status_code, path
            assert head.content == b"" and head.headers.get("content-type") == got.headers.get("content-type"), path
            if got.status_code == 200 and path not in ("/metrics", "/health"):  # those two change between calls
                assert head.headers["content-length"] == got.headers["content-length"], path


def test_a_host_not_allowed_is_400_and_never_reflected(limited):
    evil = "evil.example"
    for path in ("/health", "/sparql", "/api/queries/", "/id/org/ks"):
        response = httpx.get(f"{limited}{path}", headers={"Host": evil, "Accept": "text/turtle"})
        assert response.status_code == 400 and response.json()["code"] == "bad_host" and evil not in response.text
    port = limited.rsplit(":", 1)[1]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost"):
        assert httpx.get(f"{limited}/health", headers={"Host": host}).status_code == 200


def test_links_use_the_public_base_url_whatever_the_host(build_file, tmp_path):
    public = "https://data.example.no/samkart/"
    env = {"SAMKART_DATA": json.dumps([str(build_file)]), "SAMKART_STORE_DIR": str(tmp_path / "stores"),
           "SAMKART_PUBLIC_BASE_URL": public}
    with app_server(env) as base:
        description = httpx.get(f"{base}/sparql", headers={"Accept": "text/turtle", "Host": "evil.example"})
        assert description.status_code == 200
        assert "evil.example" not in description.text and "https://data.example.no/" in description.text
        redirect = httpx.get(f"{base}/api/queries/", headers={"Host": "evil.example"})
        assert "evil.example" not in redirect.headers.get("location", "") + redirect.text


def test_health_shows_no_paths(limited, build_file):
    text = httpx.get(f"{limited}/health").text
    assert str(build_file) not in text and build_file.name not in text and "/tmp" not in text
    assert json.loads(text)["ok"] is True


def test_admin_routes_do_not_exist_when_admin_is_off(limited):
    for method in ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"):
        response = httpx.request(method, f"{limited}/admin/reload")
        assert response.status_code == 404, method


def test_a_response_head_goes_out_with_its_body_in_one_write():
    from samkart_service.server import OneWrite

    class Recorder:  # stands in for the socket transport: what each write sent
        def __init__(self):
            self.writes, self.closed = [], False

        def write(self, data):
            self.writes.append(data)

        def close(self):
            self.closed = True

    done = []
    sent = Recorder()
    writer = OneWrite(sent, lambda: done.append(True))
    writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    assert sent.writes == []  # held for the body
    writer.write(b"{}")
    assert sent.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"]
    writer.finished()
    assert done == [True] and len(sent.writes) == 1

    for ending in ("finished", "close"):  # a HEAD or 304 has no body bytes: the head goes out at the end
        sent = Recorder()
        writer = OneWrite(sent, lambda: None)
        writer.write(b"HTTP/1.1 304 Not Modified\r\n\r\n")
        getattr(writer, ending)()
        assert sent.writes == [b"HTTP/1.1 304 Not Modified\r\n\r\n"]

    sent = Recorder()
    writer = OneWrite(sent, lambda: None)
    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # the client waits for it before it sends the body
    assert sent.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]
    writer.write(b"HTTP/1.1 200 OK\r\n\r\n")
    big = b"x" * OneWrite.JOIN_BELOW
    writer.write(big)  # a large first chunk is not copied onto the head
    assert sent.writes[1:] == [b"HTTP/1.1 200 OK\r\n\r\n", big]


def test_pipelined_and_expect_continue_requests_are_answered_whole(limited):
    with connect(limited) as sock:  # a HEAD (no body bytes) then a GET sent together on one connection
        sock.sendall(b"HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Connection: close\r\n\r\n")
        raw = read_all(sock)
    assert raw.count(b"HTTP/1.1 200 OK\r\n") == 2 and raw.endswith(b"}")
    form = b"query=ASK%7B%7D"
    with connect(limited) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nConnection: close\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\nAccept: application/sparql-results+json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(form))
        assert sock.recv(64).startswith(b"HTTP/1.1 100 Continue")  # else the socket's timeout fails the test
        sock.sendall(form)
        raw = read_all(sock)
    assert raw.startswith(b"HTTP/1.1 200 OK") and raw.endswith(b'"boolean": true}')
