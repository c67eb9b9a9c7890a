"""The in-process lane (samkart.sparql.inprocess): which queries it runs here, and what /health says of it."""

import time

import pytest

from samkart.sparql.backends import PooledBackend
from samkart.sparql.diskstore import prepare
from samkart.sparql.inprocess import LocalLane
from samkart.sparql.store import EmbeddedStore
from samkart.sparql.workers import QueryPool

CHEAP = "SELECT ?o WHERE { ?o a org:Organization } ORDER BY ?o LIMIT 3"


@pytest.fixture(scope="module")
def disk_store(build_file, tmp_path_factory):
    return prepare([build_file], tmp_path_factory.mktemp("stores"))


def test_a_cheap_query_runs_here_only_once_a_worker_ran_it(disk_store, build_file):
    pool = QueryPool(disk_store, size=1, max_rows=1000, heavy_after=5, max_heavy=1)
    lane = LocalLane(EmbeddedStore.read_only(disk_store), light_ms=1000, sources=[build_file])
    backend = PooledBackend(pool, lane.store, str(build_file), timeout=30, lane=lane)
    try:
        waited = time.monotonic()
        while lane.stats()["in_memory"] is False and time.monotonic() - waited < 60:  # its copy loads meanwhile
            time.sleep(0.05)
        assert lane.stats() == {"known": 0, "ran": 0, "in_memory": True}
        first = backend.query(CHEAP)  # never seen: a worker runs it
        assert lane.stats()["ran"] == 0 and lane.stats()["known"] == 1 and pool.answered == 1
        again = backend.query(CHEAP)  # known cheap: here, same answer
        assert lane.stats()["ran"] == 1 and pool.answered == 1 and again == first
        service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
        lane.remember(service, {}, 0.1, [])
        assert lane.known_ms(service, {}) is None  # SERVICE never runs where it cannot be stopped
    finally:
        pool.close()


def test_without_a_copy_or_with_the_lane_off_health_says_so(disk_store):
    store = EmbeddedStore.read_only(disk_store)
    assert LocalLane(store, light_ms=10).stats()["in_memory"] is None  # no copy asked for
    off = LocalLane(store, light_ms=0, sources=[disk_store])
    assert off.stats() == {"known": 0, "ran": 0, "in_memory": None}
    off.remember(CHEAP, {}, 0.1, [])
    assert off.known_ms(CHEAP, {}) is None


def test_the_row_cap_counts_rows_not_terms(disk_store):
    """An answer of fewer rows than the cap but more terms than it (the byte-level hint counts terms) is
    remembered as cheap; one of more rows than the cap is not."""
    import json

    from samkart.sparql.inprocess import MAX_ROWS_HERE
    from samkart.sparql.results import Table

    def table(rows: int, columns: int) -> Table:
        names = [f"v{i}" for i in range(columns)]
        bindings = [{n: {"type": "literal", "value": str(r)} for n in names} for r in range(rows)]
        body = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}).encode()
        return Table(names, body=body)

    lane = LocalLane(EmbeddedStore.read_only(disk_store), light_ms=10)
    wide = table(MAX_ROWS_HERE // 4, 8)  # 500 rows, 4,000 terms
    assert wide.size_hint() > MAX_ROWS_HERE
    lane.remember("SELECT * { ?a ?b ?c } LIMIT 500", {}, 1.0, wide)
    assert lane.known_ms("SELECT * { ?a ?b ?c } LIMIT 500", {}) == 1.0
    lane.remember("SELECT * { ?a ?b ?c } LIMIT 2001", {}, 1.0, table(MAX_ROWS_HERE + 1, 1))
    assert lane.known_ms("SELECT * { ?a ?b ?c } LIMIT 2001", {}) is None
