"""The in-process lane: an exact query already seen to be cheap runs here, without the trip to a worker process.

Worker processes are what make a query stoppable, and they cost a round trip (pipe, pickling, a process
waking up: ~0.4 ms measured, more than the engine needs for a one-subject query). The data is read-only
between reloads, so the same query (text, bindings, dataset) does the same work every time: once it ran
in a worker within ``light_ms`` milliseconds and answered at most ``max_rows_here`` rows or triples,
its repeats can run in this process at no risk of a runaway (pyoxigraph releases the GIL while it
evaluates). A query never seen, or seen heavy, still goes to a worker; so do queries naming SERVICE. At most
``slots`` queries run here at once (others go to the workers), on an in-memory copy of the data this
process loads in the background (until then, the on-disk store it holds open).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .guards import mentions_service
from .results import Answer, Result, Table
from .store import EmbeddedStore
from .workerprocess import FormatKey, answer_query

REMEMBERED = 4096
"""Exact queries remembered as cheap (least recently used forgotten first)."""
MAX_ROWS_HERE = 2_000
"""Most rows or triples of an answer for its query to count as cheap (writing it stays well under 1 ms)."""


class LocalLane:
    """Runs repeats of queries known to be cheap in this process, on its own copy of the data."""

    def __init__(self, store: EmbeddedStore, light_ms: float, slots: int = 2, sources: list[Path] | None = None,
                 huge_pages: bool = False):
        self.store = store
        self.light_ms = light_ms
        self._slots = threading.BoundedSemaphore(slots)
        self._known: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.ran = 0
        self.in_memory: bool | None = False if sources and light_ms > 0 else None  # None: no copy asked for
        if self.in_memory is not None:
            threading.Thread(target=self._load_copy, args=(sources, huge_pages), daemon=True).start()

    def _load_copy(self, sources: list[Path], huge_pages: bool) -> None:
        from .workerprocess import warm_copy

        try:
            self.store = warm_copy(sources, huge_pages)
            self.in_memory = True
        except Exception:  # the on-disk store keeps serving this lane
            pass

    def stats(self) -> dict:
        """For /health: queries known to be cheap, repeats run here so far, and whether this process's own
        in-memory copy is in use (None: none asked for, it answers from the store it was given)."""
        return {"known": len(self._known), "ran": self.ran, "in_memory": self.in_memory}

    def remember(self, sparql: str, options: dict[str, Any], engine_ms: float | None, result: Answer) -> None:
        """Note a worker's run of this exact query: cheap when quick, small and free of SERVICE."""
        if self.light_ms <= 0 or engine_ms is None or engine_ms > self.light_ms or mentions_service(sparql):
            return
        if isinstance(result, bool | ox.QueryBoolean):
            too_big = False
        elif isinstance(result, Table):  # rows, not terms: the byte-level hint counts every term as a row
            too_big = result.exceeds(MAX_ROWS_HERE)
        elif isinstance(result, list):
            too_big = len(result) > MAX_ROWS_HERE
        else:  # not materialised (a worker always materialises): its size is not known
            return
        if too_big:
            return
        key = (sparql, repr(sorted(options.items())))
        with self._lock:
            self._known[key] = min(engine_ms, self._known.get(key, engine_ms))
            self._known.move_to_end(key)
            while len(self._known) > REMEMBERED:
                self._known.popitem(last=False)

    def known_ms(self, sparql: str, options: dict[str, Any]) -> float | None:
        """The milliseconds this exact query took in a worker, when it is known to be cheap; else None."""
        return self._known.get((sparql, repr(sorted(options.items())))) if self.light_ms > 0 else None

    def run(self, sparql: str, options: dict[str, Any], max_rows: int, max_bytes: int,
            format_key: FormatKey) -> tuple[Result, float] | None:
        """The answer (as a worker would give it) when this exact query is known cheap and a slot is free;
        else None (the caller sends it to a worker). Returns (result, engine milliseconds)."""
        if self.known_ms(sparql, options) is None:
            return None
        if not self._slots.acquire(blocking=False):
            return None
        try:
            started = time.perf_counter()
            result = answer_query(self.store, ("query", sparql, options, max_rows, format_key), max_rows, max_bytes)
            self.ran += 1
            elapsed = (time.perf_counter() - started) * 1000
            key = (sparql, repr(sorted(options.items())))
            with self._lock:
                if elapsed < self._known.get(key, elapsed + 1):
                    self._known[key] = elapsed  # the fastest run seen: what the query costs here, undisturbed
            return result, elapsed
        finally:
            self._slots.release()
