"""The one JSON error shape for every error, and the handlers that produce it (no stack traces leave)."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from samkart.errors import SamkartError
from samkart.sparql.negotiation import wants_html

log = logging.getLogger("samkart.service")

TITLES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
          413: "too_large", 415: "unsupported_media_type", 500: "internal_error", 502: "upstream_error",
          503: "unavailable", 504: "timeout"}


RETRY_AFTER = {503: "5", 429: "2"}
"""Seconds a refused client should wait: heavy queries are seconds long; a client's own queries end sooner."""


def error_body(status: int, message: str, code: str | None = None) -> dict:
    """``{"ok": false, "status": …, "code": …, "error": …}`` — the shape every error has."""
    return {"ok": False, "status": status, "code": code or TITLES.get(status, "error"), "error": message}


PAGE_TITLES = {400: "This request could not be answered", 401: "Sign-in needed", 403: "Not allowed",
               404: "Nothing here", 405: "Method not allowed", 406: "Not available in that format",
               413: "Too large", 415: "Unsupported content type", 504: "It took too long"}


def error_response(status: int, message: str, code: str | None = None, headers: dict | None = None,
                   request: Request | None = None) -> Response:
    """A JSON error response in the one shape; a browser asking for HTML gets a page with the site's header."""
    if request is not None and wants_html(request.headers.get("accept")):
        from .pages.layout import error_page

        title = PAGE_TITLES.get(status, "Something went wrong" if status >= 500 else "This request could not be answered")
        return HTMLResponse(error_page(status, title, message), status_code=status,
                            headers={**(headers or {}), "Vary": "Accept"})
    return JSONResponse(error_body(status, message, code), status_code=status, headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route accepts for this path (Starlette's 405 names only the first route's)."""
    from starlette.routing import Match

    return [method for method in ("GET", "POST", "PUT", "DELETE", "PATCH")
            if any(route.matches({**request.scope, "method": method})[0] == Match.FULL
                   for route in request.app.router.routes)]


def install(app: FastAPI) -> None:
    """Route every exception through the one error shape."""

    @app.exception_handler(SamkartError)
    async def domain(_request: Request, exc: SamkartError):
        headers = {"Retry-After": RETRY_AFTER[exc.status]} if exc.status in RETRY_AFTER else {}
        if exc.status == 406:  # the refusal depends on the Accept header, like the answer would have
            headers["Vary"] = "Accept"
        return error_response(exc.status, exc.message, exc.code, headers=headers or None, request=_request)

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException):
        message = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "error")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            allowed = allowed_methods(request)
            headers["Allow"] = ", ".join(allowed)
            message = f"{request.method} is not allowed here; use {' or '.join(allowed)}"
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no page at {request.url.path}"
        return error_response(exc.status_code, message, headers=headers or None, request=request)

    @app.exception_handler(RequestValidationError)
    async def validation(_request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return error_response(400, f"invalid request: {problems}", request=_request)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal error; it has been logged", request=request)
