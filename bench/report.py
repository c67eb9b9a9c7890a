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
    """How many times faster we are (theirs ÷ ours); '≥ x' when the peer timed out."""
    if ours is None:
        return "–"
    if theirs is None:
        return "peer timed out"
    return f"{theirs / ours:.1f}×" if theirs / ours < 100 else f"{theirs / ours:.0f}×"


def _median(entry):
    return None if entry is None else entry[1]


def _first(entry):
    return None if entry is None else entry[0]


def query_table(run: dict) -> list[str]:
    """Per named query: raw engine, ours cold/warm, and each peer (median ms)."""
    lines = ["| query | raw pyoxigraph | samkart cold | samkart uncached | samkart warm | " + " | ".join(PEERS) + " |",
             "|---|" + "---:|" * (4 + len(PEERS))]
    for name, raw in sorted(run["raw pyoxigraph"].items()):
        cold, warm = _first(run["samkart"][name]), _median(run["samkart"][name])
        uncached = _median(run.get("samkart uncached", {}).get(name))
        peers = [ms(_median(run.get(p, {}).get(name))) for p in PEERS]
        lines.append(f"| `{name}` | {ms(raw[1])} | {ms(cold)} | {ms(uncached)} | {ms(warm)} | " + " | ".join(peers) + " |")
    return lines


def ratio_table(run: dict) -> list[str]:
    """Per named query: each peer's median ÷ our warm median (how many times faster samkart answers)."""
    lines = ["| query | " + " | ".join(f"÷ {p}" for p in PEERS) + " | uncached ÷ (1.2 × raw + 2 ms) | cold ÷ (1.2 × raw + 2 ms) |",
             "|---|" + "---:|" * (len(PEERS) + 2)]
    for name, raw in sorted(run["raw pyoxigraph"].items()):
        cold, warm = _first(run["samkart"][name]), _median(run["samkart"][name])
        budget = 1.2 * raw[1] + 2
        uncached = _median(run.get("samkart uncached", {}).get(name))
        lines.append(f"| `{name}` | " + " | ".join(ratio(warm, _median(run.get(p, {}).get(name))) for p in PEERS)
                     + f" | {'–' if uncached is None else f'{uncached / budget:.2f}'} | "
                     + f"{'–' if cold is None else f'{cold / budget:.2f}'} |")
    return lines


def pipeline_table(runs: list[dict]) -> list[str]:
    """Per scale: triples, ingest, validation and start-up, with peak memory."""
    lines = ["| scale | triples | ingest s (MB) | SHACL s (MB) | start-up s (MB) | Oxigraph load memory / disk s |",
             "|---|---:|---:|---:|---:|---:|"]
    for run in runs:
        start = "–" if run["startup_s"] is None else f"{run['startup_s']:.2f} ({run['startup_mb']:.0f})"
        lines.append(f"| {run['scale']} | {run['triples']:,} | {run['ingest_s']:.2f} ({run['ingest_mb']:.0f}) | "
                     f"{run['validate_s']:.2f} ({run['validate_mb']:.0f}) | {start} | "
                     f"{run.get('load_oxigraph_memory_s', 0):.1f} / {run.get('load_oxigraph_disk_s', 0):.1f} |")
    return lines


def curve_table(runs: list[dict]) -> list[str]:
    """Raw engine and our cold time per query across scales (the growth curve)."""
    lines = ["| query | " + " | ".join(f"{r['scale']} raw / cold" for r in runs) + " |",
             "|---|" + "---:|" * len(runs)]
    for name in sorted(runs[0]["raw pyoxigraph"]):
        cells = [f"{ms(r['raw pyoxigraph'][name][1])} / {ms(_first(r['samkart'][name]))}" for r in runs]
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


def markdown(runs: list[dict], machine: str, command: str) -> str:
    """The whole report."""
    parts = [f"# Performance\n\nMeasured {time.strftime('%Y-%m-%d')} on {machine}, by `{command}` "
             "(figures also in `build/bench/figures.json`). Times are milliseconds, medians of up to 25 "
             "sequential requests after the first (cold) one, unless marked. *samkart cold* is the first "
             "request after start-up (empty cache, cold worker caches); *uncached* is the median of requests "
             "sent with `Cache-Control: no-cache`, so each one runs the query; *warm* is a repeated request (served from the result "
             "cache with an ETag). *raw pyoxigraph* is the engine limit: the query run in-process and its "
             "SPARQL JSON written, no HTTP.\n",
             "## Pipeline per scale\n", *pipeline_table(runs), ""]
    if any(r.get("throughput") for r in runs):
        parts += ["## Throughput under concurrent load\n", *throughput_table(runs), ""]
    parts += ["## How cost grows with the data\n", *curve_table(runs), ""]
    for run in runs:
        parts += [f"## {run['scale']} ({run['triples']:,} triples)\n", *query_table(run), "",
                  "How many times faster samkart (warm) answers than each peer, and our cold time against the "
                  "target 1.2 × raw + 2 ms (≤ 1.00 meets it):\n", *ratio_table(run), ""]
    return "\n".join(parts) + "\n"
