"""Fast SHACL validation: our shapes compiled to SPARQL (:mod:`samkart.shacl.compiler`) and run on a pyoxigraph store.

Same findings as :func:`samkart.shacl.reference.run_shacl` (pyshacl), in a fraction of the time: each constraint
of a shape becomes one query over all its focus nodes (never one query per node), evaluated on the union
of the store's graphs. The queries run on a few threads at once: pyoxigraph releases Python's lock while
it evaluates one, so each thread keeps a core busy.
"""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, SKOS

from samkart.errors import SamkartError
from samkart.sparql.results import Term
from samkart.sparql.store import ox_triple

from .compiler import Check, compile_shapes
from .findings import Finding
from .inputs import load_shapes
from .loading import LENIENT_FROM_BYTES, load_for_validation

__all__ = ["load_store", "store_from_graph", "validate_path", "validate_store"]


FocusRow = tuple[Term | None, str, str]
"""One violation of a check: the focus node, the path and the message."""


def _text(term: Term | None) -> str:
    """A pyoxigraph term as rdflib's ``str()`` would render it."""
    return "" if term is None else term.value


def run_check(store: ox.Store, check: Check) -> list[FocusRow]:
    """(focus term, path, message) per violation of one check."""
    rows = store.query(check.query, use_default_graph_as_union=True)
    if not isinstance(rows, ox.QuerySolutions):  # never: every check is a SELECT
        raise SamkartError(f"the check of {check.source} is not a SELECT query")
    if not check.sparql:
        return [(row["this"], check.path, check.message) for row in rows]
    out: list[FocusRow] = []
    seen: set[tuple[tuple[str, str], ...]] = set()
    for row in rows:
        binds = {v.value: row[v] for v in rows.variables if row[v] is not None}
        if "failure" in binds:
            raise SamkartError(f"SPARQL constraint {check.source} reported a failure")
        key = tuple(sorted((k, str(t)) for k, t in binds.items()))
        if key in seen:
            continue
        seen.add(key)
        message = check.message
        for name, term in binds.items():
            message = re.sub(rf"\{{[?$]{re.escape(name)}\}}", _text(term).replace("\\", "\\\\"), message)
        out.append((binds.get("this"), _text(binds.get("path")) or check.path, message))
    return out


def _label_and_sources(store: ox.Store, focus: Term | None) -> tuple[str, list[str]]:
    """As validate._finding: a prefLabel of an IRI focus (the @nb one first) and its source documents."""
    if not isinstance(focus, (ox.NamedNode, ox.BlankNode)):
        return "", []

    def objects(p: URIRef) -> set[Term]:
        quads = store.quads_for_pattern(focus, ox.NamedNode(str(p)), None)
        return {q.object for q in quads if not isinstance(q.object, ox.Triple)}  # no RDF-star quoted triples

    labels = sorted(objects(SKOS.prefLabel), key=lambda t: (getattr(t, "language", None) != "nb", _text(t)))
    label = _text(labels[0]) if labels and isinstance(focus, ox.NamedNode) else ""
    return label, sorted(_text(s) for s in objects(PROV.wasDerivedFrom))


def validate_store(store: ox.Store, shapes: Graph, threads: int = 0) -> list[Finding]:
    """SHACL findings for the union of the store's graphs, sorted as :func:`samkart.shacl.reference.run_shacl`;
    the checks run on ``threads`` threads at once (0: one per CPU core)."""
    checks = compile_shapes(store, shapes)
    with ThreadPoolExecutor(max_workers=threads or os.cpu_count() or 1) as pool:
        results = list(pool.map(lambda check: run_check(store, check), checks))
    findings = []
    for check, rows in zip(checks, results, strict=True):
        for focus, path, message in rows:
            label, sources = _label_and_sources(store, focus)
            findings.append(Finding(check.severity, _text(focus), label, path, message, check.source, sources))
    return sorted(findings, key=lambda f: (f.severity, f.shape, f.focus, f.path, f.message))


def load_store(path: Path, lenient_from: int = LENIENT_FROM_BYTES) -> ox.Store:
    """A dataset file (format from its extension) loaded into an in-memory store (files of at least
    ``lenient_from`` bytes leniently, checked by a strict pass on another core: :mod:`samkart.shacl.loading`)."""
    return load_for_validation(Path(path), lenient_from)


def store_from_graph(graph: Graph) -> ox.Store:
    """An in-memory store holding an rdflib graph's triples (blank node ids kept)."""
    store = ox.Store()
    store.extend([ox.Quad(*ox_triple(s, p, o)) for s, p, o in graph])
    return store


def validate_path(path: Path, shapes_dir: Path, threads: int = 0, lenient_from: int = LENIENT_FROM_BYTES,
                  keep: list[object] | None = None) -> list[Finding]:
    """SHACL findings for a dataset file (TriG or N-Quads), loaded into an in-memory store as :func:`load_store`
    loads it; ``threads`` as :func:`validate_store`. With ``keep``, the store is appended to it instead of
    being freed on return (a command about to exit leaves that to the operating system)."""
    store = load_store(path, lenient_from)
    if keep is not None:
        keep.append(store)
    return validate_store(store, load_shapes(shapes_dir), threads)
