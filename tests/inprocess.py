"""The real app in this process, for route tests that need no socket (httpx over ASGITransport)."""

import functools
from contextlib import contextmanager
from pathlib import Path

import anyio.from_thread
import httpx

from samkart.settings import Settings
from samkart_service.app import create_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
"""What Chromium sends when it opens a page."""


class Client:
    """A blocking face on an httpx.AsyncClient that calls the ASGI app (runs in a portal's event loop)."""

    def __init__(self, portal, client: httpx.AsyncClient, app):
        self.portal, self.client, self.app = portal, client, app

    def request(self, method: str, url: str, **options) -> httpx.Response:
        return self.portal.call(functools.partial(self.client.request, method, url, **options))

    def get(self, url: str, **options) -> httpx.Response:
        return self.request("GET", url, **options)

    def post(self, url: str, **options) -> httpx.Response:
        return self.request("POST", url, **options)


@contextmanager
def app_client(data: Path, **settings):
    """A client of ``create_app`` serving ``data`` (queries in this process, no disk store)."""
    app = create_app(Settings(data=[data], query_workers=0, store_dir=None, **settings))
    try:
        with anyio.from_thread.start_blocking_portal() as portal:
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1")
            try:
                yield Client(portal, client, app)
            finally:
                portal.call(client.aclose)
    finally:
        app.state.samkart.close()
