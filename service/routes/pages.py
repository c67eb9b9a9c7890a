"""Pages for people: the query page at /, the search page, and the cited lines of a source (/evidence)."""

from collections.abc import Callable
from html import escape
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from samkart.explore.evidence import citation
from samkart.explore.search import find_entities
from samkart.sparql.negotiation import wants_html
from samkart.sparql.service import SparqlService
from samkart_service.execution import request_timeout, run_blocking
from samkart_service.pages import layout, safe_href
from samkart_service.requests import one, query_params
from samkart_service.state import AppState, State

router = APIRouter(tags=["Pages"])


async def cached_page(request: Request, state: AppState, key: tuple, render: Callable[[SparqlService], str]) -> HTMLResponse:
    """A generated page, rendered once per loaded dataset in a worker thread and kept (``state.pages``)."""
    service = state.service  # one service for the whole request
    page = state.pages.get(service.version, key)
    if page is None:
        page = await run_blocking(lambda: state.pages.get_or_render(service.version, key, lambda: render(service)),
                                  request_timeout(service, state.settings.query_timeout))
    return HTMLResponse(page, headers={"Vary": "Accept"})


async def query_page_response(request: Request, state: AppState) -> HTMLResponse:
    """The query page (YASGUI), the same for every request on one dataset."""
    from samkart_service.pages.query import query_page

    return await cached_page(request, state, ("query",), lambda service: query_page(state, service))


@router.get("/", include_in_schema=False)
async def home(request: Request, state: State) -> HTMLResponse:
    return await query_page_response(request, state)


def _search_body(text: str, found: list[dict[str, str]], base: str) -> str:
    from samkart_service.pages.html import link

    items = "".join(f'<li>{link(f["iri"], f["name"], base)}'
                    + (f' <span class="kind">{escape(f["kind"])}</span>' if f["kind"] else "") + "</li>" for f in found)
    result = (f'<p role="status">{len(found)} match{"es" if len(found) != 1 else ""} for “{escape(text)}”'
              + (" (the first 100)" if len(found) == 100 else "") + "</p>"
              + (f'<ul class="search-results">{items}</ul>' if found else "")) if text else ""
    return f"""<section aria-labelledby="search-title">
<h1 id="search-title">Find an organisation, service, plan or measure</h1>
<form class="search" method="get" action="/search" role="search">
  <label for="q">Name or part of a name (abbreviations too)</label>
  <div class="inline"><input id="q" name="q" type="search" value="{escape(text)}" autocomplete="off">
  <button type="submit">Search</button></div>
</form>
{result}
</section>"""


@router.get("/search", include_in_schema=False)
async def search(request: Request, state: State) -> HTMLResponse:
    """Entities whose names contain the text, each linked to its profile."""
    service = state.service
    text = (one(query_params(request), "q") or "").strip()[:200]
    found = await run_blocking(lambda: find_entities(service, text),
                               request_timeout(service, state.settings.query_timeout)) if text else []
    return HTMLResponse(layout("Search · samkart", _search_body(text, found, state.settings.base)))


def _citation_body(cited, base: str) -> str:
    """The evidence page: the document, the lines, the cited ones marked and the names highlighted."""
    from samkart_service.pages.html import link

    lines = "".join(
        f'<li value="{line.number}" class="{"cited" if line.cited else "context"}">'
        + "".join(f"<mark>{escape(t)}</mark>" if marked else escape(t) for t, marked in line.parts) + "</li>"
        for line in cited.lines)
    span = f"line {cited.first}" if cited.first == cited.last else f"lines {cited.first}–{cited.last}"
    text = (f'<ol class="source-lines" start="{cited.lines[0].number}">{lines}</ol>' if cited.available else
            '<p class="muted">The source text is not available on this server (the sources folder, '
            "SAMKART_SOURCES_DIR, does not hold this document), so only where it is can be shown.</p>")
    more = f'<p class="muted">… and {cited.more} more lines.</p>' if cited.more else ""
    return f"""<section aria-labelledby="evidence-title">
<p class="status">Where it says so</p>
<h1 id="evidence-title">{escape(cited.title)}, {span}</h1>
<p>{link(cited.document, "About this document", base)} · file <code>{escape(cited.file or "(unknown)")}</code>.
The text is read from the source document when you ask; it is not part of the data.</p>
{text}{more}
</section>"""


@router.get("/evidence", include_in_schema=False)
async def evidence(request: Request, state: State) -> Response:
    """The cited lines of a source span, read now from the source documents: JSON, or a page for browsers."""
    service = state.service
    params = query_params(request)
    span = one(params, "span", required=True)
    about = params.get("about", [])[:4]
    cited = await run_blocking(lambda: citation(service, span, about, state.settings.sources_dir),
                               request_timeout(service, state.settings.query_timeout))
    if wants_html(request.headers.get("accept")) and one(params, "format") != "json":
        return HTMLResponse(layout(f"{cited.title} · evidence · samkart", _citation_body(cited, state.settings.base)),
                            headers={"Vary": "Accept"})
    data = cited.as_json()
    data["documentHref"] = safe_href(cited.document, state.settings.base)
    data["page"] = "/evidence?" + urlencode([("span", span)] + [("about", a) for a in about])
    return JSONResponse(data, headers={"Vary": "Accept"})
