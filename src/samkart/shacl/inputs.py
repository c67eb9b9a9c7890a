"""What validation reads: the shapes files, and a dataset file with the union of its named graphs."""

from pathlib import Path

from rdflib import Dataset, Graph

from samkart.errors import SamkartError
from samkart.formats import DATASET_FORMATS, Format, by_suffix


def load_shapes(shapes_dir: Path) -> Graph:
    """Every ``shapes/*.ttl`` file in one graph."""
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def union_graph(ds: Dataset) -> Graph:
    """All named graphs of a dataset merged into one graph, prefixes kept (SHACL has no dataset semantics)."""
    merged = Graph()
    for prefix, namespace in ds.namespaces():
        merged.bind(prefix, namespace, override=True)
    for graph in ds.graphs():
        for triple in graph:
            merged.add(triple)
    return merged


def check_dataset_path(path: Path) -> Format:
    """The format of ``path``; a clear error unless it is an existing TriG (.trig) or N-Quads (.nq) file."""
    fmt = by_suffix(path, DATASET_FORMATS)
    if path.name.endswith(".gz") or fmt is None:
        raise SamkartError(f"'{path}' is not a TriG (.trig) or N-Quads (.nq) file; give the dataset with its named graphs")
    if not path.is_file():
        raise SamkartError(f"'{path}' does not exist")
    return fmt


def read_dataset(path: Path) -> Dataset:
    """A TriG or N-Quads file as an rdflib dataset (its named graphs kept); a clear error for anything else."""
    fmt = check_dataset_path(path)
    ds = Dataset()
    try:
        ds.parse(path, format=fmt.rdflib)
    except Exception as exc:  # rdflib's parsers raise many types; any of them means the file is not valid
        raise SamkartError(f"cannot read '{path}': {type(exc).__name__}: {exc}") from None
    return ds
