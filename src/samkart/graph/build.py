"""`samkart build`: the dataset from the project's inputs, written deterministically and atomically."""

import gzip
import sys
from pathlib import Path

from rdflib import Dataset

from samkart.errors import SamkartError
from samkart.formats import DATASET_FORMATS, by_suffix
from samkart.namespaces import PREFIXES
from samkart.settings import Settings

from .encode import encode
from .project import Project, load_project


def build_dataset(project: Project) -> Dataset:
    """Encode the loaded project as an RDF dataset."""
    return with_prefixes(encode(project.settings.base, project.registry, project.documents, project.files,
                                project.concepts, project.ontology, project.descriptions_nb), project.settings.base)


def with_prefixes(ds: Dataset, base: str) -> Dataset:
    """``ds`` with our prefixes (and ``id:`` for the base) bound, as the Turtle-like serialisations use them."""
    for prefix, namespace in PREFIXES.items():
        ds.bind(prefix, namespace, override=True)
    ds.bind("id", base, override=True)
    return ds


def sorted_lines(text: str) -> bytes:
    """The distinct non-empty lines of a line-based RDF text (N-Triples, N-Quads), sorted."""
    lines = sorted(set(line for line in text.splitlines() if line.strip()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialise(ds: Dataset, fmt: str) -> bytes:
    """Bytes of the dataset in ``fmt``, the same in every process.

    N-Quads lines are sorted. TriG is written graph by graph in IRI order (rdflib would follow
    the store's hash order of graphs, which changes with Python's hash seed); each piece keeps
    its own @prefix lines, which TriG allows between graphs.
    """
    if fmt == "nquads":
        return sorted_lines(ds.serialize(format="nquads"))
    if fmt == "trig":
        pieces = []
        for graph in sorted((g for g in ds.graphs() if len(g)), key=lambda g: str(g.identifier)):
            single = Dataset()
            for prefix, namespace in ds.namespaces():
                single.bind(prefix, namespace, override=True)
            target = single.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
            pieces.append(single.serialize(format="trig").strip())
        return ("\n\n".join(pieces) + "\n").encode("utf-8")
    return ds.serialize(format=fmt).encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a crash leaves the last good file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def format_for(path: Path) -> str:
    """The rdflib serialisation format named by the file extension (.trig or .nq, optionally .gz)."""
    found = by_suffix(path, DATASET_FORMATS)
    if found is None or found.rdflib is None:
        suffixes = " or ".join(s for f in DATASET_FORMATS for s in f.suffixes)
        raise SamkartError(f"cannot write '{path.name}': use a {suffixes} file name")
    return found.rdflib


def build(settings: Settings, output: Path | None = None) -> tuple[Path, Dataset]:
    """Build the dataset and write it to ``output`` (default: the build_file setting)."""
    target = Path(output or settings.build_file)
    fmt = format_for(target)
    ds = build_dataset(load_project(settings))
    data = serialise(ds, fmt)
    if target.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    write_atomic(target, data)
    return target, ds


def inputs_newer_than(settings: Settings, target: Path) -> bool:
    """True when any ontology, shapes or data file changed after ``target`` was written."""
    if not target.is_file():
        return True
    built = target.stat().st_mtime
    folders = (settings.ontology_dir, settings.data_dir, settings.shapes_dir)
    return any(p.stat().st_mtime > built for folder in folders for p in folder.rglob("*") if p.is_file())


def ensure_build(settings: Settings) -> Path:
    """The current build file, rebuilding it first when it is missing or stale."""
    if inputs_newer_than(settings, settings.build_file):
        print("samkart: building the graph (no current build)…", file=sys.stderr, flush=True)
        build(settings)
    return settings.build_file
