"""Admission on the event loop: identical concurrent requests share one computation, and each client has a cap.

The worker pool (samkart.sparql.workers) decides *which* lane a query runs in; this module decides *whether*
a request starts a computation at all: a request whose exact work (query, parameters, dataset, format) is
already running waits for that computation instead of starting another, and one client (IP address, as
uvicorn reports it) has at most ``max_client_queries`` computations running; its further ones wait in
turn (at most ``WAIT_FACTOR`` times as many), then get 429. Answers from the cache pass neither gate.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager

from samkart.errors import TooManyRequests

WAIT_FACTOR = 4
"""A client may have this many times ``max_client_queries`` computations waiting for their turn."""


class ClientGate:
    """At most ``limit`` computations per client at once, first come first served; 0: no cap."""

    def __init__(self, limit: int):
        self.limit = limit
        self._running: dict[str, int] = {}
        self._waiting: dict[str, list[asyncio.Future]] = {}

    @asynccontextmanager
    async def turn(self, client: str):
        """Hold one of ``client``'s slots for the block (waiting for one, or 429 when too many wait)."""
        if self.limit <= 0:
            yield
            return
        await self._enter(client)
        try:
            yield
        finally:
            self._leave(client)

    async def _enter(self, client: str) -> None:
        if self._running.get(client, 0) < self.limit and not self._waiting.get(client):
            self._running[client] = self._running.get(client, 0) + 1
            return
        queue = self._waiting.setdefault(client, [])
        if len(queue) >= self.limit * WAIT_FACTOR:
            raise TooManyRequests(f"this client already has {self.limit} queries running and {len(queue)} waiting "
                                  "(SAMKART_MAX_CLIENT_QUERIES); wait for their answers before sending more")
        turn = asyncio.get_running_loop().create_future()
        queue.append(turn)
        try:
            await turn  # _leave hands its slot over by resolving this future
        except BaseException:
            if turn.done() and not turn.cancelled():
                self._leave(client)  # the slot was handed over just as this request gave up: pass it on
            elif turn in queue:
                queue.remove(turn)
            raise

    def _leave(self, client: str) -> None:
        queue = self._waiting.get(client)
        while queue:
            turn = queue.pop(0)
            if not turn.done():
                turn.set_result(None)  # the slot passes to the next in line; the running count stays
                return
        self._waiting.pop(client, None)
        count = self._running.get(client, 0) - 1
        if count > 0:
            self._running[client] = count
        else:
            self._running.pop(client, None)

    def stats(self) -> dict:
        """Clients with computations running, and computations waiting for a client's slot."""
        return {"clients": len(self._running), "waiting": sum(len(q) for q in self._waiting.values())}


class Flights:
    """Computations in progress by key: a second request for the same key awaits the first one's outcome."""

    def __init__(self):
        self._running: dict = {}

    async def shared(self, key, start: Callable[[], Awaitable]):
        """The outcome of ``start()`` for ``key``, computed once however many requests ask at the same time.
        A request that gives up (client gone, its own deadline) does not stop the computation for others."""
        task = self._running.get(key)
        if task is None:
            task = asyncio.ensure_future(start())
            self._running[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        return await asyncio.shield(task)

    def _finished(self, key, task: asyncio.Future) -> None:
        if self._running.get(key) is task:
            del self._running[key]
        if not task.cancelled():
            task.exception()  # retrieved, so an outcome nobody waited for is not logged as lost
