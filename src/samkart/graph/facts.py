"""Fact files (curated and extracted YAML): reading and checking them against the registry."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samkart.errors import InputError
from samkart.yamlio import line_of, load_yaml, strip_lines

from .registry import Registry

FACT_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    # kind: (required fields, optional fields); every kind also needs `lines` and may have `note`
    "participation": ({"subject", "org", "role"}, {"start", "end"}),
    "membership": ({"body", "member", "role"}, set()),
    "subordinate": ({"org", "parent"}, set()),
    "part-of": ({"part", "whole"}, set()),
    "period": ({"item"}, {"start", "end"}),
    "change": ({"type", "from", "to"}, {"date"}),
    "grouped-by": ({"service", "life-event"}, set()),
    "relation": ({"from", "rel", "to"}, set()),
    "focus-area": ({"item", "area"}, set()),
    "status": ({"item", "status"}, set()),
    "sector": ({"item", "sector"}, set()),
    "goal": ({"plan", "goal"}, set()),
    "responsibility": ({"org", "for", "kind"}, set()),
    "instrument": ({"instrument", "to"}, {"by"}),
    "proposal": ({"proposal"}, {"by", "for"}),
    "established": ({"item"}, {"by", "date"}),
    "decision": ({"by", "item"}, {"date"}),
    "appropriation": ({"item", "amount", "currency"}, {"year", "by"}),
    "award": ({"item", "award"}, {"year"}),
    "supplier": ({"supplier", "customer"}, {"of"}),
}
"""Fact kinds and their fields."""

REFERENCE_FIELDS = {"subject", "org", "body", "member", "parent", "part", "whole", "item",
                    "from", "to", "service", "life-event", "area", "plan", "goal", "for", "instrument",
                    "by", "proposal", "award", "supplier", "customer", "of"}
"""Fields whose values are entity ids (or lists of them)."""


@dataclass
class Fact:
    """One fact stated by one document at a line span."""

    kind: str
    values: dict[str, Any]
    document: str
    lines: tuple[int, int]
    note: str | None
    origin: str


@dataclass
class FactFile:
    """One YAML file of facts about one document."""

    path: Path
    document: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    skips: dict[int, str] = field(default_factory=dict)


def _parse_lines(value: Any, where: str, line_count: int | None) -> tuple[int, int]:
    path, line = where.rsplit(":", 1)
    ok = isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)
    if not ok or not 1 <= value[0] <= value[1]:
        raise InputError(f"'lines' must be [first, last] with 1 <= first <= last, got {value!r}", path, int(line))
    if line_count is not None and value[1] > line_count:
        raise InputError(f"lines {value} go past the end of the document ({line_count} lines)", path, int(line))
    return value[0], value[1]


def _parse_fact(raw: dict[str, Any], document: str, path: Path, line_count: int | None) -> Fact:
    where = f"{path}:{line_of(raw)}"
    kinds = [k for k in raw if k in FACT_FIELDS]
    if len(kinds) != 1 or not isinstance(raw[kinds[0]], dict):
        raise InputError(f"a fact is one of {sorted(FACT_FIELDS)} with a mapping of fields", str(path), line_of(raw))
    kind = kinds[0]
    body = raw[kind]
    required, optional = FACT_FIELDS[kind]
    fields = set(body) - {"__line__", "lines", "note"}
    missing, extra = required - fields, fields - required - optional
    if missing or extra or "lines" not in body:
        if missing or "lines" not in body:
            problem = f"missing {sorted(missing | ({'lines'} - set(body)))}"
        else:
            problem = f"unknown {sorted(extra)}"
        raise InputError(f"{kind} fact: {problem}; fields are {sorted(required)} + lines", str(path), line_of(raw))
    values = strip_lines({k: v for k, v in body.items() if k not in ("lines", "note")})
    return Fact(kind, values, document, _parse_lines(body["lines"], where, line_count), body.get("note"), where)


def load_fact_file(path: Path, line_counts: dict[str, int | None]) -> FactFile:
    """Read one fact file; its ``document`` must be a known document id."""
    data = load_yaml(path) or {}
    document = data.get("document") if isinstance(data, dict) else None
    if document not in line_counts:
        raise InputError(f"'document:' must be one of {sorted(line_counts)}, got {document!r}", str(path))
    skips = {}
    for raw in data.get("extract-skip") or []:
        if not isinstance(raw, dict) or not isinstance(raw.get("line"), int) or not raw.get("reason"):
            raise InputError("an extract-skip entry is {line: N, reason: \"…\"}", str(path), line_of(raw))
        skips[raw["line"]] = str(raw["reason"])
    facts = [_parse_fact(raw, document, path, line_counts[document]) for raw in data.get("facts") or []]
    return FactFile(path, document, data.get("entities") or [], facts, skips)


def fact_files(data_dir: Path) -> list[Path]:
    """Every extracted and curated fact file, in a fixed order."""
    return sorted((data_dir / "extracted").glob("*.yaml")) + sorted((data_dir / "curated").glob("*.yaml"))


def referenced_ids(fact: Fact) -> list[str]:
    """The entity ids a fact refers to."""
    ids: list[str] = []
    for key in REFERENCE_FIELDS & set(fact.values):
        value = fact.values[key]
        ids.extend(value if isinstance(value, list) else [value])
    return ids


def check_references(files: list[FactFile], registry: Registry) -> None:
    """Every id a fact names must be in the registry (no dangling references)."""
    for file in files:
        for fact in file.facts:
            for entity_id in referenced_ids(fact):
                if not isinstance(entity_id, str) or entity_id not in registry:
                    path, line = fact.origin.rsplit(":", 1)
                    raise InputError(
                        f"{fact.kind} fact names '{entity_id}', which is not in the registry; "
                        "declare it in data/registry/ or in this file's entities:", path, int(line))
