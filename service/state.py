"""What the app holds while it runs: the settings and the SPARQL service, swapped whole on a reload."""

import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from samkart.runtime import reopen
from samkart.settings import Settings
from samkart.sparql.service import SparqlService
from samkart_service.admission import ClientGate, Flights

from .pages.cache import PageCache


@dataclass
class AppState:
    """The settings and the service every route uses.

    A route reads ``state.service`` once and uses that object for the whole request, so a reload
    (which replaces the attribute in one assignment) is seen as all-old or all-new, never a mix.
    """

    settings: Settings
    service: SparqlService
    reloads: int = 0
    pages: PageCache = field(default_factory=PageCache)  # generated pages, per data version
    _reloading: threading.Lock = field(default_factory=threading.Lock)
    flights: Flights = field(default_factory=Flights)
    gate: ClientGate | None = None

    def __post_init__(self) -> None:
        if self.gate is None:
            self.gate = ClientGate(self.settings.max_client_queries)

    def reload(self) -> dict:
        """Open the current data as a new service and swap it in; the old one stops once its requests end.

        Raises Conflict (and keeps the old service) when the new data is broken.
        """
        with self._reloading:
            fresh = reopen(self.settings)
            old, self.service = self.service, fresh
            self.reloads += 1
        old.close()
        return {"ok": True, "reloads": self.reloads, "version": fresh.version, "graphs": len(fresh.graph_names())}

    def close(self) -> None:
        """Stop the worker processes (at shutdown)."""
        self.service.close()


async def app_state(request: Request) -> AppState:
    """The app's state, as a FastAPI dependency of a route handler (``state: State``); async, so it runs on
    the event loop rather than in a worker thread."""
    state: AppState = request.app.state.samkart
    return state


State = Annotated[AppState, Depends(app_state)]
"""A route handler's parameter that receives the app's state."""
