"""Running query work off the event loop under the time limit, and answering in the right format from the cache.

A cache miss becomes one computation however many identical requests arrive together (admission.Flights),
started under the client's cap (admission.ClientGate). The query and the writing of its answer in the
format the client asked for both run in a worker process when the service has them, so the deadline that
kills a runaway query also bounds the writing; a result kept in the cache and asked for in a format not
written before is written by a worker too, unless it is small and its writer native (then here, in a
thread: well under a millisecond).
"""

import time
from collections.abc import Callable, Sequence

import anyio
from fastapi import Request
from fastapi.responses import Response

from samkart.errors import NotAcceptable, QueryTimeout
from samkart.formats import GRAPH_FORMATS, RESULT_FORMATS
from samkart.sparql.backends import LAST_QUERY
from samkart.sparql.cache import Entry, etag, not_modified
from samkart.sparql.negotiation import formats_for, negotiate, serialise
from samkart.sparql.service import SparqlService, quick_to_write
from samkart.sparql.workers import ENGINE_MS

from .metrics import METRICS

FormatNames = str | Sequence[str] | None
"""What a request's ``format`` (and, at /sparql, ``output`` and ``results``) parameters ask for."""


async def run_blocking(work: Callable, timeout: float):
    """``work()`` in a worker thread; past ``timeout`` seconds the request gets a 504 (never a cut body)."""
    started = time.perf_counter()
    try:
        with anyio.fail_after(timeout):
            return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
    except TimeoutError:
        METRICS.timeouts.inc()
        raise QueryTimeout(f"the query took longer than {timeout:g} s and was stopped; narrow it or add a LIMIT") from None
    finally:
        METRICS.query_seconds.observe(time.perf_counter() - started)


def request_timeout(service: SparqlService, seconds: float) -> float:
    """How long the web layer waits: the query timeout, plus a grace when the backend stops queries itself."""
    return seconds + getattr(service.backend, "timeout_grace", 0.0)


def wants_fresh(request: Request | None) -> bool:
    """True when the client asks not to be answered from a cache (``Cache-Control: no-cache`` or ``no-store``)."""
    control = request.headers.get("cache-control", "").lower() if request is not None else ""
    return "no-cache" in control or "no-store" in control


def server_timing(request: Request | None) -> list[str]:
    """The request's ``Server-Timing`` entries (W3C Server Timing), filled while it is answered."""
    if request is None:
        return []
    if not hasattr(request.state, "server_timing"):
        request.state.server_timing = []
    return request.state.server_timing


def _milliseconds(started: float, ended: float) -> str:
    return f"{(ended - started) * 1000:.2f}"


def asked_formats(request: Request, format_name: FormatNames) -> tuple[str | None, str | None]:
    """The format keys the client would get for a table or boolean and for triples (the kind of result is
    known only once the query ran), so the worker can write the answer where it ran the query."""
    accept = request.headers.get("accept")
    results, graph = negotiate(RESULT_FORMATS, accept, format_name), negotiate(GRAPH_FORMATS, accept, format_name)
    return (results.key if results else None, graph.key if graph else None)


async def cached_result(state, service: SparqlService, key, compute: Callable, request: Request,
                        format_name: FormatNames = None, write: bool = True) -> Entry:
    """The cache entry for ``key``; on a miss (or when the client asks for a fresh answer) ``compute(formats)``
    runs off the event loop under the time limit and its result is kept, with the body in the negotiated
    format (``formats``: see :func:`asked_formats`; None with ``write`` off). A format the result cannot
    take still raises 406 after the result is kept. The time the query took (``query``, the backend's round
    trip), the part of it inside a query worker process (``engine``: the engine and writing the result
    there) and writing its body here (``write``) go to the Server-Timing header; a cached answer says
    ``cache;desc=hit``."""
    timings = server_timing(request)
    entry = None if wants_fresh(request) else service.cache.get(key)
    if entry is not None:
        METRICS.cache_hits.inc()
        timings.append("cache;desc=hit")
        return entry
    formats = asked_formats(request, format_name) if write else None

    def work() -> tuple[Entry, list[str]]:
        LAST_QUERY.set(None)
        started = time.perf_counter()
        result = compute(formats)
        queried = time.perf_counter()
        notes = [f"query;dur={_milliseconds(started, queried)}"]
        if (engine := ENGINE_MS.get()) is not None:  # set by a query worker in this thread's context
            notes.append(f"engine;dur={engine:.2f}")
        fresh = service.cache.put(key, result)
        for media_type, body in getattr(result, "bodies", {}).items():
            service.cache.add_body(fresh, media_type, body)
        if (last := LAST_QUERY.get()) is not None and write:
            fresh.source = (*last, formats)  # the fast path may run it again in-process (see fastpath.refresh)
        if write:
            chosen = choose_format(fresh.result, request, format_name)
            if chosen.media_type not in fresh.bodies and quick_to_write(fresh.result, chosen):
                body_of(service, fresh, chosen)
                notes.append(f"write;dur={_milliseconds(queried, time.perf_counter())}")  # with keeping it
        return fresh, notes

    async def start():
        async with state.gate.turn(client_of(request)):
            return await run_blocking(work, request_timeout(service, state.settings.query_timeout))

    fresh, notes = await state.flights.shared((service.version, key, formats, "query"), start)
    timings.extend(notes)
    return fresh


def client_of(request: Request) -> str:
    """The client's address as uvicorn reports it (from X-Forwarded-For only when the peer is trusted)."""
    return request.client.host if request.client else "unknown"


def choose_format(result, request: Request, format_name: FormatNames):
    """The format the client asked for (``format`` parameter, then Accept), or 406."""
    formats = formats_for(result)
    chosen = negotiate(formats, request.headers.get("accept"), format_name)
    if chosen is None:
        offered = ", ".join(f"{f.media_type} ({f.names[0]})" for f in formats)
        names = [format_name] if isinstance(format_name, str) else list(format_name or ())
        asked = f"format {', '.join(names)}" if names else f"Accept {request.headers.get('accept')}"
        raise NotAcceptable(f"cannot answer with {asked!r}; this result is available as {offered}")
    return chosen


def body_of(service: SparqlService, entry: Entry, chosen) -> bytes:
    """The entry's body in format ``chosen``, written once (see :meth:`SparqlService.write`) and kept with the entry."""
    body = entry.bodies.get(chosen.media_type)
    if body is None:
        body = service.write(entry.result, chosen)
        service.cache.add_body(entry, chosen.media_type, body)
    return body


async def entry_response(state, service: SparqlService, key, entry: Entry, request: Request,
                         format_name: FormatNames) -> Response:
    """The entry's body in the negotiated format, with an ETag; 304 when the client already has it."""
    chosen = choose_format(entry.result, request, format_name)
    media = chosen.content_type
    tag = etag(service.version, key, chosen.media_type)
    headers = {"Vary": "Accept", "ETag": tag, "Cache-Control": "no-cache"}
    if not_modified(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=timed(headers, request))
    body = entry.bodies.get(chosen.media_type)
    if body is None:  # a format not asked for before (the result came from the cache)
        started = time.perf_counter()
        if quick_to_write(entry.result, chosen):
            body = body_of(service, entry, chosen)
        else:
            async def start():
                async with state.gate.turn(client_of(request)):
                    return await run_blocking(lambda: body_of(service, entry, chosen),
                                              request_timeout(service, state.settings.query_timeout))

            body = await state.flights.shared((service.version, key, chosen.media_type, "write"), start)
        server_timing(request).append(f"write;dur={_milliseconds(started, time.perf_counter())}")
    return Response(body, media_type=media, headers=timed(headers, request))


def timed(headers: dict, request: Request) -> dict:
    """``headers`` with the request's Server-Timing entries, when it has any."""
    if timings := server_timing(request):
        headers["Server-Timing"] = ", ".join(timings)
    return headers


async def answer(request: Request, service: SparqlService, key, compute: Callable, format_name: FormatNames) -> Response:
    """Run (or fetch from the cache) one request's query and answer it in the negotiated format."""
    state = request.app.state.samkart
    entry = await cached_result(state, service, key, compute, request, format_name)
    return await entry_response(state, service, key, entry, request, format_name)


async def result_response(result, request: Request, format_name: FormatNames) -> Response:
    """An uncached result in the format the client asked for (``format`` parameter, then Accept), or 406;
    written in a thread under the time limit (never on the event loop)."""
    state = request.app.state.samkart
    chosen = choose_format(result, request, format_name)
    body = await run_blocking(lambda: serialise(result, chosen), state.settings.query_timeout)
    return Response(body, media_type=chosen.content_type, headers={"Vary": "Accept"})
