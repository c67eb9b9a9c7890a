"""Publishing: dumps, VoID, DCAT-AP-NO catalogue, CPSV-AP-NO services and ontology docs (`samkart publish`)."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DumpInfo:
    """One written dump file, as a catalogue distribution needs it."""

    path: Path
    media_type: str  # e.g. application/trig
    file_type: str  # EU file-type authority IRI, e.g. http://publications.europa.eu/resource/authority/file-type/RDF_TRIG
    byte_size: int
    sha256: str
    compressed: bool  # gzip of another dump
