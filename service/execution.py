"""Running query work off the event loop under the time limit, and answering in the right format from the cache."""

import time
from collections.abc import Callable, Sequence

import anyio
from fastapi import Request
from fastapi.responses import Response

from samkart.errors import NotAcceptable, QueryTimeout
from samkart.sparql.cache import Entry, etag
from samkart.sparql.negotiation import formats_for, negotiate, serialise
from samkart.sparql.service import SparqlService
from samkart.sparql.workers import ENGINE_MS

from .metrics import METRICS

FormatNames = str | Sequence[str] | None
"""What a request's ``format`` (and, at /sparql, ``output`` and ``results``) parameters ask for."""

LARGE_RESULT = 2_000
"""Results with more rows or triples than this are written in a worker thread, not on the event loop."""


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


async def cached_result(service: SparqlService, key, compute: Callable, seconds: float,
                        request: Request | None = None, format_name: FormatNames = None) -> Entry:
    """The cache entry for ``key``; on a miss (or when the client asks for a fresh answer) ``compute()``
    runs off the event loop under the time limit and its result is kept. With ``request``, the body in
    the negotiated format is written in the same worker thread (no second hop, no writing on the loop);
    a format the result cannot take still raises 406 after the result is kept. The time the query took
    (``query``, the backend's round trip), the part of it inside a query worker process (``engine``: the
    engine and writing the result there; the rest is the pipe and the service's checks) and writing its
    body (``write``) go to the Server-Timing header; a cached answer says ``cache;desc=hit``."""
    timings = server_timing(request)
    entry = None if wants_fresh(request) else service.cache.get(key)
    if entry is not None:
        METRICS.cache_hits.inc()
        timings.append("cache;desc=hit")
        return entry

    def work() -> Entry:
        started = time.perf_counter()
        result = compute()
        queried = time.perf_counter()
        timings.append(f"query;dur={_milliseconds(started, queried)}")
        if (engine := ENGINE_MS.get()) is not None:  # set by a query worker in this thread's context
            timings.append(f"engine;dur={engine:.2f}")
        fresh = service.cache.put(key, result)
        if request is not None:
            body_of(service, fresh, choose_format(fresh.result, request, format_name))
            timings.append(f"write;dur={_milliseconds(queried, time.perf_counter())}")  # with keeping it
        return fresh

    return await run_blocking(work, request_timeout(service, seconds))


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


def _size(result) -> int:
    """Rows or triples of a result (for a Table held as bytes, an upper bound read without parsing)."""
    if isinstance(result, bool):
        return 1
    return result.size_hint() if hasattr(result, "size_hint") else len(result)


def content_type(chosen) -> str:
    """The Content-Type of a format (text types say their charset)."""
    return chosen.media_type + ("; charset=utf-8" if chosen.media_type.startswith("text/") else "")


def body_of(service: SparqlService, entry: Entry, chosen) -> bytes:
    """The entry's body in format ``chosen``, written once and kept with the entry."""
    body = entry.bodies.get(chosen.media_type)
    if body is None:
        body = serialise(entry.result, chosen)
        service.cache.add_body(entry, chosen.media_type, body)
    return body


async def entry_response(service: SparqlService, key, entry: Entry, request: Request, format_name: FormatNames) -> Response:
    """The entry's body in the negotiated format, with an ETag; 304 when the client already has it."""
    chosen = choose_format(entry.result, request, format_name)
    media = content_type(chosen)
    tag = etag(service.version, key, chosen.media_type)
    headers = {"Vary": "Accept", "ETag": tag, "Cache-Control": "no-cache"}
    if tag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=timed(headers, request))
    body = entry.bodies.get(chosen.media_type)
    if body is None:  # a format not asked for before (the result came from the cache)
        started = time.perf_counter()
        if _size(entry.result) > LARGE_RESULT:
            body = await anyio.to_thread.run_sync(body_of, service, entry, chosen)
        else:
            body = body_of(service, entry, chosen)
        server_timing(request).append(f"write;dur={_milliseconds(started, time.perf_counter())}")
    return Response(body, media_type=media, headers=timed(headers, request))


def timed(headers: dict, request: Request) -> dict:
    """``headers`` with the request's Server-Timing entries, when it has any."""
    if timings := server_timing(request):
        headers["Server-Timing"] = ", ".join(timings)
    return headers


async def answer(request: Request, service: SparqlService, key, compute: Callable, seconds: float,
                 format_name: FormatNames) -> Response:
    """Run (or fetch from the cache) one request's query and answer it in the negotiated format."""
    entry = await cached_result(service, key, compute, seconds, request, format_name)
    return await entry_response(service, key, entry, request, format_name)


def result_response(result, request: Request, format_name: FormatNames) -> Response:
    """An uncached result in the format the client asked for (``format`` parameter, then Accept), or 406."""
    chosen = choose_format(result, request, format_name)
    media = content_type(chosen)
    return Response(serialise(result, chosen), media_type=media, headers={"Vary": "Accept"})
