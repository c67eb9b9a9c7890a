"""The source documents: their metadata from data/sources.yaml and their line counts."""

from dataclasses import dataclass, field
from pathlib import Path

from samkart.errors import InputError
from samkart.yamlio import line_of, load_yaml

DOC_KEYS = {"id", "file", "title", "type", "publisher", "issued", "note", "__line__"}


@dataclass
class Document:
    """One source document as an entity."""

    id: str
    file: str
    title: str
    type: str
    publisher: list[str]
    issued: str
    note: str | None = None
    line_count: int | None = None
    lines: list[str] = field(default_factory=list, repr=False)

    @property
    def slug(self) -> str:
        """The document's slug (its id without ``doc/``)."""
        return self.id.split("/", 1)[1]


def load_documents(data_dir: Path, sources_dir: Path | None) -> dict[str, Document]:
    """Read data/sources.yaml; attach line counts when the source folder is there."""
    path = data_dir / "sources.yaml"
    docs: dict[str, Document] = {}
    for raw in load_yaml(path) or []:
        unknown = set(raw) - DOC_KEYS
        if unknown:
            raise InputError(f"unknown document key(s) {sorted(unknown)}", str(path), line_of(raw))
        if not str(raw.get("id", "")).startswith("doc/"):
            raise InputError("a document id must look like 'doc/<slug>'", str(path), line_of(raw))
        doc = Document(raw["id"], raw["file"], raw["title"], raw["type"], list(raw["publisher"]),
                       str(raw["issued"]), raw.get("note"))
        source = sources_dir / doc.file if sources_dir else None
        if source and source.is_file():
            doc.lines = source.read_text(encoding="utf-8").splitlines()
            doc.line_count = len(doc.lines)
        docs[doc.id] = doc
    return docs
