"""The reference SHACL engine: pyshacl over an rdflib graph."""

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, SKOS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from samkart.errors import SamkartError
from samkart.namespaces import SH

from .findings import SEVERITIES, Finding

_PATCH_LOCK = threading.Lock()


@lru_cache(maxsize=512)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...]) -> Query:
    """A SPARQL text parsed and translated once per process (rdflib's ``prepareQuery`` path)."""
    return translateQuery(parseQuery(text), base, dict(namespaces))


@contextmanager
def _each_query_parsed_once() -> Iterator[None]:
    """While pyshacl runs: rdflib parses a SPARQL text at every call, and pyshacl runs each SPARQL constraint
    once per focus node (13 parses, 0.3 s, for the 30 nodes of a test fixture). Here each text is parsed once
    per process and its translated :class:`Query` reused, as rdflib's own ``prepareQuery`` results are (the
    Query holds no bindings; each call passes its own). The findings are unchanged: tests compare them with
    ours. Not a library: neither pyshacl nor rdflib offers a cache of parsed queries."""
    original = SPARQLProcessor.query

    def query(self: SPARQLProcessor, str_or_query: str | Query, initBindings: Mapping | None = None,  # noqa: N803
              initNs: Mapping[str, Any] | None = None, base: str | None = None, DEBUG: bool = False) -> Mapping:  # noqa: N803
        if isinstance(str_or_query, str):
            str_or_query = _prepared(str_or_query, base, tuple(sorted((initNs or {}).items())))
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    patched: Callable[..., Mapping] = query
    with _PATCH_LOCK:
        SPARQLProcessor.query = patched  # type: ignore[method-assign]
        try:
            yield
        finally:
            SPARQLProcessor.query = original  # type: ignore[method-assign]


def run_shacl(data: Graph, shapes: Graph) -> list[Finding]:
    """Validate ``data`` with ``shapes`` (no inference: types must be explicit) and list the findings."""
    with _each_query_parsed_once():
        _conforms, report, text = shacl_validate(data, shacl_graph=shapes, inference="none",
                                                 advanced=True, allow_warnings=True)
    if not isinstance(report, Graph):
        raise SamkartError(f"the shapes could not be applied: {text}")
    findings = [_finding(report, result, data) for result in report.objects(None, SH.result)]
    return sorted(findings, key=lambda f: (f.severity, f.shape, f.focus, f.path, f.message))


def _finding(report: Graph, result: Node, data: Graph) -> Finding:
    focus = report.value(result, SH.focusNode)
    label = data.value(focus, SKOS.prefLabel) if isinstance(focus, URIRef) else None
    sources = sorted(str(s) for s in data.objects(focus, PROV.wasDerivedFrom))
    sev = report.value(result, SH.resultSeverity)
    severity = SEVERITIES.get(sev, str(sev)) if isinstance(sev, URIRef) else str(sev)
    path = report.value(result, SH.resultPath)
    return Finding(severity, str(focus), str(label or ""), str(path or ""),
                   str(report.value(result, SH.resultMessage) or ""), _shape_of(report, result), sources)


def _shape_of(report: Graph, result: Node) -> str:
    """The constraint that fired: the SPARQL constraint where there is one, else the source shape."""
    return str(report.value(result, SH.sourceConstraint) or report.value(result, SH.sourceShape) or "")
