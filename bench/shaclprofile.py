"""Where `samkart validate` spends its time: loading, compiling, and each compiled check, one at a time.

    python -m samkart_bench.shaclprofile build/bench/syn-10m.nq [--top 20] [--queries]

The checks run one after another here (validation runs them on every core), so each figure is that
check's own; CPU seconds beside wall seconds show how much of the machine the process had.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from samkart.settings import Settings
from samkart.shacl.compiler import compile_shapes
from samkart.shacl.fast import load_store, run_check
from samkart.shacl.inputs import load_shapes


class Clock:
    """Wall and CPU seconds since it was made."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def profile(data: Path, shapes_dir: Path) -> tuple[dict, list[dict]]:
    """Seconds (wall, CPU) of loading and compiling, and per check: seconds, results, shape, path, query."""
    clock = Clock()
    store = load_store(data)
    phases = {"load": clock.read(), "quads": len(store)}
    clock = Clock()
    checks = compile_shapes(store, load_shapes(shapes_dir))
    phases["compile"] = clock.read()
    rows = []
    for check in checks:
        clock = Clock()
        found = run_check(store, check)
        wall, cpu = clock.read()
        rows.append({"wall": wall, "cpu": cpu, "results": len(found), "shape": check.source.rsplit("#", 1)[-1],
                     "path": check.path.rsplit("/", 1)[-1].rsplit("#", 1)[-1], "message": check.message, "query": check.query})
    return phases, rows


def main(argv: list[str] | None = None) -> int:
    """Print the phases and the slowest checks."""
    parser = argparse.ArgumentParser(prog="python -m samkart_bench.shaclprofile", description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="the dataset file (TriG or N-Quads)")
    parser.add_argument("--top", type=int, default=20, help="how many of the slowest checks to list")
    parser.add_argument("--queries", action="store_true", help="print the query of each listed check")
    args = parser.parse_args(argv)
    phases, rows = profile(args.data, Settings().shapes_dir)
    print(f"load {phases['load'][0]:.1f} s (CPU {phases['load'][1]:.1f}), {phases['quads']:,} quads; "
          f"compile {phases['compile'][0]:.1f} s; {len(rows)} checks {sum(r['wall'] for r in rows):.1f} s "
          f"(CPU {sum(r['cpu'] for r in rows):.1f})")
    for row in sorted(rows, key=lambda r: -r["cpu"])[:args.top]:
        print(f"{row['wall']:7.2f} s  CPU {row['cpu']:6.2f}  {row['results']:>6} results  {row['shape']} {row['path']}: "
              f"{row['message'][:60]}")
        if args.queries:
            print(f"    {row['query']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
