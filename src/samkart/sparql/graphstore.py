"""`samkart load --store URL`: put every named graph of a dataset into a store (SPARQL 1.1 Graph Store Protocol)."""

from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

import pyoxigraph as ox

from samkart.errors import SamkartError
from samkart.formats import DATASET_FORMATS, by_key, by_suffix


def graphs_of(path: Path) -> dict[str, list[ox.Triple]]:
    """Named graph IRI → its triples, read from a dataset file (triples in the default graph are refused)."""
    found = by_suffix(path, DATASET_FORMATS)
    fmt = found.rdf_format if found and not path.name.endswith(".gz") else None
    if fmt is None:
        raise SamkartError(f"'{path.name}' is not a dataset file; load a .trig or .nq file")
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=str(path), format=fmt):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            raise SamkartError(f"'{path.name}' has triples outside any named graph; samkart datasets keep every triple in one")
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return graphs


def put_graph(store: str, graph: str, triples: list[ox.Triple]) -> None:
    """Replace one graph in the store (HTTP PUT ?graph=…, N-Triples body)."""
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    separator = "&" if "?" in store else "?"
    request = Request(f"{store}{separator}graph={quote(graph, safe='')}", data=body, method="PUT",
                      headers={"Content-Type": by_key("ntriples").media_type})
    try:
        with urlopen(request, timeout=120) as response:
            response.read()
    except HTTPError as exc:
        raise SamkartError(f"the store refused graph <{graph}>: {exc.code} {exc.read()[:200]!r}") from None
    except (URLError, OSError) as exc:
        raise SamkartError(f"cannot reach the store at {store}: {exc}") from None


def load_dataset(path: Path, store: str) -> Iterator[tuple[str, int]]:
    """Put each named graph of ``path`` into ``store``; yields (graph, triple count) as it goes."""
    for graph, triples in sorted(graphs_of(path).items()):
        put_graph(store, graph, triples)
        yield graph, len(triples)
