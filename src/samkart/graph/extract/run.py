"""`samkart extract SOURCE_DIR`: read the structured parts of every source file into data/extracted/."""

from pathlib import Path

from samkart.errors import InputError
from samkart.graph.documents import load_documents
from samkart.graph.project import load_project
from samkart.settings import Settings
from samkart.yamlio import dump_yaml, load_yaml

from .common import Extraction, Resolver
from .factsheet import FactSheetReader, looks_like_factsheet
from .tables import extract_tables, looks_like_table


def extract_all(settings: Settings, source_dir: Path, mint_new: bool = False) -> list[Extraction]:
    """Extractions for every source text file listed in data/sources.yaml; nothing is written."""
    if not source_dir.is_dir():
        raise InputError("source folder not found", str(source_dir))
    project = load_project(settings, include_extracted=False)
    documents = load_documents(settings.data_dir, source_dir)
    by_file = {doc.file: doc for doc in documents.values()}
    resolver = Resolver(project.registry, mint_new)
    sectors = load_yaml(settings.data_dir / "sectors.yaml")
    skips: dict[str, dict[int, str]] = {doc_id: {} for doc_id in documents}
    for file in project.files:
        skips[file.document].update(file.skips)
    results = []
    for path in sorted(source_dir.glob("*.txt")):
        doc = by_file.get(path.name)
        if doc is None:
            raise InputError("this source file is not listed in data/sources.yaml; add an entry for it", str(path))
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise InputError("source file is not UTF-8 text", str(path)) from None
        if looks_like_table(lines):
            results.append(extract_tables(lines, doc.id, str(path), resolver))
        elif looks_like_factsheet(lines):
            reader = FactSheetReader(doc.id, str(path), sectors, resolver, skips[doc.id])
            results.append(reader.read(lines))
    for result in results:
        result.minted = resolver.minted
    return results


def write_extractions(settings: Settings, results: list[Extraction], out_dir: Path | None = None) -> list[Path]:
    """Write each extraction to ``data/extracted/<doc-slug>.yaml`` (atomically, one file each)."""
    target = out_dir or settings.data_dir / "extracted"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        path = target / f"{result.document.split('/', 1)[1]}.yaml"
        dump_yaml(result.as_yaml(), path)
        written.append(path)
    minted = results[0].minted if results else []
    if minted:
        path = settings.data_dir / "registry" / "minted.yaml"
        dump_yaml(minted, path)
        written.append(path)
    return written
