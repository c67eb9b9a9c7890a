"""A smoke run of `samkart bench` at 10k triples, so the benchmark can't rot: every peer answers every
named query and the report is written. It prints figures; it asserts none of them."""

import json

import pytest

from samkart_bench.run import main
from samkart_bench.servers import rss_mb


def test_bench_smoke_at_10k(tmp_path, capsys):
    report = tmp_path / "performance.md"
    assert main(["--scales", "10k", "--folder", str(tmp_path), "--report", str(report), "--rdflib-budget", "90"]) == 0
    real, run = json.loads((tmp_path / "figures.json").read_text())
    assert real["scale"] == "real" and real["validate_s"] > 0 and real["startup_s"] > 0 and real["publish_s"] > 0
    assert run["publish_s"] > 0 and run["publish_mb"] > 0
    queries = set(run["raw pyoxigraph"])
    assert len(queries) >= 19 and run["triples"] > 9_000
    for peer in ("samkart", "Oxigraph server (memory)", "Oxigraph server (disk)", "samkart remote (2 workers)"):
        assert set(run[peer]) == queries and all(run[peer][q] for q in queries), peer
    assert run["rdflib_endpoint_up"] is True
    assert {(row["server"], row["clients"]) for row in run["throughput"]} >= {("samkart", 8), ("samkart", 32)}
    assert all(row["errors"] == 0 for row in run["throughput"])
    text = report.read_text()
    assert "## 10k" in text and "Oxigraph server (memory)" in text and "## Targets" in text
    assert run["in_memory_s"] >= run["startup_s"] > 0
    uncached = run["samkart uncached"]
    assert set(uncached) == queries and all(0 < u[2] <= u[1] * 1.5 for u in uncached.values())  # Server-Timing read
    assert all(0 < u[3] <= u[2] for u in uncached.values())  # and the worker's own part of the query
    assert "of which the query / in the worker" in text and "our part ≤ 0.2 × raw + 2 ms" in text
    starts = run["starts"]  # the quick queries measured on three starts of each side, the median reported
    assert starts["count"] == 3 and "measured on 3 process starts of each side" in text
    for side in ("raw pyoxigraph", "samkart", "samkart uncached"):
        quick = set(starts["more"][side][0])
        assert len(starts["more"][side]) == 2 and quick == set(starts["more"][side][1])
        assert quick == {q for q, (_, median) in starts["first"]["raw pyoxigraph"].items() if median < starts["quick_ms"]}
    left = sorted(p.name for p in tmp_path.iterdir())  # stores and servers' files removed; the dataset kept
    assert left == ["figures.json", "performance.md", "syn-10k.nq", "syn-10k.nt"], left
    print(text)


def test_memory_of_a_process_tree_is_read():
    import os

    assert rss_mb(os.getpid()) > 10


def test_a_command_past_its_limit_is_stopped_and_marked():
    import sys

    from samkart_bench.measure import command

    assert command([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5) is None
    seconds, peak_mb = command([sys.executable, "-c", "x = bytearray(50_000_000)"], timeout=60)
    assert seconds > 0 and peak_mb >= 50
    held = bytearray(400_000_000)  # this process grows: a small command must still report its own peak
    held[::4096] = b"x" * len(range(0, len(held), 4096))
    assert command([sys.executable, "-c", "pass"], timeout=60)[1] < 100
    with pytest.raises(RuntimeError, match="failed"):
        command([sys.executable, "-c", "raise SystemExit(3)"], timeout=60)


def test_light_run_past_full_scale(tmp_path):
    """The light run that scales past 1M get (pipeline, engine on disk, our service without in-memory
    copies), exercised at 10k so it cannot rot; the report marks the peers as not run."""
    from samkart_bench.report import markdown
    from samkart_bench.run import run_light

    run = run_light("10k", tmp_path, tmp_path / "work")
    assert run["light"] is True and run["triples"] > 9_000 and run["startup_s"] > 0 and run["publish_run"] is False
    assert len(run["raw pyoxigraph"]) >= 19 and all(run["raw pyoxigraph"].values())
    assert set(run["samkart"]) == set(run["raw pyoxigraph"]) and all(run["samkart"].values())
    text = markdown([run], "machine", "command")
    assert "Light run" in text and "not run" in text


def test_quick_queries_report_the_median_over_process_starts():
    """Each figure of a query is the median over the starts that measured it; a query measured on one start
    (a heavy one) or that a start could not finish keeps the first start's figures."""
    from samkart_bench.run import across_starts

    first = {"quick": (10.0, 2.0, 1.5), "odd": (5.0, 1.0), "failed": None, "heavy": (900.0, 800.0)}
    more = [{"quick": (12.0, 3.0, 2.5), "odd": (4.0, 9.0), "failed": (1.0, 1.0)},
            {"quick": (8.0, 2.5, 0.5), "odd": None, "failed": (1.0, 1.0)}]
    assert across_starts([first, *more]) == {"quick": (10.0, 2.5, 1.5), "odd": (5.0, 1.0), "failed": None,
                                             "heavy": (900.0, 800.0)}
    assert across_starts([first]) == {"quick": (10.0, 2.0, 1.5), "odd": (5.0, 1.0), "failed": None,
                                      "heavy": (900.0, 800.0)}


def test_targets_count_a_peer_that_answered_nothing_and_split_each_request():
    """The report's targets from figures alone: a load test Oxigraph server completed no request of
    counts in our favour (not dropped), and the split row compares our part with 0.2 × raw + 2 ms."""
    from samkart_bench.report import targets_table

    load = [{"server": s, "query": "network", "clients": 8, "rps": rps, "p50": 1, "p95": 1, "p99": 1, "errors": 0}
            for s, rps in (("samkart", 20.0), ("Oxigraph server (memory)", 0.0))]
    run = {"scale": "1m", "triples": 10, "startup_s": 1.0, "validate_s": 1.0, "throughput": load,
           "raw pyoxigraph": {"a": [1.0, 10.0], "b": [1.0, 1.0]},
           "samkart": {"a": [12.0, 0.5], "b": [2.0, 0.5]},
           "samkart uncached": {"a": [12.0, 12.5, 9.0], "b": [4.0, 4.0, 1.5]}}
    table = "\n".join(targets_table([run], None))
    assert "1 of 1 (Oxigraph server answered none of 1 within the test)" in table
    # a: part 3.5 ≤ 4.0 and inside 9 ≤ 10; b: part 2.5 > 2.2 and inside 1.5 > 1
    assert "1 of 2; query inside ≤ raw: 1 of 2" in table


def test_query_table_shows_the_workers_part_only_where_it_was_measured():
    """Figures with the worker's own time (a 4th uncached figure) show it after a slash; figures from
    before it was measured keep the plain column."""
    from samkart_bench.report import query_table

    run = {"raw pyoxigraph": {"a": [1.0, 10.0]}, "samkart": {"a": [12.0, 0.5]},
           "samkart uncached": {"a": [12.0, 12.5, 9.0, 8.25]}}
    table = "\n".join(query_table(run))
    assert "of which the query / in the worker" in table and "| 9.0 / 8.2 |" in table
    run["samkart uncached"]["a"] = [12.0, 12.5, 9.0]
    table = "\n".join(query_table(run))
    assert "in the worker" not in table and "| 9.0 |" in table


def test_the_latency_client_reads_answers_and_says_what_failed(server):
    import socket

    from samkart_bench.measure import Client, HttpError, named, timing_ms

    with Client() as client:
        answer = client.get(f"{server}/api/queries/organisations", headers={"Accept": "application/sparql-results+json",
                                                                          "Cache-Control": "no-cache"})
        assert answer.status == 200 and json.loads(answer.body)["results"]["bindings"]
        assert timing_ms(answer) > 0 and 0 < timing_ms(answer, "engine") <= timing_ms(answer)
        posted = client.post_form(f"{server}/sparql", {"query": "ASK { ?s ?p ?o }"},
                                  headers={"Accept": "application/sparql-results+json"})
        assert json.loads(posted.body)["boolean"] is True
        with pytest.raises(HttpError, match="HTTP 404"):
            client.get(f"{server}/api/queries/no_such_query")
        assert client.get(f"{server}/health").status == 200  # the same client goes on after an error
        first, median, query, engine = named(client, server, "organisations", {}, fresh=True, most=3)
        assert first > 0 and median > 0 and 0 < engine <= query
        with socket.socket() as spare:  # a port nothing listens on
            spare.bind(("127.0.0.1", 0))
            port = spare.getsockname()[1]
        with pytest.raises(HttpError, match="Connection"):
            client.get(f"http://127.0.0.1:{port}/health", timeout=2)
