"""Capacity and fairness on a real server: light queries under heavy load, the per-client cap, the memory
cap, the byte cap, writing inside the deadline and one computation for identical concurrent requests.

Clients are told apart by X-Forwarded-For, which uvicorn trusts from loopback (as from a local proxy).
Latency figures are printed (docs/reliability.md quotes them); what is asserted is order and outcome.
"""

import json
import os
import statistics
import threading
import time
from pathlib import Path

import httpx
import pytest

from samkart_bench.servers import rss_mb
from servers import app_server

JSON = {"Accept": "application/sparql-results+json"}
LIGHT = "SELECT ?o WHERE { ?o a org:Organization } ORDER BY ?o LIMIT 1"
A100 = "a" * 100


def heavy(variant: int) -> str:
    """A cartesian product, different text per client (each is remembered as heavy after its first run)."""
    return f"SELECT (COUNT(*) AS ?n{variant}) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }}"


def client_headers(address: str, fresh: bool = False) -> dict:
    return {**JSON, "X-Forwarded-For": address, **({"Cache-Control": "no-cache"} if fresh else {})}


def health(base: str) -> dict:
    return httpx.get(f"{base}/health", timeout=30).json()


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    return f"p50 {statistics.median(ordered):.1f} ms, p95 {ordered[int(len(ordered) * 0.95) - 1]:.1f} ms"


def timed_light(client: httpx.Client, base: str) -> tuple[int, float]:
    started = time.perf_counter()
    response = client.get(f"{base}/sparql", params={"query": LIGHT}, headers=client_headers("10.0.1.1", fresh=True))
    return response.status_code, (time.perf_counter() - started) * 1000


def server_env(build_file: Path, stores: Path, **extra) -> dict:
    return {"SAMKART_DATA": json.dumps([str(build_file)]), "SAMKART_STORE_DIR": str(stores),
            **{f"SAMKART_{k.upper()}": str(v) for k, v in extra.items()}}


@pytest.mark.slow
def test_light_queries_keep_their_latency_under_eight_heavy_clients(build_file, tmp_path):
    """Eight clients send cartesian products without pause; a light query (run afresh every time, never from
    the cache) keeps being answered: heavy queries are remembered, wait in their own bounded queue for the
    heavy slots and never take the worker kept for other queries."""
    env = server_env(build_file, tmp_path / "stores", query_timeout=2, heavy_after=0.5)
    with app_server(env) as base, httpx.Client(timeout=60) as client:
        idle = [timed_light(client, base) for _ in range(40)]
        stop, heavy_statuses, answered = threading.Event(), [], set()

        def attacker(number: int):
            with httpx.Client(timeout=60) as own:
                while not stop.is_set():
                    response = own.get(f"{base}/sparql", params={"query": heavy(number)},
                                       headers=client_headers(f"10.0.0.{number}"))
                    heavy_statuses.append(response.status_code)
                    answered.add(number)

        attackers = [threading.Thread(target=attacker, args=(n,)) for n in range(8)]
        for thread in attackers:
            thread.start()
        wait_until(lambda: len(answered) == 8)  # every attacker has had an answer: each heavy query is now remembered
        loaded, heavy_seen = [], []
        for _ in range(60):
            loaded.append(timed_light(client, base))
            heavy_seen.append(health(base)["workers"]["heavy"])
        stop.set()
        for thread in attackers:
            thread.join()
    print(f"\nlight query idle: {percentiles([ms for _, ms in idle])}; under 8 heavy clients "
          f"({len(heavy_statuses)} heavy answers: {sorted(set(heavy_statuses))}): {percentiles([ms for _, ms in loaded])}")
    assert {status for status, _ in idle + loaded} == {200}
    assert set(heavy_statuses) <= {503, 504} and max(heavy_seen) >= 1  # heavy ones ran all along, refused or stopped


def test_one_client_waits_its_turn_and_then_gets_429_others_are_served(build_file, tmp_path):
    env = server_env(build_file, tmp_path / "stores", max_client_queries=1, query_timeout=4, heavy_after=3)
    with app_server(env) as base:
        outcomes: dict[str, int] = {}

        def send(name: str, query: str, address: str):
            response = httpx.get(f"{base}/sparql", params={"query": query}, headers=client_headers(address), timeout=60)
            outcomes[name] = response.status_code

        first = threading.Thread(target=send, args=("heavy", heavy(0), "10.0.0.1"))
        first.start()
        wait_until(lambda: health(base)["clients"]["clients"] == 1)
        queued = [threading.Thread(target=send, args=(f"queued{i}", f"ASK {{ ?s ?p {i} }}", "10.0.0.1")) for i in range(4)]
        for thread in queued:
            thread.start()
        wait_until(lambda: health(base)["clients"]["waiting"] == 4)
        refused = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p 99 }"}, headers=client_headers("10.0.0.1"))
        other = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p 98 }"}, headers=client_headers("10.0.0.2"))
        assert "heavy" not in outcomes  # both answered while the first client's heavy query still ran
        first.join()
        for thread in queued:
            thread.join()
    assert refused.status_code == 429 and refused.headers["retry-after"]
    body = refused.json()
    assert body["code"] == "too_many_requests" and "SAMKART_MAX_CLIENT_QUERIES" in body["error"]
    assert other.status_code == 200
    assert outcomes["heavy"] == 504 and all(outcomes[f"queued{i}"] == 200 for i in range(4))  # the queued ones ran after


def wait_until(done, seconds: float = 120) -> None:
    """Until ``done()`` (fails after ``seconds``, rather than hanging)."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.05)


def wait_for_memory_copies(base: str) -> None:
    """Until every worker answers from its in-memory copy."""
    wait_until(lambda: health(base)["workers"]["in_memory"] == 3)


MEMORY_HOGS = {
    "nested REPLACE": f'SELECT (STRLEN(?x) AS ?n) WHERE {{ BIND(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE("{A100}", "a", '
                      f'"{A100}"), "a", "aaaaaaaaaa"), "a", "aaaaaaaaaa"), "a", "aaaaaaaaaa"), "a", "aaaaaaaaaa") AS ?x) }}',
    "GROUP_CONCAT over a product": "SELECT (STRLEN(GROUP_CONCAT(STR(?c))) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
    "ORDER BY over a product": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c LIMIT 1",
}


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc (RLIMIT_DATA)")
def test_a_query_over_the_memory_cap_is_stopped_and_its_worker_replaced(build_file, tmp_path):
    env = server_env(build_file, tmp_path / "stores", query_memory_mb=64, query_timeout=30)
    with app_server(env) as base:
        wait_for_memory_copies(base)
        before = rss_mb(base.pid)
        for number, (name, query) in enumerate(MEMORY_HOGS.items(), start=1):
            response = httpx.get(f"{base}/sparql", params={"query": query}, headers=JSON, timeout=60)
            assert response.status_code == 400, (name, response.text)
            body = response.json()
            assert body["code"] == "query_memory_limit" and "SAMKART_QUERY_MEMORY_MB" in body["error"], name
            assert health(base)["workers"]["killed"] == number
            light = httpx.get(f"{base}/sparql", params={"query": LIGHT}, headers=JSON, timeout=60)
            assert light.status_code == 200  # the service keeps answering
        wait_for_memory_copies(base)  # the replacements have their in-memory copies
        after = rss_mb(base.pid)
    print(f"\nserver and workers: {before:.0f} MB before, {after:.0f} MB after {len(MEMORY_HOGS)} queries stopped at "
          f"the 64 MB cap")
    assert after < before + 64  # the memory the stopped queries took went with their processes


def test_an_answer_over_the_byte_cap_is_an_error_in_every_format(build_file, tmp_path):
    big = f'REPLACE(REPLACE(REPLACE("{A100}", "a", "{A100}"), "a", "aaaaaaaaaa"), "a", "aaa")'  # 300,000 characters
    select = f"SELECT ?x WHERE {{ BIND({big} AS ?x) }}"
    construct = f"CONSTRUCT {{ <urn:x> <urn:y> ?x }} WHERE {{ BIND({big} AS ?x) }}"
    env = server_env(build_file, tmp_path / "stores", max_result_bytes=200_000)
    with app_server(env) as base, httpx.Client(base_url=base, timeout=60) as client:
        for query, formats in ((select, ["json", "xml", "csv", "tsv"]),
                               (construct, ["turtle", "ntriples", "jsonld", "rdfxml", "trix", "rdfjson", "nquads"])):
            for name in formats:
                response = client.get("/sparql", params={"query": query, "format": name})
                assert response.status_code == 400, (name, response.text[:200])
                assert response.json()["code"] == "result_too_large" and "SAMKART_MAX_RESULT_BYTES" in response.json()["error"]
        describe = "CONSTRUCT WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 1000"  # under the cap in Turtle, over it in TriX
        turtle = client.get("/sparql", params={"query": describe, "format": "turtle"})
        assert turtle.status_code == 200 and len(turtle.content) < 200_000
        trix = client.get("/sparql", params={"query": describe, "format": "trix"})  # the cached result, written anew
        assert trix.status_code == 400 and trix.json()["code"] == "result_too_large"
        assert client.get("/sparql", params={"query": LIGHT}, headers=JSON).status_code == 200


def test_writing_a_cached_result_is_bounded_by_the_deadline_and_off_the_event_loop(build_file, tmp_path):
    """A 12,864-triple result is cached; asked for as TriX (rdflib writes it in 1-2 s) with a 0.5 s limit, the
    writing is stopped (a worker process writes it, and is killed), and /health answers meanwhile."""
    everything = "CONSTRUCT WHERE { ?s ?p ?o }"
    env = server_env(build_file, tmp_path / "stores", query_timeout=0.5)
    with app_server(env) as base, httpx.Client(base_url=base, timeout=60) as client:
        wait_for_memory_copies(base)
        assert client.get("/sparql", params={"query": everything, "format": "ntriples"}).status_code == 200
        killed = health(base)["workers"]["killed"]
        order = []

        def trix():
            response = httpx.get(f"{base}/sparql", params={"query": everything, "format": "trix"}, timeout=60)
            order.append(("trix", response.status_code))

        writing = threading.Thread(target=trix)
        writing.start()
        order.append(("health", client.get("/health").status_code))
        writing.join()
        assert order == [("health", 200), ("trix", 504)]
        assert health(base)["workers"]["killed"] == killed + 1  # the worker writing it was stopped
        small = client.get("/id/org/ks", params={"format": "trix"})  # a small one is written in full
        assert small.status_code == 200 and small.text.rstrip().endswith("</TriX>")


def test_identical_concurrent_requests_share_one_computation(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a sk:Measure }"
    before = health(server)["workers"]["answered"]
    gate, statuses, bodies = threading.Barrier(6), [], []

    def ask():
        gate.wait()
        response = httpx.get(f"{server}/sparql", params={"query": query}, headers=JSON, timeout=60)
        statuses.append(response.status_code)
        bodies.append(response.content)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 6 and len(set(bodies)) == 1
    assert health(server)["workers"]["answered"] == before + 1
