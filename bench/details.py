"""The benchmark's detailed tables (build/bench/details.md): every figure per query, peer and scale; the short
report (:mod:`samkart_bench.report`) takes its figures from here."""

from __future__ import annotations

import time

PEERS = ["Oxigraph server (memory), alongside", "Oxigraph server (memory)", "Oxigraph server (disk)", "rdflib-endpoint",
         "samkart remote (2 workers)"]


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
        lines.append(f"| `{name}` | {ms(_median(raw))} | {ms(cold)} | {ms(_median(uncached))} | {_inside_cell(uncached)} | "
                     f"{ms(warm)} | " + " | ".join(peers) + " |")
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


def _seconds_mb(run: dict, seconds: str, mb: str) -> str:
    return "–" if run.get(seconds) is None else f"{run[seconds]:.2f} ({run[mb]:.0f})"


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
    """Requests per second and latency percentiles under concurrent load, where measured (*bound*: a peer's
    query too slow for a run, its figure computed)."""
    lines = ["| scale | server | query | connections | req/s | p50 ms | p90 ms | p99 ms | errors |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        for row in run.get("throughput", []):
            if row.get("bound"):
                cells = f"≤ {row['rps']:.3g} (bound) | – | – | – | – |"
            else:
                cells = (f"{row['rps']:.0f} | {row['p50']:.1f} | {row.get('p90', row.get('p95', 0.0)):.1f} | "
                         f"{row['p99']:.1f} | {row['errors']} |")
            lines.append(f"| {run['scale']} | {row['server']} | `{row['query']}` | {row['clients']} | {cells}")
    return lines


def light_note(run: dict) -> str:
    """What a light run (a scale past 1M triples) measures."""
    return ("Light run (past 1M triples): *raw pyoxigraph* is the engine on the on-disk store in one killable "
            "worker process, our service runs on the same store without in-memory copies, each query is "
            f"limited to {run['query_limit_s']:g} s (*timed out* past it), and the peers are not run.\n")

def details(runs: list[dict], machine: str, command: str) -> str:
    """The detailed tables, for build/bench/details.md."""
    parts = [f"# Performance: every figure\n\nMeasured {time.strftime('%Y-%m-%d')} on {machine}, by `{command}`. "
             "The short report with the method is docs/performance.md; the raw figures are in figures.json.\n",
             "## Pipeline per scale\n", *pipeline_table(runs), ""]
    if any(r.get("throughput") for r in runs):
        parts += ["## Throughput under concurrent load (wrk; *bound*: computed, see the report)\n", *throughput_table(runs), ""]
    parts += ["## How cost grows with the data\n", *curve_table(runs), ""]
    for run in runs:
        parts += [f"## {run['scale']} ({run['triples']:,} triples)\n", *([light_note(run)] if run.get("light") else []),
                  *query_table(run), "",
                  "How many times faster samkart (warm) answers than each peer, and our uncached and cold "
                  "times against the target 1.2 × raw + 2 ms (≤ 1.00 meets it):\n", *ratio_table(run), ""]
    return "\n".join(parts) + "\n"
