"""`samkart bench`: its options and its place in the samkart command line. Light on purpose: the benchmark
itself (:mod:`samkart_bench.run`, which needs the `bench` extra) is imported only when the command runs."""

from __future__ import annotations

import argparse
import importlib
import shutil

from samkart.errors import SamkartError

SCALES = ("real", "10k", "100k", "1m", "10m")
DEFAULT_SCALES = "real,1m"
"""The scales the issue's targets are set at: the real graph and 1M synthetic triples."""
STARTS = 3
"""Process starts on each side (the engine's in-process store loaded anew, our service started anew) over
which quick queries are measured; each figure is the median over the starts."""
QUICK_MS = 100.0
"""Queries whose raw median (first start) is under this many ms are the quick ones measured over STARTS
process starts: for them a query varies more between starts than within one (the heavy ones once)."""
WRK_SECONDS = 4.0
"""Seconds of each wrk run (one query, one server, one number of connections)."""
SHACL_SCALE = "10m"
"""The synthetic scale at which `samkart validate` alone is timed in every run (its target is set there)."""
EXTRA_MODULES = ("httpx", "rdflib_endpoint", "fastapi", "uvicorn")
"""What the `bench` extra installs that a run imports (some only when it starts a server)."""
TOOLS = {"oxigraph": "the `bench` extra (PyPI oxigraph): pip install -e '.[bench]'",
         "rdflib-endpoint": "the `bench` extra: pip install -e '.[bench]'",
         "wrk": "the Debian package wrk: run scripts/system-packages.sh (or apt-get install wrk)"}
"""The programs a measuring run starts, and how to get each."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `samkart bench`."""
    parser.add_argument("--scales", default=DEFAULT_SCALES,
                        help=f"comma-separated: real (the build of the five documents) or synthetic {', '.join(SCALES[1:])}"
                             f" (default {DEFAULT_SCALES}; '' with --keep: only the SHACL figure)")
    parser.add_argument("--folder", default="build/bench", help="where data, stores and figures go")
    parser.add_argument("--report", default="docs/performance.md", help="markdown report to write ('' for none)")
    parser.add_argument("--queries", default="", help="comma-separated named queries to measure (default: all)")
    parser.add_argument("--wrk-seconds", type=float, default=WRK_SECONDS,
                        help=f"seconds of each wrk run, per query, server and connection count (default {WRK_SECONDS:g})")
    parser.add_argument("--shacl-scale", default=SHACL_SCALE,
                        help=f"also time `samkart validate` alone at this synthetic scale (default {SHACL_SCALE}; '' for none)")
    parser.add_argument("--rdflib-budget", type=float, default=600.0, help="seconds rdflib-endpoint may take to start")
    parser.add_argument("--keep", action="store_true", help="keep the figures of other scales from an earlier run")
    parser.add_argument("--starts", type=int, default=STARTS,
                        help=f"process starts per side over which queries under {QUICK_MS:g} ms are measured (median)")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: write the report from the figures of the earlier run(s)")


def check_arguments(args: argparse.Namespace) -> None:
    """A clear error for an unknown scale, before anything is measured."""
    unknown = [s for s in args.scales.split(",") if s.strip() and s.strip() not in SCALES]
    if args.shacl_scale and args.shacl_scale not in SCALES[1:]:
        unknown.append(args.shacl_scale)
    if unknown:
        raise SamkartError(f"unknown scale {', '.join(unknown)}: use {', '.join(SCALES)}")


def missing_tool() -> str | None:
    """One line naming the first program a measuring run needs that is not installed, and how to get it."""
    for tool, how in TOOLS.items():
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed; the benchmark needs it: {how}"
    return None


def run(args: argparse.Namespace, _settings=None) -> int:
    """Check the arguments and what the benchmark needs, then run it."""
    check_arguments(args)
    try:
        for module in EXTRA_MODULES:
            importlib.import_module(module)
        from .run import bench
    except ImportError as exc:
        raise SamkartError(f"the benchmark needs its extra ({exc.name} is missing): pip install -e '.[bench]'") from None
    if not args.report_only and (missing := missing_tool()):
        raise SamkartError(missing)
    return bench(args)


def register(commands) -> None:
    """Add `samkart bench` to the samkart command line (entry point group samkart.commands)."""
    parser = commands.add_parser("bench", help="benchmark samkart against Oxigraph server and rdflib-endpoint")
    add_arguments(parser)
    parser.set_defaults(func=run)
