"""The reference SHACL engine: pyshacl over an rdflib graph."""

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, SKOS
from rdflib.term import Node

from samkart.errors import SamkartError
from samkart.namespaces import SH

from .findings import SEVERITIES, Finding


def run_shacl(data: Graph, shapes: Graph) -> list[Finding]:
    """Validate ``data`` with ``shapes`` (no inference: types must be explicit) and list the findings."""
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
