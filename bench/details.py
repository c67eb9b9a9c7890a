"""The benchmark's figures as docs/performance.md: machine, command, targets, tables of times and ratios."""

from __future__ import annotations

import time

PEERS = ["Oxigraph server (memory)", "Oxigraph server (disk)", "rdflib-endpoint", "samkart remote (2 workers)"]


def ms(value) -> str:
    """A millisecond figure for a table ('timed out' when missing)."""
    if value is None:
        return "timed out"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def ratio(ours: float | None, theirs: float | None) -> str:
    """How many times faster we are (theirs ÷ ours); 'peer timed out' when it did not answer."""
    if ours is None:
        return "–"
    if theirs is None:
        return "peer timed out"
    return f"{theirs / ours:.1f}×" if theirs / ours < 100 else f"{theirs / ours:.0f}×"


def _median(entry):
    return None if entry is None else entry[1]


def _first(entry):
    return None if entry is None else entry[0]


def _inside(entry):
    """The query's own time inside our service (Server-Timing), where the run measured it."""
    return None if entry is None or len(entry) < 3 else entry[2]


def _engine(entry):
    """Of the query's time inside our service, the worker process's own (Server-Timing ``engine``), where
    the run measured it (None for figures from before it was, or a backend without workers)."""
    return entry[3] if entry is not None and len(entry) > 3 and entry[3] > 0 else None


def _inside_cell(entry) -> str:
    """The query's time inside the service, with the worker's own share after a slash where measured."""
    if _inside(entry) is None:
        return "–"
    return ms(_inside(entry)) + ("" if _engine(entry) is None else f" / {ms(_engine(entry))}")


def our_part(run: dict, name: str) -> float | None:
    """Milliseconds an uncached request spends outside the query's round trip to the backend: HTTP both
    ways, routing, the thread hop, sending the body (uncached median − query time inside)."""
    entry = run.get("samkart uncached", {}).get(name)
    inside = _inside(entry)
    return None if inside is None else _median(entry) - inside


def query_table(run: dict) -> list[str]:
    """Per named query: raw engine, ours cold/warm, and each peer (median ms)."""
    engine = any(_engine(e) is not None for e in run.get("samkart uncached", {}).values())
    inside = "of which the query / in the worker" if engine else "of which the query"
    lines = [f"| query | raw pyoxigraph | samkart cold | samkart uncached | {inside} | samkart warm | "
             + " | ".join(PEERS) + " |",
             "|---|" + "---:|" * (5 + len(PEERS))]
    for name, raw in sorted(run["raw pyoxigraph"].items()):
        cold, warm = _first(run["samkart"][name]), _median(run["samkart"][name])
        uncached = run.get("samkart uncached", {}).get(name)
        peers = [ms(_median(run[p].get(name))) if p in run else "not run" for p in PEERS]
        lines.append(f"| `{name}` | {ms(_median(raw))} | {ms(cold)} | {ms(_median(uncached))} | {_inside_cell(uncached)} | {ms(warm)} | "
                     + " | ".join(peers) + " |")
    return lines


def latency_shares(run: dict) -> dict[str, tuple[float | None, float | None]]:
    """Per named query: uncached median ÷ (1.2 × raw median + 2 ms) and cold first request ÷ (1.2 × raw
    first run + 2 ms); ≤ 1 meets the latency target, None where ours did not answer."""
    shares = {}
    for name, raw in run["raw pyoxigraph"].items():
        uncached = _median(run.get("samkart uncached", {}).get(name))
        cold = _first(run["samkart"][name])
        shares[name] = (None if None in (uncached, raw) else uncached / (1.2 * raw[1] + 2),
                        None if None in (cold, raw) else cold / (1.2 * raw[0] + 2))
    return shares


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _part(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def ratio_table(run: dict) -> list[str]:
    """Per named query: each peer's median ÷ our warm median (how many times faster samkart answers)."""
    lines = ["| query | " + " | ".join(f"÷ {p}" for p in PEERS)
             + " | uncached ÷ (1.2 × raw + 2 ms) | cold ÷ (1.2 × raw first + 2 ms) | our part ms |",
             "|---|" + "---:|" * (len(PEERS) + 3)]
    shares = latency_shares(run)
    for name in sorted(run["raw pyoxigraph"]):
        warm = _median(run["samkart"][name])
        uncached, cold = shares[name]
        lines.append(f"| `{name}` | " + " | ".join(ratio(warm, _median(run[p].get(name))) if p in run else "not run"
                                                  for p in PEERS)
                     + f" | {_share(uncached)} | {_share(cold)} | {_part(our_part(run, name))} |")
    return lines


def _count(flags: list[bool]) -> str:
    return f"{sum(flags)} of {len(flags)}"


def _throughput_ratios(run: dict) -> list[float]:
    """Our warm requests per second ÷ Oxigraph server's (memory), per loaded query and client count
    (infinite where Oxigraph server completed no request within the load test)."""
    rows = run.get("throughput", [])
    theirs = {(r["query"], r["clients"]): r["rps"] for r in rows if r["server"] == "Oxigraph server (memory)"}
    return [r["rps"] / theirs[key] if theirs[key] else float("inf") for r in rows
            if r["server"] == "samkart" and (key := (r["query"], r["clients"])) in theirs]


def _rdflib_flags(run: dict) -> list[bool]:
    """Per query: warm samkart at least 100× faster than rdflib-endpoint (or the peer did not answer)."""
    peer = run.get("rdflib-endpoint", {})
    flags = []
    for name in run["raw pyoxigraph"]:
        warm, theirs = _median(run["samkart"][name]), _median(peer.get(name))
        flags.append(warm is not None and (theirs is None or theirs / warm >= 100))
    return flags


def targets_table(runs: list[dict], real: dict | None) -> list[str]:
    """Each target of the performance issue, computed from this run's figures, per scale."""
    lines = ["| target | " + " | ".join(r["scale"] for r in runs) + " |", "|---|" + "---|" * len(runs)]

    def row(label: str, cell) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in runs) + " |")

    def rps(run: dict) -> str:
        ratios = _throughput_ratios(run)
        if not ratios:
            return "–"
        finite = [x for x in ratios if x != float("inf")]
        unanswered = len(ratios) - len(finite)
        lowest = [f"lowest {min(finite):.1f}×"] if finite else []
        none = [f"Oxigraph server answered none of {unanswered} within the test"] if unanswered else []
        return f"{_count([x >= 1 for x in ratios])} ({'; '.join(lowest + none)})"

    row("warm throughput ≥ Oxigraph server (memory), loaded queries × 8/32 clients", rps)
    row("warm ≥ 100× rdflib-endpoint, named queries", lambda r: "not run" if "rdflib-endpoint" not in r else
        _count(_rdflib_flags(r)) + ("" if r.get("rdflib_endpoint_up", True) else " (peer did not start)"))
    row("uncached ≤ 1.2 × raw + 2 ms, named queries",
        lambda r: _count([u is not None and u <= 1 for u, _ in latency_shares(r).values()]))
    row("cold first request ≤ 1.2 × raw first + 2 ms", lambda r: _count([c is not None and c <= 1 for _, c in latency_shares(r).values()]))
    row("uncached, split: our part ≤ 0.2 × raw + 2 ms (request − query time inside, by Server-Timing)", _our_parts)
    row("start-up < 5 s (s)", lambda r: "–" if r["startup_s"] is None else f"{r['startup_s']:.2f}")
    row("SHACL validation < 60 s at 1M (s)", lambda r: f"{r['validate_s']:.1f}")
    if real:
        lines += ["", f"Real graph (the five documents): SHACL validation {real['validate_s']:.2f} s (target < 2 s; "
                  f"peak {real['validate_mb']:.0f} MB), start-up {real['startup_s']:.2f} s (target < 1 s; "
                  f"{real['startup_mb']:.0f} MB with its query workers), build {real['build_s']:.1f} s"
                  + (f", publish {_real_publish(real)}." if "publish_s" in real else ".")]
    return lines


def _our_parts(run: dict) -> str:
    """How many uncached requests spent at most the target's allowance for the service (0.2 × raw + 2 ms)
    outside the query itself, and how many ran the query inside the service within the raw engine time."""
    parts, inside = [], []
    for name, raw in run["raw pyoxigraph"].items():
        entry = run.get("samkart uncached", {}).get(name)
        if raw is None or _inside(entry) is None:
            continue
        parts.append(our_part(run, name) <= 0.2 * raw[1] + 2)
        inside.append(_inside(entry) <= raw[1])
    return f"{_count(parts)}; query inside ≤ raw: {_count(inside)}" if parts else "–"


def _seconds_mb(run: dict, seconds: str, mb: str) -> str:
    return "–" if run.get(seconds) is None else f"{run[seconds]:.2f} ({run[mb]:.0f})"


def _real_publish(real: dict) -> str:
    return "timed out" if real["publish_s"] is None else f"{real['publish_s']:.1f} s (peak {real['publish_mb']:.0f} MB)"


def _publish(run: dict) -> str:
    if "publish_s" not in run:  # figures from before publishing was measured
        return "–"
    if not run.get("publish_run", True):
        return "not run"
    return "timed out" if run.get("publish_s") is None else _seconds_mb(run, "publish_s", "publish_mb")


def pipeline_table(runs: list[dict]) -> list[str]:
    """Per scale: triples, generation (the build of synthetic data; "reused" when its file was there),
    ingest, validation, publishing, start-up and the workers' in-memory copies, with memory."""
    lines = ["| scale | triples | generate s | ingest s (MB) | SHACL s (MB) | publish s (MB) | start-up s (MB) | "
             "in memory s (MB) | Oxigraph load memory / disk s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        generated = f"{run['generate_s']:.1f}" if run.get("generate_s") else "reused"
        lines.append(f"| {run['scale']} | {run['triples']:,} | {generated} | {_seconds_mb(run, 'ingest_s', 'ingest_mb')} | "
                     f"{_seconds_mb(run, 'validate_s', 'validate_mb')} | {_publish(run)} | "
                     f"{_seconds_mb(run, 'startup_s', 'startup_mb')} | "
                     f"{_seconds_mb(run, 'in_memory_s', 'in_memory_mb') if not run.get('light') else 'off'} | "
                     + ("not run |" if run.get("light") else
                        f"{run['load_oxigraph_memory_s']:.1f} / {run['load_oxigraph_disk_s']:.1f} |"))
    return lines


def curve_table(runs: list[dict]) -> list[str]:
    """Raw engine and our cold time per query across scales (the growth curve)."""
    lines = ["| query | " + " | ".join(f"{r['scale']} raw / cold" for r in runs) + " |",
             "|---|" + "---:|" * len(runs)]
    for name in sorted(runs[0]["raw pyoxigraph"]):
        cells = [f"{ms(_median(r['raw pyoxigraph'].get(name)))} / {ms(_first(r['samkart'].get(name)))}" for r in runs]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return lines


def throughput_table(runs: list[dict]) -> list[str]:
    """Requests per second and latency percentiles under concurrent load, where measured."""
    lines = ["| scale | server | query | clients | req/s | p50 ms | p95 ms | p99 ms | errors |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        for row in run.get("throughput", []):
            lines.append(f"| {run['scale']} | {row['server']} | `{row['query']}` | {row['clients']} | "
                         f"{row['rps']:.0f} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | {row['errors']} |")
    return lines


def light_note(run: dict) -> str:
    """What a light run (a scale past 1M triples) measures."""
    return ("Light run (past 1M triples): *raw pyoxigraph* is the engine on the on-disk store in one killable "
            "worker process, our service runs on the same store without in-memory copies, each query is "
            f"limited to {run['query_limit_s']:g} s (*timed out* past it), and the peers are not run.\n")

NOTES = ("<!-- notes -->", "<!-- /notes -->")
"""Markers around the hand-written analysis in the report; a new run keeps what is between them."""


def kept_notes(report: str) -> str:
    """The hand-written analysis of an earlier report (markers included), or ''."""
    start, end = report.find(NOTES[0]), report.find(NOTES[1])
    return report[start:end + len(NOTES[1])] if 0 <= start < end else ""


def starts_note(runs: list[dict]) -> str:
    """A sentence on the process starts the quick queries were measured over (none when one start)."""
    counted = [r["starts"] for r in runs if r.get("starts", {}).get("count", 1) > 1]
    if not counted:
        return ""
    return (f" Queries whose raw median is under {counted[0]['quick_ms']:g} ms are measured on "
            f"{counted[0]['count']} process starts of each side (the engine's store loaded anew, our service "
            "started anew), each figure the median over the starts: such a query varies more between process "
            "starts than within one. Heavier queries, the load test and the peers are measured on one start.")


def markdown(runs: list[dict], machine: str, command: str, real: dict | None = None, notes: str = "") -> str:
    """The whole report."""
    parts = [f"# Performance\n\nMeasured {time.strftime('%Y-%m-%d')} on {machine}, by `{command}` "
             "(figures also in `build/bench/figures.json`). Times are milliseconds, medians of up to 25 "
             "sequential requests after the first (cold) one, unless marked, sent over one keep-alive "
             "connection per server with Python's `http.client` (the load test uses httpx's async client). "
             "Our service is measured once its "
             "query workers answer from their in-memory copies (*in memory* in the pipeline table; before "
             "that the on-disk store answers). *samkart cold* is the first request of each query (empty "
             "result cache); *uncached* is the median of requests sent with `Cache-Control: no-cache`, so each "
             "one runs the query; *of which the query* is the part of an uncached request the query took inside "
             "the service, as its `Server-Timing` header reports it (the round trip to a query worker process: "
             "the engine and writing SPARQL JSON there, and the way back: the pipe, and shared memory for the "
             "result's bytes; after a slash, where measured, "
             "the worker's own part: its `engine` entry); the rest, *our part*, is HTTP "
             "both ways, routing, the thread hop and sending the body. *warm* is a repeated request (served from "
             "the result cache with an ETag). "
             "*raw pyoxigraph* is the engine limit: the query run in-process and its SPARQL JSON written, no "
             f"HTTP (its first run is the cold comparison).{starts_note(runs)}\n",
             "## Targets, computed from these figures\n", *targets_table(runs, real), ""]
    if notes:
        parts += [notes, ""]
    parts += ["## Pipeline per scale\n", *pipeline_table(runs), ""]
    if any(r.get("throughput") for r in runs):
        parts += ["## Throughput under concurrent load\n", *throughput_table(runs), ""]
    parts += ["## How cost grows with the data\n", *curve_table(runs), ""]
    for run in runs:
        parts += [f"## {run['scale']} ({run['triples']:,} triples)\n", *([light_note(run)] if run.get("light") else []),
                  *query_table(run), "",
                  "How many times faster samkart (warm) answers than each peer, and our uncached and cold "
                  "times against the target 1.2 × raw + 2 ms (≤ 1.00 meets it):\n", *ratio_table(run), ""]
    return "\n".join(parts) + "\n"
