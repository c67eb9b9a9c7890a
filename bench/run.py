"""`samkart bench`: the same data and queries on samkart and its peers at several sizes; writes docs/performance.md.

Each scale is the real graph (``real``: the build of the five documents) or a synthetic one (10k … 10m
triples). Per scale: the pipeline (ingest, SHACL, publishing, start-up), every named query on the raw
engine, on our service (cold, uncached, warm) and on each peer, and the warm throughput of every named
query on our service and on Oxigraph server (memory and disk) with wrk. The figures go to
``figures.json``, the report to docs/performance.md and the detailed tables to ``details.md``; stdout gets
the targets and the ratio tables only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from samkart.errors import SamkartError
from samkart.settings import Settings
from samkart.sparql.store import bulk_load

from . import cli, measure, servers, throughput
from .cli import QUICK_MS
from .details import details
from .report import SIDE, kept_notes, markdown, summary
from .synthetic import with_ontology

SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
"""Synthetic scales and their triple counts (``real`` is the build)."""
SEARCH_TEXT = {"real": "digital", "synthetic": "syntetisk"}
"""What the `search` query looks for: its own default on the real graph, the word every synthetic label has."""
PEER_TIMEOUT = 120.0
"""Seconds a peer may take for one query before it is marked timed out."""
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
register = cli.register
"""`samkart bench` in the command line (kept here for entry points that name this module)."""


def dataset(scale: str, folder: Path, work: Path) -> tuple[Path, float]:
    """The dataset for ``scale`` and the seconds it took to make: the real graph built into ``work`` (each
    run, from the sources as they are), or the synthetic dataset (with the ontology graph) generated into
    ``folder`` once and reused (0 seconds then)."""
    if scale == "real":
        from samkart.graph.build import build

        path, started = work / "real.nq", time.monotonic()
        build(Settings(), path)
        return path, time.monotonic() - started
    path = folder / f"syn-{scale}.nq"
    if path.is_file():
        return path, 0.0
    started = time.monotonic()
    with_ontology(path, SCALES[scale], seed=0)
    return path, time.monotonic() - started


def named_work(store: ox.Store, scale: str, only: list[str]) -> list:
    """The named queries measured at ``scale`` (all, or those named in ``only``), parameters picked from the data."""
    search = SEARCH_TEXT["real" if scale == "real" else "synthetic"]
    work = measure.workload(Settings().queries_dir, measure.example_iris(store, search))
    unknown = sorted(set(only) - {name for name, _, _ in work})
    if unknown:
        raise SamkartError(f"no named query {', '.join(unknown)}: use {', '.join(name for name, _, _ in work)}")
    return [w for w in work if not only or w[0] in only]


def triples_file(data: Path) -> Path:
    """The union of the dataset's graphs as N-Triples (for rdflib-endpoint, which serves one graph)."""
    path = data.with_suffix(".nt")
    if not path.is_file():
        store = ox.Store()
        bulk_load(store, [data])
        with path.open("wb") as out:
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store), out, ox.RdfFormat.N_TRIPLES)
    return path


def publishing(data: Path | None, folder: Path) -> tuple[float, ...] | None:
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
    validate = measure.command([python, "-m", "samkart.cli", "validate", "--data", str(data)], cpu=True)
    published = publishing(data, stores.parent) if publish else None
    with servers.samkart(data, stores, memory_copy=memory_copy) as server:
        startup, memory = server.startup, server.memory()
        in_memory = server.wait_in_memory() if memory_copy else None
        loaded_memory = server.memory()
    return {"ingest_s": ingest[0], "ingest_mb": ingest[1], "validate_s": validate[0], "validate_mb": validate[1],
            "validate_cpu_s": validate[2],
            "publish_run": publish, "publish_s": published and published[0], "publish_mb": published and published[1],
            "startup_s": startup, "startup_mb": memory,
            "in_memory_s": None if None in (startup, in_memory) else startup + in_memory, "in_memory_mb": loaded_memory}


def shacl_only(scale: str, folder: Path) -> dict:
    """`samkart validate` alone on the synthetic dataset of ``scale``: wall seconds, peak MB, CPU seconds, and
    the machine's load average after it (how much of the cores it had)."""
    data, generated = dataset(scale, folder, folder)
    seconds, peak, cpu = measure.command([sys.executable, "-m", "samkart.cli", "validate", "--data", str(data)], cpu=True)
    with data.open("rb") as lines:  # N-Quads as written by the generator: one statement per line
        triples = sum(chunk.count(b"\n") for chunk in iter(lambda: lines.read(1 << 20), b""))
    return {"scale": scale, "triples": triples, "generate_s": generated, "validate_s": seconds, "validate_mb": peak,
            "validate_cpu_s": cpu, "cores": os.cpu_count(), "load_average": os.getloadavg()}


def peers_over_http(data: Path, work: list, rdflib_budget: float, folder: Path, seconds: float) -> dict:
    """Median and first milliseconds per query on each HTTP peer (None: did not finish in time), and the warm
    throughput of each query on Oxigraph server in memory and on disk."""
    results: dict[str, Any] = {"throughput": []}  # JSON-ready figures of several shapes
    with measure.Client() as client:
        with servers.oxigraph(None) as memory:
            results["load_oxigraph_memory_s"] = servers.load_oxigraph(memory, data)
            results[memory.name] = {n: measure.over_http(client, memory.query_url, t, PEER_TIMEOUT) for n, _, t in work}
            results["throughput"] += oxigraph_throughput(memory, work, results[memory.name], seconds)
            with servers.samkart(data, folder, workers=2, endpoint=memory.query_url) as remote:
                results["samkart remote (2 workers)"] = {n: measure.named(client, remote.base, n, p) for n, p, _ in work}
        location = folder / "oxigraph"
        results["load_oxigraph_disk_s"] = servers.load_oxigraph_disk(location, data)
        with servers.oxigraph(location) as disk:
            results[disk.name] = {n: measure.over_http(client, disk.query_url, t, PEER_TIMEOUT) for n, _, t in work}
            results["throughput"] += oxigraph_throughput(disk, work, results[disk.name], seconds)
        with servers.rdflib_endpoint(triples_file(data), rdflib_budget) as peer:
            results["rdflib_endpoint_up"] = peer.up
            results["rdflib-endpoint"] = {n: measure.over_http(client, peer.query_url, t, 20, most=2) if peer.up else None
                                          for n, _, t in work}
    return results


def oxigraph_throughput(server: servers.Server, work: list, latency: dict, seconds: float) -> list[dict]:
    """Throughput rows of every query the Oxigraph server answered (see :func:`samkart_bench.throughput.measure`)."""
    requests = {n: throughput.protocol_request(server.query_url, t) for n, _, t in work if latency.get(n) is not None}
    return throughput.measure(server.name, server.process.pid, requests, seconds, latency)


def ours(data: Path, stores: Path, work: list, memory_copy: bool = True, timeout: float = 120,
         seconds: float | None = None, alongside: bool = False) -> tuple[dict, dict, list, dict]:
    """Our service over HTTP, once its workers answer from memory: every named query cold (first request),
    uncached and warm (median, from the cache), then (given wrk ``seconds``) each warm query's throughput.
    With ``alongside``, Oxigraph server (memory) is started anew and loaded beside ours, and each uncached
    query takes turns with the same query on it (:func:`samkart_bench.measure.side_by_side`);
    its figures are the fourth value (else empty)."""
    with peer_alongside(data, alongside) as peer, measure.Client() as client, \
            servers.samkart(data, stores, timeout=timeout, memory_copy=memory_copy) as server:
        server.wait_in_memory()
        client.get(f"{server.base}/sparql", {"query": measure.FIRST_QUERY}, {"Accept": measure.JSON})
        most = 25 if memory_copy else 5  # the light run: each query once cold, then a few times
        timings = {n: measure.named(client, server.base, n, p, most=most) for n, p, _ in work}
        uncached, theirs = {}, {}
        for n, p, text in work:
            if peer is None:
                uncached[n] = measure.named(client, server.base, n, p, fresh=True, most=most)
            else:
                uncached[n], theirs[n] = measure.side_by_side(client, server.base, n, p, peer.query_url, text,
                                                              PEER_TIMEOUT, most)
        requests = {n: throughput.named_request(server.base, n, p)  # not a query that did not finish in time
                    for n, p, _ in work if timings[n] is not None}
        loaded = throughput.measure(server.name, server.process.pid, requests, seconds) if seconds else []
    return timings, uncached, loaded, theirs


@contextmanager
def peer_alongside(data: Path, wanted: bool):
    """Oxigraph server in memory, started and loaded with ``data`` (None when not ``wanted``)."""
    if not wanted:
        yield None
        return
    with servers.oxigraph(None) as memory:
        servers.load_oxigraph(memory, data)
        yield memory


def raw_on_disk(store: Path, work: list) -> dict:
    """The engine limit on the on-disk store: pyoxigraph in one killable worker process (first and median
    ms; None past LIGHT_TIMEOUT) — in-process, a query past any limit could not be stopped."""
    from samkart.errors import QueryTimeout
    from samkart.sparql.workers import QueryPool

    pool = QueryPool(store, size=1, max_rows=10**8, heavy_after=LIGHT_TIMEOUT + 1, max_heavy=1)
    union = {"use_default_graph_as_union": True}
    timings: dict[str, tuple[float, float] | None] = {}
    try:
        for name, _, text in work:
            try:
                timings[name] = measure.repeat(partial(pool.run, text, union, LIGHT_TIMEOUT), most=5)
            except QueryTimeout:
                timings[name] = None
    finally:
        pool.close()
    return timings


def run_light(scale: str, folder: Path, work_folder: Path, seconds: float = cli.WRK_SECONDS, only=()) -> dict:
    """A scale past FULL_UP_TO: the pipeline, the engine on its on-disk store and our service on the same
    store without in-memory copies (each query limited to LIGHT_TIMEOUT); no peers."""
    from samkart.sparql.diskstore import store_path

    data, generated = dataset(scale, folder, work_folder)
    stores = work_folder / "stores"
    figures = {"scale": scale, "generate_s": generated, "light": True, "query_limit_s": LIGHT_TIMEOUT, "wrk_seconds": seconds,
               **pipeline(data, stores, memory_copy=False, publish=False)}
    store = store_path([data], stores)
    engine = ox.Store.read_only(str(store))
    figures["triples"] = len(engine)
    work = named_work(engine, scale, list(only))
    del engine
    figures["raw pyoxigraph"] = raw_on_disk(store, work)
    figures["samkart"], figures["samkart uncached"], figures["throughput"], _ = ours(
        data, stores, work, memory_copy=False, timeout=LIGHT_TIMEOUT, seconds=seconds)
    return figures


def across_starts(starts: list[dict]) -> dict:
    """Per query, each figure (first, median, …) as the median over the process starts that measured the
    query; a query any start could not measure keeps the first start's entry."""
    combined = {}
    for name, entry in starts[0].items():
        seen = [entry] + [more[name] for more in starts[1:] if name in more]
        usable = entry is not None and all(s is not None for s in seen)
        combined[name] = tuple(statistics.median(values) for values in zip(*seen, strict=True)) if usable else entry
    return combined


def raw_in_process(data: Path, work: list) -> dict:
    """The engine limit for ``work`` on a freshly loaded in-process store (first, median ms per query)."""
    store = measure.load_in_thread(data)  # freed on return, before the next start loads its own
    return {n: measure.raw(store, t) for n, _, t in work}


def repeated_starts(data: Path, stores: Path, work: list, raw_first: dict, starts: int) -> dict:
    """The quick queries (raw median under QUICK_MS) measured on ``starts`` − 1 more process starts of each
    side (ours uncached side by side with a new Oxigraph server): {figure: [per start]}, the first start's
    figures not included."""
    quick = [w for w in work if raw_first[w[0]] is not None and raw_first[w[0]][1] < QUICK_MS]
    more: dict[str, list] = {"raw pyoxigraph": [], "samkart": [], "samkart uncached": [], SIDE: []}
    for _ in range(starts - 1):
        more["raw pyoxigraph"].append(raw_in_process(data, quick))
    for _ in range(starts - 1):
        warm, uncached, _, theirs = ours(data, stores, quick, alongside=True)
        more["samkart"].append(warm)
        more["samkart uncached"].append(uncached)
        more[SIDE].append(theirs)
    return more


def run_scale(scale: str, folder: Path, work_folder: Path, args: argparse.Namespace) -> dict:
    """Every figure for one dataset (the light run past FULL_UP_TO); a synthetic dataset is generated into
    ``folder`` once, stores and servers' files go to ``work_folder``."""
    only = [q.strip() for q in args.queries.split(",") if q.strip()]
    if SCALES.get(scale, 0) > FULL_UP_TO:
        return run_light(scale, folder, work_folder, args.wrk_seconds, only)
    data, generated = dataset(scale, folder, work_folder)
    started = time.monotonic()
    store = measure.load_in_thread(data)
    loaded = time.monotonic() - started
    work = named_work(store, scale, only)
    figures = {"scale": scale, "triples": len(store), "generate_s": generated, "load_pyoxigraph_s": loaded,
               "wrk_seconds": args.wrk_seconds,
               **pipeline(data, stores := work_folder / "stores")}
    figures["raw pyoxigraph"] = {n: measure.raw(store, t) for n, _, t in work}
    del store
    figures["samkart"], figures["samkart uncached"], under_load, figures[SIDE] = ours(
        data, stores, work, seconds=args.wrk_seconds, alongside=True)
    more = repeated_starts(data, stores, work, figures["raw pyoxigraph"], args.starts)
    figures["starts"] = {"count": args.starts, "quick_ms": QUICK_MS, "first": {k: figures[k] for k in more}, "more": more}
    for key, later in more.items():
        figures[key] = across_starts([figures[key], *later])
    figures.update(peers_over_http(data, work, args.rdflib_budget, work_folder, args.wrk_seconds))
    figures["throughput"] = under_load + figures["throughput"]
    return figures


def read_figures(path: Path) -> dict:
    """The figures of an earlier run: {"runs": {scale: run}, "shacl": …} (a list of runs, as written before
    the SHACL-only figure, is read too)."""
    if not path.is_file():
        return {"runs": {}, "shacl": None}
    found = json.loads(path.read_text(encoding="utf-8"))
    runs = found if isinstance(found, list) else found.get("runs", [])
    return {"runs": {r["scale"]: r for r in runs}, "shacl": None if isinstance(found, list) else found.get("shacl")}


def ordered(runs: dict) -> list[dict]:
    """The real graph first, then the synthetic scales by size (a real entry without query figures, from
    before the real graph was a scale of its own, is left out)."""
    real = [runs["real"]] if "real" in runs and "raw pyoxigraph" in runs["real"] else []
    return real + sorted((r for s, r in runs.items() if s != "real"), key=lambda r: r["triples"])


def write_figures(path: Path, figures: dict) -> None:
    """figures.json: the runs in report order and the SHACL-only figure."""
    path.write_text(json.dumps({"runs": ordered(figures["runs"]), "shacl": figures["shacl"]}, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark at the given scales and write the JSON figures and the markdown report."""
    parser = argparse.ArgumentParser(prog="samkart bench", description=__doc__.split("\n")[0])
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(argv))


def bench(args: argparse.Namespace) -> int:
    """Run the benchmark as ``args`` say; print the targets and ratio tables."""
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "figures.json"
    figures = read_figures(path) if (args.keep or args.report_only) else {"runs": {}, "shacl": None}
    scales = [] if args.report_only else [s.strip() for s in args.scales.split(",") if s.strip()]
    for scale in scales:
        print(f"bench: {scale}…", file=sys.stderr, flush=True)
        before = os.getloadavg()[0]
        with working_folder(folder) as work:
            figures["runs"][scale] = run_scale(scale, folder, work, args)
        figures["runs"][scale]["load_average"] = [before, os.getloadavg()[0]]  # how busy the machine was
        write_figures(path, figures)
    if args.shacl_scale and not args.report_only:
        if args.shacl_scale in scales:
            run = figures["runs"][args.shacl_scale]
            figures["shacl"] = {k: run.get(k) for k in ("scale", "triples", "validate_s", "validate_mb", "validate_cpu_s")}
        else:
            print(f"bench: SHACL at {args.shacl_scale}…", file=sys.stderr, flush=True)
            figures["shacl"] = shacl_only(args.shacl_scale, folder)
    write_figures(path, figures)
    runs = ordered(figures["runs"])
    if not runs:
        raise SamkartError(f"no figures to report in {path}: run `samkart bench` without --report-only first")
    command = "samkart bench --scales " + ",".join(r["scale"] for r in runs)
    if args.report:
        report = Path(args.report)
        notes = kept_notes(report.read_text(encoding="utf-8")) if report.is_file() else ""
        report.write_text(markdown(runs, figures["shacl"], measure.machine(), command, notes), encoding="utf-8")
    (folder / "details.md").write_text(details(runs, measure.machine(), command), encoding="utf-8")
    print(summary(runs, figures["shacl"], path, args.report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
