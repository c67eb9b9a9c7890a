"""HTML for RDF terms: the app's own page for an IRI, short forms, labels, and links that are always safe.

Only the app's own pages and http(s) IRIs become links; any other scheme (``javascript:``, ``data:``,
``mailto:`` …) is shown as text, so data served with ``--data`` can never put a live script link on a page.
"""

import re
from html import escape
from urllib.parse import urlsplit

import pyoxigraph as ox

from samkart.namespaces import ONTOLOGY_GRAPH, PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DEF_PATH = ONTOLOGY_GRAPH + "/"
DEF_HASH = ONTOLOGY_GRAPH + "#"


def local_href(iri: str, base: str) -> str | None:
    """The path of the app's own page for ``iri`` (instances, ontology terms, schemes), else None."""
    for prefix, path in ((base, "/id/"), (DEF_PATH, "/def/"), (DEF_HASH, "/def#")):
        if iri.startswith(prefix):
            return path + iri[len(prefix):]
    return "/def" if iri == ONTOLOGY_GRAPH else None


def web_href(iri: str) -> str | None:
    """``iri`` when it is an http(s) URL with a host (safe to link to), else None."""
    try:
        parts = urlsplit(iri)
    except ValueError:
        return None
    return iri if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def safe_href(iri: str, base: str) -> str | None:
    """Where a link to ``iri`` may go: the app's own page, an http(s) IRI, or nowhere (None)."""
    return local_href(iri, base) or web_href(iri)  # local paths start /id/ or /def: never //host


def curie(iri: str, base: str) -> str:
    """A short form of ``iri``: ``id:org/x``, ``def:scheme/role/lead`` or a CURIE from PREFIXES; else the IRI."""
    candidates = [("id", base), ("def", DEF_PATH)] + [(p, str(ns)) for p, ns in PREFIXES.items()]
    best = max((c for c in candidates if iri.startswith(c[1]) and len(iri) > len(c[1])), key=lambda c: len(c[1]),
               default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


def humanise(iri: str) -> str:
    """Words from an IRI's local name when it has no label: ``hasParticipant`` → ``has participant``."""
    local = re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ").replace("-", " ").split()
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words) or local


def display(iri: str, base: str, labels: dict[str, str]) -> str:
    """What to call an IRI: its label, else its nearest labelled parent path plus the rest, else its short form."""
    if iri in labels:
        return labels[iri]
    parts = iri.split("/")
    for cut in range(len(parts) - 1, 3, -1):
        parent = "/".join(parts[:cut])
        if parent in labels and iri.startswith(base):
            return f"{labels[parent]} › {'/'.join(parts[cut:])}"
    return curie(iri, base)


def link(iri: str, text: str, base: str, css: str = "") -> str:
    """An <a> with ``text`` (already plain text, escaped here) for a safe target; else the text in a span."""
    href = safe_href(iri, base)
    if href is None:
        return f'<span class="{escape((css + " unlinked").strip())}" title="{escape(iri)}">{escape(text)}</span>'
    cls = (css + ("" if local_href(iri, base) else " external")).strip()
    return f'<a href="{escape(href)}" title="{escape(iri)}"' + (f' class="{escape(cls)}"' if cls else "") + \
        f">{escape(text)}</a>"


def iri_link(iri: str, base: str, labels: dict[str, str], css: str = "") -> str:
    """A link for an IRI: its label (else short form) as text, the IRI as title; local pages linked locally."""
    return link(iri, display(iri, base, labels), base, css)


def literal_html(term: ox.Literal, base: str) -> str:
    """A literal with its language tag or (non-string) datatype."""
    lang = f' lang="{escape(term.language)}"' if term.language else ""
    text = f'<span class="literal"{lang}>{escape(term.value)}</span>'
    if term.language:
        return f'{text} <span class="tag">@{escape(term.language)}</span>'
    if term.datatype.value != XSD_STRING:
        return f'{text} <span class="tag">{escape(curie(term.datatype.value, base))}</span>'
    return text


def term_html(term, base: str, labels: dict[str, str]) -> str:
    """HTML for any RDF term: IRIs linked (when safe), literals with language tag or datatype, blank nodes as _:id."""
    if isinstance(term, ox.NamedNode):
        return iri_link(term.value, base, labels)
    if isinstance(term, ox.BlankNode):
        return f'<span class="bnode">_:{escape(term.value)}</span>'
    return literal_html(term, base)
