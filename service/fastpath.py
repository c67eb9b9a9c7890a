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

import time
from urllib.parse import parse_qs

from samkart.sparql.cache import Entry, etag
from samkart.sparql.negotiation import formats_for, negotiate

from .metrics import METRICS
from .security import SECURITY_HEADERS

NAMED = "/api/queries/"
HIT = b"cache;desc=hit"
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

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and self.security.host_allowed(scope):
            started = time.perf_counter()
            found = self.lookup(scope)
            if found is not None:
                route, status, headers, body = found
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                self.count(route, status, time.perf_counter() - started)
                return
        await self.app(scope, receive, send)

    def count(self, route: str, status: int, seconds: float) -> None:
        """The request in the metrics, like the app's own middleware counts it (series looked up once)."""
        series = self._metrics.get((route, status))
        if series is None:
            series = self._metrics[(route, status)] = (METRICS.requests.labels(route, str(status)), METRICS.latency.labels(route))
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
        if seen is not None and seen[0] == service.version:
            entry = service.cache.peek(seen[1])
            kept = entry.responses.get(seen[2]) if entry is not None else None
            if kept is not None:
                return self.answer(service, seen[1], kept, headers, scope["path"])
        found = self.resolve(scope, headers, service)
        if found is None:
            return None
        key, kept = found
        if len(self._seen) >= SEEN:
            self._seen.clear()  # a bound, not an LRU: the signatures of a busy cache are seen again at once
        self._seen[signature] = (service.version, key, kept[4])
        return self.answer(service, key, kept, headers, scope["path"])

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
    """The request's headers we read, or None when one sends the request on to the app (CORS, no-cache)."""
    found = {}
    for name, value in raw:
        if name == b"origin" or (name == b"cache-control" and (b"no-cache" in value or b"no-store" in value)):
            return None
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


def prepared_response(version: str, key, entry: Entry, accept: bytes | None, format_name: str | None):
    """(ETag, headers of the 200, headers of a 304, body) for the entry in the negotiated format, made once
    per entry and format and kept on it; None when that format's body is not written yet."""
    chosen = negotiate(formats_for(entry.result), accept.decode("latin-1") if accept else None, format_name)
    if chosen is None:
        return None
    kept = entry.responses.get(chosen.media_type)
    if kept is not None:
        return kept
    body = entry.bodies.get(chosen.media_type)
    if body is None:
        return None
    tag = etag(version, key, chosen.media_type).encode()
    media = chosen.media_type + ("; charset=utf-8" if chosen.media_type.startswith("text/") else "")
    common = [(b"vary", b"Accept, Origin"), (b"etag", tag), (b"cache-control", b"no-cache"), (b"server-timing", HIT),
              *SECURITY]
    full = [(b"content-length", str(len(body)).encode()), (b"content-type", media.encode())] + common
    kept = entry.responses[chosen.media_type] = (tag, full, common, body, chosen.media_type)
    return kept
