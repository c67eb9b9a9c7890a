"""The outermost layer of the app (plain ASGI): the Host header checked, security headers on every response, HEAD.

- **Host is not trusted.** With ``SAMKART_PUBLIC_BASE_URL`` set, every request is seen as addressed to that
  URL (its host and scheme replace the request's, so links, redirects and the service description use it).
  Otherwise the Host must be one of ``SAMKART_ALLOWED_HOSTS`` (default: loopback names) or the bind
  address; any other is 400 in the one error shape.
- **Security headers** (:data:`SECURITY_HEADERS`, this one constant) on every response, errors included.
- **HEAD** is answered wherever GET is: the app sees a GET, and uvicorn sends the headers only.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),  # IRIs of the data link to other sites; they learn nothing of our pages
    ("x-frame-options", "DENY"),
)
"""Headers every response carries (docs/reliability.md, "Pages and headers")."""
_ENCODED = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS]


def host_name(value: str) -> str:
    """The host of a Host header value, without port or IPv6 brackets, lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class SecurityLayer:
    """Wraps the app: Host check or rewrite, security headers, HEAD as GET."""

    def __init__(self, app, settings):
        self.app = app
        public = settings.public_base_url
        self.public = urlsplit(public) if public else None
        self.allowed = {host_name(h) for h in settings.allowed_hosts} | {host_name(settings.host)}
        self.any_host = "*" in settings.allowed_hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        scope = self.addressed(scope)
        if scope is None:
            return await refuse_host(send)
        if scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}  # uvicorn, which still sees HEAD, sends no body

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in _ENCODED if h[0] not in present]
            await send(message)

        await self.app(scope, receive, with_headers)

    def host_allowed(self, scope) -> bool:
        """Whether the request's Host is one we answer to as it is (the fast path's check; anything else,
        a public base URL to put in its place included, goes through :meth:`addressed`)."""
        if self.public is not None:
            return True  # the fast path's answers hold no link built from the Host
        if self.any_host:
            return True
        for name, value in scope["headers"]:
            if name == b"host":
                return host_name(value.decode("latin-1")) in self.allowed
        return True

    def addressed(self, scope):
        """The scope as the app should see it, or None when its Host is not one we answer to."""
        if self.public is not None:
            headers = [(n, v) for n, v in scope["headers"] if n != b"host"] + [(b"host", self.public.netloc.encode())]
            return {**scope, "headers": headers, "scheme": self.public.scheme}
        if self.any_host:
            return scope
        host = next((v for n, v in scope["headers"] if n == b"host"), None)
        if host is None or host_name(host.decode("latin-1")) in self.allowed:
            return scope
        return None


async def refuse_host(send) -> None:
    """400 in the error shape for a Host we do not answer to."""
    from .errors import error_body

    body = json.dumps(error_body(400, "this server does not answer to the Host this request names; use its public "
                                      "address (SAMKART_PUBLIC_BASE_URL, SAMKART_ALLOWED_HOSTS)", "bad_host")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())] + _ENCODED
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})
