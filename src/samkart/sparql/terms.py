"""RDF terms for user-supplied values: validated, then bound — never spliced into query text raw."""

import re

import pyoxigraph as ox

from samkart.errors import ParameterError

IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
MAX_VALUE = 2000


def iri_term(value: str, name: str = "value") -> ox.NamedNode:
    """A NamedNode for an absolute IRI; anything that could break out of ``<…>`` is refused."""
    if len(value) > MAX_VALUE:
        raise ParameterError(f"parameter '{name}' is longer than {MAX_VALUE} characters")
    if not IRI_SCHEME.match(value) or IRI_FORBIDDEN.search(value):
        raise ParameterError(f"parameter '{name}' is not an absolute IRI (no spaces, quotes, <, >, {{, }}, |, ^, `, \\)")
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise ParameterError(f"parameter '{name}' is not a valid IRI: {exc}") from None


def literal_term(value: str, name: str = "value", datatype: str | None = None, language: str | None = None) -> ox.Literal:
    """A Literal for a plain, typed or language-tagged value (validated by pyoxigraph)."""
    if len(value) > MAX_VALUE:
        raise ParameterError(f"parameter '{name}' is longer than {MAX_VALUE} characters")
    if "\x00" in value:
        raise ParameterError(f"parameter '{name}' contains a NUL character")
    try:
        if language:
            return ox.Literal(value, language=language)
        if datatype:
            return ox.Literal(value, datatype=ox.NamedNode(datatype))
        return ox.Literal(value)
    except ValueError as exc:
        raise ParameterError(f"parameter '{name}': {exc}") from None


def looks_like_iri(value: str) -> bool:
    """True for values that are meant as IRIs (http or https), false for labels."""
    return value.startswith(("http://", "https://", "urn:"))


def substitute(query: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """Bind each ``?var``/``$var`` to a term by putting the term's N-Triples form in its place.

    The values are pyoxigraph terms built by :func:`iri_term` and :func:`literal_term`: an IRI can
    hold none of the characters that end ``<…>``, and a literal is escaped by pyoxigraph's
    N-Triples writer, so a value can never be read as SPARQL syntax. Only whole variable tokens in
    our own query files are replaced. (pyoxigraph's ``substitutions`` only binds projected
    variables, and remote engines have no binding API, so one mechanism serves both backends.)
    """
    if not bindings:
        return query
    names = "|".join(re.escape(name) for name in sorted(bindings, key=len, reverse=True))
    # one pass: text put in for one variable is never searched again for another
    return re.sub(rf"[?$]({names})(?![A-Za-z0-9_])", lambda m: sparql_term(bindings[m.group(1)]), query)


def sparql_term(term: "ox.NamedNode | ox.Literal") -> str:
    r"""A term as SPARQL text: its N-Triples form, except that a ``u``/``U`` right after an escaped
    backslash, and the hex digits after it, are written as ``\u00XX`` escapes. Engines that decode
    ``\uXXXX`` before parsing (as the SPARQL spec says) and engines that do not then read the same
    string, and no run of hex digits follows an escape for a lax decoder to over-read."""
    text = str(term)
    if not isinstance(term, ox.Literal) or BACKSLASH_PAIR not in text:
        return text
    out, state = [], "plain"
    for token in ESCAPE_OR_CHAR.findall(text):
        hidden = (state == "after-backslash" and token in "uU") or (state == "hex" and token in HEX_DIGITS)
        out.append(f"\\u{ord(token):04X}" if hidden else token)
        state = "after-backslash" if token == BACKSLASH_PAIR else "hex" if hidden else "plain"
    return "".join(out)


BACKSLASH_PAIR = "\\\\"
ESCAPE_OR_CHAR = re.compile(r"\\.|[^\\]", re.S)
HEX_DIGITS = set("0123456789abcdefABCDEF")
