"""The query worker process itself (``python -m samkart.sparql.workerprocess``): the child side of :mod:`.workers`.

A worker opens the on-disk store read-only, cuts itself off from the network, caps its own memory with the
operating system (``RLIMIT_DATA``: past it, an allocation fails and the engine aborts the process, so the
parent sees a dead worker and says which limit stopped the query) and answers one message at a time:

- ``("query", sparql, options, row_cap, format_key)``: run the query, materialise it under the row cap and
  write it in ``format_key`` (the format the client asked for) here, inside the deadline the parent keeps;
  every body is held to the byte cap;
- ``("write", kind, payload, format_key)``: write an already materialised result (a SPARQL JSON table or
  N-Triples) in another format, for a cached result asked for in a format not written before.
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from samkart.errors import QueryError, ResultTooLarge, SamkartError

from .resultbuffer import ResultBuffer

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .results import Result
    from .store import EmbeddedStore

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
WARM_UP = ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "ASK { ?s ?p ?o }")
"""Queries a worker runs on a store before using it: the first run of each code path (parsing, planning,
materialising, pickling for the pipe) is paid here rather than by the first client (measured: ~1 ms)."""
FormatKey = str | tuple[str, str] | None
"""The format to write an answer in: a format key, a pair (for a table or boolean, for triples), or none."""
COPY_ALLOWANCE, COPY_FLOOR = 16, 512 * 2**20
"""While the in-memory copy loads, the memory cap leaves room for this many times the data files' size, and at
least COPY_FLOOR bytes (pyoxigraph's bulk loader takes ~80-200 MB of buffers even for a 1 MB file, measured;
an allocation that fails there would abort the worker); once the copy is in, the cap is exact."""


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


def data_bytes() -> int:
    """This process's private writable memory (``VmData`` in /proc: what RLIMIT_DATA counts); 0 elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def limit_memory(per_query: int, allowance: int = 0) -> bool:
    """Let this process grow at most ``per_query`` (+ ``allowance``) bytes past what it uses now (RLIMIT_DATA:
    heap and private mappings; the shared result buffer and the store's files are not counted). False where
    the system has no such limit or no ``per_query`` is set."""
    if per_query <= 0 or not hasattr(resource, "RLIMIT_DATA"):
        return False
    used = data_bytes()
    if used == 0:
        return False
    resource.setrlimit(resource.RLIMIT_DATA, (used + per_query + allowance, resource.RLIM_INFINITY))
    return True


def warm_up(store: EmbeddedStore | ox.Store) -> None:
    """Run :data:`WARM_UP` on ``store`` once, answers discarded (first-use costs paid before any client)."""
    import pickle

    from .results import materialise_result

    for sparql in WARM_UP:
        pickle.dumps(materialise_result(store.query(sparql), 1))


def warm_copy(sources: list[Path], huge_pages: bool = False) -> EmbeddedStore:
    """An in-memory store of the data files, moved into huge pages when asked (:mod:`.hugepages`) and warmed
    up: what a worker and the in-process lane answer from once it is ready."""
    from .backends import EmbeddedBackend

    copy = EmbeddedBackend.from_files(sources, huge_pages=huge_pages).store
    warm_up(copy)
    return copy


def in_memory_copy(sources: list[str], holder: dict[str, EmbeddedStore], announce: Callable[[], None],
                   memory: int, huge_pages: bool = False) -> None:
    """Load the data files into an in-memory store and hand it over in ``holder`` (a background thread):
    queries run on the on-disk store until it is ready, then about 4× faster in memory (measured), and 30–50 %
    faster again with ``huge_pages`` (:mod:`.hugepages`). ``announce()`` tells the parent the copy is in use;
    the memory cap is then set exactly."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)  # this thread only: queries come first
    except (AttributeError, OSError):
        pass
    try:
        holder["store"] = warm_copy([Path(s) for s in sources], huge_pages)
        limit_memory(memory)
        announce()
    except Exception as exc:  # the on-disk store keeps serving; say why on stderr (the server's log)
        print(f"samkart worker: no in-memory copy ({type(exc).__name__}: {exc})", file=sys.stderr)


def outgoing(result: Result, buffer: ResultBuffer | None) -> tuple[Result, int]:
    """The result as it goes over the pipe, and the length of the table body put in the shared ``buffer``
    instead (-1 when the body goes over the pipe: no buffer, no body, or too large for it)."""
    from .results import Table

    if buffer is None or not isinstance(result, Table) or result.body is None or not buffer.put(result.body):
        return result, -1  # only a table has a body
    length = len(result.body)
    result.body = None  # pickled without its bytes; the service puts them back from the buffer
    return result, length


def checked(body: bytes, max_bytes: int) -> bytes:
    """``body``, or :class:`ResultTooLarge` when it is over ``max_bytes`` (never a cut body)."""
    if max_bytes and len(body) > max_bytes:
        raise ResultTooLarge(f"the result is {len(body):,} bytes in this format, over the {max_bytes:,} this endpoint "
                             "sends (SAMKART_MAX_RESULT_BYTES); add a LIMIT or select fewer values")
    return body


def answer_query(store: EmbeddedStore, message: tuple[str, str, dict[str, object], int | None, FormatKey],
                 max_rows: int, max_bytes: int) -> Result:
    """The materialised result of a query message, with its body in the asked format kept on it."""
    from samkart.formats import by_key

    from .negotiation import serialise
    from .results import Table, materialise_result, with_body

    _, sparql, options, row_cap, asked = message
    result = materialise_result(store.query(sparql, **options), row_cap or max_rows)
    body = result.body if isinstance(result, Table) else None  # only a table holds a body yet
    if body is not None:
        checked(body, max_bytes)
    format_key = pick_format(result, asked)
    own_json = format_key == "json" and body is not None  # a table holds its JSON already
    if format_key is not None and not isinstance(result, bool) and not own_json:
        fmt = by_key(format_key)
        result = with_body(result, fmt.media_type, checked(serialise(result, fmt), max_bytes))
    return result


def pick_format(result: Result, format_key: FormatKey) -> str | None:
    """The format to write ``result`` in: ``format_key`` may be a pair (for a table or boolean, for triples),
    as the service asks before it knows which kind of result the query gives."""
    if not isinstance(format_key, tuple):
        return format_key
    return format_key[0] if isinstance(result, bool) or hasattr(result, "variables") else format_key[1]


def answer_write(message: tuple[str, str, bytes, str], max_bytes: int) -> bytes:
    """A materialised result (SPARQL JSON table or N-Triples) written in another format."""
    import pyoxigraph as ox

    from samkart.formats import by_key

    from .negotiation import serialise
    from .results import Table

    _, kind, payload, format_key = message
    result: Result
    if kind == "table":
        solutions = ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("a table to write holds a boolean answer instead")
        result = Table([v.value for v in solutions.variables], body=payload)
    else:
        result = list(ox.parse(payload, format=ox.RdfFormat.N_TRIPLES))
    return checked(serialise(result, by_key(format_key)), max_bytes)


def serve(store_path: str, max_rows: int, isolate: bool = True, sources: list[str] | None = None,
          buffer: ResultBuffer | None = None, memory: int = 0, max_bytes: int = 0, huge_pages: bool = False) -> None:
    """A worker's loop: read messages (see the module notes), answer ("ok", result, ms, shared) or ("error",
    exception). Messages travel on fds 0 and 1; prints go to stderr. With ``sources``, an in-memory copy of
    the data is loaded in the background and used once ready; with ``buffer``, table bodies that fit pass
    through it (``shared``: their length) rather than the pipe; ``memory`` caps what one query may add."""
    isolated = isolate_network() if isolate else False  # before any thread starts
    from .store import EmbeddedStore

    inbox = Connection(os.dup(0), writable=False)
    outbox = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    holder = {"store": EmbeddedStore.read_only(Path(store_path))}
    warm_up(holder["store"])
    copy_size = sum(Path(s).stat().st_size for s in sources or [])
    limit_memory(memory, max(COPY_ALLOWANCE * copy_size, COPY_FLOOR) if sources else 0)
    sending = threading.Lock()  # the loader thread's announcement and the answers share the pipe

    def send(message: tuple[object, ...]) -> None:
        with sending:
            outbox.send(message)

    send(("ready", os.getpid(), isolated))
    if sources:
        threading.Thread(target=in_memory_copy, args=(sources, holder, lambda: send(("memory",)), memory, huge_pages),
                         daemon=True).start()
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            return
        try:
            started = time.perf_counter()
            if message[0] == "write":
                send(("ok", answer_write(message, max_bytes), (time.perf_counter() - started) * 1000, -1))
                continue
            result = answer_query(holder["store"], message, max_rows, max_bytes)
            elapsed = (time.perf_counter() - started) * 1000
            result, shared = outgoing(result, buffer)
            send(("ok", result, elapsed, shared))
        except MemoryError:  # Python ran out under the cap (the engine aborts instead): say so, then go
            os._exit(MEMORY_EXIT)
        except SamkartError as exc:
            send(("error", exc))
        except Exception as exc:  # anything else the engine raises becomes a clear query error
            send(("error", QueryError(f"query failed: {type(exc).__name__}: {exc}")))


MEMORY_EXIT = 86
"""The exit status of a worker that ran out of memory in Python code (the engine's own failure is SIGABRT)."""


def main(argv: list[str]) -> None:
    """Parse the command line the pool gives a worker and serve."""
    flags = argv[2:]

    def values(name: str) -> list[str]:
        return [f.removeprefix(f"--{name}=") for f in flags if f.startswith(f"--{name}=")]

    shared = [v.split(":") for v in values("buffer")]
    serve(argv[0], int(argv[1]), isolate="--network" not in flags, sources=values("memory-copy"),
          buffer=ResultBuffer(int(shared[0][0]), int(shared[0][1])) if shared else None,
          memory=int((values("memory-limit") or ["0"])[0]), max_bytes=int((values("max-bytes") or ["0"])[0]),
          huge_pages="--huge-pages" in flags)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (BrokenPipeError, EOFError, KeyboardInterrupt):  # the server went away: nothing to answer
        pass
