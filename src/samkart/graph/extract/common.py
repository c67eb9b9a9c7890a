"""What both extractors share: name resolution against the registry, and the output structure."""

from dataclasses import dataclass, field
from typing import Any

from samkart.errors import InputError
from samkart.graph.registry import Registry
from samkart.slugs import slugify

BULLET = "- "


@dataclass
class Extraction:
    """Entities and facts read from one source file, in source order."""

    document: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    minted: list[dict[str, str]] = field(default_factory=list)

    def fact(self, kind: str, line: int, **values: Any) -> None:
        """Record a fact stated on one line."""
        self.facts.append({kind: {**values, "lines": [line, line]}})

    def as_yaml(self) -> dict[str, Any]:
        """The structure written to data/extracted/*.yaml."""
        return {"document": self.document, "generated-by": "samkart extract", "entities": self.entities, "facts": self.facts}


class Resolver:
    """Finds registry ids for names; optionally mints new entries for unknown names."""

    def __init__(self, registry: Registry, mint_new: bool = False):
        self.registry = registry
        self.index = registry.name_index()
        self.mint_new = mint_new
        self.minted: list[dict[str, str]] = []

    def find(self, *candidates: str) -> str | None:
        """The id for the first candidate name that is known."""
        for name in candidates:
            found = self.registry.resolve(name, self.index) if name else None
            if found:
                return found
        return None

    def require(self, name: str, etype: str, kind: str, path: str, line: int, *variants: str) -> str:
        """The id for ``name`` (or a variant); unknown names are an error unless minting is on."""
        found = self.find(name, *variants)
        if found:
            return found
        if not self.mint_new:
            raise InputError(
                f"unknown {etype} name '{name}'; add it (or a 'match:' spelling) to data/registry/, "
                "list the line under extract-skip: in a curated file, or run extract with --mint-new", path, line)
        entry = {"id": f"{kind}/{slugify(name)}", "type": etype, "label": name}
        self.minted.append(entry)
        self.index[name.casefold()] = entry["id"]
        return entry["id"]
