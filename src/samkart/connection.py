"""Open the SPARQL service over the backend the settings choose: the same path for the web service and notebooks."""

from pathlib import Path

from .backends import EmbeddedBackend, RemoteBackend
from .build import ensure_build
from .endpoint import SparqlService
from .queries import load_queries
from .settings import Settings


def open_service(settings: Settings) -> SparqlService:
    """The SPARQL service over a remote endpoint, the given data files, or the (fresh) build."""
    if settings.endpoint:
        backend = RemoteBackend(settings.endpoint, settings.query_timeout)
    elif settings.data:
        backend = EmbeddedBackend.from_files([Path(p) for p in settings.data])
    else:
        backend = EmbeddedBackend.from_files([ensure_build(settings)])
    return SparqlService(backend, load_queries(settings.queries_dir), settings.max_rows, settings.federation)
