"""grlc, really: a stock grlc (PyPI ``grlc``) in its local-folder mode serves ``queries/`` against our
endpoint, and its rows match ``/api/queries/{name}``; the differences docs/clients.md states hold."""

import csv
import io

import httpx
import pytest

from servers import ROOT, grlc_server

ID = "https://w3id.org/samkart/id/"
CALLS = [  # named query, parameters (IRIs: grlc takes nothing else)
    ("network", {}), ("organisations", {}), ("governance", {}), ("measures", {}), ("strategies", {}),
    ("funding", {}), ("search", {"q": "digital"}),
    ("subordinates", {"parent": f"{ID}org/samferdselsdepartementet"}),
    ("collaborators", {"subject": f"{ID}service/digitalt-dodsbo"}),
    ("collaborations", {"org": f"{ID}org/skatteetaten"}),
]
CSV = {"Accept": "text/csv"}


@pytest.fixture(scope="module")
def grlc(server, tmp_path_factory):
    pytest.importorskip("grlc", reason="grlc is in the test extra")
    with grlc_server(f"{server}/sparql", ROOT / "queries", tmp_path_factory.mktemp("grlc")) as base:
        yield base


def rows(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text[:300]
    return list(csv.reader(io.StringIO(response.text)))


@pytest.mark.parametrize("name, params", CALLS, ids=[c[0] for c in CALLS])
def test_grlc_answers_like_our_api(server, grlc, name, params):
    ours = rows(httpx.get(f"{server}/api/queries/{name}", params=params, headers=CSV, timeout=60))
    theirs = rows(httpx.get(f"{grlc}/api-local/{name}", params=params, headers=CSV, timeout=60))
    assert len(ours) > 1 and theirs == ours


def test_grlc_lists_every_named_query(grlc):
    spec = httpx.get(f"{grlc}/api-local/swagger", timeout=60).json()
    listed = {path.strip("/").split("/")[-1] for path in spec["paths"]}
    assert {p.stem for p in (ROOT / "queries").glob("*.rq")} <= listed


def test_what_grlc_does_differently(server, grlc):
    """grlc takes only IRIs (a name becomes a relative IRI and matches nothing) and answers a missing
    required parameter with a 500 HTML page; our API resolves names and says 400 in the one JSON shape."""
    by_name = {"parent": "Samferdselsdepartementet"}
    assert len(rows(httpx.get(f"{server}/api/queries/subordinates", params=by_name, headers=CSV))) > 1
    assert len(rows(httpx.get(f"{grlc}/api-local/subordinates", params=by_name, headers=CSV, timeout=60))) == 1
    ours = httpx.get(f"{server}/api/queries/subordinates", headers=CSV)
    theirs = httpx.get(f"{grlc}/api-local/subordinates", headers=CSV, timeout=60)
    assert ours.status_code == 400 and ours.json()["ok"] is False
    assert theirs.status_code >= 500
