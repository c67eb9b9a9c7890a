"""The collaboration map: /explore (an SVG network drawn in the browser) and /explore/data (its JSON)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from samkart.explore.mapdata import map_data
from samkart_service.execution import request_timeout, run_blocking
from samkart_service.pages import layout, local_href
from samkart_service.state import AppState

router = APIRouter(tags=["Collaboration map"])

PAGE = """<section class="explore" aria-labelledby="explore-title">
<h1 id="explore-title">Collaboration map</h1>
<p class="muted">Organisations that take part in the same subjects (common solutions, services, measures,
projects …). A line joins two organisations that share subjects; the thicker the line, the more they share.
Click an organisation to open its page, or a line to see what the two share.</p>
<form class="explore-controls" role="search">
  <div class="field"><label for="sector-filter">Sector</label>
    <select id="sector-filter"><option value="*">All sectors</option></select></div>
  <div class="field"><label for="type-filter">Subject type</label>
    <select id="type-filter"><option value="*">All subject types</option></select></div>
  <div class="field"><label for="search">Find an organisation</label>
    <input id="search" type="search" autocomplete="off" placeholder="e.g. Skatteetaten"></div>
</form>
<p id="explore-count" class="muted" role="status" aria-live="polite">Loading the map …</p>
<div id="explore-error" class="error" role="alert" hidden></div>
<div class="explore-layout">
  <div id="explore-map" class="explore-map"></div>
  <aside class="explore-side">
    <div id="edge-panel" class="edge-panel" aria-live="polite"><p class="muted">Click a line to see what two
    organisations share.</p></div>
    <h2 class="legend-title">Sectors</h2>
    <ul id="explore-legend" class="legend plain"></ul>
  </aside>
</div>
<noscript><p>The map needs JavaScript; the data is at <a href="/explore/data">/explore/data</a>.</p></noscript>
</section>"""
HEAD = '<link rel="stylesheet" href="/static/explore.css">\n<script src="/static/explore.js" defer></script>\n'


def with_hrefs(data: dict, base: str) -> dict:
    """The map data with an ``href`` (the app's own page, else the IRI) on every node and edge subject."""
    for node in data.get("nodes", []):
        node["href"] = local_href(node["id"], base) or node["id"]
    for edge in data.get("edges", []):
        for subject in edge.get("subjects", []):
            subject["href"] = local_href(subject["id"], base) or subject["id"]
    return data


@router.get("/explore", include_in_schema=False)
async def explore_page() -> HTMLResponse:
    """The collaboration map page; its script fetches /explore/data and draws the network."""
    return HTMLResponse(layout("Collaboration map · samkart", PAGE, head=HEAD))


@router.get("/explore/data", summary="The collaboration map: organisations, shared subjects, sectors")
async def explore_data(request: Request) -> JSONResponse:
    """Nodes (organisations, with the local page as ``href``), edges with their shared subjects, sectors, types."""
    state: AppState = request.app.state.samkart
    data = await run_blocking(lambda: map_data(state.service), request_timeout(state.service, state.settings.query_timeout))
    return JSONResponse(with_hrefs(data, state.settings.base))
