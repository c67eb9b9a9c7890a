"""`samkart bench` can't rot: a small run on the real graph (two named queries) measures every peer, runs wrk
on our service and on Oxigraph server, writes the figures, the short report and the details, and prints
only the summary, and times SHACL alone at 10k. Every named query on every peer is the benchmark itself
(`samkart bench`), too long for the suite; the named queries on synthetic data are tests/test_bench_synthetic.py.
It prints figures; it asserts none of them."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from samkart.cli import main as samkart_main
from samkart_bench.run import main
from samkart_bench.servers import rss_mb

TWO = "collaborators,measures"
SERVERS = {"samkart", "Oxigraph server (memory)", "Oxigraph server (disk)"}


def need(tool: str) -> None:
    """Skip (fail under CI=true) when a program the benchmark starts is not installed."""
    if shutil.which(tool) is None:
        message = f"{tool} is not installed: run scripts/system-packages.sh"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def check_run(run: dict, queries: set[str]) -> None:
    """What every full (not light) run holds, whatever the scale."""
    assert set(run["raw pyoxigraph"]) == queries and run["publish_s"] > 0 and run["publish_mb"] > 0
    for peer in ("samkart", "Oxigraph server (memory)", "Oxigraph server (disk)", "samkart remote (2 workers)"):
        assert set(run[peer]) == queries and all(run[peer][q] for q in queries), peer
    assert run["rdflib_endpoint_up"] is True
    measured = {(r["server"], r["query"], r["clients"]) for r in run["throughput"]}
    assert measured == {(s, q, c) for s in SERVERS for q in queries for c in (8, 32)}
    assert all(r["errors"] == 0 and r["rps"] > 0 for r in run["throughput"])
    assert not any(r["bound"] for r in run["throughput"] if r["server"] == "samkart")  # ours always measured
    assert run["in_memory_s"] >= run["startup_s"] > 0
    alongside = run["Oxigraph server (memory), alongside"]  # timed in turns with our uncached ones
    assert set(alongside) == queries and all(0 < a[1] for a in alongside.values())
    uncached = run["samkart uncached"]
    assert set(uncached) == queries and all(0 < u[2] <= u[1] * 1.5 for u in uncached.values())  # Server-Timing read
    assert all(0 < u[3] <= u[2] for u in uncached.values())  # and the worker's own part of the query


def test_bench_on_the_real_graph(tmp_path, capsys):
    for tool in ("wrk", "oxigraph", "rdflib-endpoint"):
        need(tool)
    report = tmp_path / "performance.md"  # one query: every peer and phase runs, the wrk runs stay few
    assert main(["--scales", "real", "--queries", "collaborators", "--starts", "2", "--wrk-seconds", "1", "--shacl-scale", "10k",
                 "--folder", str(tmp_path), "--report", str(report)]) == 0
    figures = json.loads((tmp_path / "figures.json").read_text())
    [run] = figures["runs"]
    assert run["scale"] == "real" and run["triples"] > 5_000 and run["generate_s"] > 0
    assert figures["shacl"]["scale"] == "10k" and figures["shacl"]["triples"] > 9_000 and figures["shacl"]["validate_s"] > 0
    check_run(run, {"collaborators"})
    starts = run["starts"]  # the quick queries measured on a second start of each side, the median reported
    assert starts["count"] == 2 and all(len(starts["more"][side]) == 1 for side in starts["more"])
    text = report.read_text()
    assert text.index("## Targets") < text.index("## Ours ÷ Oxigraph server: real") < text.index("## Method")
    assert "`collaborators`" in text and "÷ memory, 8" in text and len(text.splitlines()) < 150
    assert "| `collaborators` |" in (tmp_path / "details.md").read_text()
    printed = capsys.readouterr().out
    assert "Targets" in printed and "Ours ÷ Oxigraph server, real" in printed
    assert not any(line.startswith(("{", "[", " ")) for line in printed.splitlines())  # a summary, not the JSON
    left = sorted(p.name for p in tmp_path.iterdir())  # stores and servers' files removed
    assert left == ["details.md", "figures.json", "performance.md", "syn-10k.nq"], left  # the SHACL data kept


def test_light_run_past_full_scale(tmp_path):
    """The light run that scales past 1M get (pipeline, engine on disk, our service without in-memory
    copies), exercised at 10k on two queries so it cannot rot; the report marks the peers as not run."""
    need("wrk")
    from samkart_bench.details import details
    from samkart_bench.report import markdown
    from samkart_bench.run import run_light

    run = run_light("10k", tmp_path, tmp_path / "work", seconds=1, only=TWO.split(","))
    assert run["light"] is True and run["triples"] > 9_000 and run["startup_s"] > 0 and run["publish_run"] is False
    assert set(run["raw pyoxigraph"]) == set(TWO.split(",")) and all(run["raw pyoxigraph"].values())
    assert set(run["samkart"]) == set(run["raw pyoxigraph"]) and all(run["samkart"].values())
    assert {(r["server"], r["clients"]) for r in run["throughput"]} == {("samkart", 8), ("samkart", 32)}
    assert "not run" in markdown([run], None, "machine", "command") and "Light run" in details([run], "machine", "command")


def test_missing_programs_and_extras_are_one_line(tmp_path, monkeypatch, capsys):
    """Without wrk the benchmark stops before measuring, naming the script that installs it; without the
    bench extra's programs it names the extra; an unknown scale or query is refused the same way."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    assert samkart_main(["bench", "--folder", str(tmp_path / "b"), "--report", ""]) == 2
    err = capsys.readouterr().err
    assert "`oxigraph` is not installed" in err and "pip install -e '.[bench]'" in err
    for tool in ("oxigraph", "rdflib-endpoint"):
        (bin_dir / tool).write_text("#!/bin/sh\n")
        (bin_dir / tool).chmod(0o755)
    assert samkart_main(["bench", "--folder", str(tmp_path / "b"), "--report", ""]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "`wrk` is not installed" in err and "scripts/system-packages.sh" in err
    assert samkart_main(["bench", "--scales", "real,2m", "--folder", str(tmp_path / "b")]) == 2
    assert "unknown scale 2m" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()  # nothing measured, nothing written


def test_bench_help_needs_no_bench_extra():
    """`samkart bench --help` (and the modules behind it) load without httpx, which only a run needs."""
    code = ("import sys; sys.modules['httpx'] = None\n"
            "import samkart_bench.run, samkart_bench.cli\n"
            "from samkart.cli import main\n"
            "try:\n    main(['bench', '--help'])\nexcept SystemExit as exit:\n    sys.exit(exit.code)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "--wrk-seconds" in done.stdout, done.stderr


def test_report_only_without_figures_says_what_to_do(tmp_path, capsys):
    assert samkart_main(["bench", "--report-only", "--folder", str(tmp_path)]) == 2
    assert "run `samkart bench` without --report-only first" in capsys.readouterr().err


def test_memory_of_a_process_tree_is_read():
    assert rss_mb(os.getpid()) > 10


def test_a_command_past_its_limit_is_stopped_and_marked():
    from samkart_bench.measure import command

    assert command([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5) is None
    seconds, peak_mb = command([sys.executable, "-c", "x = bytearray(50_000_000)"], timeout=60)
    assert seconds > 0 and peak_mb >= 50
    busy = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    assert command([sys.executable, "-c", busy], timeout=60, cpu=True)[2] >= 0.3  # its CPU seconds, when asked
    held = bytearray(400_000_000)  # this process grows: a small command must still report its own peak
    held[::4096] = b"x" * len(range(0, len(held), 4096))
    assert command([sys.executable, "-c", "pass"], timeout=60)[1] < 100
    with pytest.raises(RuntimeError, match="failed"):
        command([sys.executable, "-c", "raise SystemExit(3)"], timeout=60)


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


def throughput_rows(query: str, ours: float, memory: tuple[float, bool], disk: tuple[float, bool]) -> list[dict]:
    """Rows of one query at 8 and 32 connections: ours, and each Oxigraph server's (rps, computed bound?)."""
    return [{"server": server, "query": query, "clients": c, "rps": rps, "p50": 1, "p90": 1, "p99": 1, "errors": 0,
             "bound": bound}
            for server, (rps, bound) in (("samkart", (ours, False)), ("Oxigraph server (memory)", memory),
                                         ("Oxigraph server (disk)", disk))
            for c in (8, 32)]


def test_targets_and_ratios_from_figures():
    """The targets and the ratio table from figures alone: ours ÷ Oxigraph server per query and connection
    count (a computed peer figure marked ≥, one that answered nothing ∞), the uncached allowance against
    Oxigraph server (1.2 × + 0.3 ms), our part of a request against the raw engine, the SHACL line."""
    from samkart_bench.report import ratio_table, targets_table

    run = {"scale": "1m", "triples": 10, "startup_s": 1.0, "validate_s": 1.0, "validate_mb": 5.0,
           "throughput": throughput_rows("a", 900, (1000, False), (100, False))
           + throughput_rows("b", 50, (0.5, True), (0.0, False)),
           "raw pyoxigraph": {"a": [1.0, 10.0], "b": [1.0, 1.0]},
           "samkart": {"a": [12.0, 0.5], "b": [2.0, 0.5]},
           "samkart uncached": {"a": [12.0, 12.5, 9.0], "b": [4.0, 4.0, 1.5]},
           "Oxigraph server (memory)": {"a": [11.0, 10.5], "b": [3.0, 3.0]}}
    shacl = {"scale": "10m", "triples": 10_000_000, "validate_s": 52.0, "validate_mb": 4100}
    table = "\n".join(targets_table([run], shacl))
    assert "2 of 4 (lowest 0.90×: `a` at 8)" in table  # memory: a 900 ÷ 1000 at 8 and 32; b at least 100×
    assert "4 of 4 (lowest 9.00×: `a` at 8)" in table  # disk: a 9×, b answered nothing
    assert "1 of 2 (worst: `b` 4.0 / 3.0 ms)" in table  # a 12.5 ≤ 1.2 × 10.5 + 0.3; b 4.0 > 3.9
    assert "| our part of an uncached request ≤ 0.2 × raw + 2 ms | 1 of 2 |" in table  # a 3.5 ≤ 4.0; b 2.5 > 2.2
    assert "**52.0 s**" in table and "10,000,000 triples" in table and "target < 60 s: met" in table
    rows = "\n".join(ratio_table(run))
    assert "| `a` | 0.90× | 0.90× | 9.00× | 9.00× | 900 / 900 | 12.5 / 10.5 | yes |" in rows
    assert "| `b` | ≥ 100× | ≥ 100× | ∞ | ∞ | 50 / 50 | 4.0 / 3.0 | **no** |" in rows
    run["Oxigraph server (memory), alongside"] = {"a": [11.0, 11.0], "b": [3.5, 3.2]}  # timed beside ours: the reference
    assert "2 of 2 (worst: `b` 4.0 / 3.2 ms)" in "\n".join(targets_table([run]))  # b 4.0 ≤ 1.2 × 3.2 + 0.3
    assert "| `b` | ≥ 100× | ≥ 100× | ∞ | ∞ | 50 / 50 | 4.0 / 3.2 | yes |" in "\n".join(ratio_table(run))


def test_query_table_shows_the_workers_part_only_where_it_was_measured():
    """Figures with the worker's own time (a 4th uncached figure) show it after a slash; figures from
    before it was measured keep the plain column."""
    from samkart_bench.details import query_table

    run = {"raw pyoxigraph": {"a": [1.0, 10.0]}, "samkart": {"a": [12.0, 0.5]},
           "samkart uncached": {"a": [12.0, 12.5, 9.0, 8.25]}}
    table = "\n".join(query_table(run))
    assert "of which the query / in the worker" in table and "| 9.0 / 8.2 |" in table
    run["samkart uncached"]["a"] = [12.0, 12.5, 9.0]
    table = "\n".join(query_table(run))
    assert "in the worker" not in table and "| 9.0 |" in table


def test_wrk_requests_and_bounds():
    """The Lua request survives any text (wrk's LuaJIT has no \\u escapes); a peer too slow for a run gets
    the computed bound instead, and a quick one does not."""
    from samkart_bench.wrk import _lua, bound, script, too_slow

    assert _lua('søk "x"\\') == '"s\\195\\184k \\"x\\"\\\\"'
    lua = script("POST", "query=ASK%7B%7D", {"Accept": "application/sparql-results+json"})
    assert 'wrk.method = "POST"' in lua and 'wrk.body = "query=ASK%7B%7D"' in lua and "latency:percentile(50)" in lua
    assert too_slow(3000, 8, 4, 2) and not too_slow(5, 32, 4, 2)
    assert bound(500, 2).rps == 4.0 and bound(500, 2).bound


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


def test_the_latency_client_reconnects_when_a_server_closed_an_idle_connection():
    """A keep-alive connection the server closed while it was idle (uvicorn does after 5 s, e.g. while the
    other side of a side-by-side measurement runs a long query) is opened again, not taken for a failure."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from samkart_bench.measure import Client

    peers: list = []

    class OneAnswerPerConnection(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive announced, then the connection is closed anyway

        def do_GET(self):
            peers.append(self.client_address)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            self.close_connection = True

        def log_message(self, *args):
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), OneAnswerPerConnection) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/"
        with Client() as client:
            assert [client.get(url).body for _ in range(3)] == [b"ok"] * 3
        httpd.shutdown()
    assert len(set(peers)) == 3  # three connections: each closed one was opened anew


def test_side_by_side_takes_turns_and_goes_on_when_one_side_fails(server):
    """Ours uncached and a peer's protocol POST, timed in turns; a peer that fails is None, ours still measured."""
    import socket

    from samkart_bench.measure import Client, side_by_side

    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with Client() as client:
        ours, theirs = side_by_side(client, server, "organisations", {}, f"{server}/sparql", text, 10, most=3)
        assert len(ours) == 4 and 0 < ours[3] <= ours[2] and len(theirs) == 2 and theirs[1] > 0
        with socket.socket() as spare:  # a port nothing listens on
            spare.bind(("127.0.0.1", 0))
            port = spare.getsockname()[1]
        ours, theirs = side_by_side(client, server, "organisations", {}, f"http://127.0.0.1:{port}/query", text, 2, most=3)
        assert theirs is None and ours is not None and ours[1] > 0
        ours, theirs = side_by_side(client, server, "no_such_query", {}, f"{server}/sparql", text, 10, most=3)
        assert ours is None and theirs is not None


def test_bench_extra_names_what_a_run_needs():
    """The `bench` extra holds the benchmark's Python dependencies (the service and the peers)."""
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    bench = " ".join(project["optional-dependencies"]["bench"])
    assert all(name in bench for name in ("samkart[service]", "httpx", "oxigraph", "rdflib-endpoint"))
    assert project["entry-points"]["samkart.commands"]["bench"] == "samkart_bench.cli:register"


def test_shacl_profile_times_every_check(build_file, capsys):
    """The SHACL profile lists loading, compiling and each compiled check with its results."""
    from samkart.settings import Settings
    from samkart.shacl.compiler import compile_shapes
    from samkart.shacl.fast import load_store
    from samkart.shacl.inputs import load_shapes
    from samkart_bench.shaclprofile import main as profile

    assert profile([str(build_file), "--top", "3", "--queries"]) == 0
    out = capsys.readouterr().out.splitlines()
    checks = len(compile_shapes(load_store(build_file), load_shapes(Settings().shapes_dir)))
    assert out[0].startswith("load ") and f"{checks} checks" in out[0]
    assert len([line for line in out if " results " in line]) == 3
    query = out[2].strip()  # the slowest check's query (PREFIX lines first when its shape declares them)
    assert query.startswith(("SELECT", "PREFIX")) and "SELECT" in "\n".join(out[2:])
