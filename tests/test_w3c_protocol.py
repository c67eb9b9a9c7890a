"""The W3C SPARQL 1.1 Protocol query tests (tests/w3c_protocol.py), strict, against real servers: our app
over the embedded store and in front of Oxigraph server, each holding the suite's data; Oxigraph server
itself is run on the same requests as a reference and its tally is printed at the end of the run."""

import httpx
import pytest

from servers import app_server, oxigraph_server, report
from w3c_protocol import CASES, GRAPH_DATA, run_case, run_suite


@pytest.fixture(scope="module")
def suite_data(tmp_path_factory):
    path = tmp_path_factory.mktemp("w3c") / "protocol-data.trig"
    path.write_text(GRAPH_DATA, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def suite_oxigraph(suite_data):
    with oxigraph_server() as base:
        httpx.post(f"{base}/store", content=suite_data.read_bytes(),
                   headers={"Content-Type": "application/trig"}).raise_for_status()
        yield base


@pytest.fixture(scope="module", params=["embedded", "remote"])
def endpoint(request, suite_data, tmp_path_factory):
    if request.param == "embedded":
        env = {"SAMKART_DATA": f'["{suite_data}"]', "SAMKART_STORE_DIR": str(tmp_path_factory.mktemp("store"))}
    else:
        env = {"SAMKART_ENDPOINT": f"{request.getfixturevalue('suite_oxigraph')}/query"}
    with app_server(env) as base:
        yield f"{base}/sparql"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_protocol_query_test(endpoint, case):
    assert run_case(case, endpoint) is None


def test_the_suite_is_the_twenty_query_tests():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)) == 20
    assert sum(1 for c in CASES if c.success) == 13


def test_oxigraph_server_reference(suite_oxigraph):
    """Not a requirement on Oxigraph: its tally on the same requests, printed for comparison."""
    results = run_suite(f"{suite_oxigraph}/query")
    failed = {name: why for name, why in results.items() if why}
    report(f"W3C SPARQL 1.1 Protocol query tests, Oxigraph server {oxigraph_version()}: "
           f"{len(results) - len(failed)}/{len(results)}")
    for name, why in sorted(failed.items()):
        report(f"  {name}: {why}")
    assert len(results) == 20


def oxigraph_version() -> str:
    from importlib.metadata import version

    return version("oxigraph")
