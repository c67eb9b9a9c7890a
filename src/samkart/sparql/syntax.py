"""Readable SPARQL syntax errors: line, column, the offending text under a caret, and what to do.

The parser (Oxigraph, embedded or as a server) says ``error at 3:13: expected one of Prefix not found,
['%'], …`` — a position and a token list meant for its developers. :func:`describe_syntax_error` turns
that into ``line 3, column 6: unknown prefix `foo:` `` with the line and a caret, the one format the
service's 400 answers and ``samkart query`` both use. Written by hand: no library reads this message.
"""

import re

POSITION = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.S)
PNAME_BEFORE = re.compile(r"([A-Za-z][\w.-]*)?:[\w.%\\-]*$")
IRI_BEFORE = re.compile(r"<[^<>]*>?$")
QUOTED = re.compile(r'"((?:[^"\\]|\\.)+)"')
CHAR_CLASS = re.compile(r"\[[^\[\]\"]*\]")
KEYWORD = re.compile(r"(?<![\w'\"])([A-Z][A-Z_]{1,})(?![\w'\"])")
MAX_EXPECTED = 8
KINDS = {"?": "a variable", "$": "a variable", "'": "a string", "'''": "a string", '"': "a string",
         '"""': "a string", "<": "an IRI", "_:": "a blank node", "[": "a blank node"}
"""Tokens the parser lists one by one, said as what they start."""
NOISE = {"<<", "<<(", "+", "-", "(", ":", "true", "false"}
CLOSING = ("}", ")", "]", ".")


def parser_position(message: str) -> tuple[int, int, str] | None:
    """(line, column, rest of the message) from ``error at L:C: …``; None when the message has no position."""
    found = POSITION.search(message)
    return (int(found.group(1)), int(found.group(2)), found.group(3)) if found else None


def expected_tokens(detail: str) -> list[str]:
    """What the parser expected, in words: closing brackets first, then keywords, then kinds of term
    (``a variable``, ``an IRI`` …); its character classes and internal names left out."""
    detail = CHAR_CLASS.sub("", detail.replace("Prefix not found", "").replace("IRI parsing failed", ""))
    quoted = [t.replace('\\"', '"').replace("\\\\", "\\") for t in QUOTED.findall(detail)]
    quoted = [t for t in quoted if t not in NOISE and t.strip()]
    words = [f"`{t}`" for t in quoted if t in CLOSING]
    words += [f"`{k}`" for k in KEYWORD.findall(detail)]
    words += [f"`{t}`" for t in quoted if t not in CLOSING and t not in KINDS]
    words += [KINDS[t] for t in quoted if t in KINDS]
    return list(dict.fromkeys(words))


def _offending(line: str, column: int, detail: str) -> tuple[int, str, str]:
    """(start column, offending text, what is wrong) for the error at ``column`` (1-based) of ``line``."""
    before = line[: column - 1]
    if "Prefix not found" in detail and (pname := PNAME_BEFORE.search(before)):
        prefix = (pname.group(1) or "") + ":"
        return pname.start() + 1, pname.group(0), f"unknown prefix `{prefix}`"
    if "IRI parsing failed" in detail and (iri := IRI_BEFORE.search(before)):
        return iri.start() + 1, iri.group(0), f"invalid IRI `{iri.group(0)}`"
    rest = line[column - 1:]
    if not rest.strip():
        return column, "", "unexpected end of the query"
    token = rest.split()[0]  # rest has a non-space character (checked above)
    start = column + len(rest) - len(rest.lstrip())
    return start, token, f"unexpected `{token}`"


def caret_block(line: str, start: int, width: int) -> str:
    """The line and a caret run under columns ``start`` … ``start + width - 1`` (tabs kept so they align)."""
    pad = "".join("\t" if c == "\t" else " " for c in line[: start - 1])
    return f"  {line}\n  {pad}{'^' * max(1, width)}"


def describe_syntax_error(query: str, message: str, known_prefixes: list[str] | None = None,
                          skipped_lines: int = 0) -> str:
    """A parser message about ``query`` in words: ``line L, column C: what is wrong``, the line with a
    caret under the offending text, and a hint (the tokens expected, or how to declare a prefix).
    ``skipped_lines``: lines the parser saw before ``query`` (a prologue sent ahead of it). Messages
    without a position in ``query`` are returned flattened to one line."""
    position = parser_position(message)
    if position is None or position[0] <= skipped_lines:
        return " ".join(message.split())
    line_no, column, detail = position[0] - skipped_lines, position[1], position[2]
    lines = query.split("\n")
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    column = min(max(column, 1), len(line) + 1)
    start, text, what = _offending(line, column, detail)
    parts = [f"line {line_no}, column {start}: {what}", caret_block(line, start, len(text))]
    if what.startswith("unknown prefix"):
        name = what.split("`")[1]
        known = f"; these need no declaration: {', '.join(known_prefixes)}" if known_prefixes else ""
        parts.append(f"declare it with PREFIX {name} <…>{known}")
    elif expected := expected_tokens(detail):
        shown = ", ".join(expected[:MAX_EXPECTED]) + (" …" if len(expected) > MAX_EXPECTED else "")
        parts.append(f"expected {shown}")
    return "\n".join(parts)
