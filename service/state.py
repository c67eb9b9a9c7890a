"""What the app holds while it runs: the settings and the SPARQL service over the chosen backend."""

from dataclasses import dataclass
from pathlib import Path

from samkart.backends import EmbeddedBackend, RemoteBackend
from samkart.build import ensure_build
from samkart.endpoint import SparqlService
from samkart.queries import load_queries
from samkart.settings import Settings


@dataclass
class AppState:
    """The settings and the service every route uses."""

    settings: Settings
    service: SparqlService


def open_service(settings: Settings) -> SparqlService:
    """The SPARQL service over a remote endpoint, the given data files, or the (fresh) build."""
    if settings.endpoint:
        backend = RemoteBackend(settings.endpoint, settings.query_timeout)
    elif settings.data:
        backend = EmbeddedBackend.from_files([Path(p) for p in settings.data])
    else:
        backend = EmbeddedBackend.from_files([ensure_build(settings)])
    return SparqlService(backend, load_queries(settings.queries_dir), settings.max_rows, settings.federation)
