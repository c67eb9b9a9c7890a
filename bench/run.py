"""`samkart bench`: the same data and queries on samkart and its peers at several sizes; writes docs/performance.md."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from samkart.settings import Settings
from samkart.sparql.store import bulk_load

from . import measure, servers
from .load import Request, run_load
from .report import kept_notes, markdown
from .synthetic import with_ontology

SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
LOADED = ["measures", "network"]
"""Named queries also measured under concurrent load (a cheap one and the heavy analytical one)."""
CLIENTS = (8, 32)
PEER_TIMEOUT = 120.0
"""Seconds a peer may take for one query before it is marked timed out."""
LOAD_SECONDS = 5.0
FULL_UP_TO = 1_000_000
"""Larger scales get the light run (see :func:`run_light`): one machine cannot hold them in memory
several times over (our workers' copies, the in-process store, two Oxigraph servers, rdflib)."""
PUBLISH_TIMEOUT = 900.0
"""Seconds `samkart publish` may take at one scale before it is marked timed out."""
BENCH_CATALOGUE = {  # an example publisher, for the benchmark only: a deployment supplies its own
    "SAMKART_PUBLIC_BASE_URL": "https://data.example.org/samkart/", "SAMKART_PUBLISHER_NAME": "Eksempelpublisist",
    "SAMKART_PUBLISHER_IRI": "https://data.example.org/org/eksempel", "SAMKART_CONTACT_NAME": "Eksempel kontakt",
    "SAMKART_CONTACT_EMAIL": "post@example.org",
    "SAMKART_LICENCE": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"}
LIGHT_TIMEOUT = 60.0
"""Seconds one query may take in the light run, in the engine and in our service."""
STARTS = 3
"""Process starts on each side (the engine's in-process store loaded anew, our service started anew) over
which quick queries are measured; each figure is the median over the starts."""
QUICK_MS = 100.0
"""Queries whose raw median (first start) is under this many ms are the quick ones measured over STARTS
process starts: for them a query varies more between starts than within one (the heavy ones once)."""


def throughput(server: str, base: str, requests: dict[str, Request], pid: int | None) -> list[dict]:
    """Requests per second and latency percentiles of each request at 8 and 32 concurrent clients."""
    rows = []
    for name, request in requests.items():
        for clients in CLIENTS:
            report = asyncio.run(run_load(base, clients, LOAD_SECONDS, [request], pid=pid))
            rows.append({"server": server, "query": name, "clients": clients, "rps": report.requests_per_s,
                         **{k: report.latency_ms.get(k, 0.0) for k in ("p50", "p95", "p99")},
                         "errors": report.wrong_answers + report.unexpected_5xx + report.unexpected_status
                         + report.transport_errors})
    return rows


def dataset(scale: str, folder: Path) -> tuple[Path, float]:
    """The synthetic dataset (with the ontology graph) for ``scale``, generated once; and the seconds it took."""
    path = folder / f"syn-{scale}.nq"
    if path.is_file():
        return path, 0.0
    started = time.monotonic()
    with_ontology(path, SCALES[scale], seed=0)
    return path, time.monotonic() - started


def triples_file(data: Path) -> Path:
    """The union of the dataset's graphs as N-Triples (for rdflib-endpoint, which serves one graph)."""
    path = data.with_suffix(".nt")
    if not path.is_file():
        store = ox.Store()
        bulk_load(store, [data])
        with path.open("wb") as out:
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store), out, ox.RdfFormat.N_TRIPLES)
    return path


def publishing(data: Path | None, folder: Path) -> tuple[float, float] | None:
    """`samkart publish` of ``data`` (or of the build): seconds and peak MB; None past PUBLISH_TIMEOUT.
    The files go to a temporary folder, removed afterwards."""
    out = Path(tempfile.mkdtemp(dir=folder, prefix="publish-"))
    try:
        return measure.command([sys.executable, "-m", "samkart.cli", "publish", str(out),
                                *(["--data", str(data)] if data else [])], env=BENCH_CATALOGUE, timeout=PUBLISH_TIMEOUT)
    finally:
        shutil.rmtree(out, ignore_errors=True)


@contextmanager
def working_folder(folder: Path):
    """A folder under ``folder`` for one scale's stores and published files, removed afterwards even when
    the run fails (each scale's stores take up to 3 GB; the generated datasets stay in ``folder`` as a cache)."""
    work = Path(tempfile.mkdtemp(dir=folder, prefix="work-"))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def pipeline(data: Path, stores: Path, memory_copy: bool = True, publish: bool = True) -> dict:
    """Ingest into the on-disk store in ``stores``, SHACL validation, publishing (unless ``publish`` is
    false; its files go beside ``stores`` and are removed) and the service's start-up: seconds and peak memory."""
    python = sys.executable
    ingest = measure.command([python, "-c", "import sys; from pathlib import Path; from samkart.sparql.diskstore import prepare; "
                              "prepare([Path(sys.argv[1])], Path(sys.argv[2]))", str(data), str(stores)])
    validate = measure.command([python, "-m", "samkart.cli", "validate", "--data", str(data)])
    published = publishing(data, stores.parent) if publish else None
    with servers.samkart(data, stores, memory_copy=memory_copy) as server:
        startup, memory = server.startup, server.memory()
        in_memory = server.wait_in_memory() if memory_copy else None
        loaded_memory = server.memory()
    return {"ingest_s": ingest[0], "ingest_mb": ingest[1], "validate_s": validate[0], "validate_mb": validate[1],
            "publish_run": publish, "publish_s": published and published[0], "publish_mb": published and published[1],
            "startup_s": startup, "startup_mb": memory, "in_memory_s": None if None in (startup, in_memory) else startup + in_memory,
            "in_memory_mb": loaded_memory}


def real_graph(folder: Path) -> dict:
    """The real graph (the five documents): build, SHACL validation and the service's start-up, in seconds;
    ``folder`` is a working folder (see :func:`working_folder`)."""
    from samkart.graph.build import build

    python = sys.executable
    data = folder / "real.nq"
    started = time.monotonic()
    build(Settings(), data)
    built = time.monotonic() - started
    validate = measure.command([python, "-m", "samkart.cli", "validate", "--data", str(data)])
    published = publishing(None, folder)
    with servers.samkart(data, folder / "stores") as server:
        startup, memory = server.startup, server.memory()
    return {"build_s": built, "validate_s": validate[0], "validate_mb": validate[1], "startup_s": startup,
            "startup_mb": memory, "publish_s": published and published[0], "publish_mb": published and published[1]}


def peers_over_http(data: Path, work: list, rdflib_budget: float, folder: Path) -> dict:
    """Median and first milliseconds per query on each HTTP peer (None: did not finish in time)."""
    results: dict[str, dict] = {}
    with measure.Client() as client:
        with servers.oxigraph(None) as memory:
            results["load_oxigraph_memory_s"] = servers.load_oxigraph(memory, data)
            results["Oxigraph server (memory)"] = {n: measure.over_http(client, memory.query_url, t, PEER_TIMEOUT) for n, _, t in work}
            texts = {n: t for n, _, t in work if n in LOADED}
            results["throughput"] = throughput(memory.name, memory.base, {
                n: Request("GET", "/query", {"query": text}, {"Accept": measure.JSON}, name=n) for n, text in texts.items()},
                memory.process.pid)
            with servers.samkart(data, folder, workers=2, endpoint=memory.query_url) as remote:
                results["samkart remote (2 workers)"] = {n: measure.named(client, remote.base, n, p) for n, p, _ in work}
        location = folder / "oxigraph"
        results["load_oxigraph_disk_s"] = servers.load_oxigraph_disk(location, data)
        with servers.oxigraph(location) as disk:
            results["Oxigraph server (disk)"] = {n: measure.over_http(client, disk.query_url, t, PEER_TIMEOUT) for n, _, t in work}
        with servers.rdflib_endpoint(triples_file(data), rdflib_budget) as peer:
            results["rdflib_endpoint_up"] = peer.up
            results["rdflib-endpoint"] = {n: measure.over_http(client, peer.query_url, t, 20, most=2) if peer.up else None
                                          for n, _, t in work}
    return results


def ours(data: Path, stores: Path, work: list, memory_copy: bool = True, timeout: float = 120,
         load: bool = True) -> tuple[dict, dict, list]:
    """Our service over HTTP, once its workers answer from memory: every named query cold (first request),
    uncached and warm (median, from the cache), then (with ``load``) the loaded queries under concurrent load."""
    with measure.Client() as client, servers.samkart(data, stores, timeout=timeout, memory_copy=memory_copy) as server:
        server.wait_in_memory()
        client.get(f"{server.base}/sparql", {"query": measure.FIRST_QUERY}, {"Accept": measure.JSON})
        most = 25 if memory_copy else 5  # the light run: each query once cold, then a few times
        timings = {n: measure.named(client, server.base, n, p, most=most) for n, p, _ in work}
        uncached = {n: measure.named(client, server.base, n, p, fresh=True, most=most) for n, p, _ in work}
        loaded = throughput(server.name, server.base, {  # not a query that did not finish within the limit
            n: Request("GET", f"/api/queries/{n}", p, {"Accept": measure.JSON}, name=n)
            for n, p, _ in work if n in LOADED and uncached[n] is not None}, server.process.pid) if load else []
    return timings, uncached, loaded


def raw_on_disk(store: Path, work: list) -> dict:
    """The engine limit on the on-disk store: pyoxigraph in one killable worker process (first and median
    ms; None past LIGHT_TIMEOUT) — in-process, a query past any limit could not be stopped."""
    from samkart.errors import QueryTimeout
    from samkart.sparql.workers import QueryPool

    pool = QueryPool(store, size=1, max_rows=10**8, heavy_after=LIGHT_TIMEOUT + 1, max_heavy=1)
    union, timings = {"use_default_graph_as_union": True}, {}
    try:
        for name, _, text in work:
            try:
                timings[name] = measure.repeat(lambda: pool.run(text, union, LIGHT_TIMEOUT), most=5)
            except QueryTimeout:
                timings[name] = None
    finally:
        pool.close()
    return timings


def run_light(scale: str, folder: Path, work_folder: Path) -> dict:
    """A scale past FULL_UP_TO: the pipeline, the engine on its on-disk store and our service on the same
    store without in-memory copies (each query limited to LIGHT_TIMEOUT); no peers."""
    from samkart.sparql.diskstore import store_path

    data, generated = dataset(scale, folder)
    stores = work_folder / "stores"
    figures = {"scale": scale, "generate_s": generated, "light": True, "query_limit_s": LIGHT_TIMEOUT,
               **pipeline(data, stores, memory_copy=False, publish=False)}
    store = store_path([data], stores)
    engine = ox.Store.read_only(str(store))
    figures["triples"] = len(engine)
    work = measure.workload(Settings().queries_dir, measure.example_iris(engine))
    del engine
    figures["raw pyoxigraph"] = raw_on_disk(store, work)
    figures["samkart"], figures["samkart uncached"], figures["throughput"] = ours(
        data, stores, work, memory_copy=False, timeout=LIGHT_TIMEOUT)
    return figures


def across_starts(starts: list[dict]) -> dict:
    """Per query, each figure (first, median, …) as the median over the process starts that measured the
    query; a query any start could not measure keeps the first start's entry."""
    combined = {}
    for name, entry in starts[0].items():
        seen = [entry] + [more[name] for more in starts[1:] if name in more]
        usable = entry is not None and all(s is not None for s in seen)
        combined[name] = tuple(statistics.median(values) for values in zip(*seen)) if usable else entry
    return combined


def raw_in_process(data: Path, work: list) -> dict:
    """The engine limit for ``work`` on a freshly loaded in-process store (first, median ms per query)."""
    store = measure.load_in_thread(data)  # freed on return, before the next start loads its own
    return {n: measure.raw(store, t) for n, _, t in work}


def repeated_starts(data: Path, stores: Path, work: list, raw_first: dict, starts: int) -> dict:
    """The quick queries (raw median under QUICK_MS) measured on ``starts`` − 1 more process starts of each
    side: {figure: [per start]}, the first start's figures not included."""
    quick = [w for w in work if raw_first[w[0]] is not None and raw_first[w[0]][1] < QUICK_MS]
    more: dict[str, list] = {"raw pyoxigraph": [], "samkart": [], "samkart uncached": []}
    for _ in range(starts - 1):
        more["raw pyoxigraph"].append(raw_in_process(data, quick))
    for _ in range(starts - 1):
        warm, uncached, _ = ours(data, stores, quick, load=False)
        more["samkart"].append(warm)
        more["samkart uncached"].append(uncached)
    return more


def run_scale(scale: str, folder: Path, work_folder: Path, rdflib_budget: float, starts: int = STARTS) -> dict:
    """Every figure for one dataset size (the light run past FULL_UP_TO); the dataset is generated into
    ``folder`` once, stores and servers' files go to ``work_folder``."""
    if SCALES[scale] > FULL_UP_TO:
        return run_light(scale, folder, work_folder)
    data, generated = dataset(scale, folder)
    started = time.monotonic()
    store = measure.load_in_thread(data)
    loaded = time.monotonic() - started
    work = measure.workload(Settings().queries_dir, measure.example_iris(store))
    figures = {"scale": scale, "triples": len(store), "generate_s": generated, "load_pyoxigraph_s": loaded,
               **pipeline(data, stores := work_folder / "stores")}
    figures["raw pyoxigraph"] = {n: measure.raw(store, t) for n, _, t in work}
    del store
    figures["samkart"], figures["samkart uncached"], under_load = ours(data, stores, work)
    more = repeated_starts(data, stores, work, figures["raw pyoxigraph"], starts)
    figures["starts"] = {"count": starts, "quick_ms": QUICK_MS, "first": {k: figures[k] for k in more}, "more": more}
    for key, later in more.items():
        figures[key] = across_starts([figures[key], *later])
    figures.update(peers_over_http(data, work, rdflib_budget, work_folder))
    figures["throughput"] = under_load + figures.get("throughput", [])
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark at the given scales and write the JSON figures and the markdown report."""
    parser = argparse.ArgumentParser(prog="samkart bench", description=__doc__)
    add_arguments(parser)
    return bench(parser.parse_args(argv))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `samkart bench`."""
    parser.add_argument("--scales", default="10k,100k,1m", help="comma-separated: 10k, 100k, 1m, 10m")
    parser.add_argument("--folder", default="build/bench", help="where data, stores and figures go")
    parser.add_argument("--report", default="docs/performance.md", help="markdown report to write ('' for none)")
    parser.add_argument("--rdflib-budget", type=float, default=600.0, help="seconds rdflib-endpoint may take to start")
    parser.add_argument("--keep", action="store_true", help="keep the figures of other scales from an earlier run")
    parser.add_argument("--starts", type=int, default=STARTS,
                        help=f"process starts per side over which queries under {QUICK_MS:g} ms are measured (median)")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: write the report from the figures of the earlier run(s)")


def bench(args: argparse.Namespace) -> int:
    """Run the benchmark as ``args`` say."""
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    figures = folder / "figures.json"
    reuse = (args.keep or args.report_only) and figures.is_file()
    earlier = {r["scale"]: r for r in json.loads(figures.read_text())} if reuse else {}
    if not args.report_only:
        with working_folder(folder) as work:
            earlier["real"] = {"scale": "real", **real_graph(work)}
    for scale in [] if args.report_only else args.scales.split(","):
        print(f"bench: {scale}…", file=sys.stderr, flush=True)
        with working_folder(folder) as work:
            earlier[scale.strip()] = run_scale(scale.strip(), folder, work, args.rdflib_budget, args.starts)
        figures.write_text(json.dumps(list(earlier.values()), indent=1), encoding="utf-8")
    real = earlier.pop("real")
    runs = sorted(earlier.values(), key=lambda r: r["triples"])
    figures.write_text(json.dumps([real, *runs], indent=1), encoding="utf-8")
    if args.report:
        command = "samkart bench --scales " + ",".join(r["scale"] for r in runs)
        report = Path(args.report)
        notes = kept_notes(report.read_text(encoding="utf-8")) if report.is_file() else ""
        report.write_text(markdown(runs, measure.machine(), command, real, notes), encoding="utf-8")
    print(json.dumps(runs, indent=1))
    return 0


def register(commands) -> None:
    """Add `samkart bench` to the samkart command line (entry point group samkart.commands)."""
    parser = commands.add_parser("bench", help="benchmark samkart against its peers at several data sizes")
    add_arguments(parser)
    parser.set_defaults(func=lambda args, _settings: bench(args))


if __name__ == "__main__":
    sys.exit(main())
