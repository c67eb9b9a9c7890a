"""The SPARQL 1.1 Protocol endpoint at /sparql: GET, POST form and POST direct; read-only."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from samkart.errors import ReadOnly, UnsupportedMediaType
from samkart.sparql.backends import Dataset
from samkart.sparql.negotiation import wants_html
from samkart_service.execution import answer as cached_answer
from samkart_service.requests import BadRequest, check_length, form_params, format_names, one, query_params, read_body
from samkart_service.state import AppState, State

from .description import service_description

router = APIRouter(tags=["SPARQL"])
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
PROTOCOL_PARAMETERS = frozenset({"query", "update", "default-graph-uri", "named-graph-uri", "format"})
"""The form parameters the SPARQL protocol gives a meaning (others are not decoded)."""


def dataset_of(params: dict[str, list[str]]) -> Dataset | None:
    """The protocol dataset (default-graph-uri, named-graph-uri), or None when neither is given."""
    dataset = Dataset(params.get("default-graph-uri", []), params.get("named-graph-uri", []))
    return dataset if dataset.default_graphs or dataset.named_graphs else None


async def answer(request: Request, state: AppState, query: str, names: tuple[str, ...], dataset: Dataset | None) -> Response:
    """Run one protocol query (from the cache when it can) and answer in the format asked for."""
    service = state.service  # one service for the whole request, even if a reload swaps it meanwhile
    check_length(query, state.settings.max_query_length)
    base = str(request.url.replace(query="", fragment=""))  # the service-defined BASE IRI: the endpoint
    key = ("sparql", query, tuple(dataset.default_graphs) if dataset else (), tuple(dataset.named_graphs) if dataset else (),
           base)
    return await cached_answer(request, service, key,
                               lambda formats: service.run(query, dataset, base_iri=base, format_key=formats), names)


@router.get("/sparql", summary="SPARQL 1.1 query (GET)",
            description="`query` in the URL; without one, browsers get the query page and machines the service description.")
async def sparql_get(request: Request, state: State) -> Response:
    params = query_params(request)
    if "update" in params:
        raise ReadOnly("this endpoint is read-only: SPARQL Update is not accepted")
    query = one(params, "query")
    if query is None:
        if wants_html(request.headers.get("accept")) and not format_names(params):
            from samkart_service.routes.pages import query_page_response

            return await query_page_response(request, state)
        return await service_description(request, state, params)
    return await answer(request, state, query, format_names(params), dataset_of(params))


@router.post("/sparql", summary="SPARQL 1.1 query (POST form or direct)",
             description="`application/x-www-form-urlencoded` with `query`, "
                         "or `application/sparql-query` with the query as body.")
async def sparql_post(request: Request, state: State) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await read_body(request, state.settings.max_body_bytes)
    url_params = query_params(request)
    if media == FORM:
        params = await form_params(request, body, PROTOCOL_PARAMETERS)
        if "update" in params:
            raise ReadOnly("this endpoint is read-only: SPARQL Update is not accepted")
        query = one(params, "query", required=True)
        return await answer(request, state, query, format_names(params, url_params), dataset_of(params))
    if media == DIRECT:
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the query body is not valid UTF-8") from None
        if "query" in url_params:
            raise BadRequest("a direct POST carries the query in its body; do not also give 'query' in the URL")
        return await answer(request, state, query, format_names(url_params), dataset_of(url_params))
    if media == UPDATE:
        raise ReadOnly("this endpoint is read-only: SPARQL Update is not accepted")
    raise UnsupportedMediaType(f"unsupported content type {media or '(none)'!r}; send {FORM} or {DIRECT}")
