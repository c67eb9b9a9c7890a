"""The read-only SPARQL service behind every route: guards, named queries, label lookup, descriptions."""

import functools
import re
import secrets
import threading

import pyoxigraph as ox

from samkart.errors import NotFound, ParameterError, QueryError
from samkart.formats import Format
from samkart.namespaces import ONTOLOGY_GRAPH
from samkart.slugs import normalise_name

from .backends import Backend, Bindings, Dataset, PooledBackend
from .cache import ResultCache
from .guards import code_only, from_clauses, query_form, targets, without_spans  # noqa: F401  (query_form: API)
from .negotiation import serialise
from .queries import NamedQuery
from .results import Result, Table, as_table, as_triples, materialise_result
from .store import DEFAULT_PREFIXES, written
from .terms import iri_term, literal_term, looks_like_iri
from .workerprocess import checked

UPDATE_KEYWORDS = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)
PROLOGUE = re.compile(r"^\s*(PREFIX\s*[^\s:<>]*:\s*<>|BASE\s*<>)", re.I)
# the keyword, whatever follows it ("SERVICESILENT<x>" runs in pyoxigraph), unless it starts a prefix name
SERVICE_CLAUSE = re.compile(r"(?<![?$:\w-])SERVICE(?![\w.-]*:)", re.I)
EMPTY_GRAPH = "urn:x-samkart:empty-graph"
"""Stands for a graph the store does not hold in the dataset handed to the engine: no graph has this name,
so it is empty, and no engine can fetch a ``urn:``."""
LABELS = """SELECT ?s ?l WHERE { ?s skos:prefLabel|skos:altLabel|dct:title|foaf:name ?l FILTER(isLiteral(?l)) }"""




QUICK_WRITE = 2_000
"""Rows or triples up to which a result is written in this process when its writer is pyoxigraph's (Rust,
well under a millisecond); larger results and Python writers go to a worker process."""


def quick_to_write(result: Result, fmt: Format) -> bool:
    """True when writing ``result`` in ``fmt`` is cheap enough to do here: a boolean, or a small result with a
    native writer (or the very SPARQL JSON a table already holds)."""
    if isinstance(result, bool) or fmt.media_type in getattr(result, "bodies", {}):
        return True
    if getattr(result, "body", None) is not None and fmt.key == "json":
        return True
    native = isinstance(fmt.engine, ox.RdfFormat | ox.QueryResultsFormat)
    size = result.size_hint() if isinstance(result, Table) else len(result)
    return native and size <= QUICK_WRITE


GUARD_MEMO = 512
"""Query texts whose guard checks are remembered (a named query's text is the same on every request)."""


@functools.lru_cache(maxsize=GUARD_MEMO)  # a refusal raises, and raised calls are not remembered
def check_query_text(text: str, federation: bool, allow: tuple[str, ...] = ()) -> None:
    """Refuse updates and SERVICE (unless federation is on and the endpoint is allowed), saying why."""
    bare = code_only(text)
    while (match := PROLOGUE.match(bare)) is not None:
        bare = bare[match.end():]
    if UPDATE_KEYWORDS.match(bare):
        raise QueryError("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR …) is not accepted")
    if not SERVICE_CLAUSE.search(bare):
        return
    if not federation:
        raise QueryError("federated queries (SERVICE) are disabled on this endpoint")
    services, _ = targets(text, DEFAULT_PREFIXES)
    refused = [s for s in services if s not in allow]
    if refused or not services:
        raise QueryError(f"SERVICE {refused[0] if refused else '(unreadable)'} is not allowed here; this endpoint may "
                         f"call only {', '.join(allow) or 'no endpoint'} (SAMKART_FEDERATION_ALLOW)")


@functools.lru_cache(maxsize=GUARD_MEMO)
def dataset_clauses(text: str) -> tuple[tuple[bool, str, tuple[int, int]], ...]:
    """The query's FROM / FROM NAMED clauses: (named, IRI, span) (remembered per text)."""
    return tuple(from_clauses(text, DEFAULT_PREFIXES))


class SparqlService:
    """Runs queries on a backend with the service's rules; one instance per loaded dataset."""

    def __init__(self, backend: Backend, queries: dict[str, NamedQuery], max_rows: int, federation: bool = False,
                 version: str | None = None, cache_entries: int = 0, cache_bytes: int = 0,
                 federation_allow: tuple[str, ...] = (), max_bytes: int = 0):
        self.backend = backend
        self.queries = queries
        self.max_rows = max_rows
        self.federation = federation
        self.federation_allow = tuple(federation_allow)
        self.max_bytes = max_bytes
        self.version = version or secrets.token_hex(8)  # remote data: a new version per service (reload)
        self.cache = ResultCache(cache_entries, cache_bytes)
        self._labels: dict[str, set[str]] | None = None
        self._graphs: set[str] | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        """Release the backend's resources (worker processes), if it holds any."""
        close = getattr(self.backend, "close", None)
        if close:
            close()

    # -- plain SPARQL ---------------------------------------------------------------------
    def run(self, text: str, dataset: Dataset | None = None, bindings: Bindings | None = None,
            base_iri: str | None = None, format_key: str | None = None) -> Result:
        """A query's result: a materialised Table, a bool, or a list of triples. ``base_iri`` resolves relative
        IRIs in ``text`` (the endpoint's URL at /sparql, as in Oxigraph server). With ``format_key`` and worker
        processes, the answer in that format is written by the worker, inside the deadline, and kept on the
        result (``result.bodies``)."""
        check_query_text(text, self.federation, self.federation_allow)
        text, dataset = self.local_dataset(text, dataset)
        if format_key is not None and isinstance(self.backend, PooledBackend):
            return materialise_result(self.backend.query(text, bindings, dataset, base_iri=base_iri,
                                                         format_key=format_key), self.max_rows)
        result = materialise_result(self.backend.query(text, bindings, dataset, base_iri=base_iri), self.max_rows)
        if isinstance(result, Table) and result.body is not None:
            checked(result.body, self.max_bytes)
        return result

    def write(self, result: Result, fmt: Format) -> bytes:
        """``result`` written in ``fmt``, held to the byte cap. A large result, or one in a format written in
        Python (TriX, RDF/JSON), is written by a worker process when there are workers (killed at the
        deadline); otherwise here (the caller runs this off the event loop)."""
        if isinstance(self.backend, PooledBackend) and not quick_to_write(result, fmt):
            if isinstance(result, Table) and result.body is not None:
                return self.backend.write("table", result.body, fmt.key)
            triples = written(ox.serialize(as_triples(result), format=ox.RdfFormat.N_TRIPLES))
            return self.backend.write("triples", triples, fmt.key)
        return checked(serialise(result, fmt), self.max_bytes)

    def graph_names(self) -> set[str]:
        """Named graphs in the store (cached; the data is read-only between reloads)."""
        if self._graphs is None:
            self._graphs = set(self.backend.graph_names())
        return self._graphs

    def local_dataset(self, text: str, dataset: Dataset | None) -> tuple[str, Dataset | None]:
        """The query and the dataset to run it on, naming only graphs the store holds: nothing is fetched.

        The protocol's dataset wins over FROM / FROM NAMED (SPARQL 1.1 Protocol, 2.1.4). A graph the store
        does not hold is an empty graph, as in Oxigraph and Fuseki: it is left out of the dataset (or
        replaced by :data:`EMPTY_GRAPH` where it was the only one). FROM clauses become the dataset passed
        to the engine and are blanked out of the text, so no engine ever sees a foreign graph's IRI.
        """
        clauses = dataset_clauses(text)
        if any(" " in iri or iri.startswith("?") for _n, iri, _s in clauses):
            return text, dataset  # an undeclared prefix: the engine reports the syntax error
        if dataset is None:
            if not clauses:
                return text, None
            # passed as options too: pyoxigraph's union default graph would otherwise override FROM
            dataset = Dataset([i for n, i, _s in clauses if not n], [i for n, i, _s in clauses if n])
        text = without_spans(text, [span for _n, _i, span in clauses])
        return text, Dataset(self._held(dataset.default_graphs), self._held(dataset.named_graphs))

    def _held(self, graphs: list[str]) -> list[str]:
        """The graphs of ``graphs`` the store holds; :data:`EMPTY_GRAPH` when it holds none of them."""
        held = [g for g in dict.fromkeys(graphs) if g in self.graph_names()]
        return held or ([EMPTY_GRAPH] if graphs else [])

    # -- named queries --------------------------------------------------------------------
    def named(self, name: str) -> NamedQuery:
        """The named query ``name`` (404 when there is none)."""
        query = self.queries.get(name)
        if query is None:
            raise NotFound(f"no named query '{name}'; GET /api/queries lists them")
        return query

    def run_named(self, name: str, params: dict[str, list[str]], format_key: str | None = None) -> Result:
        """Run a named query with its parameters bound as RDF terms (labels resolved to IRIs)."""
        query = self.named(name)
        bindings: Bindings = {}
        for key, values in params.items():
            param = query.parameter(key)
            if len(values) != 1:
                raise ParameterError(f"parameter '{key}' is given {len(values)} times; give it once")
            value = values[0].strip()
            if value == "":
                if param.required:
                    raise ParameterError(f"parameter '{key}' is required and may not be empty")
                continue
            bindings[param.variable] = self.entity(key, value) if param.kind == "iri" else param.term(value)
        missing = [p.name for p in query.parameters if p.required and p.variable not in bindings]
        if missing:
            raise ParameterError(f"query '{name}' needs parameter(s): {', '.join(missing)}")
        return self.run(query.text, bindings=bindings, format_key=format_key)

    def entity(self, name: str, value: str) -> ox.NamedNode:
        """An entity parameter: an IRI as is, or the one entity with that label (any language, any case)."""
        if looks_like_iri(value):
            return iri_term(value, name)
        literal_term(value, name)  # length and character checks
        matches = sorted(self.label_index().get(normalise_name(value), ()))
        if not matches:
            raise ParameterError(f"parameter '{name}': nothing is called '{value}'; give an IRI or an exact name")
        if len(matches) > 1:
            named = ", ".join(matches[:5])
            raise ParameterError(f"parameter '{name}': '{value}' names {len(matches)} things ({named}); give the IRI")
        return ox.NamedNode(matches[0])

    def label_index(self) -> dict[str, set[str]]:
        """Normalised label → IRIs, built once from the store."""
        with self._lock:
            if self._labels is None:
                index: dict[str, set[str]] = {}
                every = 10**9  # all labels, whatever the row cap for answers (workers apply the cap they are given)
                table = as_table(materialise_result(self.backend.query(LABELS, max_rows=every), every))
                for subject, label in table.rows:
                    if isinstance(subject, ox.NamedNode) and label is not None:
                        index.setdefault(normalise_name(label.value), set()).add(subject.value)
                self._labels = index
        return self._labels

    # -- linked data ----------------------------------------------------------------------
    def describe(self, iri: str, format_key: str | None = None) -> list[ox.Triple]:
        """Every triple with ``iri`` as subject or object (404 when there is none); the ontology IRI gives the ontology."""
        node = iri_term(iri, "iri")
        if iri == ONTOLOGY_GRAPH:
            return as_triples(self.run("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                                       bindings={"g": node}, format_key=format_key))
        triples = as_triples(self.run("CONSTRUCT { ?x ?p ?o . ?s ?q ?x } WHERE { { ?x ?p ?o } UNION { ?s ?q ?x } }",
                           bindings={"x": node}, format_key=format_key))
        if not triples:
            raise NotFound(f"nothing is known about <{iri}>")
        return triples

    def labels_of(self, iris: set[str]) -> dict[str, str]:
        """An nb (else any) preferred label for each IRI that has one."""
        if not iris:
            return {}
        values = " ".join(f"<{i}>" for i in sorted(iris) if iri_term(i))
        rows = as_table(self.run(f"""SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }}
            ?s skos:prefLabel|rdfs:label|dct:title ?l }}"""))
        labels: dict[str, str] = {}
        for s, label in rows.rows:
            if s is None or not isinstance(label, ox.Literal):
                continue
            if s.value not in labels or (label.language or "") == "nb":
                labels[s.value] = label.value
        return labels
