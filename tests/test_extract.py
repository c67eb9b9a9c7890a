"""The two parsers on small fixture documents written for the tests."""

from pathlib import Path

import pytest

from samkart.errors import InputError
from samkart.graph.extract.common import Resolver
from samkart.graph.extract.factsheet import FactSheetReader
from samkart.graph.extract.tables import extract_tables
from samkart.graph.registry import Entity, Registry

FIXTURES = Path(__file__).parent / "fixtures"


def registry_of(*entities: tuple[str, str, str, list[str]]) -> Registry:
    registry = Registry()
    for entity_id, etype, label, alt in entities:
        registry.add(Entity(entity_id, etype, label, alt, origin="test:1"))
    return registry


MINISTRIES = [("org/testdepartementet", "ministry", "Testdepartementet", []),
              ("org/provedepartementet", "ministry", "Prøvedepartementet", [])]


def facts_of(extraction, kind):
    return [f[kind] for f in extraction.facts if kind in f]


def test_tables_give_measures_with_section_ministry_and_status():
    lines = (FIXTURES / "sources" / "tables.txt").read_text(encoding="utf-8").splitlines()
    out = extract_tables(lines, "doc/x", "tables.txt", Resolver(registry_of(*MINISTRIES)))
    measures = [e for e in out.entities if e["type"] == "measure"]
    assert [m["label"] for m in measures] == ["lage en prøveordning for testing", "avslutte en gammel ordning", "vurdere en ny modell"]
    statuses = {f["item"]: f["status"] for f in facts_of(out, "status")}
    assert statuses["measure/vurdere-en-ny-modell"] == "ikke-startet"
    assert statuses["measure/avslutte-en-gammel-ordning"] == "fullfort"
    responsible = {f["subject"]: f["org"] for f in facts_of(out, "participation")}
    assert responsible["measure/vurdere-en-ny-modell"] == "org/provedepartementet"
    parts = {f["part"]: (f["whole"], f["lines"]) for f in facts_of(out, "part-of")}
    assert parts["measure/lage-en-proveordning-for-testing"] == ("plan/forste-seksjon", [5, 5])
    assert parts["plan/andre-seksjon"] == ("plan/et-eksempelkapittel-om-samordning", [9, 9])


@pytest.mark.parametrize("bad_row, message", [
    ("noe | Testdepartementet | Kanskje |", "unknown status 'Kanskje'"),
    ("noe | Ukjentdepartementet | Pågår |", "unknown ministry name 'Ukjentdepartementet'"),
    ("noe | Testdepartementet |", "needs 3 non-empty cells"),
])
def test_tables_reject_bad_rows_with_file_and_line(bad_row, message):
    lines = ["Kapittel", "Seksjon", "Regjeringen vil: | Ansvarlig departement: | Status: |", bad_row]
    with pytest.raises(InputError) as caught:
        extract_tables(lines, "doc/x", "plan.txt", Resolver(registry_of(*MINISTRIES)))
    assert message in caught.value.message
    assert caught.value.message.startswith("plan.txt:4:")


def factsheet_registry() -> Registry:
    return registry_of(
        *MINISTRIES,
        ("org/testdirektoratet", "agency", "Testdirektoratet", ["TD"]),
        ("org/proveetaten", "agency", "Prøveetaten", ["PE"]),
        ("org/ks", "interest-organisation", "KS", []),
        ("org/alle-testkommuner", "municipal", "Alle testkommuner", []),
        ("plan/teststrategien", "strategy", "Teststrategien (2024–2030)", []),
        ("funding-scheme/provemidler", "funding-scheme", "Prøvemidler", []),
    )


SECTORS = [{"heading": "Testdepartementets område", "id": "sector/test", "head": "org/testdepartementet"},
           {"heading": "Kommunal sektor", "id": "sector/kommunal", "head": "org/ks"}]


def read_factsheet(skips=None, registry=None):
    lines = (FIXTURES / "sources" / "factsheet.txt").read_text(encoding="utf-8").splitlines()
    reader = FactSheetReader("doc/f", "factsheet.txt", SECTORS, Resolver(registry or factsheet_registry()), {9: "a sentence"} if skips is None else skips)
    return reader.read(lines)


def test_factsheet_agencies_strategies_funding_and_members():
    out = read_factsheet()
    subordinate = {(f["org"], f["parent"]) for f in facts_of(out, "subordinate")}
    assert subordinate == {("org/testdirektoratet", "org/testdepartementet"), ("org/proveetaten", "org/testdepartementet")}
    members = {(f["member"], f["body"]) for f in facts_of(out, "membership")}
    assert members == {("org/alle-testkommuner", "org/ks")}
    listed = {f["item"] for f in facts_of(out, "sector")}
    assert listed == {"plan/teststrategien", "funding-scheme/provemidler", "org/testdirektoratet",
                      "org/proveetaten", "org/alle-testkommuner"}
    admins = {f["org"] for f in facts_of(out, "participation") if f["role"] == "administrator"}
    assert admins == {"org/testdirektoratet", "org/proveetaten"}
    assert {e["id"] for e in out.entities} == {"sector/test", "sector/kommunal"}


def test_factsheet_unknown_name_names_file_and_line():
    with pytest.raises(InputError) as caught:
        read_factsheet(skips={})
    assert caught.value.message.startswith("factsheet.txt:9: unknown strategy name 'Dette er en setning og ikke et navn'")


def test_factsheet_unknown_sector_heading_is_an_error():
    lines = ["Tittel", "Ukjentdepartementets område", "Tekst.", "Strategier", "- Noe"]
    reader = FactSheetReader("doc/f", "f.txt", SECTORS, Resolver(factsheet_registry()), {})
    with pytest.raises(InputError, match="f.txt:2: 'Ukjentdepartementets område' looks like a sector heading"):
        reader.read(lines)


def test_factsheet_mint_new_registers_unknown_names():
    lines = (FIXTURES / "sources" / "factsheet.txt").read_text(encoding="utf-8").splitlines()
    resolver = Resolver(factsheet_registry(), mint_new=True)
    out = FactSheetReader("doc/f", "factsheet.txt", SECTORS, resolver, {}).read(lines)
    assert out.minted == [{"id": "plan/dette-er-en-setning-og-ikke-et-navn", "type": "strategy",
                           "label": "Dette er en setning og ikke et navn"}]
