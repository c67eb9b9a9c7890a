"""Named queries: `queries/*.rq` files with a grlc `#+` YAML header, parameters bound as RDF terms."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from samkart.errors import InputError, ParameterError

from .terms import iri_term, literal_term

PARAMETER = re.compile(r"[?$](__?)([A-Za-z0-9]+)(?:_(iri|literal|integer|number|[a-z]{2}))?(?![A-Za-z0-9_])")
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


@dataclass(frozen=True)
class Parameter:
    """One API parameter, from a ``?_name_type`` (required) or ``?__name_type`` (optional) variable."""

    name: str
    variable: str
    required: bool
    kind: str  # iri, literal, integer or a language tag
    description: str = ""

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a raw value; entity (IRI) parameters are resolved elsewhere when given a label."""
        if self.kind == "iri":
            return iri_term(value, self.name)
        if self.kind in ("integer", "number"):
            if not re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
                raise ParameterError(f"parameter '{self.name}' must be a whole number")
            return literal_term(value.strip(), self.name, datatype=XSD_INTEGER)
        if self.kind == "literal":
            return literal_term(value, self.name)
        return literal_term(value, self.name, language=self.kind)


@dataclass
class NamedQuery:
    """One `.rq` file: metadata from its header, parameters from its variables."""

    name: str
    path: Path
    text: str
    summary: str
    description: str
    tags: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    enumerate: dict[str, list[str]] = field(default_factory=dict)
    parameters: list[Parameter] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; an unknown name is a 400 listing the known ones."""
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise ParameterError(f"query '{self.name}' has no parameter '{name}' (its parameters: {known})")


def split_header(text: str) -> tuple[str, str]:
    """The ``#+`` header lines (without the marker) and the query body."""
    header = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#+"))
    return "\n".join(header), body


def _mapping_list(value: object) -> dict[str, Any]:
    """grlc writes defaults/enumerate as a list of one-key mappings; accept a mapping too."""
    if isinstance(value, dict):
        return value
    merged: dict[str, Any] = {}
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            merged.update(item)
    return merged


def parse_query_file(path: Path) -> NamedQuery:
    """Read one query file; a header that is not valid YAML, or lacks summary/description, is an error."""
    text = path.read_text(encoding="utf-8")
    header_text, body = split_header(text)
    try:
        header = yaml.safe_load(header_text) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"the #+ header is not valid YAML: {exc}", str(path)) from None
    if not isinstance(header, dict) or not header.get("summary") or not header.get("description"):
        raise InputError("the #+ header needs 'summary' and 'description'", str(path))
    docs = header.get("x-parameters") or {}
    params: dict[str, Parameter] = {}
    for optional, name, kind in PARAMETER.findall(body):
        params.setdefault(name, Parameter(name, f"{optional}{name}" + (f"_{kind}" if kind else ""),
                                          optional == "_", kind or "literal", str(docs.get(name, ""))))
    variables = projected_variables(body)
    return NamedQuery(path.stem, path, text, str(header["summary"]), str(header["description"]).strip(),
                      list(header.get("tags") or []), {k: str(v) for k, v in _mapping_list(header.get("defaults")).items()},
                      {k: [str(x) for x in v] for k, v in _mapping_list(header.get("enumerate")).items()},
                      list(params.values()), variables)


def projected_variables(body: str) -> list[str]:
    """Names of the variables a SELECT returns, in order (``(expr AS ?v)`` counts as ``?v``)."""
    found = re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:FROM\b|WHERE\b|\{)", body, re.S | re.I)
    if not found:
        return []
    projection = found.group(1)
    nested = r"\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*?\s+AS\s+\?(\w+)\s*\)"
    projection = re.sub(nested, lambda m: f"?{m.group(1)}", projection, flags=re.I | re.S)
    return re.findall(r"\?(\w+)", projection)


def load_queries(queries_dir: Path) -> dict[str, NamedQuery]:
    """Every ``queries/*.rq`` by name (the file stem); the registry the service looks names up in."""
    return {path.stem: parse_query_file(path) for path in sorted(queries_dir.glob("*.rq"))}
