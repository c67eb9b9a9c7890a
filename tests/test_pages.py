"""The pages through the real ASGI app (no socket): HTML for browsers and RDF/JSON for the rest, profiles of a
kind of statement the code has never seen, evidence read at request time, pages kept per data version, and
hostile data that never becomes a live link."""

import re
from pathlib import Path

import pytest

from inprocess import BROWSER, app_client
from samkart.explore.evidence import source_text

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
LIVE_LINK = re.compile(r"""href\s*=\s*["']?\s*(javascript|data|vbscript):""", re.I)


@pytest.fixture(scope="module")
def real(build_file, tmp_path_factory):
    with app_client(build_file, publish_dir=tmp_path_factory.mktemp("nothing-published")) as client:
        yield client


@pytest.fixture(scope="module")
def newkind(tmp_path_factory):
    sources = tmp_path_factory.mktemp("sources")
    (sources / "a.txt").write_text("Alfadirektoratet ligger under Betadepartementet.\n"
                                   "Alfa har samordningsansvar for Tjeneste X,\nmed 12,5 millioner kroner.\nSlutt.\n",
                                   encoding="utf-8")
    with app_client(FIXTURES / "newkind.trig", sources_dir=sources) as client:
        yield client


@pytest.fixture(scope="module")
def hostile():
    with app_client(FIXTURES / "hostile.trig") as client:
        yield client


@pytest.mark.parametrize("path", ["/api/queries", "/id/org/skatteetaten", "/def", "/", "/search?q=skatt"])
def test_browsers_get_pages_in_the_site_layout(real, path):
    response = real.get(path, headers=BROWSER)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert '<a class="brand" href="/">samkart</a>' in response.text
    assert "<style" not in response.text and " style=" not in response.text  # the CSP allows no inline style
    assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/json\"))", response.text)  # nor inline script


def test_other_clients_get_json_and_rdf_as_before(real):
    assert real.get("/api/queries").json()[0]["path"].startswith("/api/queries/")
    assert real.get("/api/queries?format=json", headers=BROWSER).headers["content-type"] == "application/json"
    assert real.get("/id/org/skatteetaten", headers={"Accept": "text/turtle"}).headers["content-type"].startswith("text/turtle")
    missing = real.get("/no/such/page")
    assert missing.status_code == 404 and missing.json() == {"ok": False, "status": 404, "code": "not_found",
                                                              "error": "there is no page at /no/such/page"}
    page = real.get("/no/such/page", headers=BROWSER)
    assert page.status_code == 404 and "Nothing here" in page.text and "there is no page at /no/such/page" in page.text
    assert "Accept" in page.headers["vary"]


def test_named_query_index_has_parameters_and_a_form(real):
    page = real.get("/api/queries", headers=BROWSER).text
    assert 'form class="named" method="get" action="/api/queries/collaborators"' in page
    assert 'name="subject"' in page and "open its SPARQL in the editor" in page


def test_catalogue_pages_need_the_published_files(real):
    response = real.get("/catalog", headers=BROWSER)  # this client's publish folder is empty
    assert response.status_code == 404 and "samkart publish" in response.text and "<html" in response.text


def test_generated_pages_are_rendered_once_per_data_version(tmp_path):
    data = tmp_path / "data.trig"
    data.write_text((FIXTURES / "newkind.trig").read_text(encoding="utf-8"), encoding="utf-8")
    with app_client(data, reload_validate=False) as client:
        state = client.app.state.samkart
        first = client.get("/id/org/alfa", headers=BROWSER).text
        renders = state.pages.renders
        for path in ("/id/org/alfa", "/def", "/def", "/", "/"):
            client.get(path, headers=BROWSER)
        assert state.pages.renders == renders + 2  # /def and / once each; the profile came from memory
        assert client.get("/id/org/alfa", headers=BROWSER).text == first
        data.write_text(data.read_text(encoding="utf-8").replace("Alfadirektoratet", "Omegadirektoratet"), encoding="utf-8")
        old = state.service.version
        state.reload()
        assert state.service.version != old
        fresh = client.get("/id/org/alfa", headers=BROWSER).text
        assert "<h1>Omegadirektoratet</h1>" in fresh
        assert all(key[0] == state.service.version for key in state.pages.pages)  # the old data's pages are gone


def test_a_new_kind_of_statement_reads_in_words(newkind):
    page = newkind.get("/id/org/alfa", headers=BROWSER).text
    assert "<h1>Alfadirektoratet</h1>" in page and "state agency" in page
    group = page[page.index(">Has responsibility"):]
    group = group[:group.index("</section>")]
    assert "Tjeneste X</a>" in group
    assert "coordinating responsibility" in group and "responsibility kind" in group  # label, and words from an unlabelled IRI
    assert "amount" in group and "12.5" in group
    assert "Dokument A</span>, <span class=\"lines\">lines 2–3</span>" in group
    assert "responsibility/x" not in re.sub(r'(title|href|data-src)="[^"]*"', "", group)  # the node is never named
    parent = page[page.index(">Sub organization of"):]
    assert "Betadepartementet" in parent[:600] and "line 1</span>" in parent[:900]  # the reified link's source
    service = newkind.get("/id/service/x", headers=BROWSER).text
    assert "naming Tjeneste X as “responsible for”" in service and "Alfadirektoratet" in service


def test_evidence_is_read_from_the_sources_at_request_time(newkind, tmp_path):
    span = "https://w3id.org/samkart/id/doc/a#L2-L3"
    data = newkind.get("/evidence", params={"span": span, "about": "https://w3id.org/samkart/id/org/alfa",
                                            "format": "json"}).json()
    assert data["available"] and data["title"] == "Dokument A" and (data["from"], data["to"]) == (2, 3)
    cited = [line for line in data["lines"] if line["cited"]]
    assert [line["n"] for line in cited] == [2, 3] and [line["n"] for line in data["lines"]] == [1, 2, 3, 4]
    assert ["Alfa", True] in cited[0]["parts"]  # the entity's other name, highlighted
    page = newkind.get("/evidence", params={"span": span, "about": "https://w3id.org/samkart/id/org/alfa"}, headers=BROWSER)
    assert '<li value="2" class="cited"><mark>Alfa</mark> har samordningsansvar' in page.text
    assert newkind.get("/evidence", params={"span": "https://w3id.org/samkart/id/doc/a#L9-L9"}).status_code == 404
    assert newkind.get("/evidence").status_code == 400


def test_without_the_sources_the_span_is_shown_without_text(hostile, tmp_path):
    assert source_text(tmp_path / "missing", "a.txt") is None
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert source_text(tmp_path, "../a.txt") is None and source_text(tmp_path / "sub", "a.txt") is None
    assert source_text(tmp_path, "a.txt") == "x"


@pytest.mark.parametrize("path", ["/id/org/evil", "/id/service/bad", "/id/org/evil?view=triples",
                                  "/id/service/bad/participation/js", "/search?q=org"])
def test_hostile_data_never_becomes_markup_or_a_live_link(hostile, path):
    page = hostile.get(path, headers=BROWSER)
    assert page.status_code == 200
    assert not LIVE_LINK.search(page.text)
    assert "<script>window.pwned" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;window.pwned" in page.text or "javascript:window.pwned" in page.text


def test_hostile_map_data_links_only_http(hostile):
    data = hostile.get("/explore/data").json()
    hrefs = {n["id"]: n["href"] for n in data["nodes"]}
    assert hrefs["javascript:window.pwned=7"] is None and hrefs["https://w3id.org/samkart/id/org/evil"] == "/id/org/evil"
