"""The FastAPI application: create_app(settings) wires routes, errors, CORS, metrics and the store."""

import asyncio
import logging
import signal
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from samkart import __version__
from samkart.errors import SamkartError
from samkart.runtime import open_service
from samkart.settings import Settings

from . import errors, tcp
from .fastpath import FastPath
from .metrics import RequestMetrics, declare_routes
from .routes import admin, api, explore, meta, pages, publishing, resources, sparql
from .security import SecurityLayer
from .state import AppState

STATIC = Path(__file__).parent / "static"
LOG = logging.getLogger("samkart")


def on_hangup(app: FastAPI) -> None:
    """SIGHUP reloads the data (like `POST /admin/reload`); a refused reload is logged, the old data serves on."""
    async def reload() -> None:
        try:
            outcome = await anyio.to_thread.run_sync(app.state.samkart.reload)
            LOG.warning("samkart: reloaded on SIGHUP: %s", outcome)
        except SamkartError as exc:
            LOG.error("samkart: reload on SIGHUP refused: %s", exc.message)

    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(reload()))
    except (NotImplementedError, RuntimeError, ValueError, AttributeError):
        pass  # no signals here (Windows, a non-main thread; uvloop says ValueError)


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Listen for SIGHUP while serving; stop the query workers at shutdown. One no-op in a worker thread
    first: it starts anyio's thread pool (imports and a thread, ~10 ms measured) before the first query
    needs it, so the first client is not the one who pays."""
    on_hangup(app)
    await anyio.to_thread.run_sync(lambda: None)
    yield
    app.state.samkart.close()


class SamkartApp(FastAPI):
    """FastAPI with samkart's security layer and fast path around the whole middleware stack (which
    Starlette builds at the first request)."""

    def build_middleware_stack(self) -> ASGIApp:
        state: AppState = self.state.samkart
        security = SecurityLayer(super().build_middleware_stack(), state.settings)
        return FastPath(security, state, security)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready app over the backend the settings choose (embedded build, data files or remote endpoint)."""
    settings = settings or Settings()
    tcp.install()
    # Swagger UI and ReDoc load their assets from a CDN, so they are off; /openapi.json is served.
    app = SamkartApp(title="samkart", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                     description="Who does what in Norwegian public-sector digitalisation: SPARQL endpoint, "
                                 "named queries and linked data.")
    app.state.samkart = AppState(settings, open_service(settings))
    errors.install(app)
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "OPTIONS"],
                       allow_headers=["*"], expose_headers=["Link"])

    app.add_middleware(RequestMetrics)

    api.add_query_routes(app, app.state.samkart.service.queries)
    for module in (pages, sparql, api, resources, publishing, explore, meta):
        app.include_router(module.router)
    if settings.admin_token:  # with admin off the routes do not exist: 404 for every method
        app.include_router(admin.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    declare_routes(getattr(route, "path", "unmatched") for route in app.routes)
    return app
