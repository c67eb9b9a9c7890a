"""The store interface: an embedded pyoxigraph store or a remote SPARQL 1.1 endpoint, same results."""

from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from samkart.errors import QueryError, UpstreamError
from samkart.formats import by_key
from samkart.namespaces import PREFIXES, sparql_prefixes

from .guards import query_form
from .results import Answer, Raw
from .store import EmbeddedStore, bulk_load, short_parser_message
from .syntax import describe_syntax_error, parser_position
from .terms import substitute

Bindings = dict[str, "ox.NamedNode | ox.Literal"]
ENGINE_MS: ContextVar[float | None] = ContextVar("samkart_engine_ms", default=None)
"""Milliseconds the last query run in this context took inside the engine (in its worker process, or in this
one for a known-cheap repeat: the engine and writing the result, without the pipe): the service reports it as
Server-Timing ``engine``."""
LAST_QUERY: ContextVar[tuple[str, dict] | None] = ContextVar("samkart_last_query", default=None)
"""The exact query (text with its bindings, dataset options) the pooled backend last ran in this context:
the web layer keeps it with the cached answer, to run it again in-process when it is known to be cheap."""


@dataclass
class Dataset:
    """The RDF dataset of a request (SPARQL protocol default-graph-uri / named-graph-uri)."""

    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)


class Backend(Protocol):
    """What the service needs from a store."""

    def query(self, sparql: str, bindings: Bindings | None = None, dataset: Dataset | None = None,
              max_rows: int | None = None, base_iri: str | None = None) -> Answer:
        """Run a read-only query; returns pyoxigraph QuerySolutions, QueryBoolean or QueryTriples (or, from
        worker processes, a result already materialised under ``max_rows``, default the service's cap).
        ``base_iri`` resolves relative IRIs in the query (the protocol's service-defined base)."""

    def graph_names(self) -> list[str]:
        """The named graphs the store holds."""

    def describe(self) -> str:
        """A short description for /health: what kind of store and how large, never a file path or host."""


class EmbeddedBackend:
    """pyoxigraph in-process; the default graph is the union of the named graphs."""

    def __init__(self, store: EmbeddedStore, source: str):
        self.store = store
        self.source = source

    @classmethod
    def from_files(cls, paths: list[Path], huge_pages: bool = False) -> "EmbeddedBackend":
        """Load one or more dataset files (any format pyoxigraph reads, by extension) in subject order
        (:mod:`.layout`); with ``huge_pages``, then move the process's loaded memory into huge pages
        (:mod:`.hugepages`)."""
        from .layout import load_in_subject_order

        store = EmbeddedStore()
        if not load_in_subject_order(store.store, paths):
            store = EmbeddedStore()
            bulk_load(store.store, paths)  # raises the parser's error, with its position in the file
        if huge_pages:
            from .hugepages import back_with_huge_pages

            back_with_huge_pages()
        return cls(store, ", ".join(str(p) for p in paths))

    def query(self, sparql: str, bindings: Bindings | None = None, dataset: Dataset | None = None,
              max_rows: int | None = None, base_iri: str | None = None) -> Answer:
        return self.store.query(substitute(sparql, bindings or {}), **dataset_options(dataset, base_iri))

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.store.named_graphs())

    def quads(self) -> int:
        """How many quads the store holds (counting scans it, so once: the service's store is read-only)."""
        if getattr(self, "_quads", None) is None:
            self._quads = len(self.store)
        return self._quads

    def describe(self) -> str:
        return f"embedded pyoxigraph ({self.quads()} quads from {files(self.source)})"


def files(source: str) -> str:
    """How many data files a source list names (``a.nq, b.trig``), without their paths."""
    count = len(source.split(", ")) if source else 0
    return f"{count} data file{'s' if count != 1 else ''}"


def dataset_options(dataset: Dataset | None, base_iri: str | None = None) -> dict[str, Any]:
    """pyoxigraph query options for a protocol dataset and base IRI (plain values, so they can go to a worker);
    without a dataset, the union default graph."""
    options: dict[str, Any] = {"base_iri": base_iri} if base_iri else {}
    if dataset and (dataset.default_graphs or dataset.named_graphs):
        return {**options, "default_graph": [ox.NamedNode(g) for g in dataset.default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs]}
    return {**options, "use_default_graph_as_union": True}


class ByteCap(Protocol):
    """The byte cap of a written answer (:class:`samkart.sparql.workers.Limits`; 0: none)."""

    @property
    def max_bytes(self) -> int: ...


class Pool(Protocol):
    """What a pooled backend uses of its worker processes (:class:`samkart.sparql.workers.QueryPool`)."""

    size: int
    max_rows: int

    @property
    def limits(self) -> ByteCap: ...

    def run(self, sparql: str, options: dict[str, Any], timeout: float, max_rows: int | None = None,
            format_key: str | None = None) -> Answer: ...

    def write(self, kind: str, payload: bytes, format_key: str, timeout: float) -> bytes: ...

    def close(self) -> None: ...


class Lane(Protocol):
    """What a pooled backend uses of its in-process lane (:class:`samkart.sparql.inprocess.LocalLane`)."""

    def run(self, sparql: str, options: dict[str, Any], max_rows: int, max_bytes: int,
            format_key: str | None) -> tuple[Answer, float] | None: ...

    def remember(self, sparql: str, options: dict[str, Any], engine_ms: float | None, result: Answer) -> None: ...


class PooledBackend(EmbeddedBackend):
    """The embedded engine in worker processes (see :mod:`samkart.sparql.workers`): runaway queries are killed.
    The server process keeps the store open read-only for metadata (graph names, size)."""

    timeout_grace = 1.0  # the pool stops a query itself at the deadline; the web layer waits this much longer

    def __init__(self, pool: Pool, store: EmbeddedStore, source: str, timeout: float, lane: Lane | None = None):
        super().__init__(store, source)
        self.pool = pool
        self.timeout = timeout
        self.lane = lane  # samkart.sparql.inprocess.LocalLane: repeats of queries known to be cheap, run here

    def query(self, sparql: str, bindings: Bindings | None = None, dataset: Dataset | None = None,
              max_rows: int | None = None, base_iri: str | None = None, format_key: str | None = None) -> Answer:
        """The result from a worker process (or, for the repeat of a query known to be cheap, from this one);
        with ``format_key``, its body in that format is written there too."""
        options = dataset_options(dataset, base_iri)
        text = substitute(sparql, bindings or {})
        LAST_QUERY.set((text, options))
        if self.lane is not None:
            here = self.lane.run(text, options, max_rows or self.pool.max_rows, self.pool.limits.max_bytes, format_key)
            if here is not None:
                ENGINE_MS.set(here[1])
                return here[0]
        result = self.pool.run(text, options, self.timeout, max_rows, format_key)
        if self.lane is not None:
            self.lane.remember(text, options, ENGINE_MS.get(), result)
        return result

    def write(self, kind: str, payload: bytes, format_key: str) -> bytes:
        """A materialised result written in another format by a worker process (killed at the deadline)."""
        return self.pool.write(kind, payload, format_key, self.timeout)

    def describe(self) -> str:
        return f"embedded pyoxigraph, {self.pool.size} worker processes ({self.quads()} quads from {files(self.source)})"

    def close(self) -> None:
        """Stop the workers (after a reload or at shutdown)."""
        self.pool.close()


MAX_GET_QUERY = 6000
"""Longest URL-encoded query sent with GET (servers commonly accept 8 KB request lines)."""


class RemoteBackend:
    """Any SPARQL 1.1 endpoint, queried with SPARQLWrapper; results parsed back into pyoxigraph terms."""

    def __init__(self, endpoint: str, timeout: float):
        self.endpoint = endpoint
        self.timeout = timeout

    def _wrapper(self, sparql: str, dataset: Dataset | None) -> Any:  # SPARQLWrapper has no type hints
        from urllib.parse import quote

        from SPARQLWrapper import GET, POST, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoint)
        # GET when the query fits in a URL: urllib sends a POST's headers and body in two packets, and the
        # delayed ACK between them cost ~40 ms per query on loopback (measured against Oxigraph server)
        wrapper.setMethod(GET if len(quote(sparql)) <= MAX_GET_QUERY else POST)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: Virtuoso answers 406 to format=xml
        wrapper.setTimeout(int(self.timeout) + 1)
        wrapper.setQuery(sparql)
        for graph in (dataset.default_graphs if dataset else []):
            wrapper.addDefaultGraph(graph)
        for graph in (dataset.named_graphs if dataset else []):
            wrapper.addNamedGraph(graph)
        return wrapper

    def query(self, sparql: str, bindings: Bindings | None = None, dataset: Dataset | None = None,
              max_rows: int | None = None, base_iri: str | None = None) -> Raw | list[ox.Triple]:
        """The remote engine's answer; relative IRIs resolve against its own base (``base_iri`` is not sent)."""
        prologue = sparql_prefixes()
        text = prologue + substitute(sparql, bindings or {})
        asked = (sparql, prologue.count("\n")) if not bindings else None  # to place a syntax error in it
        wrapper = self._wrapper(text, dataset)
        form = wrapper.queryType = query_form(text)  # SPARQLWrapper's own guess reads comments too
        if form in ("CONSTRUCT", "DESCRIBE"):
            wrapper.setReturnFormat("n3")
            wrapper.addCustomHttpHeader("Accept", by_key("ntriples").media_type)
            body = self._fetch(wrapper, asked)
            return _triples(body)
        wrapper.addCustomHttpHeader("Accept", by_key("json").media_type)
        body = self._fetch(wrapper, asked)
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def _fetch(self, wrapper: Any, asked: tuple[str, int] | None = None) -> bytes:
        from urllib.error import HTTPError, URLError

        try:
            response = wrapper.query().response
            return response.read()
        except HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            if exc.code == 400:
                raise QueryError(f"the SPARQL engine refused the query: {readable(detail, asked)}") from None
            raise UpstreamError(f"the SPARQL engine answered {exc.code}: {short_parser_message(detail)}") from None
        except (URLError, OSError, TimeoutError) as exc:
            raise UpstreamError(f"cannot reach the SPARQL engine at {self.endpoint}: {exc}") from None
        except Exception as exc:  # SPARQLWrapper wraps HTTP errors in its own exception types
            name = type(exc).__name__
            if name in ("QueryBadFormed",):
                raise QueryError(f"the SPARQL engine refused the query: {readable(str(exc), asked)}") from None
            raise UpstreamError(f"the SPARQL engine failed: {name}") from None

    def graph_names(self) -> list[str]:
        # GROUP BY, not DISTINCT: Virtuoso answers DISTINCT ?g from its graph list, slowly and past graph permissions
        rows = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        if not isinstance(rows, ox.QuerySolutions):
            raise UpstreamError("the SPARQL engine answered a SELECT query with something other than rows")
        return [g.value for row in rows if (g := row["g"]) is not None]

    def describe(self) -> str:
        return "remote SPARQL 1.1 endpoint"


def readable(detail: str, asked: tuple[str, int] | None) -> str:
    """An engine's error message; a parser position in the query asked (Oxigraph's ``error at L:C``,
    after a prologue of ``asked[1]`` lines) said as line, column and caret."""
    if asked is None or parser_position(detail) is None:
        return short_parser_message(detail)
    return describe_syntax_error(asked[0], detail, sorted(PREFIXES), skipped_lines=asked[1])


def _triples(body: bytes) -> "RemoteTriples":
    """Triples from an N-Triples body, as a list pyoxigraph can serialise."""
    return RemoteTriples(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)))


class RemoteTriples(list[ox.Triple]):
    """CONSTRUCT/DESCRIBE results from a remote engine (a list of pyoxigraph triples)."""
