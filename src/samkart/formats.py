"""The one table of formats: file suffixes, media types, names and aliases, engines' writers, W3C and EU IRIs.

Every place that reads, writes, negotiates or describes a format asks this module: the build and the
loaders (by suffix), content negotiation (by media type, alias or ``format`` name), the published dumps
and their catalogue entries (media type, EU file type), VoID and the SPARQL service description (W3C
format IRIs) and the web layer's file and resource routes.
"""

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

W3C = "http://www.w3.org/ns/formats/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPE = "https://www.w3.org/ns/iana/media-types/"
"""IANA media types as DCAT-AP-NO 3 names them (its range shapes want this namespace; DCAT-AP 3.0.1's
optional code-list shapes want www.iana.org/assignments/ instead: one IRI cannot satisfy both)."""


@dataclass(frozen=True)
class Format:
    """One format: what it is called, how engines write it, how catalogues name it."""

    key: str
    kind: str  # "results" (SELECT/ASK), "graph" (triples), "dataset" (quads: also triples)
    media_type: str
    names: tuple[str, ...]  # values of a ``format`` parameter that mean it (the first is ours)
    suffixes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other media types clients send that mean it
    engine: "ox.RdfFormat | ox.QueryResultsFormat | str | None" = None  # a str names one of our own writers
    rdflib: str | None = None  # rdflib's parser and serializer name
    w3c: str | None = None  # its IRI under http://www.w3.org/ns/formats/
    eu_file_type: str | None = None  # its code in the EU file-type authority table
    label: str = ""
    boolean: bool = False  # a results format that also writes ASK answers
    counterpart: str | None = None  # the key of the format of the other kind a client asking for this one gets

    @property
    def content_type(self) -> str:
        """The Content-Type header of an answer in this format (text types say their charset)."""
        return self.media_type + ("; charset=utf-8" if self.media_type.startswith("text/") else "")

    @property
    def w3c_iri(self) -> str | None:
        """The W3C format IRI (void:feature, sd:resultFormat)."""
        return W3C + self.w3c if self.w3c else None

    @property
    def eu_file_type_iri(self) -> str | None:
        """The EU file-type IRI (dct:format of a distribution)."""
        return EU_FILE_TYPE + self.eu_file_type if self.eu_file_type else None

    @property
    def rdf_format(self) -> ox.RdfFormat:
        """pyoxigraph's format for this graph or dataset format (ValueError if pyoxigraph does not write it)."""
        if not isinstance(self.engine, ox.RdfFormat):
            raise ValueError(f"pyoxigraph has no RDF format for {self.key}")
        return self.engine

    @property
    def results_format(self) -> ox.QueryResultsFormat:
        """pyoxigraph's format for this results format (ValueError if pyoxigraph does not write it)."""
        if not isinstance(self.engine, ox.QueryResultsFormat):
            raise ValueError(f"pyoxigraph has no results format for {self.key}")
        return self.engine

    @property
    def iana_iri(self) -> str:
        """The IANA media-type IRI (dcat:mediaType of a distribution)."""
        return iana_iri(self.media_type)


RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "results", "application/sparql-results+json", ("json", "srj"), (".srj",), ("application/json",),
           ox.QueryResultsFormat.JSON, None, "SPARQL_Results_JSON", "JSON", "SPARQL JSON", boolean=True,
           counterpart="jsonld"),
    Format("xml", "results", "application/sparql-results+xml", ("xml", "srx"), (".srx",),
           ("application/xml", "text/xml"), ox.QueryResultsFormat.XML, None, "SPARQL_Results_XML", "XML",
           "SPARQL XML", boolean=True, counterpart="rdfxml"),
    Format("csv", "results", "text/csv", ("csv",), (".csv",), (), ox.QueryResultsFormat.CSV, None,
           "SPARQL_Results_CSV", "CSV", "CSV"),
    Format("tsv", "results", "text/tab-separated-values", ("tsv",), (".tsv",), (), ox.QueryResultsFormat.TSV, None,
           "SPARQL_Results_TSV", "TSV", "TSV"),
)
"""SELECT and ASK results; the first is the default."""

GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", "graph", "text/turtle", ("ttl", "turtle", "n3"), (".ttl",),
           ("application/x-turtle", "text/n3", "application/turtle", "text/rdf+n3", "application/n3"),
           ox.RdfFormat.TURTLE, "turtle", "Turtle",
           "RDF_TURTLE", "Turtle"),
    Format("ntriples", "graph", "application/n-triples", ("nt", "ntriples", "n-triples"), (".nt",), ("text/plain",),
           ox.RdfFormat.N_TRIPLES, "nt", "N-Triples", "RDF_N_TRIPLES", "N-Triples"),
    Format("jsonld", "graph", "application/ld+json", ("jsonld", "json-ld", "json"), (".jsonld",),
           ("application/json-ld", "application/x-json+ld"), ox.RdfFormat.JSON_LD, "json-ld", "JSON-LD", "JSON_LD",
           "JSON-LD", counterpart="json"),
    Format("rdfxml", "graph", "application/rdf+xml", ("rdf", "rdfxml", "xml", "rdf+xml"), (".rdf", ".owl"), (),
           ox.RdfFormat.RDF_XML, "xml", "RDF_XML", "RDF_XML", "RDF/XML", counterpart="xml"),
    Format("trig", "dataset", "application/trig", ("trig",), (".trig",), (), ox.RdfFormat.TRIG, "trig", "TriG",
           "RDF_TRIG", "TriG"),
    Format("nquads", "dataset", "application/n-quads", ("nq", "nquads"), (".nq",), (), ox.RdfFormat.N_QUADS,
           "nquads", "N-Quads", "RDF_N_QUADS", "N-Quads"),
    Format("rdfjson", "graph", "application/rdf+json", ("rj", "rdfjson"), (".rj",), (), "rdf+json", None, "RDF_JSON",
           None, "RDF/JSON"),
    Format("trix", "graph", "application/trix", ("trix",), (".trix",), (), "trix", "trix", None, None, "TriX"),
)
"""CONSTRUCT and DESCRIBE results, resource descriptions and RDF files; the first is the default."""

DATASET_FORMATS = tuple(f for f in GRAPH_FORMATS if f.kind == "dataset")
"""Formats that keep named graphs: what `samkart build` writes and validation reads."""

LOADABLE_FORMATS = tuple(f for f in GRAPH_FORMATS if isinstance(f.engine, ox.RdfFormat))
"""RDF files the embedded store loads (pyoxigraph parses them)."""

OTHER_MEDIA_TYPES = {".gz": "application/gzip", ".html": "text/html; charset=utf-8", ".md": "text/markdown",
                     ".json": "application/json"}
"""Media types of the other files the service hands out."""


def iana_iri(media_type: str) -> str:
    """The IRI of an IANA media type (``application/n-quads`` → …/ns/iana/media-types/application/n-quads)."""
    return IANA_MEDIA_TYPE + media_type


def by_key(key: str) -> Format:
    """The format with this key (``turtle``, ``trig``, ``json`` …)."""
    return next(f for f in RESULT_FORMATS + GRAPH_FORMATS if f.key == key)


DUMP_FORMATS = tuple(by_key(key) for key in ("trig", "nquads", "turtle", "ntriples", "jsonld"))
"""The dumps `samkart publish` writes, in the catalogue's order."""


def by_suffix(path: Path | str, formats: tuple[Format, ...] = GRAPH_FORMATS) -> Format | None:
    """The format a file name's suffix names (``x.nq.gz`` counts as ``.nq``), or None."""
    name = Path(path).name
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix.lower()
    return next((f for f in formats if suffix in f.suffixes), None)


def media_type_of(path: Path | str) -> str:
    """The media type to serve a file with (a gzip file is served as gzip)."""
    suffix = Path(path).suffix.lower()
    if suffix in OTHER_MEDIA_TYPES:
        return OTHER_MEDIA_TYPES[suffix]
    found = by_suffix(path, GRAPH_FORMATS + RESULT_FORMATS)
    return found.media_type if found else "application/octet-stream"


def suffix_list(formats: tuple[Format, ...]) -> str:
    """``.nq, .trig`` (sorted) — for messages that say which files are accepted."""
    return ", ".join(sorted(s for f in formats for s in f.suffixes))


def by_name(name: str, formats: tuple[Format, ...]) -> Format | None:
    """The format among ``formats`` that a ``format`` parameter value means: a name, a media type or an alias."""
    wanted = name.strip().lower()
    return next((f for f in formats if wanted in f.names or wanted == f.media_type or wanted in f.aliases), None)


def is_known(name: str) -> bool:
    """True when ``name`` means some format of the table, of any kind (a name, media type or alias)."""
    return by_name(name, RESULT_FORMATS + GRAPH_FORMATS) is not None


def counterpart_in(media_type: str, formats: tuple[Format, ...]) -> Format | None:
    """The format among ``formats`` that stands in for a format of the other kind (JSON results ↔ JSON-LD,
    XML results ↔ RDF/XML), for a client that asks for the wrong kind of JSON or XML; else None."""
    asked = next((f for f in RESULT_FORMATS + GRAPH_FORMATS if f.media_type == media_type), None)
    if asked is None or asked.counterpart is None:
        return None
    return next((f for f in formats if f.key == asked.counterpart), None)


def aliases() -> dict[str, str]:
    """Media types clients send → the media type of ours they mean."""
    return {alias: f.media_type for f in RESULT_FORMATS + GRAPH_FORMATS for alias in f.aliases}
