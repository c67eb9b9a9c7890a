"""Timing helpers for the benchmark: queries in-process and over HTTP, commands with their peak memory."""

from __future__ import annotations

import http.client
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, overload
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from samkart.sparql.queries import load_queries, split_header
from samkart.sparql.store import DEFAULT_PREFIXES, bulk_load
from samkart.sparql.terms import substitute
from samkart.sparql.workers import warm_up

JSON = "application/sparql-results+json"
T = TypeVar("T")
FIRST_QUERY = "ASK { ?s ?p ?o }"
"""An unmeasured query our service answers once after it starts, before any measured request (the engine's
store gets the workers' own warm-up instead): so the process's first-request costs fall on no named query's
cold figure, whichever query the measuring happens to start with."""


PEAK_OF = """import os, subprocess, sys, time
started = time.monotonic()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.monotonic() - started, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, flush=True)
sys.exit(os.waitstatus_to_exitcode(status))"""
"""Runs a command and prints its wall seconds, peak resident memory (KB) and CPU seconds. Linux counts a parent's memory
at the fork in the peak of a child it forks and execs, so a command the (by then large) benchmark started
itself would report at least the benchmark's size (`/bin/true` 1.5 GB after the benchmark took 1.5 GB);
started from this small process, it reports its own."""


@overload
def command(argv: list[str], env: dict | None = None, timeout: None = None, cpu: bool = False) -> tuple[float, ...]: ...
@overload
def command(argv: list[str], env: dict | None = None, timeout: float | None = None,
            cpu: bool = False) -> tuple[float, ...] | None: ...
def command(argv: list[str], env: dict | None = None, timeout: float | None = None,
            cpu: bool = False) -> tuple[float, ...] | None:
    """Run a command; its wall seconds and peak resident memory (MB, from wait4 in a small launcher, see
    :data:`PEAK_OF`), and with ``cpu`` its CPU seconds (user + system, all its threads); None when it ran
    past ``timeout`` seconds (it is killed, with its launcher)."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", PEAK_OF, *argv], env={**os.environ, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    while process.poll() is None:
        if timeout is not None and time.monotonic() - started > timeout:
            os.killpg(process.pid, signal.SIGKILL)  # the launcher and the command (its own session)
            process.communicate()  # waits for the launcher, closes the pipe
            return None
        time.sleep(0.05)
    report = process.communicate()[0].split()  # the launcher has exited: reads its line, closes the pipe
    if process.returncode != 0 or len(report) != 3:
        raise RuntimeError(f"{' '.join(argv)} failed")
    seconds, peak = float(report[0]), int(report[1]) / 1024
    return (seconds, peak, float(report[2])) if cpu else (seconds, peak)


def workload(queries_dir: Path, example_iri: dict[str, str]) -> list[tuple[str, dict[str, str], str]]:
    """Every named query as (name, parameters, SPARQL text with them bound): required parameters take
    ``example_iri`` values (IRIs present in the data at hand), optional ones stay open."""
    out = []
    for name, query in sorted(load_queries(queries_dir).items()):
        if any(p.required and p.name not in example_iri for p in query.parameters):
            continue
        params = {p.name: example_iri[p.name] for p in query.parameters if p.required}
        bindings = {p.variable: ox.NamedNode(params[p.name]) if p.kind == "iri" else ox.Literal(params[p.name])
                    for p in query.parameters if p.name in params}
        out.append((name, params, substitute(split_header(query.text)[1], bindings)))
    return out


REPEAT_BUDGET = 3.0
"""Seconds a query is repeated for (at least three runs, at most ``most``)."""


def repeat(run: Callable[[], object], budget: float = REPEAT_BUDGET, most: int = 25) -> tuple[float, float]:
    """First and median milliseconds of ``run()``, repeated until ``budget`` seconds or ``most`` runs."""
    times = [ms for ms, _ in timed_runs(run, budget, most, least=3)]
    return times[0], statistics.median(times[1:] or times)


def timed_runs(run: Callable[[], T], budget: float, most: int, least: int) -> list[tuple[float, T]]:
    """(milliseconds, what it returned) of each ``run()``: at least ``least`` runs, then more while ``budget``
    seconds have not passed, never more than ``most``."""
    runs: list[tuple[float, T]] = []
    started = time.monotonic()
    while len(runs) < most and (len(runs) < least or time.monotonic() - started < budget):
        t = time.perf_counter()
        returned = run()
        runs.append(((time.perf_counter() - t) * 1000, returned))
    return runs


def load_in_thread(path: Path) -> ox.Store:
    """An in-memory store of a dataset file, bulk-loaded in a background thread as our query workers load
    their copies. The engine answers 10–20 % faster from a store loaded that way than from one loaded in
    the main thread (measured at 1M: `search` 440–520 against 540–600 ms; probably the loading thread's
    own malloc arena), so the engine limit is measured on a store loaded the same way, and warmed up in
    that thread as they warm up theirs (:func:`samkart.sparql.workers.warm_up`) before answering anyone.
    It stays plain pyoxigraph otherwise: the file's own order (ours sort it, :mod:`samkart.sparql.layout`)
    and small pages."""
    holder: dict[str, ox.Store] = {}

    def load() -> None:
        store = ox.Store()
        bulk_load(store, [path])
        warm_up(store)
        holder["store"] = store
    loader = threading.Thread(target=load)
    loader.start()
    loader.join()
    if "store" not in holder:
        raise RuntimeError(f"could not load {path} (see the error above)")
    return holder["store"]


def raw(store: ox.Store, text: str) -> tuple[float, float]:
    """The engine limit: pyoxigraph in-process, query and SPARQL JSON (N-Triples for a graph) written
    (first, median ms)."""
    def run() -> None:
        result = store.query(text, use_default_graph_as_union=True, prefixes=DEFAULT_PREFIXES)
        if isinstance(result, ox.QueryTriples):
            result.serialize(format=ox.RdfFormat.N_TRIPLES)
        else:
            result.serialize(format=ox.QueryResultsFormat.JSON)
    return repeat(run)


class HttpError(Exception):
    """A request that did not end in a 2xx answer: timed out, refused, dropped or answered with an error."""


class Client:
    """The benchmark's HTTP client: one keep-alive connection per host (the standard library's
    ``http.client``). Latency is measured with it rather than httpx because httpx spends 0.4–1.0 ms of
    its own per request on this machine (measured against a bare socket; http.client under 0.2 ms), which
    would count against every server measured, ours and the peers alike."""

    def __init__(self):
        self._connections: dict[str, http.client.HTTPConnection] = {}

    def get(self, url: str, params: dict[str, str] | None = None, headers: dict | None = None,
            timeout: float = 600) -> Answer:
        """GET ``url`` (with ``params`` as its query string)."""
        return self._send("GET", url + ("?" + urlencode(params) if params else ""), None, headers or {}, timeout)

    def post_form(self, url: str, data: dict[str, str], headers: dict | None = None,
                  timeout: float = 600) -> Answer:
        """POST ``data`` as an HTML form (``application/x-www-form-urlencoded``)."""
        form = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self._send("POST", url, urlencode(data).encode(), form, timeout)

    def _send(self, method: str, url: str, body: bytes | None, headers: dict, timeout: float) -> Answer:
        parts = urlsplit(url)
        connection = self._connections.get(parts.netloc)
        if connection is None:
            connection = self._connections[parts.netloc] = http.client.HTTPConnection(parts.netloc)
        connection.timeout = timeout
        reused = connection.sock is not None
        if reused:
            connection.sock.settimeout(timeout)
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request(method, target, body, headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        except (OSError, http.client.HTTPException) as exc:
            connection.close()  # the next request opens a new connection
            if reused and isinstance(exc, (ConnectionResetError, BrokenPipeError)):  # incl. RemoteDisconnected
                return self._send(method, url, body, headers, timeout)  # the server closed it while idle: once more
            raise HttpError(f"{method} {url}: {type(exc).__name__}: {exc}") from None
        if not 200 <= answer.status < 300:
            raise HttpError(f"{method} {url}: HTTP {answer.status}")
        return answer

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Answer:
    """A response read in full: status, headers and body."""

    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body


def protocol_call(client: Client, url: str, text: str, timeout: float) -> Callable[[], tuple[float, float]]:
    """One SPARQL protocol POST (form) of ``text``, answered as SPARQL JSON; returns (0, 0): a peer reports
    no Server-Timing."""
    def run() -> tuple[float, float]:
        client.post_form(url, {"query": text}, headers={"Accept": JSON}, timeout=timeout)
        return 0.0, 0.0
    return run


def named_call(client: Client, base: str, name: str, params: dict[str, str],
               fresh: bool = False) -> Callable[[], tuple[float, float]]:
    """One GET of our named-query route (``fresh``: ``Cache-Control: no-cache``); returns what its
    Server-Timing header reports: the query's round trip inside the service and the worker's part (ms)."""
    headers = {"Accept": JSON, **({"Cache-Control": "no-cache"} if fresh else {})}

    def run() -> tuple[float, float]:
        response = client.get(f"{base}/api/queries/{name}", params=params, headers=headers, timeout=600)
        return timing_ms(response), timing_ms(response, "engine")
    return run


def over_http(client: Client, url: str, text: str, timeout: float, most: int = 25) -> tuple[float, float] | None:
    """A SPARQL protocol POST (form) answered as SPARQL JSON (first, median ms); None past ``timeout``."""
    try:
        return repeat(protocol_call(client, url, text, timeout), most=most)
    except HttpError:  # timed out, or the peer gave up with an error
        return None


def named(client: Client, base: str, name: str, params: dict[str, str],
          fresh: bool = False, most: int = 25) -> tuple[float, ...] | None:
    """Our named-query route (GET /api/queries/{name}): first and median ms; ``fresh`` asks the server not to
    answer from its result cache (``Cache-Control: no-cache``), so every run executes the query, and adds
    the medians of what its Server-Timing header reports: the query's round trip inside the service
    (``query``) and, of that, the worker process's own time (``engine``; 0 where the backend has none)."""
    call = named_call(client, base, name, params, fresh)
    inside: list[tuple[float, float]] = []
    try:
        first, median = repeat(lambda: inside.append(call()), most=most)
    except HttpError:  # a 504 past the service's own time limit, or a dropped connection
        return None
    if not fresh:
        return first, median
    later = inside[1:] or inside
    return first, median, statistics.median(q for q, _ in later), statistics.median(e for _, e in later)


def timing_ms(response, entry: str = "query") -> float:
    """The duration a samkart response reports for ``entry`` in its Server-Timing header (0 when absent)."""
    for part in (response.headers.get("server-timing") or "").split(","):
        name, *params = [piece.strip() for piece in part.split(";")]
        if name == entry:
            return next((float(p[4:]) for p in params if p.startswith("dur=")), 0.0)
    return 0.0


ROUND_S = 0.3
"""Seconds one side of :func:`side_by_side` runs its query before the other side's turn."""
ROUND_MOST = 6
"""Most requests in one side's turn (the first of a turn of several is not counted: it meets the caches the
other server's turn left)."""


def side_by_side(client: Client, base: str, name: str, params: dict[str, str], peer_url: str, text: str,
                 peer_timeout: float, most: int = 25) -> tuple[tuple[float, ...] | None, tuple[float, float] | None]:
    """One named query uncached on our service and the same text on a peer (a protocol POST), the two taking
    turns — a few of ours, then a few of theirs, about ROUND_S seconds each — so both sides are timed in the
    same minutes of the machine (on this shared 2-core machine a query's time drifts by up to 1.5× over
    minutes, which a side measured minutes after the other would take for a difference between servers).
    In a turn of several requests the first is not counted, for either side: it meets the caches the other
    server's turn left behind. Returns ours as :func:`named` with ``fresh`` gives it (first, median, query,
    engine ms) and theirs as :func:`over_http` (first, median); a side that failed or passed
    ``peer_timeout`` is None and the other goes on alone."""
    sides = {"ours": named_call(client, base, name, params, fresh=True),
             "theirs": protocol_call(client, peer_url, text, peer_timeout)}
    counted: dict[str, list[tuple[float, float, float]]] = {side: [] for side in sides}  # (ms, query, engine)
    first: dict[str, float] = {}
    failed: set[str] = set()
    started = time.monotonic()
    while True:
        for side, run in sides.items():
            if side in failed:
                continue
            try:
                turn = _turn(run)
            except HttpError:
                failed.add(side)
                continue
            first.setdefault(side, turn[0][0])
            counted[side] += turn[1:] or turn
        counts = [len(counted[s]) for s in sides if s not in failed]
        if not counts or min(counts) >= most or (min(counts) >= 3 and time.monotonic() - started >= 2 * REPEAT_BUDGET):
            break
    mine = None
    if "ours" not in failed:
        rows = counted["ours"]
        mine = (first["ours"], *(statistics.median(r[i] for r in rows) for i in range(3)))
    peer = None if "theirs" in failed else (first["theirs"], statistics.median(r[0] for r in counted["theirs"]))
    return mine, peer


def _turn(run: Callable[[], tuple[float, float]]) -> list[tuple[float, float, float]]:
    """One side's turn: ``run()`` repeated for about ROUND_S seconds (at least once, at most ROUND_MOST
    times), each as (ms, and what ``run`` returned)."""
    return [(ms, *inside) for ms, inside in timed_runs(run, ROUND_S, ROUND_MOST, least=1)]


def example_iris(store: ox.Store, search: str = "syntetisk") -> dict[str, str]:
    """One IRI per entity parameter our named queries take, picked from the data (the most connected), and
    ``search`` as the text `search` looks for."""
    picks = {
        "subject": "SELECT ?x WHERE { ?x cv:hasParticipation ?p } GROUP BY ?x ORDER BY DESC(COUNT(?p)) ?x LIMIT 1",
        "org": "SELECT ?x WHERE { ?s cv:hasParticipation/cv:hasParticipant ?x } GROUP BY ?x ORDER BY DESC(COUNT(?s)) ?x LIMIT 1",
        "parent": "SELECT ?x WHERE { ?c org:subOrganizationOf ?x } GROUP BY ?x ORDER BY DESC(COUNT(?c)) ?x LIMIT 1",
        "body": "SELECT ?x WHERE { ?m org:organization ?x } GROUP BY ?x ORDER BY DESC(COUNT(?m)) ?x LIMIT 1",
        "plan": "SELECT ?x WHERE { ?p dct:isPartOf ?x } GROUP BY ?x ORDER BY DESC(COUNT(?p)) ?x LIMIT 1",
        "lifeEvent": "SELECT ?x WHERE { ?x a cv:LifeEvent } ORDER BY ?x LIMIT 1",
        "item": "SELECT ?x WHERE { ?x sk:hasStatusAssessment [] } ORDER BY ?x LIMIT 1",
        "fact": "SELECT ?x WHERE { ?x a rdf:Statement } ORDER BY ?x LIMIT 1",
        "entity": "SELECT ?x WHERE { ?x prov:wasDerivedFrom [] } ORDER BY ?x LIMIT 1",
        "event": "SELECT ?x WHERE { ?x a sk:ChangeEvent } ORDER BY ?x LIMIT 1",
    }
    found = {"q": search}
    for name, text in picks.items():
        solutions = store.query(text, use_default_graph_as_union=True, prefixes=DEFAULT_PREFIXES)
        first = next(iter(solutions), None) if isinstance(solutions, ox.QuerySolutions) else None
        if first is not None:
            found[name] = first[0].value
    return found


def machine() -> str:
    """CPU model, cores and memory of this machine, for the report."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    memory = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))) / 1024 / 1024
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM, Linux {os.uname().release}"

