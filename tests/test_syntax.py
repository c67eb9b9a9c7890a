"""Readable SPARQL syntax errors: the formatter, and the same words from the service and the CLI."""

import subprocess
import sys

import pyoxigraph as ox
import pytest

from inprocess import app_client
from samkart.sparql.syntax import describe_syntax_error, expected_tokens

UNKNOWN_PREFIX = "PREFIX a: <http://example.org/>\nSELECT * WHERE {\n  ?s foo:bar ?o\n}"


def parser_message(query: str) -> str:
    """What Oxigraph's parser says about ``query``."""
    with pytest.raises(SyntaxError) as raised:
        ox.Store().query(query)
    return str(raised.value)


def test_unknown_prefix_is_named_with_line_column_and_caret():
    text = describe_syntax_error(UNKNOWN_PREFIX, parser_message(UNKNOWN_PREFIX), ["cv", "dct"])
    first, line, caret, hint = text.split("\n")
    assert first == "line 3, column 6: unknown prefix `foo:`"
    assert line == "    ?s foo:bar ?o"
    assert caret == "       ^^^^^^^"  # under foo:bar, two spaces of indent kept
    assert hint == "declare it with PREFIX foo: <…>; these need no declaration: cv, dct"


def test_unclosed_group_says_the_query_ends_and_what_was_expected():
    query = "SELECT * WHERE {\n  ?s ?p ?o"
    text = describe_syntax_error(query, parser_message(query))
    assert text.startswith("line 2, column 11: unexpected end of the query\n")
    assert "`}`" in text.splitlines()[-1] and "['0'" not in text and "u{" not in text


def test_invalid_iri_and_unexpected_token():
    query = "SELECT ?x WHERE { ?s <a b> ?o }"
    assert describe_syntax_error(query, parser_message(query)).startswith("line 1, column 22: invalid IRI `<a b>`")
    query = "SELEC ?x WHERE { }"
    text = describe_syntax_error(query, parser_message(query))
    assert text.startswith("line 1, column 10: unexpected `WHERE`") and "`CONSTRUCT`" in text


def test_messages_without_a_position_or_before_the_query_pass_through():
    assert describe_syntax_error("ASK {}", "something\n  else") == "something else"
    assert describe_syntax_error("ASK {}", "error at 2:3: x", skipped_lines=3) == "error at 2:3: x"
    shifted = describe_syntax_error("SELECT * WHERE {", parser_message("PREFIX a: <x:>\nSELECT * WHERE {"), skipped_lines=1)
    assert shifted.startswith("line 1, column 17:")


def test_expected_tokens_drop_character_classes():
    detail = 'expected one of "$", "}", "\\"", [\'A\' ..= \'Z\' | \'\\u{00C0}\'..=\'\\u{00D6}\'], [_], FILTER'
    assert expected_tokens(detail) == ["`}`", "`FILTER`", "a variable", "a string"]


def test_service_answers_400_with_the_readable_message(build_file):
    with app_client(build_file) as client:
        response = client.post("/sparql", data={"query": UNKNOWN_PREFIX})
        assert response.status_code == 400
        body = response.json()
        assert body["ok"] is False and body["code"] == "query_error"
        assert "line 3, column 6: unknown prefix `foo:`" in body["error"]
        assert "    ?s foo:bar ?o\n       ^^^^^^^" in body["error"]
        assert "expected one of" not in body["error"]


def test_cli_query_prints_the_same_words(build_file, tmp_path):
    query_file = tmp_path / "broken.rq"
    query_file.write_text(UNKNOWN_PREFIX, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "samkart.cli", "query", str(query_file), "--data", str(build_file)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    first, *rest = run.stderr.splitlines()
    assert first == "samkart: error: broken.rq: SPARQL syntax error: line 3, column 6: unknown prefix `foo:`"
    assert rest[:2] == ["    ?s foo:bar ?o", "       ^^^^^^^"]


def test_a_remote_engines_syntax_error_is_said_in_the_same_words(oxigraph):
    from samkart.errors import QueryError
    from samkart.sparql.backends import RemoteBackend

    with pytest.raises(QueryError) as raised:
        RemoteBackend(f"{oxigraph}/query", 30).query(UNKNOWN_PREFIX)
    assert "line 3, column 6" in raised.value.message and "    ?s foo:bar ?o" in raised.value.message
