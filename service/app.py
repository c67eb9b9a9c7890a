"""The FastAPI application: create_app(settings) wires routes, errors, CORS, metrics and the store."""

import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from samkart import __version__
from samkart.settings import Settings

from . import errors
from .metrics import METRICS
from .routes import api, explore, meta, publishing, resources, sparql
from .state import AppState, open_service
STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready app over the backend the settings choose (embedded build, data files or remote endpoint)."""
    settings = settings or Settings()
    # Swagger UI and ReDoc load their assets from a CDN, so they are off; /openapi.json is served.
    app = FastAPI(title="samkart", version=__version__, docs_url=None, redoc_url=None,
                  description="Who does what in Norwegian public-sector digitalisation: SPARQL endpoint, "
                              "named queries and linked data.")
    app.state.samkart = AppState(settings, open_service(settings))
    errors.install(app)
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "OPTIONS"],
                       allow_headers=["*"], expose_headers=["Link"])

    @app.middleware("http")
    async def measure(request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        name = getattr(route, "path", "unmatched")
        METRICS.requests.labels(name, str(response.status_code)).inc()
        METRICS.latency.labels(name).observe(time.perf_counter() - started)
        return response

    api.add_query_routes(app, app.state.samkart.service.queries)
    for module in (sparql, api, resources, publishing, explore, meta):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def home(request: Request):
        from fastapi.responses import HTMLResponse

        from .pages import query_page

        return HTMLResponse(query_page(request.app.state.samkart))

    return app
