"""Query results as pandas DataFrames with typed columns, over the embedded store or any SPARQL endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from samkart.errors import InputError
from samkart.runtime import open_service
from samkart.settings import Settings
from samkart.sparql.results import Table
from samkart.sparql.service import SparqlService
from samkart.sparql.terms import iri_term, literal_term, looks_like_iri

from .terms import Term

if TYPE_CHECKING:
    import pandas as pd

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                   "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt",
                                   "unsignedLong", "unsignedShort", "unsignedByte")}
FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}
DATE_TYPES = {XSD + "date", XSD + "dateTime"}
BOOLEAN = XSD + "boolean"


def connect(endpoint: str | None = None, data: list[str | Path] | None = None,
            settings: Settings | None = None) -> SparqlService:
    """The graph to explore: the local build (default), the given data files, or a SPARQL endpoint URL.

    The same service the web app runs, so a notebook and the API give the same answers.
    """
    settings = settings or Settings()
    if endpoint:
        settings = settings.model_copy(update={"endpoint": endpoint})
    elif data:
        settings = settings.model_copy(update={"data": [Path(p) for p in data], "endpoint": None})
    return open_service(settings)


def _is_named(kg: SparqlService, query: str) -> bool:
    return query in kg.queries


def _bindings(params: dict[str, object]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Bind raw-SPARQL parameters as RDF terms: http(s) values as IRIs, the rest as literals."""
    out: dict[str, ox.NamedNode | ox.Literal] = {}
    for name, value in params.items():
        if isinstance(value, (ox.NamedNode, ox.Literal)):
            out[name] = value
        elif isinstance(value, str) and looks_like_iri(value):
            out[name] = iri_term(value, name)
        else:
            out[name] = literal_term(str(value), name)
    return out


def select(kg: SparqlService, query: str, **params: object) -> Table:
    """Run a named query (by name) or SELECT text with parameters bound as terms; the raw table."""
    if _is_named(kg, query):
        table = kg.run_named(query, {k: [str(v)] for k, v in params.items()})
    else:
        table = kg.run(query, bindings=_bindings(params) or None)
    if not isinstance(table, Table):
        raise InputError("to_dataframe needs a SELECT query (this one is ASK, CONSTRUCT or DESCRIBE)")
    return table


def _python(term: Term | None) -> str | None:
    """A plain Python value for one RDF term (None for unbound)."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _column(terms: list[Term | None]) -> Any:
    """A typed pandas array for one result column: integers, floats, booleans, datetimes or strings."""
    import pandas as pd

    datatypes = {t.datatype.value for t in terms if isinstance(t, ox.Literal)}
    all_literals = all(t is None or isinstance(t, ox.Literal) for t in terms)
    values = [_python(t) for t in terms]
    if all_literals and datatypes and datatypes <= INTEGER_TYPES:
        return pd.array([None if v is None else int(v) for v in values], dtype="Int64")
    if all_literals and datatypes and datatypes <= INTEGER_TYPES | FLOAT_TYPES:
        return pd.array([None if v is None else float(v) for v in values], dtype="Float64")
    if all_literals and datatypes == {BOOLEAN}:
        return pd.array([None if v is None else v in ("true", "1") for v in values], dtype="boolean")
    if all_literals and datatypes and datatypes <= DATE_TYPES:
        return pd.to_datetime(values, errors="coerce")
    return pd.array(values, dtype="string")


def to_dataframe(kg: SparqlService, query: str, **params: object) -> pd.DataFrame:
    """A SELECT result as a pandas DataFrame, one column per variable, typed from the literals' datatypes.

    ``query`` is a named query's name (``kg.queries`` lists them; parameters as in the REST API,
    names or IRIs) or SELECT text (keyword arguments bound to its variables as RDF terms).
    IRIs become strings; unbound values are missing (``pd.NA``/``NaT``).
    """
    import pandas as pd

    table = select(kg, query, **params)
    columns = {var: _column([row[i] for row in table.rows]) for i, var in enumerate(table.variables)}
    return pd.DataFrame(columns, columns=table.variables)
