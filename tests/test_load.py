"""Under loopback load the service gives only exact answers and documented limits, and its memory stays flat.

Figures (requests/s, p50/p95/p99) are printed and written to build/load-report.json; no timing is asserted.
"""

import asyncio
import json
from dataclasses import asdict
from pathlib import Path

import httpx
import pytest

from samkart_bench.load import default_mix, rss_kb, run_load, with_expected  # noqa: E402

REPORT = Path(__file__).parents[1] / "build" / "load-report.json"
FIGURES: dict[str, dict] = {}
MIN_REQUESTS = 100  # just to show the load ran


def record(name: str, figures: dict) -> None:
    """Print one run's figures and (re)write the JSON report with every run so far."""
    FIGURES[name] = figures
    print(f"\n[{name}] " + json.dumps(figures, ensure_ascii=False))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(FIGURES, indent=2, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def load_server(build_file, tmp_path_factory):
    """A dedicated server on the build, with a short query timeout so heavy queries end in 504 quickly."""
    from servers import app_server

    env = {"SAMKART_DATA": json.dumps([str(build_file)]), "SAMKART_QUERY_TIMEOUT": "2",
           "SAMKART_STORE_DIR": str(tmp_path_factory.mktemp("load-store"))}
    with app_server(env) as base:
        yield base


@pytest.fixture(scope="module")
def mix(load_server):
    """The default mix with every expected body fetched once."""
    async def fetch():
        async with httpx.AsyncClient(base_url=load_server, timeout=60) as client:
            return await with_expected(client, await default_mix(client))
    return asyncio.run(fetch())


def check(report) -> None:
    assert report.wrong_answers == 0, report.problems
    assert report.unexpected_5xx == 0, report.problems
    assert report.unexpected_status == 0, report.problems
    assert report.transport_errors == 0, report.problems
    assert report.normal >= MIN_REQUESTS


def test_steady_load_gives_exact_answers(load_server, mix):
    report = asyncio.run(run_load(load_server, 8, 6, mix, None))
    print("\n" + report.table())
    record("clients_8", asdict(report))
    check(report)
    assert set(report.by_status) == {"200"}


def test_heavy_queries_get_only_documented_limits(load_server, mix):
    # every 10th request of workers 0 and 1: on a busy 2-core machine the load generator makes ~25 requests
    # per client in 6 s, so "every 40th" sent no heavy query at all
    report = asyncio.run(run_load(load_server, 32, 6, mix, 10))
    print("\n" + report.table())
    record("clients_32_heavy_every_10", asdict(report))
    check(report)
    assert report.heavy >= 1
    assert set(report.by_status) <= {"200", "503", "504"}


def test_memory_stays_flat(load_server, mix):
    asyncio.run(run_load(load_server, 8, 60, mix, None, max_requests=len(mix) + 500))  # warm-up
    before, processes = rss_kb(load_server.pid)
    report = asyncio.run(run_load(load_server, 8, 60, mix, None, max_requests=3000))
    after, _ = rss_kb(load_server.pid)
    check(report)
    growth_mb = (after - before) / 1024
    per_1000 = growth_mb / report.total * 1000
    print(f"\nRSS {before / 1024:.1f} MB -> {after / 1024:.1f} MB over {report.total} requests "
          f"({processes} processes): {growth_mb:+.2f} MB, {per_1000:+.3f} MB per 1000 requests")
    record("memory", {"requests": report.total, "rss_before_kb": before, "rss_after_kb": after,
                      "processes": processes, "growth_mb": round(growth_mb, 2),
                      "growth_mb_per_1000": round(per_1000, 3), "requests_per_s": report.requests_per_s,
                      "latency_ms": report.latency_ms})
    assert report.total == 3000
    assert growth_mb < 20
