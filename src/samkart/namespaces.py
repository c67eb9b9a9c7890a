"""Namespaces and the one prefix map used by every module, query and serialisation."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

SK = Namespace("https://w3id.org/samkart/def#")
"""The project ontology (fixed, never per deployment)."""

SCHEME_BASE = "https://w3id.org/samkart/def/scheme/"
"""Concept schemes and their concepts live under this fixed base: {SCHEME_BASE}{scheme}/{code}."""

ONTOLOGY_GRAPH = "https://w3id.org/samkart/def"
"""The named graph (and ontology IRI) holding the ontology and its concept schemes."""

CV = Namespace("http://data.europa.eu/m8g/")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("http://schema.org/")
"""schema.org, as the ontology's mappings write it (http, not rdflib's https SDO)."""

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "sk": SK,
    "cv": CV,
    "cpsv": CPSV,
    "org": ORG,
    "skos": SKOS,
    "skosxl": SKOSXL,
    "prov": PROV,
    "dct": DCTERMS,
    "dcat": DCAT,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "schema": SCHEMA,
}


def concept_iri(scheme: str, code: str) -> str:
    """The IRI of a concept ``code`` in the project scheme ``scheme``."""
    return f"{SCHEME_BASE}{scheme}/{code}"


def sparql_prefixes() -> str:
    """PREFIX declarations for every namespace in :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
