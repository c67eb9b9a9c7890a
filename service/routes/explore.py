"""The collaboration map: /explore (an SVG network drawn in the browser) and /explore/data (its JSON)."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse

from samkart.explore.mapdata import map_data
from samkart_service.execution import request_timeout, run_blocking
from samkart_service.pages import layout, safe_href
from samkart_service.state import State

router = APIRouter(tags=["Collaboration map"])

PAGE = """<section class="explore" aria-labelledby="explore-title">
<h1 id="explore-title">Collaboration map</h1>
<p class="muted">Organisations that take part in the same subjects (common solutions, services, measures,
projects …). A line joins two organisations that share subjects; the thicker the line, the more they share, and
the larger the circle, the more partners. The best-connected are named; point at any circle for its name.
Click an organisation to open its page, or a line to see what the two share.</p>
<form id="explore-form" class="explore-controls" role="search">
  <div class="field"><label for="sector-filter">Sector</label>
    <select id="sector-filter"><option value="*">All sectors</option></select></div>
  <div class="field"><label for="type-filter">Subject type</label>
    <select id="type-filter"><option value="*">All subject types</option></select></div>
  <div class="field"><label for="search">Find an organisation</label>
    <input id="search" type="search" autocomplete="off" placeholder="e.g. Skatteetaten"></div>
</form>
<p id="explore-count" class="muted loading" role="status" aria-live="polite">Loading the map …</p>
<div id="explore-error" class="error" role="alert" hidden></div>
<div class="explore-layout">
  <div id="explore-map" class="explore-map"></div>
  <aside class="explore-side">
    <div id="edge-panel" class="edge-panel" aria-live="polite"><p class="muted">Click a line to see what two
    organisations share.</p></div>
    <h2 class="legend-title">Sectors</h2>
    <ul id="explore-legend" class="legend plain"></ul>
    <h2 class="legend-title">Size and width</h2>
    <div id="explore-scale" class="scale"></div>
    <section id="isolated" class="isolated" aria-labelledby="isolated-title" hidden>
      <h2 id="isolated-title" class="legend-title">Not linked to others</h2>
      <p class="muted small">Organisations in the view that share no subject with another one.</p>
      <ul id="isolated-list" class="plain"></ul>
    </section>
  </aside>
</div>
<noscript><p>The map needs JavaScript; the data is at <a href="/explore/data">/explore/data</a>.</p></noscript>
</section>"""


def with_hrefs(data: dict, base: str) -> dict:
    """The map data with an ``href`` on every node and edge subject: the app's own page, an http(s) IRI, or
    null for any other scheme (``javascript:``, ``data:`` …), which the map then shows without a link."""
    for node in data.get("nodes", []):
        node["href"] = safe_href(node["id"], base)
    for edge in data.get("edges", []):
        for subject in edge.get("subjects", []):
            subject["href"] = safe_href(subject["id"], base)
    return data


@router.get("/explore", include_in_schema=False)
async def explore_page() -> HTMLResponse:
    """The collaboration map page; its script fetches /explore/data and draws the network."""
    return HTMLResponse(layout("Collaboration map · samkart", PAGE, styles=("explore.css",), scripts=("explore.js",),
                               current="/explore"))


@router.get("/explore/data", summary="The collaboration map: organisations, shared subjects, sectors")
async def explore_data(state: State) -> JSONResponse:
    """Nodes (organisations, with the local page as ``href``), edges with their shared subjects, sectors, types."""
    data = await run_blocking(lambda: map_data(state.service), request_timeout(state.service, state.settings.query_timeout))
    return JSONResponse(with_hrefs(data, state.settings.base))
