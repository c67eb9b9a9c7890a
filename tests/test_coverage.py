"""`samkart coverage`: mentions, cited lines, exceptions and gaps, on a small fixture document and on the real data."""

import json
from pathlib import Path

import pytest

from samkart.cli import main
from samkart.errors import InputError, SamkartError
from samkart.graph.documents import Document
from samkart.graph.facts import Fact, FactFile
from samkart.graph.registry import Registry
from samkart.reports.coverage import (
    MAX_EXCEPTED_SHARE,
    TARGET_SHARE,
    MentionFinder,
    as_json,
    as_text,
    coverage,
    load_exceptions,
    project_coverage,
)

FIXTURE = Path(__file__).parent / "fixtures" / "coverage" / "source.txt"
DOC_ID = "doc/eksempel"


def fixture_document() -> Document:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    return Document(DOC_ID, "source.txt", "Eksempeldokumentet", "fact-sheet", ["org/ks"], "2025",
                    line_count=len(lines), lines=lines)


def fixture_registry() -> Registry:
    registry = Registry()
    registry.add_entries([
        {"id": "org/eksempeldirektoratet", "type": "agency", "label": "Eksempeldirektoratet", "alt": ["ED"]},
        {"id": "org/ks", "type": "interest-organisation", "label": "KS"},
        {"id": "org/ks-eksempeltjenester-as", "type": "company", "label": "KS Eksempeltjenester AS"},
        {"id": "service/eksempelportalen", "type": "common-solution", "label": "Eksempelportalen"},
        {"id": "org/vi", "type": "agency", "label": "Virksomhet for ingenting", "alt": ["VI"]},
    ], Path("registry.yaml"))
    return registry


def fact(first: int, last: int) -> Fact:
    return Fact("participation", {}, DOC_ID, (first, last), None, "facts.yaml:1")


def write_exceptions(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "coverage-exceptions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def report(tmp_path):
    exceptions = write_exceptions(tmp_path, f'- {{document: {DOC_ID}, line: 8, reason: "heading"}}\n')
    files = [FactFile(Path("facts.yaml"), DOC_ID, facts=[fact(3, 3), fact(4, 5)])]
    return coverage({DOC_ID: fixture_document()}, files, fixture_registry(), exceptions)


def test_mentions_by_name_abbreviation_and_genitive():
    finder = MentionFinder(fixture_registry())
    assert finder.find("Eksempeldirektoratet og KS har laget en ny tjeneste.") == ["org/eksempeldirektoratet", "org/ks"]
    assert finder.find("driftes av Eksempeldirektoratets driftsenhet") == ["org/eksempeldirektoratet"]
    assert finder.find("eksempeldirektoratet med liten forbokstav") == ["org/eksempeldirektoratet"]
    assert finder.find("ED og VI") == ["org/eksempeldirektoratet", "org/vi"]


def test_short_names_match_only_in_their_case_and_as_whole_words():
    finder = MentionFinder(fixture_registry())
    assert finder.find("En ks-fil og et vi-ord; vi og Ks og eksempeldirektoratetene") == []
    assert finder.find("KSX og XKS og VIP") == []


def test_names_that_are_also_ordinary_words_match_only_in_their_own_case():
    registry = fixture_registry()
    registry.add_entries([
        {"id": "initiative/informasjonssikkerhet", "type": "project", "label": "Informasjonssikkerhet",
         "case-sensitive": True},
        {"id": "area/kultur", "type": "policy-area", "label": "Kultur"},
    ], Path("registry.yaml"))
    finder = MentionFinder(registry)
    assert finder.find("arbeidet med informasjonssikkerhet og kultur") == []
    assert finder.find("Informasjonssikkerhet: Kultur") == ["initiative/informasjonssikkerhet", "area/kultur"]


def test_the_longer_of_two_overlapping_names_wins():
    assert MentionFinder(fixture_registry()).find("KS Eksempeltjenester AS leverer") == ["org/ks-eksempeltjenester-as"]


def test_lines_are_covered_excepted_or_uncovered(report):
    (doc,) = report
    assert len(doc.lines) == 9  # non-empty lines only
    assert [line.number for line in doc.lines if line.mentions] == [3, 4, 5, 6, 7, 8, 10]
    assert [line.number for line in doc.lines if line.covered] == [3, 4, 5]
    assert [line.number for line in doc.lines if line.excepted] == [8]
    assert [line.number for line in doc.lines if line.uncovered] == [6, 7, 10]
    assert [len(line.facts) for line in doc.lines[1:4]] == [1, 1, 1]
    assert doc.share == pytest.approx(4 / 7) and doc.excepted_share == pytest.approx(1 / 7)


def test_json_has_the_shape_of_the_issue(report):
    assert as_json(report) == {"documents": [{
        "file": "source.txt", "title": "Eksempeldokumentet", "lines": 9, "mention_lines": 7, "covered": 3,
        "excepted": 1, "uncovered": [{"line": 6, "mentions": ["org/ks-eksempeltjenester-as"]},
                                     {"line": 7, "mentions": ["org/vi"]},
                                     {"line": 10, "mentions": ["org/eksempeldirektoratet"]}]}]}


def test_text_shows_figures_and_each_uncovered_line_with_its_text(report):
    text = as_text(report)
    assert "9 non-empty lines; 7 name a known entity: 3 covered, 1 excepted, 3 uncovered (57.1 % covered" in text
    assert "L6 [org/ks-eksempeltjenester-as] KS Eksempeltjenester AS leverer til kommunene." in text
    assert "L8 " not in text and "L3 " not in text


def test_text_names_exceptions_that_are_not_needed(tmp_path):
    exceptions = write_exceptions(tmp_path, f'- {{document: {DOC_ID}, line: 3, reason: "x"}}\n'
                                            f'- {{document: {DOC_ID}, line: 9, reason: "y"}}\n')
    files = [FactFile(Path("facts.yaml"), DOC_ID, facts=[fact(3, 3)])]
    report = coverage({DOC_ID: fixture_document()}, files, fixture_registry(), exceptions)
    assert "exceptions not needed: L3 (cited by a fact), L9 (names no known entity)" in as_text(report)


@pytest.mark.parametrize("entry, message", [
    ('{document: doc/ukjent, line: 3, reason: "heading"}', "unknown document 'doc/ukjent'"),
    (f'{{document: {DOC_ID}, line: 11, reason: "heading"}}', "line 11 is not a line of doc/eksempel (1–10)"),
    (f'{{document: {DOC_ID}, line: 0, reason: "heading"}}', "line 0 is not a line"),
    (f'{{document: {DOC_ID}, line: 2, reason: "heading"}}', "line 2 of doc/eksempel is empty"),
    (f'{{document: {DOC_ID}, line: 3, reason: "  "}}', "needs a reason"),
    (f'{{document: {DOC_ID}, line: 3}}', "needs a reason"),
    (f'{{document: {DOC_ID}, line: 3, reason: "x", extra: 1}}', "and nothing else"),
    (f'{{document: {DOC_ID}, line: 3, reason: "a"}}\n- {{document: {DOC_ID}, line: 3, reason: "b"}}',
     "doc/eksempel line 3 is listed twice"),
])
def test_malformed_exceptions_are_one_line_errors(tmp_path, entry, message):
    path = write_exceptions(tmp_path, f"- {entry}\n")
    with pytest.raises(InputError) as error:
        load_exceptions(path, {DOC_ID: fixture_document()})
    assert message in str(error.value) and "\n" not in str(error.value)
    assert str(path) in str(error.value)


def test_no_exceptions_file_means_no_exceptions(tmp_path):
    assert load_exceptions(tmp_path / "none.yaml", {DOC_ID: fixture_document()}) == {}


# -- the real data ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(settings):
    return project_coverage(settings)


def test_real_report_covers_every_document_and_lists_gaps_with_mentions(real, project):
    assert [d.document.file for d in real] == sorted(d.file for d in project.documents.values())
    for doc in real:
        assert doc.count("mentions") > 0
        assert doc.count("covered") + doc.count("excepted") + doc.count("uncovered") == doc.count("mentions")
        assert all(line.mentions for line in doc.lines if line.uncovered)


def test_real_names_are_found(real):
    doc = next(d for d in real if d.document.file.startswith("003_"))
    mentioned = {m for line in doc.lines for m in line.mentions}
    assert {"org/ks", "org/kommunal-og-moderniseringsdepartementet"} <= mentioned


def test_every_document_is_covered_or_excepted_and_exceptions_stay_few(real):
    shortfalls = [f"{d.document.file}: {100 * d.share:.1f} % covered or excepted, {100 * d.excepted_share:.1f} % excepted"
                  for d in real if d.share < TARGET_SHARE or d.excepted_share > MAX_EXCEPTED_SHARE]
    assert not shortfalls, "\n".join(shortfalls)


def test_cli_json_for_one_document(capsys):
    assert main(["coverage", "--document", "003_035106832bd319fc.txt", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (doc,) = data["documents"]
    assert set(doc) == {"file", "title", "lines", "mention_lines", "covered", "excepted", "uncovered"}
    assert doc["file"] == "003_035106832bd319fc.txt" and doc["mention_lines"] >= doc["covered"] + doc["excepted"]
    assert all(set(gap) == {"line", "mentions"} and gap["mentions"] for gap in doc["uncovered"])


def test_cli_text_and_an_unknown_document(capsys):
    assert main(["coverage", "--document", "doc/en-digital-offentlig-sektor-forord"]) == 0
    assert "003_035106832bd319fc.txt  Én digital offentlig sektor: Forord" in capsys.readouterr().out
    assert main(["coverage", "--document", "999.txt"]) == 2
    err = capsys.readouterr().err
    assert "no source document '999.txt'" in err and err.count("\n") == 1


def test_missing_sources_folder_is_one_line_error(tmp_path):
    from samkart.settings import Settings

    with pytest.raises(SamkartError, match="SAMKART_SOURCES_DIR"):
        project_coverage(Settings(sources_dir=tmp_path))
