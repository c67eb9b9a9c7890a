"""YAML reading that remembers line numbers, so errors can name file and line."""

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that stores each mapping's 1-based line under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; a syntax error becomes an :class:`InputError` naming file and line."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(f"YAML syntax error: {exc.problem}", str(path), line) from None
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8 text", str(path)) from None


def line_of(mapping: Any) -> int | None:
    """The line a mapping started on, if it was read by :func:`load_yaml`."""
    return mapping.get(LINE_KEY) if isinstance(mapping, dict) else None


def strip_lines(value: Any) -> Any:
    """A copy of ``value`` without the ``__line__`` bookkeeping keys."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def dump_yaml(data: Any, path: Path) -> None:
    """Write YAML deterministically (key order kept, unicode as is), via a temporary file."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
