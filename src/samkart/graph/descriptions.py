"""Our own Norwegian descriptions of entities (data/descriptions-nb.yaml): registry id → nb text."""

from pathlib import Path

from samkart.errors import InputError
from samkart.yamlio import load_yaml, strip_lines

from .registry import Registry

FILE_NAME = "descriptions-nb.yaml"


def load_descriptions(data_dir: Path, registry: Registry) -> dict[str, str]:
    """The nb descriptions by entity id (empty when the file is absent); an id the registry does not
    know, or a value that is not a non-empty text, stops the build with the file and line."""
    path = data_dir / FILE_NAME
    if not path.is_file():
        return {}
    raw = strip_lines(load_yaml(path) or {})
    if not isinstance(raw, dict):
        raise InputError("expected a mapping of entity id → Norwegian description", str(path))
    descriptions = {}
    for entity_id, text in raw.items():
        if entity_id not in registry:
            raise InputError(f"'{entity_id}' is not in the registry; descriptions name registry ids", str(path))
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"the description of '{entity_id}' must be a non-empty text", str(path))
        descriptions[str(entity_id)] = " ".join(text.split())
    return dict(sorted(descriptions.items()))
