"""Content negotiation (Accept or a format name) over the format table, and writing results in the chosen format."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from samkart.errors import ParameterError
from samkart.formats import GRAPH_FORMATS, RESULT_FORMATS, Format, aliases, by_name, counterpart_in, is_known

if TYPE_CHECKING:
    from .results import Result

ALIASES = aliases()
"""Media types clients send that mean one of ours."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (q-value, then specificity, then order)."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            if param.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(param[2:])))
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, specificity, position))
    ranges.sort(key=lambda r: (-r[1], -r[2], r[3]))
    return [(ALIASES.get(m, m), q) for m, q, _s, _p in ranges]


def negotiate(formats: tuple[Format, ...], accept: str | None, name: "str | Sequence[str] | None" = None) -> Format | None:
    """The format to answer in, or None (406): what the ``format`` names ask for, else the best Accept match.

    Lenient where clients differ (SPARQLWrapper repeats the name as ``format``, ``output`` and ``results``,
    and as a media type; rdflib asks for JSON results on a CONSTRUCT): repeated names that agree, or of
    which one names a format of this kind, are fine; a name of the other kind (``csv`` on a CONSTRUCT,
    ``turtle`` on a SELECT) falls back to Accept, then to the first (default) format; an Accept that names
    only known formats of the other kind gets their counterpart (JSON-LD for JSON, RDF/XML for XML), else
    the default. Strict where it matters: names that ask for two different formats are a 400, and a name
    or an Accept that means no format at all is a 406.
    """
    names = [n.strip().lower() for n in ([name] if isinstance(name, str) else (name or ())) if n and n.strip()]
    if names:
        found = {f.key: f for n in names if (f := by_name(n, formats)) is not None}
        if len(found) > 1:
            raise ParameterError(f"the format is asked for as {' and '.join(sorted(found))}; ask for one")
        if found:
            return next(iter(found.values()))
        if not any(is_known(n) for n in names):
            return None
    chosen, all_known = from_accept(formats, accept)
    if chosen is None and (names or all_known):
        return formats[0]
    return chosen


def from_accept(formats: tuple[Format, ...], accept: str | None) -> tuple[Format | None, bool]:
    """The best Accept match among ``formats`` (a counterpart standing in for the other kind), and whether
    every acceptable media range names a format we know."""
    all_known = True
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media == "*/*":
            return formats[0], True
        if media.endswith("/*"):
            found = next((f for f in formats if f.media_type.startswith(media[:-1])), None)
        else:
            found = next((f for f in formats if f.media_type == media), None) or counterpart_in(media, formats)
        if found:
            return found, True
        all_known = all_known and is_known(media)
    return None, all_known


def wants_html(accept: str | None) -> bool:
    """True when a browser asks for HTML before any RDF or results type."""
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media != "*/*":
            return False
    return False


def serialise(result: "Result | ox.QueryBoolean | Iterable[ox.Triple]", fmt: Format) -> bytes:
    """Bytes of a query result in ``fmt``: a materialised Table, a boolean, or triples."""
    from .results import WRITERS, Table
    from .store import written

    if isinstance(result, Table):
        return WRITERS[fmt.key][0](result)
    if isinstance(result, (bool, ox.QueryBoolean)):
        write_boolean = WRITERS[fmt.key][1]
        if write_boolean is None:
            raise ParameterError(f"an ASK answer cannot be written as {fmt.key}")
        return write_boolean(bool(result))
    if fmt.engine == "rdf+json":
        return rdf_json(result)
    if fmt.engine == "trix":
        from rdflib import Dataset

        dataset = Dataset()  # rdflib writes TriX only from a graph-aware store; triples go in the default graph
        dataset.parse(data=ox.serialize(result, format=ox.RdfFormat.N_TRIPLES), format="nt")
        return dataset.serialize(format="trix", encoding="utf-8")
    if fmt.engine in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        from .store import DEFAULT_PREFIXES

        return written(ox.serialize(result, format=fmt.rdf_format, prefixes=DEFAULT_PREFIXES))
    return written(ox.serialize(result, format=fmt.rdf_format))


def formats_for(result: object) -> tuple[Format, ...]:
    """The formats a result can be written in (CSV and TSV have no boolean form)."""
    from .results import Table

    if isinstance(result, (bool, ox.QueryBoolean)):
        return tuple(f for f in RESULT_FORMATS if f.boolean)
    return RESULT_FORMATS if isinstance(result, (Table, ox.QuerySolutions)) else GRAPH_FORMATS


def rdf_json(triples: Iterable[ox.Triple]) -> bytes:
    """Triples as RDF/JSON (W3C note): subject → predicate → list of objects (pyoxigraph has no writer)."""
    import json

    out: dict[str, dict[str, list[dict[str, str]]]] = {}
    for triple in triples:
        subject = _node_name(triple.subject)
        term = triple.object
        if isinstance(term, ox.Literal):
            value = {"type": "literal", "value": term.value}
            if term.language:
                value["lang"] = term.language
            else:
                value["datatype"] = term.datatype.value
        else:
            value = {"type": "uri" if isinstance(term, ox.NamedNode) else "bnode", "value": _node_name(term)}
        out.setdefault(subject, {}).setdefault(triple.predicate.value, []).append(value)
    return json.dumps(out, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _node_name(term: "ox.NamedNode | ox.BlankNode | ox.Triple") -> str:
    """An IRI as it is, a blank node as ``_:id`` (RDF/JSON has no form for a quoted triple)."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    raise ParameterError("RDF/JSON cannot write quoted triples; ask for Turtle or N-Triples")
