"""Linked data: every instance IRI under the base, ontology terms and concept schemes, dereferenced."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from samkart.formats import GRAPH_FORMATS, by_key
from samkart.namespaces import ONTOLOGY_GRAPH
from samkart.sparql.negotiation import wants_html
from samkart_service.execution import cached_result, entry_response, request_timeout, run_blocking
from samkart_service.requests import one, query_params
from samkart_service.state import AppState

router = APIRouter(tags=["Linked data"])
SUFFIXES = {f.suffixes[0]: f.names[0] for f in map(by_key, ("turtle", "ntriples", "jsonld", "rdfxml"))} | {".html": "html"}
"""File-name suffixes a resource IRI may end in to ask for one format (``/id/org/x.ttl``)."""
ONTOLOGY_CSS = "/def.css"
NEGOTIATED = {"Vary": "Accept"}
"""On a page chosen by the Accept header (HTML or RDF from one URL), for caches."""


def split_suffix(path: str) -> tuple[str, str | None]:
    """``org/x.ttl`` → (``org/x``, ``ttl``); paths without a known suffix are returned as they are."""
    for suffix, name in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], name
    return path, None


async def dereference(request: Request, iri: str, suffix: str | None) -> Response:
    """HTML for browsers, RDF by Accept, ``format`` or suffix; 404 in the error shape when unknown."""
    state: AppState = request.app.state.samkart
    service = state.service  # one service for the whole request, even if a reload swaps it meanwhile
    params = query_params(request)
    asked = one(params, "format")
    format_name = asked or (suffix if suffix != "html" else None)
    key = ("describe", iri)
    html = suffix == "html" or (suffix is None and wants_html(request.headers.get("accept")))
    entry = await cached_result(state, service, key, lambda formats: service.describe(iri, formats), request,
                                format_name, write=not html or asked is not None)
    if html and asked is None:
        from samkart_service.pages import label_targets, resource_page

        targets = label_targets(entry.result, state.settings.base)
        labels = await run_blocking(lambda: service.labels_of(targets),
                                    request_timeout(service, state.settings.query_timeout))
        page = await run_blocking(lambda: resource_page(state, iri, entry.result, labels),  # off the event loop
                                  request_timeout(service, state.settings.query_timeout))
        return HTMLResponse(page, headers=NEGOTIATED)
    response = await entry_response(state, service, key, entry, request, format_name)
    alternates = ", ".join(f'<{request.url.path.split(".")[0]}?format={f.names[0]}>; rel="alternate"; type="{f.media_type}"'
                           for f in GRAPH_FORMATS[:4])
    response.headers["Link"] = alternates
    return response


@router.get("/id/{path:path}", summary="Dereference an instance IRI")
async def instance(request: Request, path: str) -> Response:
    state: AppState = request.app.state.samkart
    local, suffix = split_suffix(path)
    return await dereference(request, state.settings.base + local, suffix)


@router.get("/def", summary="The ontology: its documentation for browsers, the ontology in RDF by Accept")
async def ontology(request: Request) -> Response:
    asked = one(query_params(request), "format")
    if asked is None and wants_html(request.headers.get("accept")):
        from samkart.graph.project import load_ontology
        from samkart.publish.docs import ontology_html

        state: AppState = request.app.state.samkart
        page = await run_blocking(lambda: ontology_html(load_ontology(state.settings.ontology_dir), stylesheet=ONTOLOGY_CSS),
                                  state.settings.query_timeout)  # ~100 ms of rendering: never on the event loop
        return HTMLResponse(page, headers=NEGOTIATED)
    return await dereference(request, ONTOLOGY_GRAPH, None)


@router.get(ONTOLOGY_CSS, include_in_schema=False)
async def ontology_style() -> Response:
    """The ontology page's style, as a file (the Content-Security-Policy allows no inline style)."""
    from samkart.publish.docs import CSS

    return Response(CSS, media_type="text/css; charset=utf-8")


@router.get("/def/{path:path}", summary="Dereference a concept or scheme of the ontology")
async def ontology_term(request: Request, path: str) -> Response:
    local, suffix = split_suffix(path)
    return await dereference(request, f"{ONTOLOGY_GRAPH}/{local}", suffix)
