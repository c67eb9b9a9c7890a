"""Loading the project's inputs: ontology, registry, documents and fact files, checked together."""

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from samkart.errors import InputError
from samkart.settings import Settings

from .descriptions import load_descriptions
from .documents import Document, load_documents
from .facts import FactFile, check_references, fact_files, load_fact_file
from .registry import Registry, load_registry


@dataclass
class Project:
    """Everything a build needs, read and cross-checked."""

    settings: Settings
    ontology: Graph
    registry: Registry
    documents: dict[str, Document]
    files: list[FactFile]
    descriptions_nb: dict[str, str] = field(default_factory=dict)  # data/descriptions-nb.yaml

    @property
    def concepts(self) -> set[str]:
        """IRIs of every SKOS concept the ontology defines."""
        return {str(s) for s in self.ontology.subjects(RDF.type, SKOS.Concept)}


def load_ontology(ontology_dir: Path) -> Graph:
    """Parse every Turtle file in ontology/ into one graph."""
    graph = Graph()
    for path in sorted(ontology_dir.glob("*.ttl")):
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser error types
            raise InputError(f"ontology does not parse: {exc}", str(path)) from None
    return graph


def load_project(settings: Settings, include_extracted: bool = True) -> Project:
    """Read ontology, registry, documents and fact files; fail on any dangling reference."""
    documents = load_documents(settings.data_dir, settings.sources_dir)
    line_counts = {doc_id: doc.line_count for doc_id, doc in documents.items()}
    paths = fact_files(settings.data_dir)
    if not include_extracted:
        paths = [p for p in paths if p.parent.name != "extracted"]
    files = [load_fact_file(path, line_counts) for path in paths]
    registry = load_registry(settings.data_dir)
    for file in files:
        registry.add_entries(file.entities, file.path)
    registry.name_index()  # fails when two ids share a name
    if include_extracted:  # curated facts may name entities only the extractor declares
        check_references(files, registry)
    for doc in documents.values():
        for publisher in doc.publisher:
            if publisher not in registry:
                raise InputError(f"publisher '{publisher}' of {doc.id} is not in the registry", "data/sources.yaml")
    return Project(settings, load_ontology(settings.ontology_dir), registry, documents, files,
                   load_descriptions(settings.data_dir, registry))
