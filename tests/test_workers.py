"""Query worker processes: a runaway query's process is killed and replaced, heavy queries are limited
and demoted, and simple queries are answered while heavy ones run (order, not timings, is asserted)."""

import os
import threading
from pathlib import Path

import pytest

from samkart.errors import Busy, QueryError, QueryTimeout, TooManyRows
from samkart.sparql.diskstore import MARKER, open_read_only, prepare, store_path
from samkart.sparql.results import Table
from samkart.sparql.workers import QueryPool

UNION = {"use_default_graph_as_union": True}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def disk_store(build_file, tmp_path_factory) -> Path:
    return prepare([build_file], tmp_path_factory.mktemp("stores"))


@pytest.fixture
def pool(disk_store):
    pool = QueryPool(disk_store, size=3, max_rows=1000, heavy_after=0.5, max_heavy=1)
    yield pool
    pool.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z" if Path(f"/proc/{pid}").exists() else True


def test_store_is_prepared_once_and_opened_read_only(build_file, disk_store, tmp_path):
    assert (disk_store / MARKER).is_file()
    assert prepare([build_file], disk_store.parent) == disk_store == store_path([build_file], disk_store.parent)
    assert len(open_read_only(disk_store)) == len(open_read_only(disk_store)) > 10_000  # two readers at once


def test_results_and_errors_come_back(pool):
    table = pool.run(COUNT, UNION, timeout=30)
    assert isinstance(table, Table) and int(table.rows[0][0].value) > 10_000
    assert pool.run("ASK { ?s ?p ?o }", UNION, timeout=30) is True
    with pytest.raises(QueryError, match="syntax"):
        pool.run("SELEKT * WHERE {}", UNION, timeout=30)
    with pytest.raises(TooManyRows):
        pool.run("SELECT * WHERE { ?s ?p ?o }", UNION, timeout=30)
    assert len(pool.run("SELECT * WHERE { ?s ?p ?o }", UNION, timeout=30, max_rows=10**6).rows) > 10_000


def test_runaway_query_process_is_killed_and_replaced(pool):
    before = set(pool.pids())
    with pytest.raises(QueryTimeout, match="was stopped"):
        pool.run(CARTESIAN, UNION, timeout=1.0)
    assert pool.stats()["killed"] == 1
    after = set(pool.pids())
    gone = before - after
    assert len(gone) == 1 and not alive(gone.pop())  # the process, its memory and its core are released
    assert len(after) == 3
    assert int(pool.run(COUNT, UNION, timeout=30).rows[0][0].value) > 10_000  # and the pool still answers


def test_one_heavy_query_too_many_is_refused_with_busy(pool):
    outcome = {}

    def heavy():
        try:
            pool.run(CARTESIAN, UNION, timeout=3.0)
        except QueryTimeout as exc:
            outcome["first"] = exc

    first = threading.Thread(target=heavy)
    first.start()
    while pool.stats()["heavy"] == 0:
        threading.Event().wait(0.05)
    with pytest.raises(Busy, match="SAMKART_MAX_HEAVY_QUERIES"):  # another heavy query, not known yet: runs, then refused
        pool.run(CARTESIAN.replace("?n", "?m"), UNION, timeout=3.0)
    first.join()
    assert isinstance(outcome["first"], QueryTimeout)


def test_simple_queries_are_answered_while_a_heavy_one_runs(pool):
    finished: list[str] = []

    def heavy():
        with pytest.raises(QueryTimeout):
            pool.run(CARTESIAN, UNION, timeout=4.0)
        finished.append("heavy")

    thread = threading.Thread(target=heavy)
    thread.start()
    while pool.stats()["heavy"] == 0:  # the heavy query is running and demoted
        threading.Event().wait(0.05)
    for _ in range(20):
        pool.run(COUNT, UNION, timeout=30)
        finished.append("simple")
    thread.join()
    assert finished[:20] == ["simple"] * 20 and finished[-1] == "heavy"


def test_heavy_query_runs_at_the_lowest_priority(pool):
    seen = {}

    def watch():
        while pool.stats()["heavy"] == 0:
            threading.Event().wait(0.02)
        busy = [w for w in pool._all_workers() if w.heavy]
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, busy[0].pid) if busy else None

    watcher = threading.Thread(target=watch)
    watcher.start()
    with pytest.raises(QueryTimeout):
        pool.run(CARTESIAN, UNION, timeout=1.5)
    watcher.join()
    assert seen["nice"] == 19


def test_closed_pool_leaves_no_process(disk_store):
    pool = QueryPool(disk_store, size=2, max_rows=10, heavy_after=1, max_heavy=1)
    pids = pool.pids()
    pool.run("ASK {}", UNION, timeout=30)
    pool.close()
    assert not any(alive(pid) for pid in pids)


def test_workers_have_no_network(disk_store):
    """Defence in depth behind the SERVICE guard: a worker runs in an empty network namespace, so even a
    SERVICE clause that reached the engine could not connect anywhere (pyoxigraph would otherwise fetch it)."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    pool = QueryPool(disk_store, size=1, max_rows=10, heavy_after=5, max_heavy=1)
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        with pytest.raises(QueryError):
            pool.run(query, UNION, timeout=10)
        assert pool.stats()["network_isolated"] is True
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        pool.close()
        listener.close()


def test_workers_report_their_in_memory_copy(disk_store, build_file):
    """Each worker says when it answers from its in-memory copy; /health shows the count (the benchmark
    waits for it), and a query answered while the note arrives still gets its own answer. Asked to, each
    copy has moved into huge pages by then."""
    import time

    import hugepages_probe

    pool = QueryPool(disk_store, size=2, max_rows=10**6, heavy_after=5, max_heavy=1, sources=[build_file],
                     huge_pages=True)
    try:
        assert pool.stats()["in_memory"] in (0, 1, 2)
        first = pool.run(COUNT, UNION, timeout=30)  # may be answered from disk, with the note arriving after
        waited = time.monotonic()
        while pool.stats()["in_memory"] < 2 and time.monotonic() - waited < 60:
            time.sleep(0.1)
        assert pool.stats()["in_memory"] == 2
        assert pool.run(COUNT, UNION, timeout=30) == first
        if hugepages_probe.on_request():  # under THP "always" every process holds some anyway
            assert all(hugepages_probe.anon_huge_kb(pid) >= 2048 for pid in pool.pids())
    finally:
        pool.close()
    plain = QueryPool(disk_store, size=1, max_rows=10, heavy_after=5, max_heavy=1)
    try:
        assert plain.stats()["in_memory"] is None
    finally:
        plain.close()


TRICKY = ('SELECT ?a ?b WHERE { VALUES (?a ?b) { (<http://x/1> "\\"type\\":{} and {}"@nb) (UNDEF UNDEF) '
          '("{}{}{}" UNDEF) (UNDEF "}},{\\"a\\":{\\"type\\":") } }')


def test_row_bound_never_undercounts_and_the_cap_is_exact():
    """Tables are held as pyoxigraph's JSON; the cap is checked on a byte-count bound first and an exact
    count only when the bound passes it — literals full of braces and quotes cannot hide a row."""
    import pyoxigraph as ox

    from samkart.sparql.results import check_rows, materialise, row_bound, tight_row_bound, to_csv, to_tsv

    store = ox.Store()
    table = materialise(store.query(TRICKY), max_rows=4)
    assert row_bound(table.body) >= tight_row_bound(table.body) >= 4 == len(table) == len(table.rows)
    assert table.rows[1] == [None, None] and table.rows[0][1] == ox.Literal('"type":{} and {}', language="nb")
    with pytest.raises(TooManyRows):
        materialise(store.query(TRICKY), max_rows=3)
    assert check_rows(materialise(store.query(TRICKY), max_rows=4), 4) is not None
    assert to_tsv(table).count(b"\n") == 5 and to_csv(table).startswith(b"a,b\r\n")


def test_many_values_settle_the_cap_without_counting_few_are_counted():
    """Past both upper bounds, a table with more values than the cap times its variables is over the cap
    without an exact count; one whose rows leave variables unbound is counted."""
    import pyoxigraph as ox

    from samkart.sparql.results import materialise

    store = ox.Store()
    full = materialise(store.query("SELECT ?a ?b WHERE { VALUES (?a ?b) { " + "(1 2) " * 5 + "} }"), 10)
    assert full.exceeds(4) and full._count is None  # 10 values > 4 x 2 variables: settled by the bound
    sparse = materialise(store.query("SELECT ?a ?b WHERE { VALUES (?a ?b) { " + "(1 UNDEF) " * 5 + "} }"), 10)
    assert sparse.exceeds(4) and sparse._count == 5  # 5 values, not > 8: counted
    assert not sparse.exceeds(5) and not full.exceeds(5)


def test_a_finished_heavy_query_keeps_its_worker_where_priority_can_be_restored(pool):
    """A heavy query that finishes gives its worker back at normal priority (the worker keeps its warm
    caches and in-memory copy); where the system forbids raising a priority, the worker is replaced."""
    before = set(pool.pids())
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a ?t }"  # ~2-3 s on the real graph, past heavy_after
    assert int(pool.run(slow, UNION, timeout=60).rows[0][0].value) > 1_000_000
    stats = pool.stats()
    assert stats["heavy"] == 0
    if stats["killed"] == 0:  # the priority was restored: the same workers, all at this process's priority
        assert set(pool.pids()) == before
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert all(os.getpriority(os.PRIO_PROCESS, pid) == mine for pid in pool.pids())
    else:  # only where raising a priority is not allowed (root may always)
        assert os.geteuid() != 0 and stats["killed"] == 1 and len(set(pool.pids()) - before) == 1


def test_workers_warm_up_on_an_empty_store_and_answer(tmp_path):
    """A worker runs its warm-up queries before saying it is ready (and again on its in-memory copy):
    on data with no triples at all they must find nothing and the worker must still answer."""
    empty = tmp_path / "empty.nq"
    empty.write_text("", encoding="utf-8")
    store = prepare([empty], tmp_path / "stores")
    pool = QueryPool(store, size=1, max_rows=10, heavy_after=5, max_heavy=1, sources=[empty])
    try:
        assert pool.run(COUNT, UNION, timeout=30).rows[0][0].value == "0"
        assert pool.run("ASK { ?s ?p ?o }", UNION, timeout=30) is False
        assert pool.stats()["killed"] == 0
    finally:
        pool.close()


@pytest.mark.parametrize("name, content, says", [
    ("broken.nq", "<urn:a> <urn:b> .\n", "cannot read '{path}': "),
    ("missing.nq", None, "'{path}' does not exist"),
    ("data.csv", "a,b\n", "cannot load 'data.csv': use one of .jsonld, .nq"),
])
def test_every_loader_says_which_file_is_wrong_and_leaves_no_store(tmp_path, name, content, says):
    """The on-disk store, the in-memory backend, the fast SHACL engine and the CLI's store load data
    files through one helper: a missing, unknown or broken file is a SamkartError naming it, and a
    failed on-disk load leaves nothing behind to be taken for a store."""
    from samkart.errors import SamkartError
    from samkart.shacl.fast import load_store
    from samkart.sparql.backends import EmbeddedBackend
    from samkart.sparql.store import EmbeddedStore

    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    stores = tmp_path / "stores"
    loaders = [lambda: prepare([path], stores), lambda: EmbeddedBackend.from_files([path]),
               lambda: load_store(path), lambda: EmbeddedStore.from_file(path)]
    for load in loaders:
        with pytest.raises(SamkartError) as raised:
            load()
        assert says.format(path=path) in str(raised.value)
    assert not stores.exists() or not any(stores.iterdir())


def test_table_bodies_come_back_the_same_through_the_shared_buffer_or_the_pipe(disk_store):
    """A worker puts a table's bytes in the memory it shares with the service when they fit, and sends
    them over the pipe when they do not (or there is no buffer): the answers are the same either way,
    and a short answer after a long one is not followed by the long one's leftover bytes."""
    from samkart.sparql.resultbuffer import DEFAULT_SIZE, ResultBuffer
    from samkart.sparql.workers import outgoing

    long = "SELECT * WHERE { ?s ?p ?o } LIMIT 3000"  # the on-disk store reads in key order: same rows each time
    short = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"
    sizes = (DEFAULT_SIZE, 4096, 0)  # everything shared; the short answer only; none
    pools = {size: QueryPool(disk_store, size=1, max_rows=10**6, heavy_after=5, max_heavy=1, buffer_size=size)
             for size in sizes}  # their workers start side by side
    try:
        answers = {size: [pools[size].run(q, UNION, timeout=30) for q in (long, short, long)] for size in sizes}
    finally:
        for pool in pools.values():
            pool.close()
    bodies = [[table.body for table in tables] for tables in answers.values()]
    assert bodies[0] == bodies[1] == bodies[2]
    assert len(bodies[0][0]) > 100_000 > 1_000 > len(bodies[0][1]) and bodies[0][0] == bodies[0][2]
    assert len(answers[4096][1].rows) == 2 and len(answers[4096][0].rows) == 3000

    buffer = ResultBuffer.create(4096)
    try:
        small, large = (Table(["s"], body=b"x" * n) for n in (10, 5000))
        assert outgoing(small, buffer) == (small, 10) and small.body is None and buffer.take(10) == b"x" * 10
        assert outgoing(large, buffer) == (large, -1) and large.body == b"x" * 5000
        assert outgoing(True, buffer) == (True, -1) and outgoing(small, None) == (small, -1)
    finally:
        buffer.close()
    assert ResultBuffer.create(0) is None


def resident_kb(mapping: str) -> int:
    """Resident kilobytes of this process's mappings of ``mapping`` (from /proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if "-" in line.split(" ", 1)[0]:  # a mapping's first line: address range, then its file
            inside = mapping in line
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="no anonymous memory files on this system")
def test_the_shared_buffer_gives_back_the_memory_of_a_large_result():
    """Past its first ``keep`` bytes, the pages a result used are returned once the service has copied it."""
    from samkart.sparql.resultbuffer import ResultBuffer

    buffer = ResultBuffer.create(32 << 20)
    try:
        assert buffer.put(b"a" * (24 << 20)) and resident_kb("samkart-results") >= 24 << 10
        assert buffer.take(24 << 20) == b"a" * (24 << 20)
        assert resident_kb("samkart-results") <= buffer.keep // 1024
        assert buffer.put(b"b" * (6 << 20)) and buffer.take(6 << 20) == b"b" * (6 << 20)  # refilled after
    finally:
        buffer.close()


def test_a_new_store_removes_stores_of_changed_data_only(build_file, tmp_path):
    stores = tmp_path / "stores"
    changing, steady = tmp_path / "a.nq", tmp_path / "b.nq"
    changing.write_bytes(build_file.read_bytes())
    steady.write_bytes(build_file.read_bytes())
    old, kept = prepare([changing], stores), prepare([steady], stores)
    changing.write_bytes(build_file.read_bytes() + b"\n")  # the data changed: a new store is made for it
    new = prepare([changing], stores)
    assert new != old and not old.exists()
    assert kept.is_dir() and (kept / MARKER).is_file() and new.is_dir()


def test_processes_preparing_one_store_at_once_take_turns(tmp_path, build_file):
    """`--workers 2` starts two processes that each prepare the on-disk store for the same data: one loads
    it, the other waits and opens the same store (before, both loaded into one temporary folder and one
    failed with an IO error)."""
    import multiprocessing

    from samkart.sparql.store import EmbeddedStore

    stores = tmp_path / "stores"
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        folders = pool.starmap(prepare, [([build_file], stores)] * 3)
    assert len(set(folders)) == 1 and (folders[0] / MARKER).is_file()
    assert sorted(p.name for p in stores.iterdir()) == [folders[0].name]
    assert len(EmbeddedStore.read_only(folders[0]).store) > 18_000
