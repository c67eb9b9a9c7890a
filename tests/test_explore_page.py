"""The collaboration map: /explore/data over HTTP, and the /explore page in a real headless Chromium."""

import json
from urllib.parse import urlsplit

import httpx
import pytest

from browser import SCREENSHOTS, browser, chromium_binary  # noqa: F401  (fixtures and helper in tests/browser.py)

NODES = "document.querySelectorAll('#explore-map circle.node').length"
EDGES = "document.querySelectorAll('#explore-map line.edge').length"


@pytest.fixture(scope="module")
def map_json(server) -> dict:
    """What /explore/data answers."""
    response = httpx.get(f"{server}/explore/data", timeout=60)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def by_label(data: dict, label: str) -> dict:
    """The node with this label."""
    found = [n for n in data["nodes"] if n["label"] == label]
    assert found, f"no node labelled {label!r}"
    return found[0]


def test_map_data_is_a_consistent_network(map_json):
    nodes, edges = map_json["nodes"], map_json["edges"]
    assert nodes and edges
    ids = {n["id"] for n in nodes}
    assert len(ids) == len(nodes)
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    assert all(n["href"] and n["href"].startswith("/id/") for n in nodes)
    assert by_label(map_json, "Skatteetaten")["href"] == "/id/org/skatteetaten"
    assert all(s["href"] and s["href"].startswith("/id/") for e in edges for s in e["subjects"])
    assert {n["sector"] for n in nodes} <= {s["id"] for s in map_json["sectors"]}


def test_explore_page_is_html_with_its_own_assets(server):
    response = httpx.get(f"{server}/explore", timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for needed in ('src="/static/explore.js"', 'href="/static/explore.css"', 'id="sector-filter"',
                   'id="type-filter"', 'id="search"', 'id="edge-panel"'):
        assert needed in response.text
    assert 'href="/explore"' in httpx.get(f"{server}/", timeout=30).text  # linked from the site navigation
    assert "/explore" not in httpx.get(f"{server}/openapi.json", timeout=30).json()["paths"]


def linked(data: dict) -> list[dict]:
    """The nodes the map draws: those with at least one partner (the rest are listed beside it)."""
    return [n for n in data["nodes"] if n["degree"] > 0]


def test_explore_page_draws_filters_and_navigates(server, browser, map_json):
    browser.open(f"{server}/explore")
    browser.wait_for(f"{NODES} === {len(linked(map_json))}")
    assert browser.evaluate(EDGES) == len(map_json["edges"])
    assert browser.evaluate("document.querySelector('#explore-map svg > title').textContent")
    alone = len(map_json["nodes"]) - len(linked(map_json))
    count = browser.evaluate("document.getElementById('explore-count').textContent")
    assert count == (f"{len(linked(map_json))} organisations, {len(map_json['edges'])} collaborations shown; "
                     f"{alone} with no partner listed apart")
    assert not browser.evaluate("document.getElementById('explore-count').classList.contains('loading')")
    isolated = browser.evaluate("[...document.querySelectorAll('#isolated-list li')].map(li => li.textContent)")
    assert sorted(isolated) == sorted(n["label"] for n in map_json["nodes"] if n["degree"] == 0)
    # the legend: at most seven sector colours, the smaller sectors together, then "no sector"; every colour distinct
    legend = browser.evaluate("[...document.querySelectorAll('#explore-legend li')].map(li => li.textContent)")
    colours = browser.evaluate("[...document.querySelectorAll('#explore-legend li circle')].map(c => c.getAttribute('fill'))")
    assert len(legend) <= 9 and len(set(colours)) == len(colours) and legend[-1].startswith("Uten sektor")
    assert any("other sectors" in item for item in legend)
    assert browser.evaluate("document.querySelectorAll('#explore-scale circle.scale-node').length") == 3
    assert browser.evaluate("document.querySelectorAll('#explore-scale line.scale-edge').length") == 3
    # names shown at once never overlap one another
    boxes = browser.evaluate("""[...document.querySelectorAll('#explore-map text.node-label.top')]
        .map(t => { const b = t.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; })""")
    assert 5 <= len(boxes) <= 14
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    browser.screenshot(SCREENSHOTS / "explore.png")

    skatt = by_label(map_json, "Skatteetaten")
    circle = f"#explore-map circle.node[data-iri={json.dumps(skatt['id'])}]"
    browser.type_into("#search", "skatteeta")
    browser.wait_for("document.querySelector('#explore-map svg').classList.contains('searching')")
    assert browser.evaluate(f"document.querySelector({json.dumps(circle)}).classList.contains('match')")
    matches = browser.evaluate("[...document.querySelectorAll('circle.node.match')].map(c => c.dataset.iri)")
    assert matches == [n["id"] for n in linked(map_json) if "skatteeta" in n["label"].lower()]
    dimmed = browser.evaluate("""getComputedStyle(document.querySelector('circle.node:not(.match)')).opacity""")
    assert float(dimmed) < 0.5
    browser.screenshot(SCREENSHOTS / "explore-search.png")

    browser.click(circle)  # a real mouse click at the circle's centre
    browser.wait_for(f"location.pathname === {json.dumps(skatt['href'])} && document.readyState === 'complete'")
    assert browser.evaluate("document.querySelector('h1').textContent") == "Skatteetaten"
    assert "Skatteetaten" in browser.evaluate("document.title")
    browser.evaluate("history.back()")
    browser.wait_for(f"location.pathname === '/explore' && {NODES} === {len(linked(map_json))}")


def test_clicking_an_edge_lists_what_the_two_share(server, browser, map_json):
    browser.open(f"{server}/explore")
    browser.wait_for(f"{NODES} === {len(linked(map_json))}")
    edge = max(map_json["edges"], key=lambda e: (e["weight"], e["source"], e["target"]))
    selector = (f"#explore-map line.edge[data-source={json.dumps(edge['source'])}]"
                f"[data-target={json.dumps(edge['target'])}]")
    browser.evaluate(f"document.querySelector({json.dumps(selector)}).dispatchEvent(new MouseEvent('click', "
                     "{bubbles: true}))")
    browser.wait_for("document.querySelectorAll('#edge-panel ul.shared li').length > 0")
    listed = browser.evaluate("""[...document.querySelectorAll('#edge-panel ul.shared a')]
        .map(a => [a.textContent, a.getAttribute('href')])""")
    assert listed == [[s["label"], s["href"]] for s in edge["subjects"]]
    orgs = browser.evaluate("[...document.querySelectorAll('#edge-panel h2 a.org')].map(a => a.getAttribute('href'))")
    hrefs = {n["id"]: n["href"] for n in map_json["nodes"]}
    assert orgs == [hrefs[edge["source"]], hrefs[edge["target"]]]
    browser.screenshot(SCREENSHOTS / "explore-edge.png")

    # a subject type keeps only edges that share a subject of that type
    kind = edge["subjects"][0]["type"]
    browser.evaluate(f"(s => {{ s.value = {json.dumps(kind)}; s.dispatchEvent(new Event('change')); }})"
                     "(document.getElementById('type-filter'))")
    kept = [e for e in map_json["edges"] if any(s["type"] == kind for s in e["subjects"])]
    browser.wait_for(f"{EDGES} === {len(kept)}")
    ends = {end for e in kept for end in (e["source"], e["target"])}
    assert browser.evaluate(NODES) == len(ends)

    # a sector shows its organisations and their partners
    browser.evaluate("(s => { s.value = '*'; s.dispatchEvent(new Event('change')); })"
                     "(document.getElementById('type-filter'))")
    sector = by_label(map_json, "Skatteetaten")["sector"]
    browser.evaluate(f"(s => {{ s.value = {json.dumps(sector)}; s.dispatchEvent(new Event('change')); }})"
                     "(document.getElementById('sector-filter'))")
    inside = {n["id"] for n in map_json["nodes"] if n["sector"] == sector}
    touching = [e for e in map_json["edges"] if e["source"] in inside or e["target"] in inside]
    shown = {end for e in touching for end in (e["source"], e["target"])}  # the sector's organisations with partners
    browser.wait_for(f"{NODES} === {len(shown)} && {EDGES} === {len(touching)}")

    outside = [u for u in browser.requested_urls() if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    assert any(u.endswith("/static/explore.js") for u in browser.requested_urls())


def test_focus_shows_one_organisation_and_its_partners(server, browser, map_json):
    bits = by_label(map_json, "Bits AS")
    browser.open(f"{server}/explore?focus={bits['id']}")
    browser.wait_for("!!document.querySelector('#explore-map svg.focusing')")
    partners = {e["target"] if e["source"] == bits["id"] else e["source"] for e in map_json["edges"]
                if bits["id"] in (e["source"], e["target"])}
    near = browser.evaluate("[...document.querySelectorAll('circle.node.near')].map(c => c.dataset.iri)")
    assert set(near) == partners | {bits["id"]}
    browser.screenshot(SCREENSHOTS / "explore-focus.png")
