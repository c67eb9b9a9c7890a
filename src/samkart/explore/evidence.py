"""The cited lines behind a statement, read at request time from the source documents (never stored).

A source span (``sk:SourceSpan``) names a document and a line range. The document's file name is its
``dct:identifier`` in the graph; the file is looked up by that exact name in the listing of the sources
folder (SAMKART_SOURCES_DIR), so no path from the data is ever joined or opened. When the folder or
the file is missing, the span is still described, without its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from samkart.errors import NotFound
from samkart.sparql.results import as_table
from samkart.sparql.service import SparqlService
from samkart.sparql.terms import iri_term

CONTEXT = 1
"""Lines shown before and after the cited ones, for reading (marked as context)."""
MAX_LINES = 60
"""Most cited lines shown at once; a longer span says how many more there are."""
MAX_ABOUT = 4


@dataclass
class CitedLine:
    """One line of a document: its number, its text split into (text, highlighted) parts, whether cited."""

    number: int
    parts: list[tuple[str, bool]]
    cited: bool


@dataclass
class Citation:
    """A span with its document and, when the source file is at hand, its lines."""

    span: str
    document: str
    title: str
    file: str | None
    first: int
    last: int
    names: list[str] = field(default_factory=list)
    lines: list[CitedLine] = field(default_factory=list)
    available: bool = False
    more: int = 0

    def as_json(self) -> dict:
        """JSON-ready form (for the profile page's script)."""
        return {"span": self.span, "document": self.document, "title": self.title, "file": self.file,
                "from": self.first, "to": self.last, "available": self.available, "more": self.more,
                "names": self.names,
                "lines": [{"n": line.number, "cited": line.cited, "parts": [[t, m] for t, m in line.parts]}
                          for line in self.lines]}


def citation(service: SparqlService, span: str, about: list[str], sources_dir: Path | None) -> Citation:
    """The span ``span`` with its lines read from ``sources_dir``; the names of the ``about`` entities
    (preferred and other labels) highlighted. NotFound when the graph has no such span."""
    node = iri_term(span, "span")
    rows = as_table(service.run("""SELECT ?doc ?from ?to ?title ?file WHERE {
        ?span sk:inDocument ?doc ; sk:fromLine ?from .
        OPTIONAL { ?span sk:toLine ?to } OPTIONAL { ?doc skos:prefLabel|dct:title ?title }
        OPTIONAL { ?doc dct:identifier ?file } } LIMIT 1""", bindings={"span": node})).rows
    if not rows:
        raise NotFound(f"<{span}> is not a source span of this dataset")
    doc, first, last, title, file = rows[0]
    if doc is None or first is None:  # both are required by the pattern above: never unbound
        raise NotFound(f"<{span}> has no document or first line")
    try:
        first_line = max(1, int(first.value))
        last_line = max(first_line, int(last.value)) if last is not None else first_line
    except ValueError:
        raise NotFound(f"<{span}> has no line numbers") from None
    found = Citation(span, doc.value, title.value if title is not None else doc.value,
                     file.value if file is not None else None, first_line, last_line,
                     names=names_of(service, about[:MAX_ABOUT]))
    text = source_text(sources_dir, found.file)
    if text is not None:
        _fill(found, text.splitlines())
    return found


def names_of(service: SparqlService, about: list[str]) -> list[str]:
    """Every name (preferred and alternative labels, any language) of the given entities, longest first."""
    iris = [iri_term(a, "about").value for a in about]
    if not iris:
        return []
    values = " ".join(f"<{i}>" for i in iris)
    table = as_table(service.run(
        f"SELECT DISTINCT ?name WHERE {{ VALUES ?x {{ {values} }} ?x skos:prefLabel|skos:altLabel ?name }}"))
    found = (name.value.strip() for name, in table.rows if name is not None)
    names = {name for name in found if len(name) >= 2}
    return sorted(names, key=lambda n: (-len(n), n))


def source_text(folder: Path | None, name: str | None) -> str | None:
    """The text of the source file called exactly ``name`` in ``folder``'s listing, or None."""
    if folder is None or not name or not folder.is_dir():
        return None
    listing = {p.name: p for p in folder.iterdir() if p.is_file()}
    path = listing.get(name)
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _fill(found: Citation, lines: list[str]) -> None:
    """Put the cited lines (and one line of context each side) into ``found``, names highlighted."""
    if found.first > len(lines):
        return
    last = min(found.last, len(lines), found.first + MAX_LINES - 1)
    found.more = min(found.last, len(lines)) - last
    start, end = max(1, found.first - CONTEXT), min(len(lines), last + CONTEXT)
    pattern = _names_pattern(found.names)
    for number in range(start, end + 1):
        cited = found.first <= number <= last
        found.lines.append(CitedLine(number, highlight(lines[number - 1], pattern if cited else None), cited))
    found.available = True


def _names_pattern(names: list[str]) -> re.Pattern | None:
    """One case-insensitive pattern for the names, as whole words where they start or end with a letter."""
    if not names:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names), re.I)


def highlight(line: str, pattern: re.Pattern | None) -> list[tuple[str, bool]]:
    """``line`` split into (text, is a name) parts."""
    if pattern is None:
        return [(line, False)]
    parts, at = [], 0
    for match in pattern.finditer(line):
        if match.start() > at:
            parts.append((line[at:match.start()], False))
        parts.append((match.group(0), True))
        at = match.end()
    if at < len(line) or not parts:
        parts.append((line[at:], False))
    return parts
