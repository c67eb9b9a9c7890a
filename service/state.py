"""What the app holds while it runs: the settings and the SPARQL service over the chosen backend."""

from dataclasses import dataclass

from samkart.connection import open_service
from samkart.endpoint import SparqlService
from samkart.settings import Settings

__all__ = ["AppState", "open_service"]


@dataclass
class AppState:
    """The settings and the service every route uses."""

    settings: Settings
    service: SparqlService
