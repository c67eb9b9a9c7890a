"""The slug rule and the registry's merge rules: one id per real thing, one thing per name."""

import pytest

from samkart.errors import InputError
from samkart.graph.registry import Entity, Registry
from samkart.slugs import slugify


@pytest.mark.parametrize("name, slug", [
    ("Digitaliserings- og forvaltningsdepartementet", "digitaliserings-og-forvaltningsdepartementet"),
    ("Brønnøysundregistrene", "bronnoysundregistrene"),
    ("Én digital offentlig sektor", "en-digital-offentlig-sektor"),
    ("Strategi 2024–2030", "strategi-2024-2030"),
    ("Kunnskapssektorens tjenesteleverandør Sikt!", "kunnskapssektorens-tjenesteleverandor-sikt"),
    ("x" * 100, "x" * 80),
])
def test_slug_rule(name, slug):
    assert slugify(name) == slug


def test_same_id_merges_alternatives():
    registry = Registry()
    registry.add(Entity("org/a", "agency", "Etat A", ["EA"], origin="a.yaml:1"))
    registry.add(Entity("org/a", "agency", "Etat A", ["A-etaten"], origin="b.yaml:3"))
    assert registry["org/a"].alt == ["EA", "A-etaten"]
    assert registry.resolve("a-etaten") == "org/a"
    assert registry.resolve("  ETAT a ") == "org/a"


def test_same_id_with_other_label_is_an_error():
    registry = Registry()
    registry.add(Entity("org/a", "agency", "Etat A", origin="a.yaml:1"))
    with pytest.raises(InputError, match=r"b.yaml:3: 'org/a' is declared as agency 'Etat B'"):
        registry.add(Entity("org/a", "agency", "Etat B", origin="b.yaml:3"))


def test_two_ids_sharing_a_name_is_an_error():
    registry = Registry()
    registry.add(Entity("org/a", "agency", "Etat A", ["EA"], origin="a.yaml:1"))
    registry.add(Entity("org/b", "agency", "Etat B", ["EA"], origin="a.yaml:5"))
    with pytest.raises(InputError, match="the name 'EA' belongs to both 'org/a' and 'org/b'"):
        registry.name_index()


def test_real_registry_has_unique_names(project):
    index = project.registry.name_index()
    assert index["digdir"] == "org/digitaliseringsdirektoratet"
    assert index["nav"] == "org/arbeids-og-velferdsetaten"
