"""Prometheus metrics: requests, latencies, timeouts and cache hits, served at /metrics."""

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram


@dataclass
class Metrics:
    """The service's metrics, in a registry of their own (so tests and reloads start clean)."""

    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    query_seconds: Histogram
    timeouts: Counter
    cache_hits: Counter


def make_metrics() -> Metrics:
    registry = CollectorRegistry()
    return Metrics(
        registry,
        Counter("samkart_requests_total", "HTTP requests by route and status", ["route", "status"], registry=registry),
        Histogram("samkart_request_seconds", "HTTP request latency by route", ["route"], registry=registry),
        Histogram("samkart_query_seconds", "Time spent running queries", registry=registry),
        Counter("samkart_query_timeouts_total", "Queries stopped at the timeout", registry=registry),
        Counter("samkart_cache_hits_total", "Responses served from the result cache", registry=registry),
    )


METRICS = make_metrics()
