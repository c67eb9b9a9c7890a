"""Validate published graphs with the official DCAT-AP-NO and CPSV-AP-NO SHACL shapes.

The shapes are the unmodified copies in ``../shared/anchors/shapes/`` (see SOURCES.md there);
they are never edited. Their known defects are repaired in memory, in :func:`_repair`, one
comment per defect.

Code lists go in as *data*: every controlled-vocabulary check (``skos:inScheme`` of the code,
``rdf:type`` such as ``dct:LinguisticSystem``) tests triples about the code IRI, which the
official validators get by importing the EU tables or dereferencing the codes. Offline we merge
our excerpt ``codelists.ttl`` (only the codes we use) into a copy of the data graph. Passing it
as pyshacl's ``ont_graph`` would not work: pyshacl only mixes RDFS/OWL axioms (classes,
properties, named individuals) from the ontology graph into the data, not ``skos:Concept``
instances, so every code would still fail its check.

Validate the DCAT catalogue and the CPSV service catalogue separately: CPSV-AP-NO's catalogue
shape also targets ``dcat:Catalog`` (demanding ``dcatno:containsService``), and DCAT-AP-NO 2.2
has shapes for ``cpsv:PublicService``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from samkart.errors import SamkartError
from samkart.namespaces import CV, SH
from samkart.settings import Settings
from samkart.shacl.findings import Finding
from samkart.shacl.reference import run_shacl

XSD_LANGSTRING = URIRef(f"{XSD}langString")  # not an XSD type: the defect below

CODELISTS = Path(__file__).with_name("codelists.ttl")

PROFILES: dict[str, tuple[str, ...]] = {
    "dcat-ap-no-2": ("dcat-ap-no-2.2.shapes.ttl",),
    "dcat-ap-no-3": ("dcat-ap-no-3-draft.core.shapes.ttl", "dcat-ap-no-3-draft.range.shapes.ttl",
                     "dcat-ap-no-3-draft.vocabulary.shapes.ttl"),
    "cpsv-ap-no": ("cpsv-ap-no-1.1.shapes.ttl",),
    # the EU profiles the national ones extend: DCAT-AP 3.0.1's core and range shapes (the ITB split
    # files; its code-list file contradicts DCAT-AP-NO 3 on the media-type IRI) and CPSV-AP 3.2.0
    "dcat-ap-3": ("dcat-ap-3.0.1.shapes.ttl", "dcat-ap-3.0.1.range.shapes.ttl"),
    "cpsv-ap-3": ("cpsv-ap-3.2.0.shapes.ttl",),
}
"""Profile name → the official shapes files that make it up."""

DCATAP_BROKEN = "http://data.europa.eu/r5r"
IANA_GLOB = "^https://www.w3.org/ns/iana/media-types/application/*"


def shapes_dir(settings: Settings | None = None) -> Path:
    """Where the official shapes are expected: ``../shared/anchors/shapes`` beside the project."""
    return (settings or Settings()).project_dir.parent / "shared" / "anchors" / "shapes"


def validate_profile(profile: str, data: Graph, settings: Settings | None = None) -> list[Finding]:
    """SHACL findings (with severity) of ``data`` against a national profile's official shapes."""
    shapes = load_profile(profile, shapes_dir(settings))
    merged = Graph()
    for triple in data:
        merged.add(triple)
    merged.parse(CODELISTS, format="turtle")
    return run_shacl(merged, shapes)


def load_profile(profile: str, folder: Path) -> Graph:
    """The profile's shapes, parsed and repaired (cached per profile and folder)."""
    if profile not in PROFILES:
        raise SamkartError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    return _load(profile, folder.resolve())


@cache
def _load(profile: str, folder: Path) -> Graph:
    shapes = Graph()
    for name in PROFILES[profile]:
        path = folder / name
        if not path.is_file():
            raise SamkartError(f"the official shapes file {name} is missing: expected it in {folder} "
                               "(../shared/anchors/shapes beside the project folder)")
        shapes.parse(path, format="turtle")
    return _repair(shapes)


def _repair(shapes: Graph) -> Graph:
    """Fix the known defects of the official files in memory (the files stay as published)."""
    fixed = Graph()
    for prefix, ns in shapes.namespaces():
        fixed.bind(prefix, ns)
    for s, p, o in shapes:
        s, p, o = _r5r(s), _r5r(p), _r5r(o)
        # CPSV-AP-NO 1.1: six shapes say `sh:severity sh:Voilation` (typo); pyshacl would report an
        # unknown severity that no Violation filter catches. Meant: sh:Violation.
        if p == SH.severity and o == URIRef(f"{SH}Voilation"):
            o = SH.Violation
        # CPSV-AP-NO 1.1: the path `cv:IsGroupedBy` (capital I) names no property, so the check
        # never fires. Meant: cv:isGroupedBy.
        if p == SH.path and o == URIRef(f"{CV}IsGroupedBy"):
            o = CV.isGroupedBy
        # CPSV-AP-NO 1.1: `sh:datatype sh:Literal` (locn:locatorName, locn:poBox) names no datatype,
        # so every value would fail. Meant: sh:nodeKind sh:Literal.
        if p == SH.datatype and o == SH.Literal:
            p = SH.nodeKind
        # CPSV-AP-NO 1.1: `sh:datatype xsd:langString` (skos:prefLabel) — no such XSD type; a
        # language-tagged label has datatype rdf:langString, so every label would fail.
        if p == SH.datatype and o == XSD_LANGSTRING:
            o = RDF.langString
        # DCAT-AP-NO 3 draft (range): `sh:pattern "^https://www.w3.org/ns/iana/media-types/application/*"` on
        # dcat:mediaType, compressFormat and packageFormat is a glob read as a regex: it admits only
        # application/… types, so text/turtle (an IANA media type) fails. Meant, as its message says: any
        # IANA media type.
        if p == SH.pattern and str(o) == IANA_GLOB:
            o = Literal(IANA_GLOB[: -len("application/*")])
        fixed.add((s, p, o))
    return fixed


def _r5r(term: Node) -> Node:
    """DCAT-AP-NO 2.2 and the v3 draft bind ``dcatap:`` to ``http://data.europa.eu/r5r`` without the
    trailing slash, so their paths are ``…/r5ravailability`` and never match data that uses the real
    namespace ``http://data.europa.eu/r5r/``: put the slash back."""
    if isinstance(term, URIRef):
        text = str(term)
        if text.startswith(DCATAP_BROKEN) and len(text) > len(DCATAP_BROKEN) and text[len(DCATAP_BROKEN)] != "/":
            return URIRef(f"{DCATAP_BROKEN}/{text[len(DCATAP_BROKEN):]}")
    return term
