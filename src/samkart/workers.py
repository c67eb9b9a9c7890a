"""Queries in worker processes that can really be stopped: a runaway query's process is killed, not abandoned.

Each worker opens the on-disk store read-only and answers one query at a time over a pipe. A query that
runs longer than ``heavy_after`` seconds is *heavy*: its process drops to the lowest CPU priority (so
simple queries keep their latency) and, when ``max_heavy`` heavy queries already run, it is stopped with
503. At the deadline the process is killed (its memory and core are released at once) and a fresh worker
takes its place. Workers are plain subprocesses (``python -m samkart.workers``) talking over pipes rather than a
multiprocessing or concurrent.futures pool: the pool must kill and replace one busy worker, which
concurrent.futures cannot do, and a subprocess does not depend on the parent's main module (notebooks,
``python -c``, uvicorn reloaders).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import Busy, QueryError, QueryTimeout, SamkartError

LOWEST_PRIORITY = 19


def serve(store_path: str, max_rows: int) -> None:
    """A worker's loop (``python -m samkart.workers STORE MAX_ROWS``): read (query, options) messages,
    answer ("ok", result) or ("error", exception). Messages travel on fds 0 and 1; prints go to stderr."""
    from .results import materialise_result
    from .store import EmbeddedStore

    inbox = Connection(os.dup(0), writable=False)
    outbox = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    store = EmbeddedStore.read_only(Path(store_path))
    while True:
        try:
            sparql, options, row_cap = inbox.recv()
        except (EOFError, OSError):
            return
        try:
            outbox.send(("ok", materialise_result(store.query(sparql, **options), row_cap or max_rows)))
        except SamkartError as exc:
            outbox.send(("error", exc))
        except Exception as exc:  # anything else the engine raises becomes a clear query error
            outbox.send(("error", QueryError(f"query failed: {type(exc).__name__}: {exc}")))


@dataclass
class Worker:
    """One worker process and the parent's ends of its two pipes."""

    process: subprocess.Popen
    inbox: Connection
    outbox: Connection
    heavy: bool = False

    @classmethod
    def start(cls, store_path: Path, max_rows: int) -> "Worker":
        """A new worker process (a plain subprocess, so it works whatever the parent's main module is)."""
        to_child, from_child = os.pipe(), os.pipe()
        process = subprocess.Popen([sys.executable, "-m", "samkart.workers", str(store_path), str(max_rows)],
                                   stdin=to_child[0], stdout=from_child[1], close_fds=True)
        os.close(to_child[0])
        os.close(from_child[1])
        return cls(process, Connection(from_child[0], writable=False), Connection(to_child[1], readable=False))

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        """Stop the process now (SIGKILL) and reap it."""
        self.process.kill()
        self.process.wait(5)
        self.inbox.close()
        self.outbox.close()


class QueryPool:
    """A fixed number of query worker processes over one on-disk store."""

    def __init__(self, store_path: Path, size: int, max_rows: int, heavy_after: float, max_heavy: int):
        self.store_path = store_path
        self.size = size
        self.max_rows = max_rows
        self.heavy_after = heavy_after
        self.max_heavy = max_heavy
        self._idle: list[Worker] = []
        self._heavy = 0
        self._closed = False
        self._changed = threading.Condition()
        self.killed = 0
        for _ in range(size):
            self._idle.append(self._start())

    def _start(self) -> Worker:
        return Worker.start(self.store_path, self.max_rows)

    # -- running a query ---------------------------------------------------------------------
    def run(self, sparql: str, options: dict, timeout: float, max_rows: int | None = None):
        """The materialised result of ``sparql`` (Table, bool or triples) under ``max_rows`` (default: the
        pool's), or QueryTimeout/Busy/QueryError."""
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline, timeout)
        try:
            worker.outbox.send((sparql, options, max_rows))
            outcome = self._await(worker, deadline, timeout)
        except BaseException:
            self._discard(worker)
            raise
        self._release(worker)
        if outcome[0] == "error":
            raise outcome[1]
        return outcome[1]

    def _acquire(self, deadline: float, timeout: float) -> Worker:
        with self._changed:
            while not self._idle:
                remaining = deadline - time.monotonic()
                if self._closed:
                    raise QueryError("the data was reloaded while the query waited; send it again")
                if remaining <= 0 or not self._changed.wait(remaining):
                    raise QueryTimeout(f"no query worker became free within {timeout:g} s; try again shortly")
            return self._idle.pop(0)  # the longest idle: a fresh replacement may still be starting

    def _await(self, worker: Worker, deadline: float, timeout: float):
        if not worker.inbox.poll(min(self.heavy_after, max(0.0, deadline - time.monotonic()))):
            self._mark_heavy(worker)
            if not worker.inbox.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout(f"the query took longer than {timeout:g} s and was stopped; narrow it or add a LIMIT")
        try:
            return worker.inbox.recv()
        except (EOFError, OSError):
            raise QueryError("the query stopped its worker (out of memory?); narrow it") from None

    def _mark_heavy(self, worker: Worker) -> None:
        """Count the query as heavy and give its process the lowest CPU priority (or refuse it: 503)."""
        with self._changed:
            if self._heavy >= self.max_heavy:
                raise Busy(f"{self._heavy} heavy queries are already running (SAMKART_MAX_HEAVY_QUERIES); "
                           "try again shortly or make the query lighter")
            self._heavy += 1
            worker.heavy = True
        try:
            os.setpriority(os.PRIO_PROCESS, worker.pid, LOWEST_PRIORITY)
        except (AttributeError, OSError):  # not on every platform; the limit still holds
            pass

    def _release(self, worker: Worker) -> None:
        if worker.heavy:  # its priority cannot be raised back without privileges: replace it
            self._discard(worker)
            return
        with self._changed:
            if self._closed:
                worker.kill()
                return
            self._idle.append(worker)
            self._changed.notify()

    def _discard(self, worker: Worker) -> None:
        """Kill a worker (runaway, heavy or broken) and put a fresh one in its place."""
        worker.kill()
        with self._changed:
            self.killed += 1
            if worker.heavy:
                self._heavy -= 1
            if self._closed:
                return
        replacement = self._start()
        with self._changed:
            self._idle.append(replacement)
            self._changed.notify()

    # -- state ------------------------------------------------------------------------------
    def stats(self) -> dict:
        """Idle workers, heavy queries running and workers killed so far."""
        with self._changed:
            return {"workers": self.size, "idle": len(self._idle), "heavy": self._heavy, "killed": self.killed}

    def pids(self) -> list[int]:
        """Process ids of the idle workers (for tests and diagnostics)."""
        with self._changed:
            return [w.pid for w in self._idle]

    def close(self) -> None:
        """Stop the idle workers now; busy ones stop when their query ends."""
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
            self._changed.notify_all()
        for worker in idle:
            worker.kill()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
