"""SELECT/ASK results, materialised under a row cap, and written as SPARQL JSON, XML, CSV or TSV.

We write these ourselves (instead of pyoxigraph's serialiser) because the row cap needs the rows
counted before anything is sent: a result over the cap is an error, never a silently cut body.
"""

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import TooManyRows



@dataclass
class Table:
    """A materialised SELECT result."""

    variables: list[str]
    rows: list[list["ox.NamedNode | ox.BlankNode | ox.Literal | None"]]


def materialise(result: "ox.QuerySolutions", max_rows: int) -> Table:
    """All rows of a SELECT result, or :class:`TooManyRows` past ``max_rows``."""
    variables = [v.value for v in result.variables]
    rows = []
    for solution in result:
        if len(rows) >= max_rows:
            raise TooManyRows(f"the query returns more than {max_rows} rows; add a LIMIT or narrow it")
        rows.append([solution[i] for i in range(len(variables))])
    return Table(variables, rows)


def materialise_result(result, max_rows: int):
    """Any query result, materialised under the cap: a Table (SELECT), a bool (ASK) or a list of triples.

    Already-materialised results (from a worker process or a remote engine) pass through, checked.
    """
    if isinstance(result, ox.QuerySolutions):
        return materialise(result, max_rows)
    if isinstance(result, Table):
        if len(result.rows) > max_rows:
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
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in table.variables)
    body = "".join(
        "<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                             for v, t in zip(table.variables, row) if t is not None) + "</result>"
        for row in table.rows)
    return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{body}</results></sparql>").encode("utf-8")


def to_csv(table: Table) -> bytes:
    """SPARQL 1.1 CSV: plain values, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.variables)
    for row in table.rows:
        writer.writerow(["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value) for t in row])
    return buffer.getvalue().encode("utf-8")


def to_tsv(table: Table) -> bytes:
    """SPARQL 1.1 TSV: terms in N-Triples/Turtle form."""
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
