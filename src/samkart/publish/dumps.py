"""Dataset dumps in every common RDF format, plain and gzipped, written deterministically and atomically."""

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph

from samkart.errors import SamkartError
from samkart.formats import DUMP_FORMATS, EU_FILE_TYPE, OTHER_MEDIA_TYPES, Format
from samkart.graph.build import serialise, sorted_lines, write_atomic
from samkart.namespaces import PREFIXES
from samkart.shacl.inputs import union_graph
from samkart.sparql.store import ox_triple

from . import DumpInfo

STEM = "samkart"
FILE_TYPE = EU_FILE_TYPE  # the EU file-type authority table, the prefix of every dump's dct:format
GZIP_MEDIA_TYPE = OTHER_MEDIA_TYPES[".gz"]
"""The dcat:compressFormat of every ``compressed`` dump; its media type stays that of the plain file."""


def jsonld_context() -> dict[str, str]:
    """The ``@context`` of the JSON-LD dump: our prefixes, so keys read ``skos:prefLabel``, ``sk:Measure``."""
    return {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}


def _canonical_json(value: Any) -> Any:
    """Sort JSON-LD arrays (sets in RDF) by their canonical text; ``@list`` arrays keep their order."""
    if isinstance(value, dict):
        return {key: ([_canonical_json(v) for v in item] if key == "@list" and isinstance(item, list)
                       else _canonical_json(item)) for key, item in value.items()}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld_bytes(ds: Dataset) -> bytes:
    """The dataset as compacted JSON-LD (one ``@graph`` entry per named graph), byte-stable."""
    text = ds.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    document = _canonical_json(json.loads(text))
    return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def dump_bytes(ds: Dataset) -> dict[str, bytes]:
    """Every uncompressed dump's bytes, by format key (see :data:`samkart.formats.DUMP_FORMATS`)."""
    union = union_graph(ds)
    return {
        "trig": serialise(ds, "trig"),
        "nquads": serialise(ds, "nquads"),
        "turtle": large_turtle(union),
        "ntriples": sorted_lines(union.serialize(format="nt")),
        "jsonld": jsonld_bytes(ds),
    }


def _info(path: Path, data: bytes, fmt: Format, compressed: bool) -> DumpInfo:
    file_type = fmt.eu_file_type_iri
    if file_type is None:
        raise SamkartError(f"the dump format {fmt.key} has no EU file type; a catalogue distribution needs one")
    return DumpInfo(path=path, media_type=fmt.media_type, file_type=file_type,
                    byte_size=len(data), sha256=hashlib.sha256(data).hexdigest(), compressed=compressed)


def write_dumps(ds: Dataset, out_dir: Path) -> list[DumpInfo]:
    """Write ``samkart.{trig,nq,ttl,nt,jsonld}`` and their ``.gz`` twins to ``out_dir``.

    The gzip twins keep the media type and file type of the plain file and have ``compressed=True``
    (DCAT: ``dcat:compressFormat`` :data:`GZIP_MEDIA_TYPE`). Same dataset, same bytes.
    """
    out_dir = Path(out_dir)
    infos: list[DumpInfo] = []
    written = dump_bytes(ds)
    for fmt in DUMP_FORMATS:
        data = written[fmt.key]
        path = out_dir / f"{STEM}{fmt.suffixes[0]}"
        write_atomic(path, data)
        infos.append(_info(path, data, fmt, compressed=False))
        packed = gzip.compress(data, mtime=0)
        gz_path = out_dir / f"{STEM}{fmt.suffixes[0]}.gz"
        write_atomic(gz_path, packed)
        infos.append(_info(gz_path, packed, fmt, compressed=True))
    return infos


def large_turtle(graph: Graph) -> bytes:
    """Turtle bytes of a graph whose size grows with the data: written by pyoxigraph from its triples in
    sorted order with the graph's prefixes it uses. rdflib's writer computes a prefix name for every IRI
    in a trie whose cost grows with the square of the distinct namespaces, and our participation IRIs
    give one namespace per subject and role (at 1M triples the services file took 47 s, 47× the 100k
    figure, and the union dump more than 3 minutes). A graph with blank nodes keeps rdflib's writer,
    which writes them inline and so stays byte-stable (their ids are not)."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph.serialize(format="turtle").encode("utf-8")
    triples = sorted((ox_triple(s, p, o) for s, p, o in graph), key=str)
    iris = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
    namespaces = {iri.rsplit("#", 1)[0] + "#" if "#" in iri else iri.rsplit("/", 1)[0] + "/" for iri in iris}
    prefixes = {prefix: str(namespace) for prefix, namespace in sorted(graph.namespaces())  # only those it uses
                if prefix and any(used.startswith(str(namespace)) for used in namespaces)}
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert data is not None, "pyoxigraph returns the bytes when given no output"
    return data
