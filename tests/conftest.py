"""Shared fixtures: the real project loaded, built once per session, in the embedded store."""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from samkart.graph.build import build_dataset
from samkart.graph.project import load_project
from samkart.settings import Settings
from samkart.shacl.inputs import load_shapes, union_graph
from samkart.sparql.backends import EmbeddedBackend
from samkart.sparql.queries import load_queries
from samkart.sparql.service import SparqlService
from samkart.sparql.store import EmbeddedStore

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(Path(__file__).parent))  # tests/servers.py
from named import HttpService  # noqa: E402  (tests/named.py, found through the line above)


def pytest_configure(config):
    """Servers the tests start keep their on-disk stores in a folder of this run (each xdist worker its own),
    not in the checkout's build/store: no two processes load the same store, and nothing is left behind."""
    if "SAMKART_STORE_DIR" not in os.environ:
        config._samkart_stores = tempfile.mkdtemp(prefix="samkart-stores-")
        os.environ["SAMKART_STORE_DIR"] = config._samkart_stores


def pytest_unconfigure(config):
    stores = getattr(config, "_samkart_stores", None)
    if stores:
        os.environ.pop("SAMKART_STORE_DIR", None)
        shutil.rmtree(stores, ignore_errors=True)


SLOW_MODULES = {
    # start servers, browsers, notebooks, external engines or other processes; run benchmarks, load or fuzzing
    "test_bench", "test_browser", "test_capacity", "test_cli", "test_clients", "test_explore_page", "test_fdk",
    "test_fuzz", "test_fuzz_api", "test_fuzz_guards", "test_grlc", "test_limits", "test_load", "test_notebooks",
    "test_packaging", "test_protocol", "test_reliability", "test_virtuoso", "test_w3c_protocol", "test_workers",
}
PROCESS_FIXTURES = {"server", "remote_server", "oxigraph", "virtuoso", "virtuoso_server_app", "published"}
"""Session fixtures that start a server or run a samkart command in another process."""


def pytest_collection_modifyitems(config, items):
    """The quick tier (`-m "not slow"`): a test is slow when its module is in SLOW_MODULES, it takes a fixture
    that starts a process (or the named-query ``service`` over HTTP), or it is marked so itself."""
    for item in items:
        module = item.path.stem
        over_http = getattr(item, "callspec", None) is not None and item.callspec.params.get("service") == "http"
        if module in SLOW_MODULES or over_http or PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_sessionfinish(session):
    """In an xdist worker: hand the reference lines its tests reported to the controller, which prints them."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        from servers import REFERENCE

        workeroutput["samkart_reference"] = list(REFERENCE)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """In the xdist controller: gather a finished worker's reference lines."""
    from servers import REFERENCE

    REFERENCE.extend(getattr(node, "workeroutput", {}).get("samkart_reference", []))


def pytest_terminal_summary(terminalreporter):
    """Print the reference lines tests reported (tests/servers.py's REFERENCE), e.g. Oxigraph's figures."""
    from servers import REFERENCE

    if REFERENCE:
        terminalreporter.section("reference figures")
        for line in REFERENCE:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def project(settings):
    return load_project(settings)


@pytest.fixture(scope="session")
def dataset(project):
    return build_dataset(project)


@pytest.fixture(scope="session")
def union(dataset):
    return union_graph(dataset)


@pytest.fixture(scope="session")
def store(dataset) -> EmbeddedStore:
    return EmbeddedStore.from_dataset(dataset)


@pytest.fixture(scope="session")
def shapes(settings):
    return load_shapes(settings.shapes_dir)


@pytest.fixture(scope="session")
def findings(union, shapes):
    """The build's findings from the fast validator (tests/test_fastshacl.py proves it agrees with pyshacl)."""
    from samkart.shacl.fast import store_from_graph, validate_store

    return validate_store(store_from_graph(union), shapes)


@pytest.fixture(scope="session")
def build_file(settings, tmp_path_factory) -> Path:
    """The real dataset, built once for the server tests."""
    from samkart.graph.build import build

    path, _ = build(settings, tmp_path_factory.mktemp("build") / "samkart.nq")
    return path


@pytest.fixture(scope="session")
def published(build_file, tmp_path_factory) -> Path:
    """`samkart publish` of the session's build with the test publisher's settings, once per session."""
    from catalogue import TEST_CATALOGUE, samkart

    out = tmp_path_factory.mktemp("publish")
    done = samkart("publish", str(out), "--data", str(build_file), env=TEST_CATALOGUE)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def server(build_file):
    """Our app over the embedded store, under uvicorn on a free loopback port."""
    from servers import app_server

    with app_server({"SAMKART_DATA": f'["{build_file}"]'}) as base:
        yield base


def load_with_samkart(store_url: str, build_file: Path) -> None:
    """`samkart load --store URL` with the build, as a user would run it; fails the test with its message."""
    import subprocess

    loaded = subprocess.run([sys.executable, "-m", "samkart.cli", "load", "--store", store_url, "--data", str(build_file)],
                            capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr


def app_in_front_of(endpoint: str):
    """Our app in remote mode in front of ``endpoint`` (for session fixtures: ``yield from``)."""
    from servers import app_server

    with app_server({"SAMKART_ENDPOINT": endpoint}) as base:
        yield base


@pytest.fixture(scope="session")
def oxigraph(build_file):
    """A real Oxigraph server, loaded with the build through `samkart load` (Graph Store Protocol)."""
    from servers import oxigraph_server

    with oxigraph_server() as base:
        load_with_samkart(f"{base}/store", build_file)
        yield base


@pytest.fixture(scope="session")
def remote_server(oxigraph):
    """Our app in remote mode, in front of the Oxigraph server."""
    yield from app_in_front_of(f"{oxigraph}/query")


@pytest.fixture(scope="session")
def virtuoso(build_file):
    """A real OpenLink Virtuoso, loaded with the build through `samkart load` (its Graph Store endpoint), then read-only."""
    from samkart.sparql.graphstore import graphs_of
    from virtuoso import read_only, virtuoso_server

    with virtuoso_server() as base:
        load_with_samkart(f"{base}/sparql-graph-crud", build_file)
        base.sql(read_only(sorted(graphs_of(build_file))))
        yield base


@pytest.fixture(scope="session")
def virtuoso_server_app(virtuoso):
    """Our app in remote mode, in front of the Virtuoso server."""
    yield from app_in_front_of(f"{virtuoso}/sparql")


@pytest.fixture(scope="session")
def valid_graph(settings):
    """The valid shapes fixture (tests/fixtures/shapes/valid.ttl) with the ontology; tests change copies."""
    from rdflib import Graph

    from samkart.graph.project import load_ontology

    graph = Graph()
    graph.parse(Path(__file__).parent / "fixtures" / "shapes" / "valid.ttl", format="turtle")
    for triple in load_ontology(settings.ontology_dir):
        graph.add(triple)
    return graph


@pytest.fixture(scope="session")
def core_service(store, settings) -> SparqlService:
    """The named queries on the core library, over the session's store (row limit out of the way)."""
    return SparqlService(EmbeddedBackend(store, "test"), load_queries(settings.queries_dir), max_rows=100000)


@pytest.fixture(scope="session", params=["core", "http"])
def service(request, core_service):
    """For the named-query tests: each runs twice, on the core library and through /api/queries on the
    real uvicorn server (tests/named.py's HttpService answers like the core library)."""
    if request.param == "core":
        return core_service
    return HttpService(request.getfixturevalue("server"), core_service)
