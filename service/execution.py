"""Running blocking query work off the event loop, under the query timeout, and answering with the right format."""

import time
from typing import Callable

import anyio
from fastapi import Request
from fastapi.responses import Response

from samkart.errors import NotAcceptable, QueryTimeout
from samkart.formats import formats_for, negotiate, serialise

from .metrics import METRICS




async def run_blocking(work: Callable, timeout: float):
    """``work()`` in a worker thread; past ``timeout`` seconds the request gets a 504 (never a cut body)."""
    started = time.perf_counter()
    try:
        with anyio.fail_after(timeout):
            return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
    except TimeoutError:
        METRICS.timeouts.inc()
        raise QueryTimeout(f"the query took longer than {timeout:g} s and was stopped; narrow it or add a LIMIT") from None
    finally:
        METRICS.query_seconds.observe(time.perf_counter() - started)


def result_response(result, request: Request, format_name: str | None) -> Response:
    """The result in the format the client asked for (``format`` parameter, then Accept), or 406."""
    formats = formats_for(result)
    chosen = negotiate(formats, request.headers.get("accept"), format_name)
    if chosen is None:
        offered = ", ".join(f.media_type for f in formats)
        asked = format_name or request.headers.get("accept")
        raise NotAcceptable(f"cannot answer with {asked!r}; this result is available as {offered}")
    media = chosen.media_type + ("; charset=utf-8" if chosen.media_type.startswith("text/") else "")
    return Response(serialise(result, chosen), media_type=media, headers={"Vary": "Accept"})
