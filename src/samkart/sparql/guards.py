"""Reading SPARQL text without parsing it: keywords outside strings, IRIs and comments."""

import re

STRING = r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
IRI = r'<(?:[^<>"{}|^`\\\s]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>'
STRINGS_IRIS_COMMENTS = re.compile("|".join((STRING, IRI, r"#[^\n]*")))
"""A string, an IRI or a comment: what may hold keyword-like text that is not code."""


def code_only(text: str) -> str:
    """The query text without strings, IRIs and comments (so keywords inside them are not matched)."""
    return STRINGS_IRIS_COMMENTS.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", text)


SERVICE_KEYWORD = re.compile(r"(?<![?$:\w-])SERVICE(?![\w.-]*:)", re.I)


def mentions_service(text: str) -> bool:
    """True when the keyword SERVICE occurs outside strings, IRIs and comments (whatever follows it)."""
    return SERVICE_KEYWORD.search(code_only(text)) is not None


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside strings, IRIs and comments."""
    found = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code_only(text), re.I)
    return found.group(1).upper() if found else "SELECT"


TARGET = r"(<[^<>\s]*>|[A-Za-z_][\w.-]*:[\w.-]*|:[\w.-]*|[?$]\w+)"
SERVICE_TARGET = re.compile(r"(?<![?$:\w-])SERVICE\s*(?:SILENT\s*)?" + TARGET, re.I)
FROM_TARGET = re.compile(r"(?<![?$:\w-])FROM\s*(NAMED\s*)?" + TARGET, re.I)
PREFIX_DECLARATION = re.compile(r"PREFIX\s+([\w.-]*):\s*<([^<>\s]*)>", re.I)


def without_strings_and_comments(text: str) -> str:
    """The query text with strings and comments blanked out but IRIs kept."""
    return STRINGS_IRIS_COMMENTS.sub(lambda m: m.group(0) if m.group(0).startswith("<") else " ", text)


def same_length_code(text: str) -> str:
    """The query text with strings and comments blanked out to spaces of the same length (IRIs kept), so
    that positions in it are positions in ``text``."""
    return STRINGS_IRIS_COMMENTS.sub(lambda m: m.group(0) if m.group(0).startswith("<") else " " * len(m.group(0)), text)


def _expand(token: str, prefixes: dict[str, str]) -> str:
    """An IRI for a target token: <iri> as is, prefix:name expanded, a variable as ``?var``."""
    if token.startswith("<"):
        return token[1:-1]
    if token[0] in "?$":
        return "?" + token[1:]
    prefix, _, local = token.partition(":")
    return prefixes.get(prefix, token + " (undeclared prefix)") + local


def targets(text: str, default_prefixes: dict[str, str]) -> tuple[list[str], list[str]]:
    """The IRIs (or ``?variables``) that SERVICE clauses and FROM / FROM NAMED clauses name."""
    bare = without_strings_and_comments(text)
    prefixes = {**default_prefixes, **dict(PREFIX_DECLARATION.findall(bare))}
    return ([_expand(m.group(1), prefixes) for m in SERVICE_TARGET.finditer(bare)],
            [_expand(m.group(2), prefixes) for m in FROM_TARGET.finditer(bare)])


def from_clauses(text: str, default_prefixes: dict[str, str]) -> list[tuple[bool, str, tuple[int, int]]]:
    """Each FROM / FROM NAMED clause: (named, IRI, its span in ``text``)."""
    bare = same_length_code(text)
    prefixes = {**default_prefixes, **dict(PREFIX_DECLARATION.findall(bare))}
    return [(bool(m.group(1)), _expand(m.group(2), prefixes), m.span()) for m in FROM_TARGET.finditer(bare)]


def without_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span blanked to spaces (line breaks kept, so parser positions still match)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = [c if c == "\n" else " " for c in text[start:end]]
    return "".join(chars)
