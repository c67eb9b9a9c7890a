"""The published artefacts: /catalog (DCAT-AP-NO), /catalog/services (CPSV-AP-NO), /void and /dumps/{file}."""

from pathlib import Path

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from samkart.errors import NotFound
from samkart.formats import media_type_of
from samkart.sparql.cache import file_etag, not_modified
from samkart.sparql.negotiation import wants_html
from samkart_service.execution import result_response, run_blocking
from samkart_service.requests import one, query_params
from samkart_service.state import AppState, State

router = APIRouter(tags=["Publishing"])


def published(state: AppState, name: str) -> Path:
    """A file `samkart publish` wrote, looked up by name in the publish folder's listing (never a joined path)."""
    folder = state.settings.publish_dir
    files = {p.name: p for p in folder.iterdir() if p.is_file()} if folder.is_dir() else {}
    if name not in files:
        raise NotFound(f"no published file '{name}'; run `samkart publish` (files are served from {folder.name}/)")
    return files[name]


PAGES = {
    "catalog.ttl": ("Data catalogue", "The DCAT-AP-NO catalogue of this dataset: the dataset, its downloadable files "
                    "and the SPARQL endpoint, as a harvester such as data.norge.no reads it. The public services "
                    'and common solutions are described in <a href="/catalog/services">CPSV-AP-NO</a>.'),
    "services.ttl": ("Public services and common solutions", "The services and common solutions in the graph as "
                     "CPSV-AP-NO: who is the competent authority, who takes part, and the life events they serve. "
                     'Back to the <a href="/catalog">catalogue</a>.'),
    "void.ttl": ("Dataset description (VoID)", "The dataset described with VoID: its named graphs (one per source "
                 "document), their sizes, the vocabularies used and the SPARQL endpoint."),
}
"""Title and introduction (HTML) of each published file's page for browsers."""


async def rdf_file(request: Request, state: AppState, name: str) -> Response:
    """A published Turtle file, in the format the client asks for (read and written off the event loop); a
    readable page for a browser."""
    path = published(state, name)
    asked = one(query_params(request), "format")
    triples = await run_blocking(lambda: list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)),
                                 state.settings.query_timeout)  # read and written off the event loop
    if asked is None and wants_html(request.headers.get("accept")):
        from samkart_service.pages.rdfdoc import rdf_document_page

        title, intro = PAGES[name]
        page = await anyio.to_thread.run_sync(
            lambda: rdf_document_page(title, intro, request.url.path, triples, state.settings.base, "/catalog"))
        return HTMLResponse(page, headers={"Vary": "Accept"})
    return await result_response(triples, request, asked)


@router.get("/catalog", summary="The DCAT-AP-NO catalogue (dataset, distributions, SPARQL data service)")
async def catalog(request: Request, state: State) -> Response:
    return await rdf_file(request, state, "catalog.ttl")


@router.get("/catalog/services", summary="The public services and common solutions as CPSV-AP-NO")
async def services(request: Request, state: State) -> Response:
    return await rdf_file(request, state, "services.ttl")


@router.get("/void", summary="VoID description of the dataset")
async def void(request: Request, state: State) -> Response:
    return await rdf_file(request, state, "void.ttl")


@router.get("/dumps/{name}", summary="Download a dump (with ETag and Content-Length)")
async def dump(request: Request, state: State, name: str) -> Response:
    path = published(state, name)
    tag = await anyio.to_thread.run_sync(file_etag, path)  # hashing a large dump the first time is not for the event loop
    if not_modified(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers={"ETag": tag})
    return FileResponse(path, media_type=media_type_of(path), headers={"ETag": tag})
