"""SHACL findings: one record per result, whichever engine found it, and the reports people and machines read."""

from collections import Counter
from dataclasses import asdict, dataclass

from samkart.namespaces import SH

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
    count = Counter(f.severity for f in findings)
    blocks.append(f"{count['Violation']} violations, {count['Warning']} warnings, {count['Info']} infos")
    return "\n".join(blocks)


def as_json(findings: list[Finding]) -> dict:
    """A report for machines."""
    return {"conforms": not violations(findings), "results": [asdict(f) for f in findings]}
