"""/health for load balancers and /metrics in the Prometheus format."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ..metrics import METRICS
from ..state import AppState

router = APIRouter(tags=["Operations"])


@router.get("/health", summary="Liveness and the backend in use")
async def health(request: Request) -> JSONResponse:
    state: AppState = request.app.state.samkart
    return JSONResponse({"ok": True, "backend": state.service.backend.describe()})


@router.get("/metrics", summary="Prometheus metrics")
async def metrics() -> Response:
    return Response(generate_latest(METRICS.registry), media_type=CONTENT_TYPE_LATEST)
