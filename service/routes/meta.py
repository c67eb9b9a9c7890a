"""/health for load balancers and /metrics in the Prometheus format."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from samkart_service.metrics import METRICS
from samkart_service.state import State

router = APIRouter(tags=["Operations"])


@router.get("/health", summary="Liveness and the backend in use")
async def health(state: State) -> JSONResponse:
    service = state.service
    pool = getattr(service.backend, "pool", None)
    lane = getattr(service.backend, "lane", None)
    return JSONResponse({"ok": True, "backend": service.backend.describe(), "data_version": service.version,
                         "reloads": state.reloads, "cache": service.cache.stats(), "clients": state.gate.stats(),
                         **({"workers": pool.stats()} if pool else {}), **({"inprocess": lane.stats()} if lane else {})})


@router.get("/metrics", summary="Prometheus metrics")
async def metrics() -> Response:
    return Response(generate_latest(METRICS.registry), media_type=CONTENT_TYPE_LATEST)
