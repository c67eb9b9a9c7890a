"""Answers from the result cache before the framework's routing: a plain ASGI layer for the hottest GETs.

A named query (``/api/queries/{name}``) or a ``/sparql`` GET whose answer is already in the cache, in the
format the client asks for, is sent from bytes kept with the cache entry — status line, headers and body
prepared once per entry and format — with ETag and 304, without FastAPI's routing, request object or
middleware. Everything else (a miss, a format not written yet, a CORS request, ``Cache-Control:
no-cache``, a malformed or repeated parameter) goes on to the app unchanged, which answers as before and
fills the cache; the answers of both paths are the same bytes with the same headers
(``tests/test_fastpath.py``). Measured on this 2-core machine, warm, 10-row answer: ~4,000 req/s through
the framework, see docs/performance.md for the figures with this layer.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from urllib.parse import parse_qs

from samkart.formats import by_key
from samkart.sparql.cache import Entry, etag
from samkart.sparql.negotiation import formats_for, negotiate

from .metrics import METRICS
from .security import SECURITY_HEADERS

NAMED = "/api/queries/"
HIT = b"cache;desc=hit"
FRESH = b":fresh"  # not a header name a client can send
JSON = by_key("json").media_type
INLINE_MS = 1.0
"""A fresh answer runs on the event loop when its exact query is known to take less than this (else in a
thread; either way only queries the in-process lane knows to be cheap, see samkart.sparql.inprocess)..."""
ALONE_MS = 10.0
"""...or less than this when no other request is in flight in this process: no one waits for the loop then,
and the hand-over to the thread and back (two wake-ups, ~0.5-1 ms on this busy 2-core machine) is saved.
A request arriving meanwhile waits at most about this long."""
LATER = object()
LANE_THREAD = ThreadPoolExecutor(1, thread_name_prefix="samkart-lane")
"""One thread for fresh answers of known-cheap queries: the same thread every time keeps its allocator arena
and caches warm (a COUNT over the real graph: ~2.3 ms here against ~3.4 ms on whichever pool thread is free)."""
SEEN = 4096
"""Request signatures remembered with the cache entry and format they resolved to."""
SECURITY = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS]


class FastPath:
    """Wraps the security layer and the app: answers cache hits of named queries and ``/sparql`` GETs (with
    the security layer's Host check and headers), passes everything else on."""

    def __init__(self, app, state, security):
        self.app = app
        self.state = state
        self.security = security
        self._seen: dict = {}  # (path, query string, Accept) → (data version, cache key, media type)
        self._metrics: dict = {}
        self.active = 0  # HTTP requests in flight in this process (this layer sees every one)
        self.lane_busy = 0  # fresh answers running on (or waiting for) the lane thread

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        self.active += 1
        try:
            if scope["method"] in ("GET", "HEAD") and self.security.host_allowed(scope):
                started = time.perf_counter()
                found = self.lookup(scope)
                if found is not None and found[0] is LATER:  # a known-cheap query run afresh, in a thread
                    self.lane_busy += 1
                    try:
                        found = await asyncio.get_running_loop().run_in_executor(LANE_THREAD, found[1])
                    finally:
                        self.lane_busy -= 1
                if found is not None:
                    route, status, headers, body, *hit = found
                    await send({"type": "http.response.start", "status": status, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    self.count(route, status, time.perf_counter() - started, hit != [False])
                    return
            await self.app(scope, receive, send)
        finally:
            self.active -= 1

    def count(self, route: str, status: int, seconds: float, hit: bool = True) -> None:
        """The request in the metrics, like the app's own middleware counts it (series looked up once)."""
        series = self._metrics.get((route, status))
        if series is None:
            series = self._metrics[(route, status)] = (METRICS.requests.labels(route, str(status)), METRICS.latency.labels(route))
        if hit:
            METRICS.cache_hits.inc()
        series[0].inc()
        series[1].observe(seconds)

    def lookup(self, scope):
        """(route, status, headers, body) for a request the cache answers, else None."""
        headers = request_headers(scope["headers"])
        if headers is None:
            return None
        service = self.state.service
        signature = (scope["path"], scope["query_string"], headers.get(b"accept"))
        seen = self._seen.get(signature)
        if headers.get(FRESH):
            if seen is None or seen[0] != service.version:
                found = self.resolve(scope, headers, service)
                if found is None:
                    return None
                seen = self.note(signature, service, found)
            return self.refresh(service, seen, headers, scope["path"])
        if seen is not None and seen[0] == service.version:
            entry = service.cache.peek(seen[1])
            kept = entry.responses.get(seen[2]) if entry is not None else None
            if kept is not None:
                return self.answer(service, seen[1], kept, headers, scope["path"])
        found = self.resolve(scope, headers, service)
        if found is None:
            return None
        self.note(signature, service, found)
        return self.answer(service, found[0], found[1], headers, scope["path"])

    def note(self, signature, service, found) -> tuple:
        """Remember which cache entry and format a request signature resolved to."""
        key, kept = found
        if len(self._seen) >= SEEN:
            self._seen.clear()  # a bound, not an LRU: the signatures of a busy cache are seen again at once
        seen = self._seen[signature] = (service.version, key, kept[4])
        return seen

    def refresh(self, service, seen, headers, route):
        """A fresh answer (``Cache-Control: no-cache``) to a request whose exact query the in-process lane knows
        to be cheap: run again here (on the event loop when it takes under INLINE_MS, or ALONE_MS with no other
        request in flight; else ``(LATER, run)`` for the lane thread, unless that is busy) and kept in the cache;
        else None (the app answers: in another lane slot, or through a worker)."""
        _, key, media_type = seen
        entry = service.cache.peek(key)
        lane = getattr(service.backend, "lane", None)
        if entry is None or entry.source is None or lane is None:
            return None
        text, options, formats = entry.source
        known = lane.known_ms(text, options)
        if known is None:
            return None
        run = partial(self.rerun, service, key, entry, lane, headers, route, media_type)
        inline = known <= INLINE_MS or (known <= ALONE_MS and self.active == 1)
        if not inline and self.lane_busy:  # not behind another: the app runs it (another lane slot, or a worker)
            return None
        return run() if inline else (LATER, run)

    @staticmethod
    def rerun(service, key, entry, lane, headers, route, media_type):
        """Run the entry's query again in-process, keep the new answer (unless it is the very bytes kept), and
        return the response to send."""
        text, options, formats = entry.source
        started = time.perf_counter()
        try:
            found = lane.run(text, options, service.max_rows, service.max_bytes, formats)
        except Exception:  # whatever it is, the app says it in its own words
            return None
        if found is None:
            return None
        result, engine = found
        bodies = dict(getattr(result, "bodies", {}))
        if getattr(result, "body", None) is not None:
            bodies[JSON] = result.body  # a table's SPARQL JSON is the bytes it holds
        kept = entry.responses.get(media_type)
        if kept is None or bodies.get(media_type) != kept[3]:  # the same bytes: kept entry and headers stay
            fresh = service.cache.put(key, result)
            fresh.source = entry.source
            for kind, body in bodies.items():
                service.cache.add_body(fresh, kind, body)
            kept = prepared_response(service.version, key, fresh, headers.get(b"accept"), None, media_type)
            if kept is None:
                return None
        timing = f"query;dur={(time.perf_counter() - started) * 1000:.2f}, engine;dur={engine:.2f}".encode()
        METRICS.query_seconds.observe(time.perf_counter() - started)
        return route, 200, [(n, timing if n == b"server-timing" else v) for n, v in kept[1]], kept[3], False

    @staticmethod
    def answer(service, key, kept, headers, route):
        tag, full, not_modified, body, _ = kept
        if tag in headers.get(b"if-none-match", b"").replace(b" ", b"").split(b","):
            return route, 304, not_modified, b""
        service.cache.touch(key)
        return route, 200, full, body

    def resolve(self, scope, headers, service):
        """The cache key and prepared response for a request seen for the first time, else None."""
        path = scope["path"]
        if path == "/sparql":
            route = path
        elif path.startswith(NAMED) and path[len(NAMED):] in self.state.service.queries:
            route = path
        else:
            return None
        params = strict_params(scope["query_string"])
        if params is None or any(len(v) > 1 for k, v in params.items() if k in ("format", "query")):
            return None
        key = sparql_key(params) if route == "/sparql" else named_key(path[len(NAMED):], params)
        if key is None:
            return None
        entry = service.cache.peek(key)
        if entry is None:
            return None
        prepared = prepared_response(service.version, key, entry, headers.get(b"accept"), params.get("format", [None])[0])
        return None if prepared is None else (key, prepared)


def request_headers(raw: list[tuple[bytes, bytes]]) -> dict[bytes, bytes] | None:
    """The request's headers we read (FRESH set when it asks not to be answered from a cache), or None when
    one sends the request on to the app (CORS)."""
    found = {}
    for name, value in raw:
        if name == b"origin":
            return None
        if name == b"cache-control" and (b"no-cache" in value or b"no-store" in value):
            found[FRESH] = b"1"
        if name in (b"accept", b"if-none-match"):
            if name in found:
                return None
            found[name] = value
    return found


def strict_params(query_string: bytes) -> dict[str, list[str]] | None:
    """The query string's parameters, or None when it is not plain UTF-8 (the app then says what is wrong)."""
    if not query_string:
        return {}
    if query_string.count(b"&") >= 100:
        return None
    try:
        return parse_qs(query_string.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return None


def sparql_key(params: dict[str, list[str]]):
    """The cache key the /sparql route gives these parameters (see routes/sparql.py), or None."""
    if "update" in params or "query" not in params:
        return None
    return ("sparql", params["query"][0], tuple(params.get("default-graph-uri", ())),
            tuple(params.get("named-graph-uri", ())))


def named_key(name: str, params: dict[str, list[str]]):
    """The cache key the named-query route gives these parameters (see routes/api.py)."""
    args = {k: v for k, v in params.items() if k != "format"}
    return ("named", name, tuple(sorted((k, tuple(v)) for k, v in args.items())))


def prepared_response(version: str, key, entry: Entry, accept: bytes | None, format_name: str | None,
                      media_type: str | None = None):
    """(ETag, headers of the 200, headers of a 304, body) for the entry in the negotiated format (or the
    given ``media_type``), made once per entry and format and kept on it; None when that format's body is
    not written yet."""
    formats = formats_for(entry.result)
    chosen = (next((f for f in formats if f.media_type == media_type), None) if media_type else
              negotiate(formats, accept.decode("latin-1") if accept else None, format_name))
    if chosen is None:
        return None
    kept = entry.responses.get(chosen.media_type)
    if kept is not None:
        return kept
    body = entry.bodies.get(chosen.media_type)
    if body is None:
        return None
    tag = etag(version, key, chosen.media_type).encode()
    media = chosen.content_type
    common = [(b"vary", b"Accept, Origin"), (b"etag", tag), (b"cache-control", b"no-cache"), (b"server-timing", HIT),
              *SECURITY]
    full = [(b"content-length", str(len(body)).encode()), (b"content-type", media.encode())] + common
    kept = entry.responses[chosen.media_type] = (tag, full, common, body, chosen.media_type)
    return kept
