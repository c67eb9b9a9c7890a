"""The real pipeline: re-extraction agrees with the committed data; the full graph validates."""

import pytest

from samkart.graph.extract.run import extract_all
from samkart.shacl.findings import violations
from samkart.yamlio import load_yaml


def test_reextraction_matches_committed_data(settings):
    if not settings.sources_dir.is_dir():
        pytest.skip(f"source documents not found at {settings.sources_dir}")
    for result in extract_all(settings, settings.sources_dir):
        committed = load_yaml(settings.data_dir / "extracted" / f"{result.document.split('/', 1)[1]}.yaml")
        assert _plain(committed) == result.as_yaml(), result.document


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_full_graph_has_no_violations(findings):
    bad = violations(findings)
    assert not bad, "\n".join(f"{f.focus} {f.path}: {f.message}" for f in bad)


def test_every_document_has_its_own_graph(dataset, project, settings):
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    for doc in project.documents.values():
        assert f"{settings.base}graph/{doc.slug}" in names


def test_lines_of_every_fact_are_inside_their_document(store):
    rows = store.select("""
        SELECT ?span ?to ?file WHERE { ?span sk:inDocument ?doc ; sk:toLine ?to . ?doc dct:identifier ?file }""")
    assert rows
    assert all(int(r["to"]) >= 1 for r in rows)


def test_no_running_text_from_the_sources_in_descriptions(settings, union):
    """Descriptions and comments are our own words: no 7-word run of a source document appears in them."""
    import re

    from rdflib.namespace import DCTERMS, RDFS

    if not settings.sources_dir.is_dir():
        pytest.skip("source documents not found")
    words = []
    for path in sorted(settings.sources_dir.glob("*.txt")):
        words += re.findall(r"\w+", path.read_text(encoding="utf-8").lower())
    shingles = {tuple(words[i:i + 7]) for i in range(len(words) - 6)}
    texts = [str(o) for p in (DCTERMS.description, RDFS.comment) for o in union.objects(None, p)]
    assert len(texts) > 100
    copied = [t for t in texts if any(tuple(w[i:i + 7]) in shingles
                                      for w in [re.findall(r"\w+", t.lower())] for i in range(len(w) - 6))]
    assert not copied, copied
