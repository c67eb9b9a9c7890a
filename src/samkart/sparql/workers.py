"""Queries in worker processes that can really be stopped: a runaway query's process is killed, not abandoned.

Each worker (:mod:`.workerprocess`) opens the on-disk store read-only and answers one query at a time over
a pipe (a table's bytes pass through memory it shares with the service, see :mod:`.resultbuffer`), writing
the answer in the format the client asked for, so writing is inside the deadline too. The operating
system caps what one query may allocate (``RLIMIT_DATA`` in the worker): past it the worker dies and the
query gets :class:`QueryMemoryExceeded`. At the deadline the process is killed (its memory and core are
released at once) and a fresh worker takes its place.

Admission (see docs/reliability.md, "Capacity and fairness"): a query that ran longer than ``heavy_after``
seconds is *heavy*: its process drops to the lowest CPU priority, at most ``max_heavy`` heavy queries run at
once, and the pool remembers the exact query (text, bindings, dataset) as heavy. A query remembered as
heavy waits in a bounded FIFO queue for a heavy slot (503 when the queue is full) and never takes one of
the ``size - max_heavy`` workers that stay free for other queries, which wait in their own FIFO queue
ahead of heavy ones. Workers are plain subprocesses rather than a multiprocessing or concurrent.futures
pool: the pool must kill and replace one busy worker, which concurrent.futures cannot do, and a subprocess
does not depend on the parent's main module (notebooks, ``python -c``, uvicorn reloaders).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from samkart.errors import Busy, QueryError, QueryMemoryExceeded, QueryTimeout

from .backends import ENGINE_MS  # noqa: F401  (set here, re-exported for the web layer)
from .resultbuffer import DEFAULT_SIZE, ResultBuffer
from .results import Result
from .workerprocess import MEMORY_EXIT, FormatKey, isolate_network, outgoing, warm_up  # noqa: F401  (re-exported)

LOWEST_PRIORITY = 19
REMEMBERED = 4096
"""Exact queries the pool remembers as heavy (least recently seen forgotten first)."""
Reply = tuple[Any, ...]
"""A worker's message as unpickled from its pipe: ("ok", result, ms, shared), ("error", exception) or a note."""
QueryKey = tuple[str, str]
"""An exact query as the pool remembers it: its text and its options (bindings, dataset) written out."""


def restore_priority(pid: int) -> bool:
    """Give a demoted worker its normal priority (this process's) back, so it keeps its warm in-memory copy;
    False when the system does not allow it (raising a priority needs CAP_SYS_NICE or a nice rlimit)."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, os.getpriority(os.PRIO_PROCESS, 0))
    except (AttributeError, OSError):
        return False
    return True


@dataclass(frozen=True)
class Limits:
    """What a worker is started with: what it enforces itself (rows, bytes of a written answer, bytes one query
    may allocate) and whether its in-memory copy moves into huge pages."""

    max_rows: int
    max_bytes: int = 0  # 0: no byte cap
    memory: int = 0  # 0: no memory cap
    huge_pages: bool = False  # the in-memory copy moves into huge pages once loaded (see .hugepages)


@dataclass(eq=False)
class Worker:
    """One worker process and the parent's ends of its two pipes."""

    process: subprocess.Popen
    inbox: Connection
    outbox: Connection
    heavy: bool = False
    ready: bool = False
    isolated: bool = False
    in_memory: bool = False
    buffer: ResultBuffer | None = None

    @classmethod
    def start(cls, store_path: Path, limits: Limits, isolate: bool = True,
              sources: list[Path] | None = None, buffer_size: int = DEFAULT_SIZE) -> Worker:
        """A new worker process (a plain subprocess, so it works whatever the parent's main module is),
        sharing a result buffer of ``buffer_size`` bytes with this process (none: 0)."""
        to_child, from_child = os.pipe(), os.pipe()
        buffer = ResultBuffer.create(buffer_size)
        command = [sys.executable, "-m", "samkart.sparql.workerprocess", str(store_path), str(limits.max_rows),
                   f"--memory-limit={limits.memory}", f"--max-bytes={limits.max_bytes}"]
        command += ([] if isolate else ["--network"]) + [f"--memory-copy={s}" for s in sources or []]
        command += ["--huge-pages"] if limits.huge_pages else []
        command += [f"--buffer={buffer.fd}:{buffer.size}"] if buffer else []
        process = subprocess.Popen(command, stdin=to_child[0], stdout=from_child[1], close_fds=True,
                                   pass_fds=(buffer.fd,) if buffer else (),
                                   env={**os.environ, "RUST_BACKTRACE": "0"})  # an abort logs one line, not pages
        os.close(to_child[0])
        os.close(from_child[1])
        return cls(process, Connection(from_child[0], writable=False), Connection(to_child[1], readable=False),
                   buffer=buffer)

    @property
    def pid(self) -> int:
        return self.process.pid

    def noted(self, message: Reply) -> bool:
        """True when ``message`` is a note rather than an answer: the worker has opened the store (with
        whether it is cut off from the network), or its in-memory copy is in use."""
        if message[0] == "ready":
            self.ready, self.isolated = True, bool(message[2])
        elif message[0] == "memory":
            self.in_memory = True
        else:
            return False
        return True

    def take_notes(self) -> None:
        """Read the notes an idle worker has sent since its last query (never blocks)."""
        try:
            while self.inbox.poll(0):
                self.noted(self.inbox.recv())
        except (EOFError, OSError):  # a dead worker: the next query finds out and replaces it
            pass

    def received(self, outcome: Reply) -> Result | bytes:
        """The result of an "ok" answer, its table body taken from the shared buffer when it came that way."""
        result, shared = outcome[1], outcome[3]
        if shared >= 0:
            if self.buffer is None:  # never: a worker has a buffer exactly when its parent end has one
                raise QueryError("a query worker answered through a shared buffer it does not have")
            result.body = self.buffer.take(shared)
        return result

    def died_of_memory(self) -> bool:
        """True when the process ended because an allocation failed under its memory cap (the engine aborts;
        Python code exits with MEMORY_EXIT)."""
        try:
            code = self.process.wait(2)
        except subprocess.TimeoutExpired:
            return False
        return code in (-signal.SIGABRT, MEMORY_EXIT)

    def kill(self) -> None:
        """Stop the process now (SIGKILL) and reap it."""
        self.process.kill()
        self.process.wait(5)
        self.inbox.close()
        self.outbox.close()
        if self.buffer is not None:
            self.buffer.close()


class QueryPool:
    """A fixed number of query worker processes over one on-disk store, with the admission described above."""

    def __init__(self, store_path: Path, size: int, max_rows: int, heavy_after: float, max_heavy: int,
                 isolate: bool = True, sources: list[Path] | None = None, buffer_size: int = DEFAULT_SIZE,
                 heavy_queue: int = 4, max_bytes: int = 0, memory: int = 0, huge_pages: bool = False):
        self.store_path = store_path
        self.buffer_size = buffer_size
        self.isolate = isolate
        self.sources = sources
        self.size = size
        self.limits = Limits(max_rows, max_bytes, memory, huge_pages)
        self.max_rows = max_rows
        self.heavy_after = heavy_after
        self.max_heavy = min(max_heavy, max(size - 1, 1))  # one worker always stays out of the heavy lane
        self.heavy_queue = heavy_queue
        self._idle: list[Worker] = []
        self._busy: list[Worker] = []
        self._heavy = 0
        self._closed = False
        self._changed = threading.Condition()
        self._waiting: deque = deque()  # tickets of queries waiting for any worker, first come first served
        self._waiting_heavy: deque = deque()  # tickets of queries remembered as heavy
        self._remembered: OrderedDict = OrderedDict()  # exact queries that were heavy
        self.killed = 0
        self.refused = 0
        self.answered = 0
        for _ in range(size):
            self._idle.append(self._start())

    def _start(self) -> Worker:
        return Worker.start(self.store_path, self.limits, self.isolate, self.sources, self.buffer_size)

    # -- running a query ---------------------------------------------------------------------
    def run(self, sparql: str, options: dict[str, Any], timeout: float, max_rows: int | None = None,
            format_key: FormatKey = None) -> Result:
        """The materialised result of ``sparql`` (Table, bool or triples) under ``max_rows`` (default: the
        pool's), written in ``format_key`` too when given (kept on the result); or QueryTimeout, Busy,
        QueryMemoryExceeded, ResultTooLarge or QueryError."""
        result = self._exchange(("query", sparql, options, max_rows, format_key), timeout,
                                (sparql, repr(sorted(options.items()))))
        if isinstance(result, bytes):
            raise QueryError("a query worker answered a query with bytes instead of a result")
        return result

    def write(self, kind: str, payload: bytes, format_key: str, timeout: float) -> bytes:
        """``payload`` (``kind`` "table": SPARQL JSON; "triples": N-Triples) written in ``format_key`` by a
        worker, within ``timeout`` seconds and the byte cap."""
        body = self._exchange(("write", kind, payload, format_key), timeout, None)
        if not isinstance(body, bytes):
            raise QueryError("a query worker answered a write with a result instead of bytes")
        return body

    def known_heavy(self, sparql: str, options: dict[str, Any]) -> bool:
        """True when this exact query ran heavy (or past the deadline, or out of memory) before on this data."""
        with self._changed:
            return (sparql, repr(sorted(options.items()))) in self._remembered

    def _exchange(self, message: tuple[object, ...], timeout: float, key: QueryKey | None) -> Result | bytes:
        deadline = time.monotonic() + timeout
        with self._changed:
            heavy = key in self._remembered
        worker = self._acquire(deadline, timeout, heavy)
        try:
            if heavy:
                self._demote(worker)
            self._wait_ready(worker, deadline, timeout)
            worker.outbox.send(message)
            outcome = self._await(worker, deadline, timeout, key)
            result = worker.received(outcome) if outcome[0] == "ok" else None  # before the worker is reused
        except BaseException as exc:
            if key is not None and isinstance(exc, QueryTimeout | QueryMemoryExceeded):
                self._remember(key)
            self._discard(worker)
            raise
        self._release(worker)
        self.answered += 1
        if outcome[0] == "error":
            raise outcome[1]
        if result is None:  # never: a worker answers "ok" or "error"
            raise QueryError(f"a query worker sent an answer of unknown kind {outcome[0]!r}")
        ENGINE_MS.set(outcome[2])
        return result

    def _remember(self, key: QueryKey) -> None:
        with self._changed:
            self._remembered[key] = True
            self._remembered.move_to_end(key)
            while len(self._remembered) > REMEMBERED:
                self._remembered.popitem(last=False)

    # -- admission ---------------------------------------------------------------------------
    def _acquire(self, deadline: float, timeout: float, heavy: bool) -> Worker:
        """An idle worker for this query, in turn: queries remembered as heavy wait in their own bounded queue
        for a heavy slot; others wait ahead of them for any worker."""
        queue = self._waiting_heavy if heavy else self._waiting
        ticket = object()
        with self._changed:
            if heavy and len(self._waiting_heavy) >= self.heavy_queue:
                self.refused += 1
                raise Busy(f"{len(self._waiting_heavy)} heavy queries are already waiting for one of the "
                           f"{self.max_heavy} heavy slots (SAMKART_HEAVY_QUEUE); try again shortly or make the query lighter")
            queue.append(ticket)
            try:
                while not self._my_turn(ticket, heavy):
                    if self._closed:
                        raise QueryError("the data was reloaded while the query waited; send it again")
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or not self._changed.wait(remaining):
                        if self._my_turn(ticket, heavy):
                            break
                        self.refused += 1
                        raise Busy(f"no query worker became free within {timeout:g} s; try again shortly")
            finally:
                queue.remove(ticket)
                self._changed.notify_all()  # the next in line may go now
            # others take the most recently used worker (the warmest caches); a heavy query the least recently
            # used (perhaps one still starting), so the warm one stays for the queries that need it quickly
            worker = self._idle.pop(0 if heavy else -1)
            self._busy.append(worker)
            if heavy:
                worker.heavy = True
                self._heavy += 1
            return worker

    def _my_turn(self, ticket: object, heavy: bool) -> bool:
        """Whether ``ticket`` may take an idle worker now (called with the lock held)."""
        if not self._idle:
            return False
        if not heavy:
            return self._waiting[0] is ticket
        # a heavy query goes only when no other query waits and a heavy slot is free
        return not self._waiting and self._heavy < self.max_heavy and self._waiting_heavy[0] is ticket

    def _wait_ready(self, worker: Worker, deadline: float, timeout: float) -> None:
        """Wait for a new worker to open the store (its start-up does not count towards "heavy")."""
        while not worker.ready:
            if not worker.inbox.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout(f"no query worker became ready within {timeout:g} s; try again shortly")
            try:
                worker.noted(worker.inbox.recv())
            except (EOFError, OSError):
                raise QueryError("a query worker could not open the store; see the server log") from None

    def _await(self, worker: Worker, deadline: float, timeout: float, key: QueryKey | None) -> Reply:
        """The worker's answer; past ``heavy_after`` the query is marked heavy, at the deadline it times out."""
        heavy_at = time.monotonic() + self.heavy_after
        while True:
            until = deadline if worker.heavy else min(heavy_at, deadline)
            if not worker.inbox.poll(max(0.0, until - time.monotonic())):
                if worker.heavy or time.monotonic() >= deadline:
                    raise QueryTimeout(f"the query took longer than {timeout:g} s and was stopped; narrow it or add a LIMIT")
                if key is not None:
                    self._remember(key)
                self._mark_heavy(worker)
                continue
            try:
                message = worker.inbox.recv()
            except (EOFError, OSError):
                raise self._death(worker) from None
            if not worker.noted(message):
                return message

    def _death(self, worker: Worker) -> Exception:
        """Why a worker died during a query: its memory cap, or something else (see the server log)."""
        if self.limits.memory and worker.died_of_memory():
            return QueryMemoryExceeded(f"the query needed more than {self.limits.memory // 2**20:,} MB of memory, the "
                                       "most one query may use here (SAMKART_QUERY_MEMORY_MB); it was stopped; narrow "
                                       "it or add a LIMIT")
        return QueryError("the query stopped its worker; narrow it (the server log says more)")

    def _mark_heavy(self, worker: Worker) -> None:
        """Count the query as heavy and give its process the lowest CPU priority (or refuse it: 503)."""
        with self._changed:
            if self._heavy >= self.max_heavy:
                self.refused += 1
                raise Busy(f"{self._heavy} heavy queries are already running (SAMKART_MAX_HEAVY_QUERIES); "
                           "try again shortly or make the query lighter")
            self._heavy += 1
            worker.heavy = True
        self._demote(worker)

    @staticmethod
    def _demote(worker: Worker) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, worker.pid, LOWEST_PRIORITY)
        except (AttributeError, OSError):  # not on every platform; the limit still holds
            pass

    def _release(self, worker: Worker) -> None:
        if worker.heavy and not restore_priority(worker.pid):  # not allowed here: replace it (it would start cold)
            self._discard(worker)
            return
        with self._changed:
            if worker.heavy:  # back at normal priority
                worker.heavy = False
                self._heavy -= 1
            self._busy.remove(worker)
            if self._closed:
                worker.kill()
                return
            self._idle.append(worker)
            self._changed.notify_all()

    def _discard(self, worker: Worker) -> None:
        """Kill a worker (runaway, heavy or broken) and put a fresh one in its place."""
        worker.kill()
        with self._changed:
            if worker in self._busy:
                self._busy.remove(worker)
            self.killed += 1
            if worker.heavy:
                self._heavy -= 1
            if self._closed:
                return
        replacement = self._start()
        with self._changed:
            self._idle.insert(0, replacement)  # used last: it is still starting and its caches are cold
            self._changed.notify_all()

    # -- state ------------------------------------------------------------------------------
    def stats(self) -> dict:
        """Idle workers, heavy queries running, queries waiting, workers killed and queries refused so far,
        and whether the (started) workers are cut off from the network."""
        with self._changed:
            for worker in self._idle:
                worker.take_notes()
            ready = [w for w in self._idle + self._busy if w.ready]
            return {"workers": self.size, "idle": len(self._idle), "heavy": self._heavy, "killed": self.killed,
                    "waiting": len(self._waiting), "waiting_heavy": len(self._waiting_heavy), "refused": self.refused,
                    "answered": self.answered,
                    "network_isolated": bool(ready) and all(w.isolated for w in ready),
                    "in_memory": sum(w.in_memory for w in ready) if self.sources else None}

    def pids(self) -> list[int]:
        """Process ids of the idle workers (for tests and diagnostics)."""
        with self._changed:
            return [w.pid for w in self._idle]

    def _all_workers(self) -> list[Worker]:
        with self._changed:
            return self._idle + self._busy

    def close(self) -> None:
        """Stop the idle workers now; busy ones stop when their query ends."""
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
            self._changed.notify_all()
        for worker in idle:
            worker.kill()
