"""The registry under review: no entity without a fact, and near-identical names only where a reviewer said why."""

import itertools
import re
import unicodedata
from difflib import SequenceMatcher

import pytest

from samkart.graph.facts import referenced_ids
from samkart.yamlio import load_yaml, strip_lines

SMALL_WORDS = {"the", "of", "and", "for", "den", "det", "de", "en", "ei", "et", "og", "i", "av", "til"}
"""Words left out when comparing names ("the" words, and the small words of Norwegian titles)."""
SIMILAR = 0.9
"""Two normalised names this alike (difflib ratio) are listed for review."""


def normalised(name: str) -> str:
    """A name without case, diacritics, punctuation, years and small words."""
    text = name.casefold().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a", "–": " ", "—": " "}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"\b(19|20)[0-9]{2}\b", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(word for word in text.split() if word not in SMALL_WORDS)


def near_duplicates(registry) -> dict[tuple[str, str], tuple[str, str]]:
    """Pairs of ids (sorted) with near-identical names → the two names that met."""
    names = [(normalised(n), e.id) for e in sorted(registry.entities.values(), key=lambda e: e.id)
             for n in (e.label, *e.alt)]
    names = [(n, i) for n, i in names if len(n) >= 4]
    pairs = {}
    for (a, id_a), (b, id_b) in itertools.combinations(names, 2):
        if id_a == id_b:
            continue
        matcher = SequenceMatcher(None, a, b)
        if a == b or (matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR
                      and matcher.ratio() >= SIMILAR):
            pairs.setdefault(tuple(sorted((id_a, id_b))), (a, b))
    return pairs


@pytest.fixture(scope="module")
def reviewed(settings):
    entries = strip_lines(load_yaml(settings.data_dir / "near-duplicates.yaml") or [])
    assert all(len(e["ids"]) == 2 and e["ids"] == sorted(e["ids"]) and str(e.get("reason", "")).strip()
               for e in entries), "each entry is {ids: [a, b] (sorted), reason: …}"
    return {tuple(e["ids"]): e["reason"] for e in entries}


def test_normalising_names():
    assert normalised("Nasjonal transportplan 2025–2036") == normalised("nasjonal transportplan")
    assert normalised("Veikart for helsenæringen") == "veikart helsenaeringen"
    assert normalised("The Ministry of Digitalisation") == "ministry digitalisation"


def test_near_identical_names_are_reviewed(project, reviewed):
    found = near_duplicates(project.registry)
    unreviewed = [f"{a} ~ {b}: {found[(a, b)]}" for a, b in sorted(found) if (a, b) not in reviewed]
    assert not unreviewed, ("near-identical names: merge them, link them by a fact, or list the pair with a "
                            "reason in data/near-duplicates.yaml:\n" + "\n".join(unreviewed))


def test_reviewed_pairs_still_exist(project, reviewed):
    found = near_duplicates(project.registry)
    stale = [f"{a} ~ {b}" for a, b in sorted(reviewed) if (a, b) not in found]
    assert not stale, "no longer near-identical (drop from data/near-duplicates.yaml):\n" + "\n".join(stale)


def test_the_duplicates_named_in_issue_18_are_merged_or_linked(project, union):
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS

    ids = project.registry.entities
    assert "plan/veikart-helsenaering" not in ids and "Veikart Helsenæring" in ids["plan/veikart-for-helsenaeringen"].alt
    assert "org/fylkeskommunene" not in ids and "Fylkeskommunene" in ids["org/alle-landets-fylker"].alt
    base = project.settings.base
    for part, whole in (("plan/nasjonal-transportplan-2025-2036", "plan/nasjonal-transportplan"),
                        ("org/arbeids-og-velferdsdirektoratet", "org/arbeids-og-velferdsetaten")):
        assert (URIRef(base + part), DCTERMS.isPartOf, URIRef(base + whole)) in union


def fact_ids(project) -> set[str]:
    """Every entity id some fact names, in any field."""
    ids = set()
    for file in project.files:
        for fact in file.facts:
            ids.update(referenced_ids(fact))
            ids.update(v for v in fact.values.values() if isinstance(v, str) and v in project.registry)
    return ids


def test_no_entity_without_a_fact(project):
    orphans = sorted(set(project.registry.entities) - fact_ids(project))
    assert not orphans, f"{len(orphans)} entities no fact names (give each a fact, or drop it):\n" + "\n".join(orphans)
