"""The HTTP server configuration: uvicorn (httptools, uvloop) with the connection limits a public endpoint needs.

uvicorn has a keep-alive idle timeout and a concurrency limit, but no limit on the size of a request's
head, no timeout for sending it or its body, and it holds a new connection that never sends a byte
forever. :class:`LimitedHttpProtocol` adds them to uvicorn's httptools protocol (the one it uses by
default; a small subclass rather than another server, so the fast path stays the same), each from a
setting (docs/reliability.md, "Event loop and connections"):

- a request line and headers over ``SAMKART_MAX_HEADER_BYTES`` → 431, connection closed (counted as the
  bytes arrive, so an unfinished 32 MB header is cut at the limit rather than buffered);
- the head not complete ``SAMKART_HEADER_TIMEOUT`` seconds after its first byte → 408, closed;
- the body not complete ``SAMKART_BODY_TIMEOUT`` seconds after the head → 408, closed;
- a connection idle ``SAMKART_KEEP_ALIVE_TIMEOUT`` seconds (before its first request too) → closed;
- more than ``SAMKART_MAX_CONNECTIONS`` open connections → the new one gets 503 and is closed.

Run it with ``samkart serve`` or ``python -m samkart_service.server [--host H] [--port P] [--workers N]``
(or ``uvicorn … --http samkart_service.server:LimitedHttpProtocol``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

LOG = logging.getLogger("samkart.server")
REASONS = {400: "Bad Request", 408: "Request Timeout", 413: "Content Too Large", 431: "Request Header Fields Too Large",
           503: "Service Unavailable"}


def error_bytes(status: int, code: str, message: str) -> bytes:
    """A whole HTTP/1.1 response in the one JSON error shape, closing the connection."""
    from .errors import error_body
    from .security import SECURITY_HEADERS

    body = json.dumps(error_body(status, message, code)).encode()
    head = [f"HTTP/1.1 {status} {REASONS[status]}", "content-type: application/json",
            f"content-length: {len(body)}", "connection: close"]
    head += [f"{name}: {value}" for name, value in SECURITY_HEADERS]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class OneWrite:
    """A response's transport that sends its head with the first body bytes in one write (one segment, one
    wake-up of the client), not in two: uvicorn writes the head on ``http.response.start`` and the body on
    ``http.response.body``. The head is held until the body's first bytes, the response's end (a HEAD, a
    304) or a close; a ``100 Continue`` goes out at once. Measured on this 2-core machine: see
    docs/performance.md's notes."""

    __slots__ = ("transport", "held", "started", "on_response")
    JOIN_BELOW = 1 << 16
    """Body bytes up to this size are joined to the head; a larger first chunk follows it in its own write."""

    def __init__(self, transport, on_response):
        self.transport, self.held, self.started, self.on_response = transport, None, False, on_response

    def write(self, data: bytes) -> None:
        if not self.started and not data.startswith(b"HTTP/1.1 100 "):
            self.started, self.held = True, data
            return
        if self.held is not None:
            held, self.held = self.held, None
            if len(data) < self.JOIN_BELOW:
                data = held + data
            else:
                self.transport.write(held)
        self.transport.write(data)

    def flush(self) -> None:
        """Send a head still held (the response ended without body bytes)."""
        if self.held is not None:
            held, self.held = self.held, None
            self.transport.write(held)

    def finished(self) -> None:
        """The response is complete: send what is held, then go on as uvicorn does."""
        self.flush()
        self.on_response()

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def __getattr__(self, name: str):
        return getattr(self.transport, name)


class HeadTooLarge(Exception):
    """Raised from the parser's callback when a complete head is over the limit (the parser stops there)."""


class LimitedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with limits on head size, head and body time, idle time and connections."""

    _limits = None
    one_write = True  # see OneWrite

    @classmethod
    def limits(cls):
        """The settings the limits come from (read once per process, from the environment)."""
        if cls._limits is None:
            from samkart.settings import Settings

            cls._limits = Settings()
        return cls._limits

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeout_keep_alive = self.limits().keep_alive_timeout
        self._in_head = True  # between requests or reading one's line and headers
        self._head_bytes = 0  # bytes received since the request began (a bound on its head while unfinished)
        self._head_size = 0  # bytes of its line and headers, as the parser reports them
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        if len(self.connections) > self.limits().max_connections:
            LOG.warning("samkart: connection refused: %d open (SAMKART_MAX_CONNECTIONS)", len(self.connections) - 1)
            self._refuse(503, "unavailable", f"the server has {self.limits().max_connections} connections open, the most "
                         "it takes (SAMKART_MAX_CONNECTIONS); try again shortly")
            return
        # uvicorn arms its idle timer only after a response; a connection that never sends a byte is idle too
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)

    def connection_lost(self, exc) -> None:
        self._cancel_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(self.limits().header_timeout, self._head_too_slow)
        self._unset_keepalive_if_required()
        try:  # uvicorn's data_received, but a head found too large by a callback answers 431, not 400
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError as exc:
            if isinstance(exc.__cause__ or exc.__context__, HeadTooLarge) or self._head_size > self.limits().max_header_bytes:
                return self._too_large()
            self.logger.warning("Invalid HTTP request received.")
            return self.send_400_response("Invalid HTTP request received.")
        if self._in_head and self._head_bytes > self.limits().max_header_bytes and not self.transport.is_closing():
            self._too_large()  # still unfinished, and over the limit

    def on_url(self, url: bytes) -> None:
        self._head_size += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_size += len(name) + len(value) + 4
        super().on_header(name, value)

    def on_message_begin(self) -> None:
        self._head_size = 0
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._cancel(self._head_timer)
        self._head_timer = None
        if self._head_size > self.limits().max_header_bytes:
            raise HeadTooLarge  # stops the parser; data_received answers 431
        self._body_timer = self.loop.call_later(self.limits().body_timeout, self._body_too_slow)
        super().on_headers_complete()
        if self.cycle is not None and self.one_write:
            writer = OneWrite(self.transport, self.cycle.on_response)
            # OneWrite stands in for the transport by delegation (__getattr__), not as an asyncio.Transport subclass
            self.cycle.transport = writer  # type: ignore[assignment]
            self.cycle.on_response = writer.finished

    def _too_large(self) -> None:
        self._refuse(431, "header_too_large", f"the request line and headers are over {self.limits().max_header_bytes} "
                     "bytes, the most this server reads (SAMKART_MAX_HEADER_BYTES)")

    def on_message_complete(self) -> None:
        self._cancel(self._body_timer)
        self._body_timer = None
        self._in_head, self._head_bytes = True, 0
        super().on_message_complete()

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self._in_head and not self.transport.is_closing():
            self._refuse(408, "timeout", f"the request line and headers did not arrive within {self.limits().header_timeout:g} s "
                         "(SAMKART_HEADER_TIMEOUT)")

    def _body_too_slow(self) -> None:
        self._body_timer = None
        if not self.transport.is_closing():
            if self.cycle is not None:
                self.cycle.disconnected = True  # the app stops waiting for the rest of the body
                self.cycle.message_event.set()
            self._refuse(408, "timeout", f"the request body did not arrive within {self.limits().body_timeout:g} s "
                         "(SAMKART_BODY_TIMEOUT)")

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to bytes that are not HTTP, in the one error shape."""
        self._refuse(400, "bad_request", "the request is not valid HTTP/1.1")

    def _refuse(self, status: int, code: str, message: str) -> None:
        """Answer ``status`` in the error shape and close the connection."""
        self._cancel_timers()
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(error_bytes(status, code, message))
        self.transport.close()

    def _cancel_timers(self) -> None:
        for timer in (self._head_timer, self._body_timer):
            self._cancel(timer)
        self._head_timer = self._body_timer = None

    @staticmethod
    def _cancel(timer) -> None:
        if timer is not None:
            timer.cancel()


def uvicorn_options(settings) -> dict:
    """uvicorn's options for ``settings``: our protocol, uvloop, the keep-alive timeout, no access log."""
    return {"http": "samkart_service.server:LimitedHttpProtocol", "loop": "uvloop", "host": settings.host,
            "port": settings.port, "timeout_keep_alive": settings.keep_alive_timeout, "access_log": False,
            "log_level": "warning", "server_header": False}


def serve(settings, workers: int = 1) -> None:
    """Run the app for ``settings`` under uvicorn with our limits (``workers`` > 1: that many processes)."""
    import os

    import uvicorn

    if workers > 1:  # each process builds its app from the environment (settings travel as SAMKART_* variables)
        os.environ.update({f"SAMKART_{k.upper()}": v if isinstance(v, str) else json.dumps(v, default=str)
                           for k, v in settings.model_dump(mode="json").items() if v is not None})
        uvicorn.run("samkart_service.app:create_app", factory=True, workers=workers, **uvicorn_options(settings))
        return
    from .app import create_app

    uvicorn.run(create_app(settings), **uvicorn_options(settings))


def main(argv: list[str] | None = None) -> None:
    """``python -m samkart_service.server``: serve with the settings from the environment."""
    from samkart.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    settings = Settings()
    settings = settings.model_copy(update={k: v for k, v in {"host": args.host, "port": args.port}.items() if v is not None})
    serve(settings, args.workers)


if __name__ == "__main__":
    main()
