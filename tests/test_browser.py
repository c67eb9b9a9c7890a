"""The HTML pages in a real headless Chromium, driven over the DevTools protocol against the app under uvicorn."""

import re
from urllib.parse import quote, urlsplit

import httpx

from browser import SCREENSHOTS, browser, chromium_binary  # noqa: F401  (fixtures and helper in tests/browser.py)

QUERY = """PREFIX cv: <http://data.europa.eu/m8g/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?org ?label WHERE {
  <https://w3id.org/samkart/id/service/digitalt-dodsbo> cv:hasParticipation/cv:hasParticipant ?org .
  ?org skos:prefLabel ?label
} ORDER BY ?label"""
ERROR_TEXT = "document.getElementById('error').textContent"
ASSET = re.compile(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)="([^"]*)"', re.I)
ROWS = "document.querySelectorAll('#results tbody tr').length"
STATUS = "document.getElementById('status')"


def test_query_page_runs_sparql_and_named_queries(server, browser):
    browser.open(f"{server}/")
    assert browser.evaluate("document.title").startswith("samkart")
    browser.type_into("#query", QUERY)
    browser.click("#run")
    browser.wait_for(f"{ROWS} > 0 || !document.getElementById('error').hidden")
    assert browser.evaluate("document.getElementById('error').hidden"), browser.evaluate(ERROR_TEXT)
    assert browser.evaluate(ROWS) == 10
    links = browser.evaluate("""[...document.querySelectorAll('#results a')]
        .filter(a => a.textContent === 'Skatteetaten').map(a => a.getAttribute('href'))""")
    assert links and set(links) == {"/id/org/skatteetaten"}
    downloads = browser.evaluate("[...document.querySelectorAll('#downloads a')].map(a => a.dataset.format)")
    assert downloads == ["json", "xml", "csv", "tsv"]
    csv = browser.evaluate("document.querySelector('#downloads a[data-format=csv]').getAttribute('href')")
    assert "Skatteetaten" in httpx.get(server + csv).raise_for_status().text
    browser.screenshot(SCREENSHOTS / "query-page.png")

    # a named query through its own form, giving a name where the API takes an IRI
    browser.evaluate(f"{STATUS}.textContent = ''")
    browser.click("details:has(form[data-name=collaborators]) summary")
    browser.type_into("form[data-name=collaborators] input[name=subject]", "Digitalt dødsbo")
    browser.click("form[data-name=collaborators] button[type=submit]")
    browser.wait_for(f"/ rows? |failed/.test({STATUS}.textContent)")
    assert browser.evaluate("document.getElementById('error').hidden"), browser.evaluate(ERROR_TEXT)
    assert browser.evaluate(ROWS) >= 10
    heads = browser.evaluate("[...document.querySelectorAll('#results thead th')].map(t => t.textContent)")
    assert heads[:2] == ["?org", "?orgLabel"]
    first = browser.evaluate("document.querySelector('#downloads a').getAttribute('href')")
    assert first.startswith("/api/queries/collaborators?subject=")

    # a broken query shows the service's error message
    browser.type_into("#query", "SELECT * WHERE {")
    browser.click("#run")
    message = browser.wait_for(f"!document.getElementById('error').hidden && {ERROR_TEXT}")
    assert message.startswith("Error:") and len(message) > 10


def test_resource_page(server, browser):
    browser.open(f"{server}/id/org/digitaliseringsdirektoratet")
    assert browser.evaluate("document.querySelector('h1').textContent") == "Digitaliseringsdirektoratet"
    sources = browser.evaluate("[...document.querySelectorAll('.sources a')].map(a => a.getAttribute('href'))")
    assert sources and all(s.startswith("/id/doc/") for s in sources)
    formats = browser.evaluate("[...document.querySelectorAll('.formats a[type]')].map(a => a.getAttribute('href'))")
    assert formats == [f"/id/org/digitaliseringsdirektoratet?format={f}" for f in ("ttl", "jsonld", "nt")]
    assert browser.evaluate("document.querySelectorAll('table.facts tbody tr').length") > 5
    browser.screenshot(SCREENSHOTS / "resource-page.png")
    browser.click(".sources a")
    browser.wait_for("location.pathname.startsWith('/id/doc/') && document.readyState === 'complete'")
    assert browser.evaluate("document.querySelector('h1').textContent")


def test_results_link_to_resource_pages(server, browser):
    browser.open(f"{server}/?query={quote(QUERY)}")  # the page runs a query given in its URL
    browser.wait_for(f"{ROWS} === 10")
    browser.click("#results a[href='/id/org/skatteetaten']")
    browser.wait_for("location.pathname === '/id/org/skatteetaten' && document.readyState === 'complete'")
    assert browser.evaluate("document.querySelector('h1').textContent") == "Skatteetaten"


def test_nothing_is_loaded_from_outside_the_app(server, browser):
    for path in ("/", "/id/org/digitaliseringsdirektoratet", "/def"):
        browser.open(server + path)
    urls = browser.requested_urls()
    assert any(u.endswith("/static/app.js") for u in urls) and any(u.endswith("/static/app.css") for u in urls)
    outside = [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    for path in ("/", "/sparql", "/id/org/digitaliseringsdirektoratet", "/def/scheme/role/lead"):
        page = httpx.get(server + path, headers={"Accept": "text/html"}).text
        assets = ASSET.findall(page)
        assert "/static/app.css" in assets
        assert [a for a in assets if not a.startswith("/") or a.startswith("//")] == [], path
