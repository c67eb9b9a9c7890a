"""Warm throughput of every named query on one server, with wrk at each connection count of CONNECTIONS.

Our service is asked through its named-query route (GET, answered from its result cache once warm);
Oxigraph server through the SPARQL protocol (a POST form, as the latency figures), the same query text with
the same parameters bound. Before each run the server answered the request once (the latency figures), so
the answer is known to be a 200; wrk counts anything else as an error.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from urllib.parse import urlencode

from . import wrk

CONNECTIONS = (8, 32)
JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Request:
    """One request as wrk sends it: method, full URL, form body (POST) and headers."""

    method: str
    url: str
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = (("Accept", JSON),)


def named_request(base: str, name: str, params: dict[str, str]) -> Request:
    """Our named-query route for ``name`` with ``params``."""
    query = f"?{urlencode(params)}" if params else ""
    return Request("GET", f"{base}/api/queries/{name}{query}")


def protocol_request(query_url: str, text: str) -> Request:
    """A SPARQL protocol query (POST form) of ``text`` to ``query_url``."""
    return Request("POST", query_url, urlencode({"query": text}),
                   (("Accept", JSON), ("Content-Type", "application/x-www-form-urlencoded")))


def measure(server: str, pid: int, requests: dict[str, Request], seconds: float,
            latency: dict[str, tuple | None] | None = None) -> list[dict]:
    """One row per request and connection count: requests per second, errors, latency percentiles (ms).

    ``latency`` (the server's sequential first and median ms per request, where known) marks the requests
    so slow on this server that a run of ``seconds`` would end with few answered: their row holds the
    bound of :func:`samkart_bench.wrk.bound` instead of a run. After each run the server is given time to
    finish what wrk left it with, so it does not slow down the next one."""
    cores = os.cpu_count() or 1
    rows = []
    print(f"bench:   {server}: wrk, {len(requests)} queries × {'/'.join(map(str, CONNECTIONS))} connections…",
          file=sys.stderr, flush=True)
    for name, request in requests.items():
        median = (latency or {}).get(name)
        for connections in CONNECTIONS:
            if median is not None and wrk.too_slow(median[1], connections, seconds, cores):
                result = wrk.bound(median[1], cores)
            else:
                result = wrk.run(request.url, connections, seconds, request.method, request.body, dict(request.headers))
                wrk.wait_idle(pid)
            rows.append({"server": server, "query": name, "clients": connections, "rps": result.rps,
                         **{k: result.latency_ms.get(k, 0.0) for k in ("p50", "p90", "p99")},
                         "errors": result.errors, "bound": result.bound})
    return rows
