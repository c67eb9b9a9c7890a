"""The one typed settings object; every setting can be given as a SAMKART_* environment variable."""

from importlib.resources import files
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def checkout() -> Path | None:
    """The repository this module runs from (an editable install), or None for an installed package."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "ontology").is_dir() else None


CHECKOUT = checkout()
PROJECT_ROOT = CHECKOUT or Path(str(files("samkart") / "assets"))
"""Where ontology/, shapes/, data/ and queries/ are: the checkout, else the copies packaged with samkart."""
WORK_DIR = CHECKOUT or Path.cwd()
"""Where build/ goes: the checkout, else the folder samkart runs in."""


class Settings(BaseSettings):
    """All samkart settings. Each field's description is its documentation (see docs/settings.md)."""

    model_config = SettingsConfigDict(env_prefix="SAMKART_", env_file=".env", extra="ignore")

    base: str = Field(
        "https://w3id.org/samkart/id/",
        description="Instance base IRI; every entity IRI is {base}{kind}/{slug}. Must end with '/'.",
    )
    project_dir: Path = Field(
        PROJECT_ROOT,
        description="Folder holding ontology/, shapes/, data/ and queries/: the checkout when samkart runs from one, "
                    "else the copies installed with the package. Point it at a working copy to build your own edits.",
    )
    sources_dir: Path = Field(
        WORK_DIR.parent / "shared" / "sources",
        description="Folder of the source documents (read by `samkart extract`, `samkart coverage`, the line-range "
                    "checks of the build, and the service's /evidence pages, which show the cited lines at request "
                    "time; without it a statement's source shows its line numbers only). Optional for building.",
    )
    build_file: Path = Field(
        WORK_DIR / "build" / "samkart.trig",
        description="Where `samkart build` writes the dataset and where other commands look for it.",
    )
    query_timeout: float = Field(
        30.0, description="Seconds a SPARQL query may run before it is stopped.", gt=0
    )
    max_rows: int = Field(
        100_000, description="Most result rows a query returns; more is an error, never a silent cut.", gt=0
    )

    store_dir: Path | None = Field(
        WORK_DIR / "build" / "store",
        description="Folder for the persistent on-disk stores (one per set of data files, loaded once, then opened "
                    "read-only at start-up). Empty: load the data into memory at every start.",
    )
    query_workers: int = Field(
        3, description="Worker processes that run queries on the embedded store; a query past the timeout has its "
                       "process killed. 0: run queries in the server process (no real cancellation).", ge=0, le=64,
    )
    memory_copy: bool = Field(
        True, description="Each query worker also loads the data into memory in the background and answers from "
                          "there once ready (about 4x faster than the on-disk store; memory: one copy per worker). "
                          "Off for data larger than memory allows.",
    )
    huge_pages: bool = Field(
        True, description="Once an in-memory copy is loaded, move it into transparent huge pages (Linux >= 6.1 with "
                          "THP not 'never'; elsewhere nothing happens): its queries run 30-50% faster (measured at 1M "
                          "triples), for ~1 s of kernel time per 300 MB, once. Off where huge pages are unwelcome.",
    )
    heavy_after: float = Field(
        1.0, description="Seconds after which a running query counts as heavy: its process drops to the lowest CPU "
                         "priority so simple queries keep their latency.", gt=0,
    )
    max_heavy_queries: int = Field(
        2, description="Most heavy queries running at once; one more is stopped with 503 (Retry-After).", ge=1,
    )
    inprocess_ms: float = Field(
        25.0, description="An exact query (text, parameters, dataset) that ran in a worker within this many "
                          "milliseconds and answered at most 2,000 rows runs its repeats in the server process, on "
                          "its own in-memory copy of the data: no worker round trip, and a repeat asked afresh skips the "
                          "framework's routing too (~1 ms in all, measured). Same data, same query, same work, so no "
                          "runaway can run there. 0: every query goes to a worker.", ge=0,
    )
    heavy_queue: int = Field(
        4, description="Queries remembered as heavy (the exact query ran heavy before on this data) wait for a heavy "
                       "slot in a queue of at most this many; one more gets 503 (Retry-After). They never take the "
                       "workers kept for other queries.", ge=0,
    )
    max_client_queries: int = Field(
        2, description="Most queries one client (IP address; behind a proxy, its X-Forwarded-For as uvicorn's "
                       "--forwarded-allow-ips trusts it) has running at once; more wait their turn, up to 4x this "
                       "many, then 429 (Retry-After). Answers from the cache do not count. 0: no cap.", ge=0,
    )
    query_memory_mb: int = Field(
        512, description="Megabytes of memory one query may take in its worker process, enforced by the operating "
                         "system (RLIMIT_DATA); past it the query gets 400 query_memory_limit and the worker is "
                         "replaced. 0: no cap.", ge=0,
    )
    max_result_bytes: int = Field(
        64_000_000, description="Most bytes in a query answer, in whatever format it is written (SELECT, ASK, CONSTRUCT, "
                                "DESCRIBE); a larger one is 400 result_too_large, never a cut body.", gt=0,
    )
    max_parameters: int = Field(
        100, description="Most parameters in a query string or form body; more is 400, before any is decoded.", gt=0,
    )
    validate_threads: int = Field(
        0, description="Threads `samkart validate` runs its compiled SHACL checks on at once (pyoxigraph releases "
                       "Python's lock while it evaluates, so they use as many cores). 0: one per CPU core.", ge=0,
    )
    validate_lenient_from_bytes: int = Field(
        64_000_000, description="Dataset files at least this large are loaded by `samkart validate` with pyoxigraph's "
                                "lenient parser while a second process parses the same file strictly, on another "
                                "core; an error it finds stops validation exactly as a strict load would. Smaller "
                                "files load strictly in one go (starting the process costs more than it saves).", ge=0,
    )
    max_query_length: int = Field(
        50_000, description="Most characters in a SPARQL query; longer ones get 413.", gt=0,
    )
    max_body_bytes: int = Field(
        1_000_000, description="Most bytes in a request body; larger ones get 413 before the body is read.", gt=0,
    )
    cache_entries: int = Field(
        2_000, description="Results kept in memory per loaded dataset (by query, parameters and format), served "
                           "with an ETag and 304; emptied on reload. 0: no cache.", ge=0,
    )
    cache_bytes: int = Field(
        256_000_000, description="Most bytes of cached result bodies; the least recently used go first.", ge=0,
    )
    admin_token: str | None = Field(
        None, description="Bearer token for POST /admin/reload. Unset: the admin routes do not exist (404).",
    )
    reload_validate: bool = Field(
        True, description="On reload, refuse new data that breaks the SHACL shapes (the old data keeps serving).",
    )
    federation_allow: list[str] = Field(
        default_factory=list,
        description="With SAMKART_FEDERATION on, the only SERVICE endpoints a query may call (exact IRIs). Empty: none.",
    )

    host: str = Field("127.0.0.1", description="Address `samkart serve` listens on.")
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["localhost", "127.0.0.1", "::1"],
        description="Host header values (without port) the service answers when SAMKART_PUBLIC_BASE_URL is unset; "
                    "the bind address is always allowed. Any other Host gets 400. [\"*\"]: any (behind a proxy that "
                    "checks Host itself).",
    )
    max_header_bytes: int = Field(
        16_384, description="Most bytes in a request's line and headers; more is 431 and the connection is closed.", gt=0,
    )
    header_timeout: float = Field(
        10.0, description="Seconds a client has to send a request's line and headers once it has started; then the "
                          "connection is closed.", gt=0,
    )
    body_timeout: float = Field(
        30.0, description="Seconds a client has to send a request body once its headers are in; then 408 and the "
                          "connection is closed.", gt=0,
    )
    keep_alive_timeout: float = Field(
        5.0, description="Seconds an idle keep-alive connection is kept open between requests.", gt=0,
    )
    max_connections: int = Field(
        500, description="Most open client connections; one more is answered 503 and closed at once.", gt=0,
    )
    port: int = Field(8000, description="Port `samkart serve` listens on.", ge=0, le=65535)
    endpoint: str | None = Field(
        None, description="A SPARQL 1.1 query endpoint to serve instead of the embedded store (remote mode)."
    )
    data: list[Path] = Field(
        default_factory=list,
        description="RDF dataset files to serve instead of the build (any format pyoxigraph reads, by extension).",
    )
    federation: bool = Field(
        False, description="Allow SERVICE (federated) queries. Off: such queries are refused with 400."
    )
    cors_origins: list[str] = Field(
        default_factory=lambda: ["*"], description="Origins allowed to call the API from a browser (CORS)."
    )

    publish_dir: Path = Field(
        WORK_DIR / "build" / "publish",
        description="Where `samkart publish` writes (and the service reads) dumps, catalogue, VoID and ontology docs.",
    )
    public_base_url: str | None = Field(
        None,
        description="Public URL of the deployed service, ending in '/'; the catalogue's endpoint and download URLs start "
        "with it.",
    )
    publisher_name: str | None = Field(None, description="Catalogue publisher's name (foaf:name).")
    publisher_orgnr: str | None = Field(
        None, description="Publisher's organisation number (9 digits); gives the Enhetsregisteret publisher IRI. Never guessed."
    )
    publisher_iri: str | None = Field(None, description="Publisher IRI, when no organisation number is given.")
    contact_name: str | None = Field(None, description="Catalogue contact point's name (vcard:fn).")
    contact_email: str | None = Field(None, description="Catalogue contact point's e-mail address (vcard:hasEmail).")
    licence: str | None = Field(
        None, description="Licence IRI of the dataset and its distributions (an EU licence IRI, e.g. …/licence/CC_BY_4_0)."
    )
    catalog_issued: str | None = Field(None, description="dct:issued of the catalogue and dataset (YYYY-MM-DD).")
    catalog_modified: str | None = Field(None, description="dct:modified of the catalogue and dataset (YYYY-MM-DD).")

    @field_validator("store_dir", mode="before")
    @classmethod
    def _empty_means_none(cls, value: object) -> object:
        """``SAMKART_STORE_DIR=`` (empty) means no on-disk store, as documented, not the current folder."""
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def data_dir(self) -> Path:
        """The data/ folder."""
        return self.project_dir / "data"

    @property
    def ontology_dir(self) -> Path:
        """The ontology/ folder."""
        return self.project_dir / "ontology"

    @property
    def shapes_dir(self) -> Path:
        """The shapes/ folder."""
        return self.project_dir / "shapes"

    @property
    def queries_dir(self) -> Path:
        """The queries/ folder."""
        return self.project_dir / "queries"
