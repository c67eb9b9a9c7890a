"""The slug registry: every entity once, merged from registry files and curated entity lists."""

from dataclasses import dataclass, field
from pathlib import Path

from samkart.errors import InputError
from samkart.slugs import normalise_name
from samkart.yamlio import line_of, load_yaml

from .model import ENTITY_TYPES, SCHEMED_TYPES

ENTITY_KEYS = {"id", "type", "label", "alt", "en", "note", "match", "plan", "descriptive", "case-sensitive", "__line__"}


@dataclass
class Entity:
    """One real thing with its stable id (``kind/slug``), type and names."""

    id: str
    type: str
    label: str
    alt: list[str] = field(default_factory=list)
    en: str | None = None
    note: str | None = None
    match: list[str] = field(default_factory=list)
    plan: str | None = None
    descriptive: bool = False  # the documents do not name it; the label describes it
    case_sensitive: bool = False  # its names are also ordinary words: a mention only in their own case (coverage)
    origin: str = ""

    def names(self) -> list[str]:
        """Every name this entity can be found by (label, alternatives, extra spellings)."""
        return [self.label, *self.alt, *self.match]


def _entity_from(raw: dict, origin: str) -> Entity:
    """Check one YAML entity entry and turn it into an :class:`Entity`."""
    path, line = origin.rsplit(":", 1)[0], line_of(raw)
    if not isinstance(raw, dict):
        raise InputError("an entity entry must be a mapping with id, type and label", path, line)
    unknown = set(raw) - ENTITY_KEYS
    if unknown:
        raise InputError(f"unknown entity key(s) {sorted(unknown)}; allowed: {sorted(ENTITY_KEYS - {'__line__'})}", path, line)
    for key in ("id", "type", "label"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise InputError(f"entity needs a non-empty '{key}'", path, line)
    etype = ENTITY_TYPES.get(raw["type"])
    if etype is None:
        raise InputError(f"unknown entity type '{raw['type']}'; use one of {sorted(ENTITY_TYPES)}", path, line)
    kind, _, slug = raw["id"].partition("/")
    if kind != etype.kind or not slug or "/" in slug:
        raise InputError(f"id '{raw['id']}' must be '{etype.kind}/<slug>' for type '{raw['type']}'", path, line)
    if raw["type"] in SCHEMED_TYPES and not raw.get("plan"):
        raise InputError(f"a {raw['type']} entry needs 'plan:' (the plan whose {raw['type']} it is)", path, line)
    lists = {k: [str(v) for v in (raw.get(k) or [])] for k in ("alt", "match")}
    return Entity(raw["id"], raw["type"], raw["label"].strip(), lists["alt"], raw.get("en"),
                  raw.get("note"), lists["match"], raw.get("plan"), bool(raw.get("descriptive")),
                  bool(raw.get("case-sensitive")), f"{path}:{line}")


class Registry:
    """All entities by id, with lookup by any of their names."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}

    def add_entries(self, entries: list, path: Path) -> None:
        """Merge a list of YAML entity entries read from ``path``."""
        if not isinstance(entries, list):
            raise InputError("the entity list must be a YAML list", str(path))
        for raw in entries:
            self.add(_entity_from(raw, f"{path}:{line_of(raw)}"))

    def add(self, entity: Entity) -> None:
        """Add an entity; a second declaration of the same id must agree on label and type."""
        known = self.entities.get(entity.id)
        if known is None:
            self.entities[entity.id] = entity
            return
        if (known.label, known.type) != (entity.label, entity.type):
            path, line = entity.origin.rsplit(":", 1)
            raise InputError(
                f"'{entity.id}' is declared as {entity.type} '{entity.label}' here but as "
                f"{known.type} '{known.label}' at {known.origin}; use one label and type", path, int(line))
        for attr in ("alt", "match"):
            merged = getattr(known, attr) + [n for n in getattr(entity, attr) if n not in getattr(known, attr)]
            setattr(known, attr, merged)
        known.en = known.en or entity.en
        known.note = known.note or entity.note
        known.plan = known.plan or entity.plan
        known.descriptive = known.descriptive or entity.descriptive
        known.case_sensitive = known.case_sensitive or entity.case_sensitive

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self.entities

    def __getitem__(self, entity_id: str) -> Entity:
        return self.entities[entity_id]

    def name_index(self) -> dict[str, str]:
        """Normalised name → id; fails when two entities share a name (one IRI per real thing)."""
        index: dict[str, str] = {}
        for entity in sorted(self.entities.values(), key=lambda e: e.id):
            for name in entity.names():
                key = normalise_name(name)
                other = index.get(key)
                if other and other != entity.id:
                    path, line = entity.origin.rsplit(":", 1)
                    raise InputError(
                        f"the name '{name}' belongs to both '{other}' and '{entity.id}'; "
                        "one real thing has one id (merge them, or drop the ambiguous name)", path, int(line))
                index[key] = entity.id
        return index

    def resolve(self, name: str, index: dict[str, str] | None = None) -> str | None:
        """The id of the entity called ``name`` (any label, case-insensitive), or None."""
        return (index or self.name_index()).get(normalise_name(name))


def load_registry(data_dir: Path) -> Registry:
    """Read every ``data/registry/*.yaml`` file into one :class:`Registry`."""
    registry = Registry()
    for path in sorted((data_dir / "registry").glob("*.yaml")):
        registry.add_entries(load_yaml(path) or [], path)
    return registry
