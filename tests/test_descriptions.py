"""Our own Norwegian descriptions (data/descriptions-nb.yaml): every public service has one, in our words."""

import re

import pytest
from rdflib.namespace import DCTERMS, RDF

from samkart.errors import InputError
from samkart.graph.descriptions import load_descriptions
from samkart.namespaces import CPSV

WORDS = 7
"""A description shares no run of this many words with a source document (no copied sentences)."""


def test_every_public_service_has_a_norwegian_description(union):
    services = set(union.subjects(RDF.type, CPSV.PublicService))
    assert len(services) >= 24
    missing = [s for s in services
               if not any(getattr(d, "language", None) == "nb" for d in union.objects(s, DCTERMS.description))]
    assert missing == []


def test_descriptions_are_not_copied_from_the_documents(project, settings):
    def runs(text):
        words = re.findall(r"\w+", text.lower())
        return {" ".join(words[i:i + WORDS]) for i in range(len(words) - WORDS + 1)}

    sources = set().union(*(runs(p.read_text(encoding="utf-8")) for p in settings.sources_dir.glob("*.txt")))
    copied = {entity: sorted(runs(text) & sources)[:1] for entity, text in project.descriptions_nb.items()
              if runs(text) & sources}
    assert copied == {}


def test_a_description_of_an_unknown_id_stops_the_build(project, tmp_path):
    (tmp_path / "descriptions-nb.yaml").write_text("service/finnes-ikke: Tekst.\n", encoding="utf-8")
    with pytest.raises(InputError, match="service/finnes-ikke"):
        load_descriptions(tmp_path, project.registry)
    (tmp_path / "descriptions-nb.yaml").write_text("service/altinn: ''\n", encoding="utf-8")
    with pytest.raises(InputError, match="non-empty"):
        load_descriptions(tmp_path, project.registry)
