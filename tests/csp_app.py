"""Test-only app factory: the real app sending the strict Content-Security-Policy of issue 20 on every
response, so the page tests prove that every page (YASGUI included) works under it."""

from samkart_service.app import create_app

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def create():
    """``create_app()`` with the CSP header added to every response."""
    app = create_app()

    @app.middleware("http")
    async def content_security_policy(request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        return response

    return app
