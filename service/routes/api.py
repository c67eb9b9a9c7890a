"""Named queries as a REST API: the catalogue at /api/queries and one operation per query file."""

from enum import Enum

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from samkart.sparql.negotiation import wants_html
from samkart.sparql.queries import NamedQuery
from samkart_service.execution import answer
from samkart_service.requests import one, query_params
from samkart_service.state import AppState, State

router = APIRouter(tags=["Named queries"])
RESERVED = {"format"}


def describe_query(query: NamedQuery) -> dict:
    """A query's catalogue entry: what it returns and which parameters it takes."""
    return {
        "name": query.name, "summary": query.summary, "description": query.description, "tags": query.tags,
        "path": f"/api/queries/{query.name}", "variables": query.variables,
        "parameters": [{"name": p.name, "required": p.required, "type": p.kind, "description": p.description,
                        "default": query.defaults.get(p.name), "enum": query.enumerate.get(p.name)}
                       for p in query.parameters],
    }


@router.get("/api/queries", summary="List the named queries")
async def list_queries(request: Request, state: State) -> Response:
    """The named queries as JSON; for a browser (and no ``format``), a page with a form to try each."""
    if wants_html(request.headers.get("accept")) and one(query_params(request), "format") is None:
        from samkart_service.pages.named import named_queries_page

        queries = state.service.queries
        return HTMLResponse(named_queries_page(queries, state.settings.base), headers={"Vary": "Accept"})
    return JSONResponse([describe_query(q) for q in state.service.queries.values()], headers={"Vary": "Accept"})


async def run_named(request: Request, state: AppState, name: str) -> Response:
    service = state.service  # one service for the whole request, even if a reload swaps it meanwhile
    params = query_params(request)
    args = {k: v for k, v in params.items() if k not in RESERVED}
    service.named(name)  # 404 before any work
    key = ("named", name, tuple(sorted((k, tuple(v)) for k, v in args.items())))
    return await answer(request, service, key, lambda formats: service.run_named(name, args, formats),
                        one(params, "format"))


@router.get("/api/queries/{name}", summary="Run a named query", include_in_schema=False)
async def run_any(request: Request, state: State, name: str) -> Response:
    return await run_named(request, state, name)


def _endpoint_for(name: str):
    """A route handler bound to one query (a closure, so FastAPI sees only the request)."""

    async def endpoint(request: Request, state: State) -> Response:
        return await run_named(request, state, name)

    return endpoint


def add_query_routes(app: FastAPI, queries: dict[str, NamedQuery]) -> None:
    """One documented OpenAPI operation per named query, with its parameters (added before the catch-all)."""
    for query in queries.values():
        parameters = [{"name": p.name, "in": "query", "required": p.required,
                       "description": p.description or f"{p.kind} value",
                       "schema": {"type": "integer" if p.kind == "integer" else "string",
                                  **({"enum": query.enumerate[p.name]} if p.name in query.enumerate else {}),
                                  **({"default": query.defaults[p.name]} if p.name in query.defaults else {})}}
                      for p in query.parameters]
        parameters.append({"name": "format", "in": "query", "required": False,
                           "description": "json, xml, csv or tsv (overrides Accept)", "schema": {"type": "string"}})

        tags: list[str | Enum] = ["Named queries", *query.tags]
        app.add_api_route(f"/api/queries/{query.name}", _endpoint_for(query.name), methods=["GET"], summary=query.summary,
                          description=query.description, tags=tags,
                          operation_id=f"query_{query.name}", openapi_extra={"parameters": parameters})
