"""SELECT/ASK results, materialised under a row cap, and written as SPARQL JSON, XML, CSV or TSV.

A result over the cap is an error, never a silently cut body, so rows are bounded before anything is
sent. pyoxigraph writes the result once as SPARQL JSON (in Rust; the format most clients ask for, so
it is usually sent as written) and the other formats are converted from it, also in Rust. The rows
are bounded without parsing. Every row opens one ``{`` of its own (the head opens three more; values
and strings may add some, never fewer), so the count of ``{`` bounds the rows (memchr-fast). When that
passes the cap, a tighter bound: every bound value has one ``"type":`` key (which cannot occur inside
a JSON string, where quotes are escaped) and every empty row is one ``{}``. A result with more values
than the cap times its variables has more rows than the cap. Only a result none of these settles is
counted exactly. Python term objects are made only when Python code
needs the rows (pages, labels, explore). Tables built from Python rows (tests, other sources) are
written by the Python writers below.
"""

import csv
import io
import json
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from samkart.errors import TooManyRows

TSV, JSON = ox.QueryResultsFormat.TSV, ox.QueryResultsFormat.JSON
Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = list[Term | None]


def row_bound(json_body: bytes) -> int:
    """At least as many as the rows of a SPARQL JSON result written by pyoxigraph (see the module notes)."""
    return json_body.count(b"{") - 3


def tight_row_bound(json_body: bytes) -> int:
    """A tighter (and ~10× slower) upper bound on the rows of a pyoxigraph SPARQL JSON result."""
    return json_body.count(b'"type":') + json_body.count(b"{}")


class Table:
    """A materialised SELECT result: variables and rows of terms. The rows are held as the SPARQL JSON
    pyoxigraph wrote (``body``) and parsed into terms only when ``rows`` is first read; or given as
    Python rows."""

    def __init__(self, variables: list[str], rows: list[Row] | None = None, body: bytes | None = None,
                 count: int | None = None):
        self.variables = variables
        self._rows = rows
        self.body = body
        self._count = len(rows) if rows is not None else count
        self.bodies: dict[str, bytes] = {}  # bodies already written in other formats, by media type

    @property
    def rows(self) -> list[Row]:
        """The rows as lists of terms (None for unbound)."""
        if self._rows is None:
            width = len(self.variables)
            self._rows = [[s[i] for i in range(width)] for s in self._solutions()]
            self._count = len(self._rows)
        return self._rows

    def _written(self) -> bytes:
        """The SPARQL JSON body (always set when the rows were not given as Python rows)."""
        if self.body is None:
            raise ValueError("a Table holds either Python rows or a SPARQL JSON body")
        return self.body

    def _solutions(self) -> ox.QuerySolutions:
        """The body parsed back into pyoxigraph solutions."""
        solutions = ox.parse_query_results(self._written(), format=JSON)
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("the body holds a boolean answer, not a table")
        return solutions

    def size_hint(self) -> int:
        """The row count when known, else an upper bound read off the bytes (never parses them)."""
        return self._count if self._count is not None else row_bound(self._written())

    def exceeds(self, max_rows: int) -> bool:
        """True when the table has more than ``max_rows`` rows; counted only when no bound settles it. Besides
        the upper bounds, a lower one: a row holds at most one value per variable, so more than ``max_rows``
        times as many values as variables means more than ``max_rows`` rows."""
        if self.size_hint() <= max_rows:
            return False
        if self._count is None:
            body = self._written()
            if tight_row_bound(body) <= max_rows:
                return False
            if body.count(b'"type":') > max_rows * len(self.variables):
                return True
        return len(self) > max_rows

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _ in self._solutions())
        return self._count

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Table) and (self.variables, self.rows) == (other.variables, other.rows)

    def __repr__(self) -> str:
        return f"Table({self.variables}, {len(self)} rows)"


class Triples(list[ox.Triple]):
    """A materialised CONSTRUCT/DESCRIBE result (pyoxigraph triples) with the bodies already written for it."""

    def __init__(self, triples: Iterable[ox.Triple] = (), bodies: dict[str, bytes] | None = None):
        super().__init__(triples)
        self.bodies = dict(bodies or {})


Result = Table | bool | list[ox.Triple]
"""A materialised query result: a table (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""
Raw = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
"""A query result as pyoxigraph returns it, not yet materialised."""
Answer = Raw | Result
"""What a backend answers: pyoxigraph's result, or one already materialised (by a worker or a remote engine)."""


def with_body(result: Result | Iterable[ox.Triple], media_type: str, body: bytes) -> Result:
    """``result`` carrying ``body``, its answer in ``media_type`` written where the query ran (a worker
    process), so the service need not write it again; a boolean answer is tiny and carries none."""
    if isinstance(result, bool):
        return result
    if not isinstance(result, Table | Triples):
        result = Triples(result)
    result.bodies[media_type] = body
    return result


def check_rows(table: Table, max_rows: int) -> Table:
    """``table``, or :class:`TooManyRows` when it has more than ``max_rows`` rows (counted only when
    the bound says it might)."""
    if table.exceeds(max_rows):
        raise TooManyRows(f"the query returns more than {max_rows} rows; add a LIMIT or narrow it")
    return table


def materialise(result: "ox.QuerySolutions", max_rows: int) -> Table:
    """All rows of a SELECT result, or :class:`TooManyRows` past ``max_rows``."""
    variables = [v.value for v in result.variables]
    return check_rows(Table(variables, body=result.serialize(format=JSON)), max_rows)


def converted(table: Table, fmt: "ox.QueryResultsFormat") -> bytes | None:
    """The table in ``fmt`` (as written, or converted by pyoxigraph); None when it has no body."""
    if table.body is None:
        return None
    if fmt == JSON:
        return table.body
    return ox.parse_query_results(table.body, format=JSON).serialize(format=fmt)


def materialise_result(result: Answer, max_rows: int) -> Result:
    """Any query result, materialised under the cap: a Table (SELECT), a bool (ASK) or a list of triples.

    Already-materialised results (from a worker process or a remote engine) pass through, checked.
    """
    if isinstance(result, ox.QuerySolutions):
        return materialise(result, max_rows)
    if isinstance(result, Table):
        return check_rows(result, max_rows)
    if isinstance(result, (bool, ox.QueryBoolean)):
        return bool(result)
    triples = result if isinstance(result, list) else list(result)
    if len(triples) > max_rows:
        raise TooManyRows(f"the query returns more than {max_rows} triples; narrow it")
    return triples


def as_table(result: Result) -> Table:
    """``result`` as the table of a SELECT query (a TypeError for an ASK or CONSTRUCT answer)."""
    if not isinstance(result, Table):
        raise TypeError(f"a SELECT query's table was expected, not {type(result).__name__}")
    return result


def as_triples(result: Result) -> list[ox.Triple]:
    """``result`` as the triples of a CONSTRUCT or DESCRIBE query (a TypeError for a table or a boolean)."""
    if not isinstance(result, list):
        raise TypeError(f"a CONSTRUCT query's triples were expected, not {type(result).__name__}")
    return result


def _json_term(term: Term) -> dict[str, str]:
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
    if (fast := converted(table, JSON)) is not None:
        return fast
    bindings = [{v: _json_term(t) for v, t in zip(table.variables, row, strict=True) if t is not None} for row in table.rows]
    return json.dumps({"head": {"vars": table.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term: Term) -> str:
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
                             for v, t in zip(table.variables, row, strict=True) if t is not None) + "</result>"
        for row in table.rows)
    return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{body}</results></sparql>").encode()


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
    if (fast := converted(table, TSV)) is not None:
        return fast
    lines = ["\t".join(f"?{v}" for v in table.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in table.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode()


def boolean_xml(value: bool) -> bytes:
    return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>").encode()


WRITERS = {"json": (to_json, boolean_json), "xml": (to_xml, boolean_xml), "csv": (to_csv, None), "tsv": (to_tsv, None)}
"""Our writers of a results format (by its key in :mod:`samkart.formats`): for tables, for booleans."""
