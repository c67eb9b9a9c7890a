"""The SPARQL service's results as the explore modules read them: plain terms, triples, rows."""

from __future__ import annotations

from typing import NamedTuple

import pyoxigraph as ox

from samkart.sparql.results import Table

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Resource = ox.NamedNode | ox.BlankNode


class Edge(NamedTuple):
    """A triple of a CONSTRUCT result, its terms narrowed to plain terms (the graph holds no triple terms)."""

    subject: Resource
    predicate: ox.NamedNode
    object: Term


def edges_of(result: object) -> list[Edge]:
    """The triples of a CONSTRUCT result as :class:`Edge` s (a triple with a triple term is left out)."""
    found = []
    for t in result if isinstance(result, list) else []:
        if isinstance(t, ox.Triple) and not isinstance(t.subject, ox.Triple) and not isinstance(t.object, ox.Triple):
            found.append(Edge(t.subject, t.predicate, t.object))
    return found


def rows_of(result: object) -> list[list[Term | None]]:
    """The rows of a SELECT result (none for any other result)."""
    return result.rows if isinstance(result, Table) else []
