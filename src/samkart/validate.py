"""`samkart validate`: SHACL over the built graph, with a report people can read and machines can parse."""

from dataclasses import asdict, dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import PROV, SKOS

from .build import FORMATS
from .errors import SamkartError
from .namespaces import SH

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
class Finding:
    """One SHACL result, with the focus node's label and source documents for people."""

    severity: str
    focus: str
    label: str
    path: str
    message: str
    shape: str
    sources: list[str]


def load_shapes(shapes_dir: Path) -> Graph:
    """Every ``shapes/*.ttl`` file in one graph."""
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def union_graph(ds: Dataset) -> Graph:
    """All named graphs of a dataset merged into one graph, prefixes kept (SHACL has no dataset semantics)."""
    merged = Graph()
    for prefix, namespace in ds.namespaces():
        merged.bind(prefix, namespace, override=True)
    for graph in ds.graphs():
        for triple in graph:
            merged.add(triple)
    return merged


def run_shacl(data: Graph, shapes: Graph) -> list[Finding]:
    """Validate ``data`` with ``shapes`` (no inference: types must be explicit) and list the findings."""
    _conforms, report, text = shacl_validate(data, shacl_graph=shapes, inference="none",
                                             advanced=True, allow_warnings=True)
    if not isinstance(report, Graph):
        raise SamkartError(f"the shapes could not be applied: {text}")
    findings = [_finding(report, result, data) for result in report.objects(None, SH.result)]
    return sorted(findings, key=lambda f: (f.severity, f.shape, f.focus, f.path, f.message))


def _finding(report: Graph, result, data: Graph) -> Finding:
    focus = report.value(result, SH.focusNode)
    label = data.value(focus, SKOS.prefLabel) if isinstance(focus, URIRef) else None
    sources = sorted(str(s) for s in data.objects(focus, PROV.wasDerivedFrom))
    severity = SEVERITIES.get(report.value(result, SH.resultSeverity), str(report.value(result, SH.resultSeverity)))
    path = report.value(result, SH.resultPath)
    return Finding(severity, str(focus), str(label or ""), str(path or ""),
                   str(report.value(result, SH.resultMessage) or ""), _shape_of(report, result), sources)


def _shape_of(report: Graph, result) -> str:
    """The constraint that fired: the SPARQL constraint where there is one, else the source shape."""
    return str(report.value(result, SH.sourceConstraint) or report.value(result, SH.sourceShape) or "")


def violations(findings: list[Finding]) -> list[Finding]:
    """Only the findings that fail the build."""
    return [f for f in findings if f.severity == "Violation"]


def as_text(findings: list[Finding]) -> str:
    """A report for people: one block per finding, then a summary line."""
    blocks = []
    for f in findings:
        name = f"{f.label} <{f.focus}>" if f.label else f"<{f.focus}>"
        where = f" (path {f.path})" if f.path else ""
        source = f"\n    source: {', '.join(f.sources)}" if f.sources else ""
        blocks.append(f"{f.severity}: {name}{where}\n    {f.message}{source}")
    count = lambda s: sum(1 for f in findings if f.severity == s)
    blocks.append(f"{count('Violation')} violations, {count('Warning')} warnings, {count('Info')} infos")
    return "\n".join(blocks)


def as_json(findings: list[Finding]) -> dict:
    """A report for machines."""
    return {"conforms": not violations(findings), "results": [asdict(f) for f in findings]}


def validate_file(path: Path, shapes_dir: Path, engine: str = "fast") -> list[Finding]:
    """SHACL findings for a dataset file (TriG or N-Quads): the union of its graphs against the shapes.

    ``fast`` compiles our shapes to SPARQL run on pyoxigraph (:mod:`samkart.fastshacl`; the same
    findings as pyshacl, proven by tests, 30–60× faster); ``pyshacl`` is the reference implementation.
    """
    if engine == "fast":
        from .fastshacl import validate_path

        check_dataset_path(path)  # the fast loader takes any RDF file; validation wants a dataset
        return validate_path(path, shapes_dir)
    return run_shacl(union_graph(read_dataset(path)), load_shapes(shapes_dir))  # read_dataset checks it


def check_dataset_path(path: Path) -> None:
    """A clear error unless ``path`` is an existing TriG (.trig) or N-Quads (.nq) file."""
    if path.suffix not in FORMATS:
        raise SamkartError(f"'{path}' is not a TriG (.trig) or N-Quads (.nq) file; give the dataset with its named graphs")
    if not path.is_file():
        raise SamkartError(f"'{path}' does not exist")


def read_dataset(path: Path) -> Dataset:
    """A TriG or N-Quads file as an rdflib dataset (its named graphs kept); a clear error for anything else."""
    check_dataset_path(path)
    ds = Dataset()
    try:
        ds.parse(path, format=FORMATS[path.suffix])
    except Exception as exc:  # rdflib's parsers raise many types; any of them means the file is not valid
        raise SamkartError(f"cannot read '{path}': {type(exc).__name__}: {exc}") from None
    return ds
