"""The command line as a user runs it: real subprocesses, clear one-line errors, right exit codes."""

import json
import subprocess
import sys

import pytest


def samkart(*args, env=None):
    return subprocess.run([sys.executable, "-m", "samkart.cli", *args], capture_output=True, text=True, env=env)


def test_build_and_query_table_csv_json(tmp_path):
    out = tmp_path / "g.nq"
    assert samkart("build", "-o", str(out)).returncode == 0
    assert out.stat().st_size > 0
    query = "SELECT ?label WHERE { <https://w3id.org/samkart/id/org/digitaliseringsdirektoratet> skos:prefLabel ?label }"
    table = samkart("query", query, "--data", str(out))
    assert table.returncode == 0 and "Digitaliseringsdirektoratet" in table.stdout and "(1 rows)" in table.stdout
    csv = samkart("query", query, "--data", str(out), "--format", "csv")
    assert csv.stdout.splitlines()[0] == "label"
    parsed = json.loads(samkart("query", query, "--data", str(out), "--format", "json").stdout)
    assert parsed["results"]["bindings"][0]["label"]["xml:lang"] == "nb"


@pytest.fixture(scope="module")
def trig(tmp_path_factory):
    """The dataset built as TriG by the command line."""
    out = tmp_path_factory.mktemp("trig") / "g.trig"
    assert samkart("build", "-o", str(out)).returncode == 0
    return out


def test_query_errors_are_one_line(tmp_path, build_file):
    missing = samkart("query", "SELECT ?x WHERE { ?x ?y ?z }", "--data", str(tmp_path / "missing.nq"))
    assert missing.returncode == 2 and "missing.nq' does not exist" in missing.stderr
    assert "samkart build" not in missing.stderr  # the user named a file: building ours would not help
    broken = samkart("query", "SELECT ?x WHERE { ?x", "--data", str(build_file))
    assert broken.returncode == 2
    assert broken.stderr.startswith("samkart: error: SPARQL syntax error: line 1, column 21: unexpected end of the query")
    assert "Traceback" not in broken.stderr  # the line and a caret follow (tests/test_syntax.py)


def test_query_file(tmp_path, trig):
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?m a sk:Measure }", encoding="utf-8")
    result = samkart("query", str(rq), "--data", str(trig))
    assert result.stdout.strip() == "true"


def test_validate_json_report(trig):
    result = samkart("validate", "--format", "json", "--data", str(trig))
    report = json.loads(result.stdout)
    assert result.returncode == (0 if report["conforms"] else 1)
    assert report["conforms"] is True


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_validate_bad_data_file_is_a_one_line_input_error(tmp_path, engine):
    turtle, broken = tmp_path / "g.ttl", tmp_path / "broken.nq"
    turtle.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    broken.write_text("not rdf <<\n", encoding="utf-8")
    expected = {turtle: "is not a TriG (.trig) or N-Quads (.nq) file", tmp_path / "missing.nq": "does not exist",
                broken: "cannot read"}
    for path, message in expected.items():
        result = samkart("validate", "--engine", engine, "--data", str(path))
        assert result.returncode == 2, result.stderr
        assert "samkart: error: " in result.stderr and message in result.stderr and "Traceback" not in result.stderr


def test_stats_counts_classes_and_documents():
    result = samkart("stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    classes = {row["class"]: int(row["count"]) for row in stats["classes"]}
    assert classes["https://w3id.org/samkart/def#Measure"] == 19
    assert len(stats["documents"]) == 5
    coverage = {row["file"]: row for row in stats["coverage"]}
    assert len(coverage) == 5 and all(int(row["mention_lines"]) > 0 for row in coverage.values())
    row = coverage["003_035106832bd319fc.txt"]
    parts = ("covered", "excepted", "uncovered")
    assert sum(int(row[k]) for k in parts) == int(row["mention_lines"]) <= int(row["lines"])
    assert samkart("stats").stdout.count("### coverage") == 1


def test_extract_unknown_folder_is_a_clear_error(tmp_path):
    result = samkart("extract", str(tmp_path / "nope"))
    assert result.returncode == 2 and "source folder not found" in result.stderr


def test_extract_writes_nothing_on_malformed_input(tmp_path):
    (tmp_path / "000_565fa4205577846f.txt").write_text(
        "Kapittel\nSeksjon\nRegjeringen vil: | Ansvarlig departement: | Status: |\nnoe | Ukjentdep | Pågår |\n", encoding="utf-8")
    out = tmp_path / "out"
    result = samkart("extract", str(tmp_path), "--out", str(out))
    assert result.returncode == 2
    assert "000_565fa4205577846f.txt:4: unknown ministry name 'Ukjentdep'" in result.stderr
    assert not out.exists()


def test_validate_lenient_loading_refuses_bad_iris_as_the_strict_one(tmp_path):
    """Large files load leniently beside a strict syntax pass (here forced for a small file): a relative IRI is
    the same one-line error, exit 2, no finding list."""
    import os

    bad = tmp_path / "bad.nq"
    bad.write_text('<urn:x:a> <urn:x:p> "x" <urn:x:g> .\n<a> <urn:x:p> "x" <urn:x:g> .\n', encoding="utf-8")
    results = [samkart("validate", "--data", str(bad), env={**os.environ, "SAMKART_VALIDATE_LENIENT_FROM_BYTES": size})
               for size in ("0", "1000000000000")]
    assert [r.returncode for r in results] == [2, 2] and results[0].stderr == results[1].stderr
    assert "line 2" in results[0].stderr and "No scheme found" in results[0].stderr and results[0].stdout == ""


def test_validate_exits_with_its_code_and_its_whole_report_when_the_store_is_left_to_the_os(tmp_path):
    """`samkart validate` ends the process without freeing the store (os._exit): the report still arrives
    whole through a pipe, and a violation still gives exit code 1."""
    data = tmp_path / "one.nq"
    data.write_text("<urn:x:span> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                    "<https://w3id.org/samkart/def#SourceSpan> <urn:x:g> .\n", encoding="utf-8")
    result = samkart("validate", "--format", "json", "--data", str(data))
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["conforms"] is False
    assert {r["focus"] for r in report["results"]} == {"urn:x:span"}
