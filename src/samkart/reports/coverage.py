"""`samkart coverage`: per source line, the facts citing it and the known entities it names; the gaps between."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from samkart.errors import InputError, SamkartError
from samkart.graph.documents import Document
from samkart.graph.facts import Fact, FactFile
from samkart.graph.registry import Registry
from samkart.settings import Settings
from samkart.yamlio import line_of, load_yaml

EXCEPTIONS_FILE = "coverage-exceptions.yaml"
EXCEPTION_KEYS = {"document", "line", "reason", "__line__"}
TARGET_SHARE = 0.98
"""Mention lines that must be covered or excepted, per document."""
MAX_EXCEPTED_SHARE = 0.15
"""Mention lines that may be excepted, at most, per document."""
SHORT_NAME = 4
"""Names this long or shorter, and names in capitals, match only in their own case (KS, Nav, SSB, FIN)."""
CASE_SENSITIVE_TYPES = {"policy-area"}
"""Types whose labels are subject words ("Kultur", "Forskning"): a mention only in the registry's own case."""
TEXT_WIDTH = 240
"""How much of an uncovered line the text report shows."""


@dataclass
class Line:
    """One non-empty line of a source document."""

    number: int
    text: str
    facts: list[Fact] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    exception: str | None = None

    @property
    def covered(self) -> bool:
        """A line that names a known entity and is cited by a fact."""
        return bool(self.mentions and self.facts)

    @property
    def excepted(self) -> bool:
        """A line that names a known entity, is cited by no fact, and is listed as an exception."""
        return bool(self.mentions and not self.facts and self.exception)

    @property
    def uncovered(self) -> bool:
        """A line that names a known entity and is neither cited nor excepted: a gap."""
        return bool(self.mentions and not self.facts and not self.exception)


@dataclass
class DocumentCoverage:
    """The coverage of one source document."""

    document: Document
    lines: list[Line]

    def count(self, what: str) -> int:
        """How many lines are ``mentions`` (name an entity), ``covered``, ``excepted`` or ``uncovered``."""
        if what == "mentions":
            return sum(1 for line in self.lines if line.mentions)
        return sum(1 for line in self.lines if getattr(line, what))

    @property
    def share(self) -> float:
        """Mention lines covered or excepted, as a share of all mention lines (1.0 when there are none)."""
        mentions = self.count("mentions")
        return (self.count("covered") + self.count("excepted")) / mentions if mentions else 1.0

    @property
    def excepted_share(self) -> float:
        """Mention lines excepted, as a share of all mention lines."""
        mentions = self.count("mentions")
        return self.count("excepted") / mentions if mentions else 0.0

    def as_json(self) -> dict:
        """The document's figures and gaps in the JSON shape of ``samkart coverage --format json``."""
        return {
            "file": self.document.file,
            "title": self.document.title,
            "lines": len(self.lines),
            "mention_lines": self.count("mentions"),
            "covered": self.count("covered"),
            "excepted": self.count("excepted"),
            "uncovered": [{"line": line.number, "mentions": line.mentions} for line in self.lines if line.uncovered],
        }


# -- names ------------------------------------------------------------------------------------
def _pattern(names: list[str], flags: int) -> re.Pattern | None:
    """One alternation of ``names`` (longest first) between word boundaries; a genitive -s may follow."""
    if not names:
        return None
    body = "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))
    return re.compile(rf"(?<!\w)(?:{body})s?(?!\w)", flags)


def _exact_case(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(name) <= SHORT_NAME or (len(letters) > 1 and all(c.isupper() for c in letters))


class MentionFinder:
    """Finds the registry entities a line names, by label, alternative name or ``match`` spelling."""

    def __init__(self, registry: Registry):
        self.exact: dict[str, str] = {}
        self.folded: dict[str, str] = {}
        for entity in sorted(registry.entities.values(), key=lambda e: e.id):
            exact = entity.case_sensitive or entity.type in CASE_SENSITIVE_TYPES
            for name in entity.names():
                name = " ".join(name.split())
                if len(name) < 2:
                    continue
                if exact or _exact_case(name):
                    self.exact.setdefault(name, entity.id)
                else:
                    self.folded.setdefault(name.casefold(), entity.id)
        self.patterns = [(p, table, fold) for p, table, fold in (
            (_pattern(list(self.exact), 0), self.exact, False),
            (_pattern(list(self.folded), re.IGNORECASE), self.folded, True)) if p is not None]

    def _id(self, text: str, table: dict[str, str], fold: bool) -> str | None:
        key = text.casefold() if fold else text
        return table.get(key) or (table.get(key[:-1]) if key.endswith("s") else None)

    def find(self, text: str) -> list[str]:
        """The ids of the entities named in ``text``, each once, in order of first mention.

        Where names overlap, the longer one wins ("KS Digitale fellestjenester AS" is not also "KS").
        """
        text = " ".join(text.split())
        found: list[tuple[int, int, str]] = []
        for pattern, table, fold in self.patterns:
            for match in pattern.finditer(text):
                entity_id = self._id(match.group(0), table, fold)
                if entity_id:
                    found.append((match.start(), match.end(), entity_id))
        taken: list[tuple[int, int]] = []
        kept: list[tuple[int, str]] = []
        for start, end, entity_id in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                kept.append((start, entity_id))
        ids: list[str] = []
        for _start, entity_id in sorted(kept):
            if entity_id not in ids:
                ids.append(entity_id)
        return ids


# -- exceptions -------------------------------------------------------------------------------
def load_exceptions(path: Path, documents: dict[str, Document]) -> dict[tuple[str, int], str]:
    """The listed exceptions, (document id, line) → reason; a malformed entry is a one-line input error."""
    if not path.is_file():
        return {}
    data = load_yaml(path) or []
    if not isinstance(data, list):
        raise InputError("the exceptions must be a YAML list of {document, line, reason}", str(path))
    exceptions: dict[tuple[str, int], str] = {}
    for raw in data:
        where = (str(path), line_of(raw))
        if not isinstance(raw, dict) or set(raw) - EXCEPTION_KEYS:
            raise InputError("an exception is {document: doc/…, line: N, reason: \"…\"} and nothing else", *where)
        document_id = raw.get("document")
        doc = documents.get(document_id) if isinstance(document_id, str) else None
        if doc is None:
            raise InputError(f"unknown document {raw.get('document')!r}; use an id from data/sources.yaml", *where)
        line = raw.get("line")
        if not isinstance(line, int) or isinstance(line, bool) or not 1 <= line <= (doc.line_count or 0):
            raise InputError(f"line {line!r} is not a line of {doc.id} (1–{doc.line_count})", *where)
        if not doc.lines[line - 1].strip():
            raise InputError(f"line {line} of {doc.id} is empty; only lines with text can be exceptions", *where)
        if not isinstance(raw.get("reason"), str) or not raw["reason"].strip():
            raise InputError(f"the exception for {doc.id} line {line} needs a reason", *where)
        if (doc.id, line) in exceptions:
            raise InputError(f"{doc.id} line {line} is listed twice", *where)
        exceptions[(doc.id, line)] = raw["reason"].strip()
    return exceptions


# -- coverage ---------------------------------------------------------------------------------
def document_coverage(doc: Document, facts: list[Fact], finder: MentionFinder,
                      exceptions: dict[tuple[str, int], str]) -> DocumentCoverage:
    """The non-empty lines of one document with the facts citing each, its mentions and its exception."""
    lines = [Line(n, text, mentions=finder.find(text), exception=exceptions.get((doc.id, n)))
             for n, text in enumerate(doc.lines, start=1) if text.strip()]
    by_number = {line.number: line for line in lines}
    for fact in facts:
        if fact.document != doc.id:
            continue
        for n in range(fact.lines[0], fact.lines[1] + 1):
            if n in by_number:
                by_number[n].facts.append(fact)
    return DocumentCoverage(doc, lines)


def coverage(documents: dict[str, Document], files: list[FactFile], registry: Registry,
             exceptions_path: Path, only: str | None = None) -> list[DocumentCoverage]:
    """The coverage of every document (or of the one whose file name or id is ``only``), in file order."""
    missing = [d.file for d in documents.values() if d.line_count is None]
    if missing:
        raise SamkartError(f"source file(s) {', '.join(missing)} not found; set SAMKART_SOURCES_DIR to their folder")
    chosen = sorted(documents.values(), key=lambda d: d.file)
    if only is not None:
        chosen = [d for d in chosen if only == d.id or Path(only).name == d.file]
        if not chosen:
            known = ", ".join(sorted(d.file for d in documents.values()))
            raise SamkartError(f"no source document '{only}'; use one of {known}")
    exceptions = load_exceptions(exceptions_path, documents)
    finder = MentionFinder(registry)
    facts = [fact for file in files for fact in file.facts]
    return [document_coverage(doc, facts, finder, exceptions) for doc in chosen]


def project_coverage(settings: Settings, only: str | None = None) -> list[DocumentCoverage]:
    """The coverage of the project's documents, read from its data folder and the sources folder."""
    from samkart.graph.project import load_project

    project = load_project(settings)
    return coverage(project.documents, project.files, project.registry,
                    settings.data_dir / EXCEPTIONS_FILE, only)


def as_json(report: list[DocumentCoverage]) -> dict:
    """``{"documents": [...]}``, one entry per document."""
    return {"documents": [doc.as_json() for doc in report]}


def summary_rows(report: list[DocumentCoverage]) -> list[dict[str, str]]:
    """One row of figures per document (for `samkart stats` and the README)."""
    return [{
        "file": doc.document.file,
        "lines": str(len(doc.lines)),
        "mention_lines": str(doc.count("mentions")),
        "covered": str(doc.count("covered")),
        "excepted": str(doc.count("excepted")),
        "uncovered": str(doc.count("uncovered")),
        "covered_or_excepted": f"{100 * doc.share:.1f} %",
        "excepted_share": f"{100 * doc.excepted_share:.1f} %",
    } for doc in report]


def as_text(report: list[DocumentCoverage]) -> str:
    """Figures per document, then each uncovered line with the entities it names and its text."""
    out = []
    for doc in report:
        out.append(f"{doc.document.file}  {doc.document.title}")
        out.append(f"  {len(doc.lines)} non-empty lines; {doc.count('mentions')} name a known entity: "
                   f"{doc.count('covered')} covered, {doc.count('excepted')} excepted, "
                   f"{doc.count('uncovered')} uncovered ({100 * doc.share:.1f} % covered or excepted, "
                   f"{100 * doc.excepted_share:.1f} % excepted)")
        for line in doc.lines:
            if line.uncovered:
                text = " ".join(line.text.split())
                text = text if len(text) <= TEXT_WIDTH else text[:TEXT_WIDTH - 1] + "…"
                out.append(f"  L{line.number} [{', '.join(line.mentions)}] {text}")
        unneeded = [f"L{line.number} ({'cited by a fact' if line.facts else 'names no known entity'})"
                    for line in doc.lines if line.exception and not line.excepted]
        if unneeded:
            out.append(f"  exceptions not needed: {', '.join(unneeded)}")
        out.append("")
    return "\n".join(out)
