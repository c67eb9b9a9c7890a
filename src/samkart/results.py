"""SELECT/ASK results, materialised under a row cap, and written as SPARQL JSON, XML, CSV or TSV.

A result over the cap is an error, never a silently cut body, so rows are counted before anything is
sent. pyoxigraph writes the result once as SPARQL TSV (in Rust; one line per row, so counting is a
byte count) and the other formats are converted from it, also in Rust. Python term objects are made
only when Python code needs the rows (pages, labels, explore). Tables built from Python rows (tests,
other sources) are written by the Python writers below.
"""

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import TooManyRows



TSV = ox.QueryResultsFormat.TSV


class Table:
    """A materialised SELECT result: variables and rows of terms, the rows held as SPARQL TSV bytes
    (written by pyoxigraph) and parsed into pyoxigraph terms only when ``rows`` is first read."""

    def __init__(self, variables: list[str], rows: list | None = None, tsv: bytes | None = None,
                 count: int | None = None):
        self.variables = variables
        self._rows = rows
        self.tsv = tsv
        self.count = len(rows) if rows is not None else (count or 0)

    @property
    def rows(self) -> list[list["ox.NamedNode | ox.BlankNode | ox.Literal | None"]]:
        """The rows as lists of terms (None for unbound)."""
        if self._rows is None:
            width = len(self.variables)
            self._rows = [[s[i] for i in range(width)] for s in ox.parse_query_results(self.tsv, format=TSV)]
        return self._rows

    def __len__(self) -> int:
        return self.count

    def __eq__(self, other) -> bool:
        return isinstance(other, Table) and (self.variables, self.rows) == (other.variables, other.rows)

    def __repr__(self) -> str:
        return f"Table({self.variables}, {self.count} rows)"


def materialise(result: "ox.QuerySolutions", max_rows: int) -> Table:
    """All rows of a SELECT result, or :class:`TooManyRows` past ``max_rows``."""
    variables = [v.value for v in result.variables]
    tsv = result.serialize(format=TSV)
    count = tsv.count(b"\n") - 1  # a header line, then one line per row (newlines in values are escaped)
    if count > max_rows:
        raise TooManyRows(f"the query returns more than {max_rows} rows; add a LIMIT or narrow it")
    return Table(variables, tsv=tsv, count=count)


def converted(table: Table, fmt: "ox.QueryResultsFormat") -> bytes | None:
    """The table in ``fmt``, converted from its TSV by pyoxigraph; None when it has no TSV."""
    if table.tsv is None:
        return None
    return ox.parse_query_results(table.tsv, format=TSV).serialize(format=fmt)


def materialise_result(result, max_rows: int):
    """Any query result, materialised under the cap: a Table (SELECT), a bool (ASK) or a list of triples.

    Already-materialised results (from a worker process or a remote engine) pass through, checked.
    """
    if isinstance(result, ox.QuerySolutions):
        return materialise(result, max_rows)
    if isinstance(result, Table):
        if len(result) > max_rows:
            raise TooManyRows(f"the query returns more than {max_rows} rows; add a LIMIT or narrow it")
        return result
    if isinstance(result, (bool, ox.QueryBoolean)):
        return bool(result)
    triples = result if isinstance(result, list) else list(result)
    if len(triples) > max_rows:
        raise TooManyRows(f"the query returns more than {max_rows} triples; narrow it")
    return triples


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def to_json(table: Table) -> bytes:
    """SPARQL 1.1 Query Results JSON."""
    if (fast := converted(table, ox.QueryResultsFormat.JSON)) is not None:
        return fast
    bindings = [{v: _json_term(t) for v, t in zip(table.variables, row) if t is not None} for row in table.rows]
    return json.dumps({"head": {"vars": table.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def to_xml(table: Table) -> bytes:
    """SPARQL Query Results XML."""
    if (fast := converted(table, ox.QueryResultsFormat.XML)) is not None:
        return fast
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in table.variables)
    body = "".join(
        "<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                             for v, t in zip(table.variables, row) if t is not None) + "</result>"
        for row in table.rows)
    return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{body}</results></sparql>").encode("utf-8")


def to_csv(table: Table) -> bytes:
    """SPARQL 1.1 CSV: plain values, CRLF line ends."""
    if (fast := converted(table, ox.QueryResultsFormat.CSV)) is not None:
        return fast
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.variables)
    for row in table.rows:
        writer.writerow(["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value) for t in row])
    return buffer.getvalue().encode("utf-8")


def to_tsv(table: Table) -> bytes:
    """SPARQL 1.1 TSV: terms in N-Triples/Turtle form."""
    if table.tsv is not None:
        return table.tsv
    lines = ["\t".join(f"?{v}" for v in table.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in table.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode()


def boolean_xml(value: bool) -> bytes:
    return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>").encode()


WRITERS = {"application/sparql-results+json": (to_json, boolean_json),
           "application/sparql-results+xml": (to_xml, boolean_xml),
           "text/csv": (to_csv, None), "text/tab-separated-values": (to_tsv, None)}
