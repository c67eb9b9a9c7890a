"""Admin routes, present only when SAMKART_ADMIN_TOKEN is set: POST /admin/reload swaps in the current data."""

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from samkart.errors import NotFound, Unauthorized
from samkart_service.execution import run_blocking
from samkart_service.state import AppState, State

router = APIRouter(tags=["Admin"])


def check_token(request: Request, state: AppState) -> None:
    """404 when admin is off; 401 unless the request carries ``Authorization: Bearer <SAMKART_ADMIN_TOKEN>``."""
    token = state.settings.admin_token
    if not token:
        raise NotFound("no such route; admin routes are off (set SAMKART_ADMIN_TOKEN to turn them on)")
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise Unauthorized("send the admin token as 'Authorization: Bearer <token>'")


@router.post("/admin/reload", summary="Reload the data (atomic swap; broken data is refused with 409)",
             include_in_schema=False)
async def reload(request: Request, state: State) -> JSONResponse:
    """Re-open the data files (rebuilding a stale build) and swap; the old data serves until then."""
    check_token(request, state)
    outcome = await run_blocking(state.reload, 600.0)
    return JSONResponse(outcome)
