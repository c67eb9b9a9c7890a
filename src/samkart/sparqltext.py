"""Reading SPARQL text without parsing it: keywords outside strings, IRIs and comments."""

import re

STRINGS_IRIS_COMMENTS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


def code_only(text: str) -> str:
    """The query text without strings, IRIs and comments (so keywords inside them are not matched)."""
    return STRINGS_IRIS_COMMENTS.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside strings, IRIs and comments."""
    found = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code_only(text), re.I)
    return found.group(1).upper() if found else "SELECT"
