"""TCP_NODELAY on every connection, also under `uvicorn --workers N` (a stdlib gap, worked around here).

asyncio turns Nagle's algorithm off only for sockets whose ``proto`` is IPPROTO_TCP. The listening
socket uvicorn hands to its worker processes is rebuilt from a file descriptor with ``proto`` 0, so
accepted connections keep Nagle on; a response written in two parts then waits for the client's
delayed ACK: 44 ms per request on loopback, measured. We relax that one check for TCP sockets.
"""

import asyncio.base_events
import asyncio.selector_events
import socket
from collections.abc import Callable

# _set_nodelay is a private asyncio helper that typeshed does not declare; patching it is the point here.
_original: Callable[[socket.socket], None] = asyncio.base_events._set_nodelay  # type: ignore[attr-defined]


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # not a TCP socket after all: leave it as asyncio would
            _original(sock)
        return
    _original(sock)


def install() -> None:
    """Use the relaxed check for the sockets asyncio sets up from now on."""
    # selector_events calls it as base_events._set_nodelay (private, not in typeshed: see _original)
    asyncio.base_events._set_nodelay = _set_nodelay  # type: ignore[attr-defined]
