"""Queries in worker processes that can really be stopped: a runaway query's process is killed, not abandoned.

Each worker opens the on-disk store read-only and answers one query at a time over a pipe (a table's
bytes pass through memory it shares with the service, see :mod:`samkart.sparql.resultbuffer`). A query that
runs longer than ``heavy_after`` seconds is *heavy*: its process drops to the lowest CPU priority (so
simple queries keep their latency) and, when ``max_heavy`` heavy queries already run, it is stopped with
503. At the deadline the process is killed (its memory and core are released at once) and a fresh worker
takes its place. Workers are plain subprocesses (``python -m samkart.sparql.workers``) talking over pipes rather than a
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
from contextvars import ContextVar
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from samkart.errors import Busy, QueryError, QueryTimeout, SamkartError

from .resultbuffer import DEFAULT_SIZE, ResultBuffer

LOWEST_PRIORITY = 19
ENGINE_MS: ContextVar[float | None] = ContextVar("samkart_engine_ms", default=None)
"""Milliseconds the last query :meth:`QueryPool.run` ran in this context took inside its worker process (the
engine and writing the result there, without the pipe): the service reports it as Server-Timing ``engine``."""


CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def isolate_network() -> bool:
    """Move this process into a new, empty network namespace, so that nothing it runs can reach any
    host — defence in depth behind the SERVICE guard (pyoxigraph would fetch a SERVICE endpoint).
    Root can do it directly; others through a user namespace mapped to their own ids. False when the
    system allows neither (the guard still holds)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    try:
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    except OSError:
        return False
    return True


WARM_UP = ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "ASK { ?s ?p ?o }")
"""Queries a worker runs on a store before using it: the first run of each code path (parsing, planning,
materialising, pickling for the pipe) is paid here rather than by the first client (measured: ~1 ms)."""


def warm_up(store) -> None:
    """Run :data:`WARM_UP` on ``store`` once, answers discarded (first-use costs paid before any client)."""
    import pickle

    from .results import materialise_result

    for sparql in WARM_UP:
        pickle.dumps(materialise_result(store.query(sparql), 1))


def in_memory_copy(sources: list[str], holder: dict, announce) -> None:
    """Load the data files into an in-memory store and hand it over in ``holder`` (a background thread):
    queries run on the on-disk store until it is ready, then about 4× faster in memory (measured).
    ``announce()`` tells the parent the copy is in use."""
    from .backends import EmbeddedBackend

    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)  # this thread only: queries come first
    except (AttributeError, OSError):
        pass
    try:
        copy = EmbeddedBackend.from_files([Path(s) for s in sources]).store
        warm_up(copy)
        holder["store"] = copy
        announce()
    except Exception as exc:  # the on-disk store keeps serving; say why on stderr (the server's log)
        print(f"samkart worker: no in-memory copy ({type(exc).__name__}: {exc})", file=sys.stderr)


def outgoing(result, buffer: ResultBuffer | None) -> tuple[object, int]:
    """The result as it goes over the pipe, and the length of the table body put in the shared ``buffer``
    instead (-1 when the body goes over the pipe: no buffer, no body, or too large for it)."""
    body = getattr(result, "body", None)
    if buffer is None or body is None or not buffer.put(body):
        return result, -1
    result.body = None  # pickled without its bytes; the service puts them back from the buffer
    return result, len(body)


def serve(store_path: str, max_rows: int, isolate: bool = True, sources: list[str] | None = None,
          buffer: ResultBuffer | None = None) -> None:
    """A worker's loop (``python -m samkart.sparql.workers STORE MAX_ROWS``): read (query, options) messages,
    answer ("ok", result, ms, shared) or ("error", exception). Messages travel on fds 0 and 1; prints go to
    stderr. With ``sources``, an in-memory copy of the data is loaded in the background and used once
    ready; with ``buffer``, table bodies that fit pass through it (``shared``: their length) rather than
    the pipe."""
    isolated = isolate_network() if isolate else False  # before any thread starts
    from .results import materialise_result
    from .store import EmbeddedStore

    inbox = Connection(os.dup(0), writable=False)
    outbox = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    holder = {"store": EmbeddedStore.read_only(Path(store_path))}
    warm_up(holder["store"])
    sending = threading.Lock()  # the loader thread's announcement and the answers share the pipe

    def send(message) -> None:
        with sending:
            outbox.send(message)

    send(("ready", os.getpid(), isolated))
    if sources:
        threading.Thread(target=in_memory_copy, args=(sources, holder, lambda: send(("memory",))),
                         daemon=True).start()
    while True:
        try:
            sparql, options, row_cap = inbox.recv()
        except (EOFError, OSError):
            return
        try:
            started = time.perf_counter()
            result = materialise_result(holder["store"].query(sparql, **options), row_cap or max_rows)
            elapsed = (time.perf_counter() - started) * 1000
            result, shared = outgoing(result, buffer)
            send(("ok", result, elapsed, shared))
        except SamkartError as exc:
            send(("error", exc))
        except Exception as exc:  # anything else the engine raises becomes a clear query error
            send(("error", QueryError(f"query failed: {type(exc).__name__}: {exc}")))


def restore_priority(pid: int) -> bool:
    """Give a demoted worker its normal priority (this process's) back, so it keeps its warm in-memory copy;
    False when the system does not allow it (raising a priority needs CAP_SYS_NICE or a nice rlimit)."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, os.getpriority(os.PRIO_PROCESS, 0))
    except (AttributeError, OSError):
        return False
    return True


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
    def start(cls, store_path: Path, max_rows: int, isolate: bool = True,
              sources: list[Path] | None = None, buffer_size: int = DEFAULT_SIZE) -> Worker:
        """A new worker process (a plain subprocess, so it works whatever the parent's main module is),
        sharing a result buffer of ``buffer_size`` bytes with this process (none: 0)."""
        to_child, from_child = os.pipe(), os.pipe()
        buffer = ResultBuffer.create(buffer_size)
        command = [sys.executable, "-m", "samkart.sparql.workers", str(store_path), str(max_rows)]
        command += ([] if isolate else ["--network"]) + [f"--memory={s}" for s in sources or []]
        command += [f"--buffer={buffer.fd}:{buffer.size}"] if buffer else []
        process = subprocess.Popen(command, stdin=to_child[0], stdout=from_child[1], close_fds=True,
                                   pass_fds=(buffer.fd,) if buffer else ())
        os.close(to_child[0])
        os.close(from_child[1])
        return cls(process, Connection(from_child[0], writable=False), Connection(to_child[1], readable=False),
                   buffer=buffer)

    @property
    def pid(self) -> int:
        return self.process.pid

    def noted(self, message) -> bool:
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

    def received(self, outcome: tuple):
        """The result of an "ok" answer, its table body taken from the shared buffer when it came that way."""
        result, shared = outcome[1], outcome[3]
        if shared >= 0:
            result.body = self.buffer.take(shared)
        return result

    def kill(self) -> None:
        """Stop the process now (SIGKILL) and reap it."""
        self.process.kill()
        self.process.wait(5)
        self.inbox.close()
        self.outbox.close()
        if self.buffer is not None:
            self.buffer.close()


class QueryPool:
    """A fixed number of query worker processes over one on-disk store."""

    def __init__(self, store_path: Path, size: int, max_rows: int, heavy_after: float, max_heavy: int,
                 isolate: bool = True, sources: list[Path] | None = None, buffer_size: int = DEFAULT_SIZE):
        self.store_path = store_path
        self.buffer_size = buffer_size
        self.isolate = isolate
        self.sources = sources
        self.size = size
        self.max_rows = max_rows
        self.heavy_after = heavy_after
        self.max_heavy = max_heavy
        self._idle: list[Worker] = []
        self._busy: list[Worker] = []
        self._heavy = 0
        self._closed = False
        self._changed = threading.Condition()
        self.killed = 0
        for _ in range(size):
            self._idle.append(self._start())

    def _start(self) -> Worker:
        return Worker.start(self.store_path, self.max_rows, self.isolate, self.sources, self.buffer_size)

    # -- running a query ---------------------------------------------------------------------
    def run(self, sparql: str, options: dict, timeout: float, max_rows: int | None = None):
        """The materialised result of ``sparql`` (Table, bool or triples) under ``max_rows`` (default: the
        pool's), or QueryTimeout/Busy/QueryError."""
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline, timeout)
        try:
            self._wait_ready(worker, deadline, timeout)
            worker.outbox.send((sparql, options, max_rows))
            outcome = self._await(worker, deadline, timeout)
            result = worker.received(outcome) if outcome[0] == "ok" else None  # before the worker is reused
        except BaseException:
            self._discard(worker)
            raise
        self._release(worker)
        if outcome[0] == "error":
            raise outcome[1]
        ENGINE_MS.set(outcome[2])
        return result

    def _acquire(self, deadline: float, timeout: float) -> Worker:
        with self._changed:
            while not self._idle:
                remaining = deadline - time.monotonic()
                if self._closed:
                    raise QueryError("the data was reloaded while the query waited; send it again")
                if remaining <= 0 or not self._changed.wait(remaining):
                    raise QueryTimeout(f"no query worker became free within {timeout:g} s; try again shortly")
            worker = self._idle.pop()  # the most recently used: its engine caches are the warmest
            self._busy.append(worker)
            return worker

    def _wait_ready(self, worker: Worker, deadline: float, timeout: float) -> None:
        """Wait for a new worker to open the store (its start-up does not count towards "heavy")."""
        while not worker.ready:
            if not worker.inbox.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout(f"no query worker became ready within {timeout:g} s; try again shortly")
            try:
                worker.noted(worker.inbox.recv())
            except (EOFError, OSError):
                raise QueryError("a query worker could not open the store; see the server log") from None

    def _await(self, worker: Worker, deadline: float, timeout: float):
        """The worker's answer; past ``heavy_after`` the query is marked heavy, at the deadline it times out."""
        heavy_at = time.monotonic() + self.heavy_after
        while True:
            until = deadline if worker.heavy else min(heavy_at, deadline)
            if not worker.inbox.poll(max(0.0, until - time.monotonic())):
                if worker.heavy:
                    raise QueryTimeout(f"the query took longer than {timeout:g} s and was stopped; narrow it or add a LIMIT")
                self._mark_heavy(worker)
                continue
            try:
                message = worker.inbox.recv()
            except (EOFError, OSError):
                raise QueryError("the query stopped its worker (out of memory?); narrow it") from None
            if not worker.noted(message):
                return message

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
            self._changed.notify()

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
            self._changed.notify()

    # -- state ------------------------------------------------------------------------------
    def stats(self) -> dict:
        """Idle workers, heavy queries running, workers killed so far, and whether the (started) workers
        are cut off from the network."""
        with self._changed:
            for worker in self._idle:
                worker.take_notes()
            ready = [w for w in self._idle + self._busy if w.ready]
            return {"workers": self.size, "idle": len(self._idle), "heavy": self._heavy, "killed": self.killed,
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


if __name__ == "__main__":
    try:
        flags = sys.argv[3:]
        shared = [f.removeprefix("--buffer=").split(":") for f in flags if f.startswith("--buffer=")]
        serve(sys.argv[1], int(sys.argv[2]), isolate="--network" not in flags,
              sources=[f.removeprefix("--memory=") for f in flags if f.startswith("--memory=")],
              buffer=ResultBuffer(int(shared[0][0]), int(shared[0][1])) if shared else None)
    except (BrokenPipeError, EOFError, KeyboardInterrupt):  # the server went away: nothing to answer
        pass
