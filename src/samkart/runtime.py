"""Open the SPARQL service over the backend the settings choose: the same path for the web service and notebooks."""

from pathlib import Path

from samkart.graph.build import ensure_build
from samkart.sparql.backends import Backend, EmbeddedBackend, PooledBackend, RemoteBackend
from samkart.sparql.queries import load_queries
from samkart.sparql.service import SparqlService
from samkart.sparql.store import EmbeddedStore

from .settings import Settings


def data_files(settings: Settings) -> list[Path]:
    """The files the embedded store serves: SAMKART_DATA, else the (fresh) build."""
    return [Path(p) for p in settings.data] if settings.data else [ensure_build(settings)]


def open_backend(settings: Settings) -> tuple[Backend, str | None]:
    """The backend and a version string of its data (for ETags): remote, on-disk (pooled or not) or in memory."""
    if settings.endpoint:
        return RemoteBackend(settings.endpoint, settings.query_timeout), None
    files = data_files(settings)
    if settings.store_dir is None or str(settings.store_dir) == "":
        from samkart.sparql.diskstore import data_version

        return EmbeddedBackend.from_files(files), data_version(files)
    from samkart.sparql.diskstore import prepare

    path = prepare(files, Path(settings.store_dir))
    store = EmbeddedStore.read_only(path)
    source = ", ".join(str(f) for f in files)
    if settings.query_workers == 0:
        return EmbeddedBackend(store, source), path.name
    from samkart.sparql.workers import QueryPool

    pool = QueryPool(path, settings.query_workers, settings.max_rows, settings.heavy_after, settings.max_heavy_queries,
                     isolate=not settings.federation,  # no network in the workers unless federation is on
                     sources=files if settings.memory_copy else None, heavy_queue=settings.heavy_queue,
                     max_bytes=settings.max_result_bytes, memory=settings.query_memory_mb * 2**20,
                     huge_pages=settings.huge_pages)
    from samkart.sparql.inprocess import LocalLane

    lane = LocalLane(store, settings.inprocess_ms, sources=files if settings.memory_copy else None,
                     huge_pages=settings.huge_pages)
    return PooledBackend(pool, store, source, settings.query_timeout, lane), path.name


def open_service(settings: Settings) -> SparqlService:
    """The SPARQL service over a remote endpoint, the given data files, or the (fresh) build."""
    backend, version = open_backend(settings)
    return SparqlService(backend, load_queries(settings.queries_dir), settings.max_rows, settings.federation,
                         version=version, cache_entries=settings.cache_entries, cache_bytes=settings.cache_bytes,
                         federation_allow=tuple(settings.federation_allow), max_bytes=settings.max_result_bytes)


def reopen(settings: Settings) -> SparqlService:
    """A new service over the current data, for a reload: refused (Conflict) when the data cannot be
    loaded, is empty, or (with SAMKART_RELOAD_VALIDATE) breaks the shapes; the caller keeps the old one."""
    from samkart.shacl.findings import violations
    from samkart.shacl.validate import validate_file

    from .errors import Conflict, SamkartError

    try:
        files = [] if settings.endpoint else data_files(settings)
        if settings.reload_validate:
            for path in files:
                if path.suffix in (".trig", ".nq"):
                    broken = violations(validate_file(path, settings.shapes_dir))
                    if broken:
                        raise Conflict(f"{path.name} breaks {len(broken)} shape constraint(s), e.g. "
                                       f"{broken[0].message}; the current data keeps serving")
        service = open_service(settings)
    except Conflict:
        raise
    except (SamkartError, OSError, SyntaxError, ValueError) as exc:
        message = getattr(exc, "message", str(exc))
        raise Conflict(f"the new data cannot be loaded ({message}); the current data keeps serving") from None
    if not settings.endpoint and not service.graph_names():
        service.close()
        raise Conflict("the new data holds no named graph; the current data keeps serving")
    return service
