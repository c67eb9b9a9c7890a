"""Third-party SPARQL clients with their default settings (tests/clients.py: SPARQLWrapper and rdflib's
SPARQLStore, 72 requests) against our app under uvicorn; the same matrix against Oxigraph server, loaded
with the same build, is printed at the end of the run as a reference."""

import pytest

from clients import MATRIX, run, tally
from servers import report


def test_matrix_is_72_requests():
    assert len(MATRIX) == len({r.id for r in MATRIX}) == 72


@pytest.mark.parametrize("request_", MATRIX, ids=[r.id for r in MATRIX])
def test_client_gets_a_usable_answer(server, request_):
    assert run(request_, f"{server}/sparql") is None


def test_oxigraph_server_reference(oxigraph):
    """Not a requirement on Oxigraph: its tally on the same matrix, printed for comparison."""
    from importlib.metadata import version

    results = tally(f"{oxigraph}/query")
    failed = {name: why for name, why in results.items() if why}
    report(f"Client matrix (SPARQLWrapper, rdflib SPARQLStore), Oxigraph server {version('oxigraph')}: "
           f"{len(results) - len(failed)}/{len(results)}")
    for name, why in sorted(failed.items()):
        report(f"  {name}: {why}")
    assert len(results) == 72
