"""The slug rule that turns a name into the readable last part of an IRI."""

import re
import unicodedata

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "–": "-", "—": "-"})
MAX_SLUG = 80


def slugify(text: str) -> str:
    """Lowercase; æ→ae, ø→o, å→a; drop diacritics; non-alphanumerics → '-'; at most 80 chars.

    >>> slugify("Digitaliserings- og forvaltningsdepartementet")
    'digitaliserings-og-forvaltningsdepartementet'
    >>> slugify("Én vei inn")
    'en-vei-inn'
    """
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    ascii_text = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_SLUG].strip("-")


def normalise_name(text: str) -> str:
    """A key for matching names: case-folded, whitespace collapsed, dashes unified."""
    return re.sub(r"\s+", " ", text.replace("–", "-").replace("—", "-")).strip().casefold()
