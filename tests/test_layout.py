"""The in-memory copy is filled in subject order: same quads as a plain load, errors at their true line."""

import io

import pyoxigraph as ox
import pytest

from samkart.errors import SamkartError
from samkart.sparql.backends import EmbeddedBackend
from samkart.sparql.layout import LineReader, load_in_subject_order, subject_ordered_lines
from samkart.sparql.store import bulk_load, format_of

TURTLE = """@prefix ex: <https://example.org/> .
ex:b ex:knows [ ex:name "anonym" ] ; ex:name "B"@nb .
ex:a ex:knows ex:b .
"""
TRIG = """@prefix ex: <https://example.org/> .
ex:g { ex:c ex:name "C" . _:x ex:name "blank" . ex:c ex:knows _:x . }
"""
NQUADS_NO_FINAL_NEWLINE = ('<https://example.org/z> <https://example.org/name> "Z" <https://example.org/g2> .\n'
                           '<https://example.org/a> <https://example.org/name> "A\\nline" .')


def quads(store: ox.Store) -> set[str]:
    """The store's quads as N-Quads text with blank nodes named by what they carry (labels differ by load)."""
    names = {str(q.subject): str(q.object) for q in store if isinstance(q.subject, ox.BlankNode)}
    return {" ".join(names.get(str(t), str(t)) for t in (q.subject, q.predicate, q.object, q.graph_name))
            for q in store}


@pytest.fixture
def files(tmp_path, build_file):
    written = {"a.ttl": TURTLE, "b.trig": TRIG, "c.nq": NQUADS_NO_FINAL_NEWLINE}
    for name, text in written.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [build_file, *(tmp_path / name for name in written)]


def test_the_copy_holds_the_same_quads_as_a_plain_load(files):
    """The real graph with Turtle, TriG (blank nodes) and N-Quads without a final newline beside it."""
    plain = ox.Store()
    bulk_load(plain, files)
    ordered = EmbeddedBackend.from_files(files).store.store
    assert len(ordered) == len(plain) > 18_000
    assert quads(ordered) == quads(plain)


def test_statements_come_grouped_by_subject(files):
    subjects = [line.split(b" ", 1)[0] for line in subject_ordered_lines(files, [format_of(f) for f in files])]
    runs = [s for i, s in enumerate(subjects) if i == 0 or s != subjects[i - 1]]
    assert len(runs) == len(set(subjects)) > 1_000  # each subject's statements in one run
    assert subjects == sorted(subjects)


@pytest.mark.parametrize("size", [1, 7, 100, 65_536])
def test_the_line_reader_hands_over_every_byte_in_order(size):
    lines = [f"line {i} {'x' * (i % 13)}\n".encode() for i in range(500)]
    reader = LineReader(iter(lines))
    out = b""
    while chunk := reader.read(size):
        out += chunk
    assert out == b"".join(lines)
    assert io.BufferedReader(LineReader(iter(lines))).read() == b"".join(lines)


def test_a_broken_file_is_reported_at_its_own_line(tmp_path):
    """Sorting moves lines; the error still names the file and the line as written."""
    broken = tmp_path / "broken.nq"
    broken.write_text('<urn:z> <urn:p> "ok" .\n<urn:z> <urn:p> "ok2" .\n<urn:a> <urn:b> .\n', encoding="utf-8")
    assert load_in_subject_order(ox.Store(), [broken]) is False
    with pytest.raises(SamkartError) as raised:
        EmbeddedBackend.from_files([broken])
    assert f"cannot read '{broken}'" in str(raised.value)
    assert "line 3" in str(raised.value)  # sorted, the broken statement would come first


@pytest.mark.parametrize("block", [1, 5, 64])
def test_lines_split_across_read_blocks_come_out_whole(monkeypatch, block):
    from samkart.sparql import layout

    monkeypatch.setattr(layout, "BLOCK_BYTES", block)
    text = b'<urn:b> <urn:p> "x" .\n<urn:a> <urn:p> "yy" .\r\n\n<urn:c> <urn:p> "z" .'
    assert b"".join(layout._lines(io.BytesIO(text))) == text + b"\n"
