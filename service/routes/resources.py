"""Linked data: every instance IRI under the base, ontology terms and concept schemes, dereferenced."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from samkart.formats import GRAPH_FORMATS, by_key
from samkart.namespaces import ONTOLOGY_GRAPH
from samkart.sparql.negotiation import wants_html
from samkart_service.execution import cached_result, entry_response
from samkart_service.requests import BadRequest, one, query_params
from samkart_service.state import AppState, State

from .pages import cached_page

router = APIRouter(tags=["Linked data"])
SUFFIXES = {f.suffixes[0]: f.names[0] for f in map(by_key, ("turtle", "ntriples", "jsonld", "rdfxml"))} | {".html": "html"}
"""File-name suffixes a resource IRI may end in to ask for one format (``/id/org/x.ttl``)."""
NEGOTIATED = {"Vary": "Accept"}
"""On a page chosen by the Accept header (HTML or RDF from one URL), for caches."""


def split_suffix(path: str) -> tuple[str, str | None]:
    """``org/x.ttl`` → (``org/x``, ``ttl``); paths without a known suffix are returned as they are."""
    for suffix, name in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], name
    return path, None


async def dereference(request: Request, state: AppState, iri: str, suffix: str | None) -> Response:
    """HTML for browsers, RDF by Accept, ``format`` or suffix; 404 in the error shape when unknown."""
    service = state.service  # one service for the whole request, even if a reload swaps it meanwhile
    params = query_params(request)
    asked = one(params, "format")
    format_name = asked or (suffix if suffix != "html" else None)
    key = ("describe", iri)
    html = suffix == "html" or (suffix is None and wants_html(request.headers.get("accept")))
    if html and asked is None:
        return await resource_html(request, state, iri, one(params, "view"))
    entry = await cached_result(state, service, key, lambda formats: service.describe(iri, formats), request,
                                format_name)
    response = await entry_response(state, service, key, entry, request, format_name)
    alternates = ", ".join(f'<{request.url.path.split(".")[0]}?format={f.names[0]}>; rel="alternate"; type="{f.media_type}"'
                           for f in GRAPH_FORMATS[:4])
    response.headers["Link"] = alternates
    return response


async def resource_html(request: Request, state: AppState, iri: str, view: str | None) -> Response:
    """A resource's page: its profile (statements in words, with sources), or with ``view=triples`` all its triples."""
    from samkart.explore.profile import build_profile
    from samkart_service.pages.profile import profile_page
    from samkart_service.pages.triples import label_targets, resource_page

    base = state.settings.base
    if view not in (None, "profile", "triples"):
        raise BadRequest(f"unknown view {view!r}; use view=profile (the default) or view=triples")

    def triples_view(service) -> str:
        triples = service.describe(iri)
        return resource_page(state, iri, triples, service.labels_of(label_targets(triples, base)))

    if view == "triples":
        return await cached_page(request, state, ("triples", iri), triples_view)
    return await cached_page(request, state, ("profile", iri), lambda service: profile_page(build_profile(service, iri), base))


@router.get("/id/{path:path}", summary="Dereference an instance IRI")
async def instance(request: Request, state: State, path: str) -> Response:
    local, suffix = split_suffix(path)
    return await dereference(request, state, state.settings.base + local, suffix)


@router.get("/def", summary="The ontology: its documentation for browsers, the ontology in RDF by Accept")
async def ontology(request: Request, state: State) -> Response:
    asked = one(query_params(request), "format")
    if asked is None and wants_html(request.headers.get("accept")):
        from samkart.graph.project import load_ontology
        from samkart.publish.docs import ontology_body
        from samkart_service.pages import layout

        def render(_service) -> str:
            title, body = ontology_body(load_ontology(state.settings.ontology_dir))
            return layout(f"{title} · samkart", f'<article class="ontology">{body}</article>', current="/def")

        return await cached_page(request, state, ("def",), render)
    return await dereference(request, state, ONTOLOGY_GRAPH, None)


@router.get("/def/{path:path}", summary="Dereference a concept or scheme of the ontology")
async def ontology_term(request: Request, state: State, path: str) -> Response:
    local, suffix = split_suffix(path)
    return await dereference(request, state, f"{ONTOLOGY_GRAPH}/{local}", suffix)
