"""A bounded loopback load generator for the samkart service: throughput, latency, exact answers, memory.

``clients`` asyncio workers (one httpx.AsyncClient) loop until the deadline (or ``max_requests``), sending
a mix round-robin; each 200 body is compared byte for byte with the one fetched before the load (the data
does not change). Every ``heavy_every``-th request of workers 0 and 1 can be a heavy (cartesian) query whose
only acceptable answers are the documented limits, 504 and 503. Server memory: VmRSS of the server process
and all its descendants (the query workers).

    python -m samkart_bench.load --base http://127.0.0.1:8000 --clients 8 --seconds 10 [--heavy-every 50] [--json]
    python -m samkart_bench.load --start --clients 32 --seconds 60 --heavy-every 40   # own server on the build
With ``--start`` the server inherits the environment: ``SAMKART_CACHE_ENTRIES=0`` measures without the cache.
"""

import argparse
import asyncio
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
JSON_RESULTS = {"Accept": "application/sparql-results+json"}
HEAVY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL_QUERY = "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY ?type"
PERCENTILES = {"p50": 50, "p95": 95, "p99": 99, "max": 100}
HEAVY_OK = {503, 504}  # the documented limits: too many heavy queries at once, query timeout


@dataclass(frozen=True)
class Request:
    """One request of the mix; ``expected`` is a predicate on the response or the SHA-256 (hex) of the body."""

    method: str
    path: str
    params: dict | None = None
    headers: dict | None = None
    expected: Callable[[httpx.Response], bool] | str | None = None
    name: str = ""

    def label(self) -> str:
        return self.name or self.path

    def correct(self, response: httpx.Response) -> bool:
        """True when a 200 answer is the expected one (no expectation: any 200)."""
        if callable(self.expected):
            return bool(self.expected(response))
        return self.expected is None or hashlib.sha256(response.content).hexdigest() == self.expected


HEAVY = Request("GET", "/sparql", {"query": HEAVY_QUERY}, JSON_RESULTS, name="heavy")


@dataclass
class LoadReport:
    """What a run did: counts, rate, latency of the normal requests (ms), correctness and server memory (kB)."""

    clients: int
    seconds: float
    total: int = 0
    normal: int = 0
    heavy: int = 0
    requests_per_s: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)  # p50, p95, p99, max of the normal requests
    by_status: dict[str, int] = field(default_factory=dict)
    wrong_answers: int = 0
    unexpected_5xx: int = 0
    unexpected_status: int = 0
    transport_errors: int = 0
    rss_start_kb: int | None = None
    rss_end_kb: int | None = None
    server_processes: int | None = None
    problems: list[str] = field(default_factory=list)

    def table(self) -> str:
        """A human-readable summary."""
        rows = [("clients × seconds", f"{self.clients} × {self.seconds:g} s"),
                ("requests (normal + heavy)", f"{self.total} ({self.normal} + {self.heavy})"),
                ("requests/s", f"{self.requests_per_s:.1f}"),
                ("latency " + " / ".join(self.latency_ms) + " (ms)", " / ".join(f"{v:.1f}" for v in self.latency_ms.values())),
                ("by status", ", ".join(f"{k}: {v}" for k, v in sorted(self.by_status.items()))),
                ("wrong / unexpected 5xx / other status / transport errors",
                 f"{self.wrong_answers} / {self.unexpected_5xx} / {self.unexpected_status} / {self.transport_errors}"),
                ("server RSS start → end", f"{megabytes(self.rss_start_kb)} → {megabytes(self.rss_end_kb)}"
                 + ("" if self.server_processes is None else f" ({self.server_processes} processes)"))]
        width = max(len(name) for name, _ in rows)
        return "\n".join([f"{name:<{width}}  {value}" for name, value in rows] + [f"problem: {p}" for p in self.problems])


def megabytes(kb: int | None) -> str:
    """A size in kB as MB for people ("n/a" when unknown)."""
    return "n/a" if kb is None else f"{kb / 1024:.1f} MB"


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of a non-empty ascending list."""
    return sorted_values[max(1, int(-(-len(sorted_values) * q // 100))) - 1]


def descendants(pid: int) -> list[int]:
    """``pid`` and all its descendants: from /proc/<pid>/task/*/children, or by ppid from /proc/*/stat."""
    # a kernel without CONFIG_PROC_CHILDREN has no children files: then by ppid
    parents = None if any(Path(f"/proc/{pid}/task").glob("*/children")) else children_by_ppid()

    def kids(each: int) -> list[int]:
        if parents is not None:
            return parents.get(each, [])
        with suppress(OSError):
            return [int(c) for f in Path(f"/proc/{each}/task").glob("*/children") for c in f.read_text().split()]
        return []

    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(kids(found[-1]))
    return found


def children_by_ppid() -> dict[int, list[int]]:
    """Every process's children, read off the parent ids in /proc/*/stat."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents.setdefault(int(stat.read_text().rsplit(")", 1)[1].split()[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return parents


def rss_kb(pid: int) -> tuple[int, int]:
    """(total VmRSS in kB, number of processes) of ``pid`` and its descendants."""
    sizes = []
    for each in descendants(pid):
        with suppress(OSError):  # exited meanwhile
            sizes += [int(line.split()[1]) for line in Path(f"/proc/{each}/status").read_text().splitlines()
                      if line.startswith("VmRSS:")]
    return sum(sizes), len(sizes)


async def default_mix(client: httpx.AsyncClient) -> list[Request]:
    """Every named query without a required parameter, collaborators of a subject, linked data, a small SELECT."""
    listed = (await client.get("/api/queries")).raise_for_status().json()
    mix = [Request("GET", f"/api/queries/{q['name']}", None, JSON_RESULTS, name=q["name"])
           for q in listed if not any(p.get("required") for p in q.get("parameters", []))]
    return mix + [
        Request("GET", "/api/queries/collaborators", {"subject": "Digitalt dødsbo"}, JSON_RESULTS, name="collaborators"),
        Request("GET", "/id/org/skatteetaten.ttl", name="skatteetaten.ttl"),
        Request("GET", "/id/org/ks", None, {"Accept": "text/turtle"}, name="ks (turtle)"),
        Request("GET", "/sparql", {"query": SMALL_QUERY}, JSON_RESULTS, name="sparql small"),
    ]


async def with_expected(client: httpx.AsyncClient, mix: list[Request]) -> list[Request]:
    """The mix with each missing expectation set to the hash of the body fetched now (must be a 200)."""
    done = []
    for request in mix:
        if request.expected is None:
            response = await client.request(request.method, request.path, params=request.params, headers=request.headers)
            if response.status_code != 200:
                raise RuntimeError(f"{request.label()}: baseline answered {response.status_code}: {response.text[:200]}")
            request = replace(request, expected=hashlib.sha256(response.content).hexdigest())
        done.append(request)
    return done


async def run_load(base: str, clients: int, seconds: float, mix: list[Request] | None = None,
                   heavy_every: int | None = None, *, max_requests: int | None = None, pid: int | None = None,
                   timeout: float = 120.0) -> LoadReport:
    """Run the load and report; ``mix`` None means :func:`default_mix`; ``pid`` (default: ``base.pid`` if
    any) is the server process whose memory is read; ``max_requests`` also bounds the total sent."""
    pid = pid if pid is not None else getattr(base, "pid", None)
    limits = httpx.Limits(max_connections=clients + 2, max_keepalive_connections=clients + 2)
    async with httpx.AsyncClient(base_url=str(base), timeout=timeout, limits=limits) as client:
        mix = await with_expected(client, mix if mix is not None else await default_mix(client))
        report = LoadReport(clients=clients, seconds=seconds)
        if pid:
            report.rss_start_kb, _ = rss_kb(pid)
        latencies: list[float] = []
        statuses: Counter = Counter()
        sent, deadline = 0, time.monotonic() + seconds

        async def worker(index: int) -> None:
            nonlocal sent
            position, own = index % len(mix), 0
            while time.monotonic() < deadline and (max_requests is None or sent < max_requests):
                sent, own = sent + 1, own + 1
                heavy = heavy_every is not None and heavy_every != 0 and index < 2 and own % heavy_every == 0
                request = HEAVY if heavy else mix[position]
                if not heavy:
                    position = (position + 1) % len(mix)
                started = time.perf_counter()
                try:
                    response = await client.request(request.method, request.path, params=request.params,
                                                    headers=request.headers)
                except httpx.HTTPError as exc:
                    report.transport_errors += 1
                    report.problems.append(f"{request.label()}: {type(exc).__name__}: {exc}"[:200])
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                status = response.status_code
                statuses[status] += 1
                if heavy:
                    report.heavy += 1
                    if status not in HEAVY_OK:
                        report.unexpected_5xx += status >= 500
                        report.unexpected_status += status < 500
                        report.problems.append(f"heavy query answered {status}")
                    continue
                report.normal += 1
                latencies.append(elapsed)
                if status == 200 and not request.correct(response):
                    report.wrong_answers += 1
                    report.problems.append(f"{request.label()}: wrong body ({len(response.content)} bytes)")
                elif status != 200:
                    report.unexpected_5xx += status >= 500
                    report.unexpected_status += status < 500
                    report.problems.append(f"{request.label()}: {status} {response.text[:120]}")

        started = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        wall = time.monotonic() - started
    if pid:
        report.rss_end_kb, report.server_processes = rss_kb(pid)
    latencies.sort()
    report.total = report.normal + report.heavy + report.transport_errors
    report.requests_per_s = round(report.total / wall, 1) if wall else 0.0
    if latencies:
        report.latency_ms = {name: round(percentile(latencies, q), 2) for name, q in PERCENTILES.items()}
    report.by_status = {str(k): v for k, v in sorted(statuses.items())}
    report.problems = report.problems[:20]  # a sample is enough to diagnose
    return report


@contextmanager
def start_server(data: Path, env: dict[str, str] | None = None, seconds: float = 60):
    """Our app under uvicorn on a free loopback port, serving ``data``; yields (base URL, server pid).
    On exit the server gets SIGTERM, then any descendant still alive (its query workers) SIGKILL."""
    with socket.socket() as sock:  # a free loopback port
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "samkart_service.server", "--host", "127.0.0.1", "--port", str(port)]
    environment = {**os.environ, "SAMKART_DATA": json.dumps([str(data)]), **(env or {})}
    process = subprocess.Popen(command, cwd=ROOT, env=environment)
    base = f"http://127.0.0.1:{port}"
    try:
        until = time.monotonic() + seconds
        while True:
            with suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health", timeout=2).status_code < 500:
                    break
            if process.poll() is not None or time.monotonic() > until:
                raise RuntimeError(f"server at {base} did not come up (exit code {process.poll()})")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        family = [p for p in descendants(process.pid) if p != process.pid]
        process.terminate()
        with suppress(subprocess.TimeoutExpired):
            process.wait(10)
        process.kill()
        process.wait()
        for child in family:
            with suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    """The command line: run the load against ``--base`` or an own server (``--start``), print the report."""
    parser = argparse.ArgumentParser(prog="python -m samkart_bench.load", description=__doc__.splitlines()[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--base", help="base URL of a running service")
    target.add_argument("--start", action="store_true", help="start our own server on --data")
    parser.add_argument("--pid", type=int, help="server process id, for memory (with --base)")
    parser.add_argument("--data", type=Path, default=ROOT / "build" / "samkart.trig", help="dataset for --start")
    parser.add_argument("--query-timeout", default=os.environ.get("SAMKART_QUERY_TIMEOUT", "2"),
                        help="SAMKART_QUERY_TIMEOUT for --start (seconds; default 2)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--heavy-every", type=int, help="every Nth request of workers 0 and 1 is a heavy query")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)


    def load(base: str, pid: int | None) -> LoadReport:
        return asyncio.run(run_load(base, args.clients, args.seconds, None, args.heavy_every, pid=pid))

    if not args.start:
        report = load(args.base, args.pid)
    elif not args.data.exists():
        parser.error(f"{args.data} does not exist: run `samkart build` first")
    else:
        with start_server(args.data, {"SAMKART_QUERY_TIMEOUT": str(args.query_timeout)}) as (base, pid):
            report = load(base, pid)
    print(json.dumps(asdict(report), indent=2, ensure_ascii=False) if args.json else report.table())
    return 0 if not (report.wrong_answers or report.unexpected_5xx or report.transport_errors) else 1


if __name__ == "__main__":
    sys.exit(main())
