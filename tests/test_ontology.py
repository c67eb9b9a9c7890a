"""The ontology: parses, labels and defines every term in nb and en, and declares every term we use."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, VANN, XSD

from samkart.namespaces import CPSV, CV, SCHEMA, SCHEME_BASE, SK

ROOT = Path(__file__).resolve().parents[1]
DEFINED = [DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VANN, XSD]


def declared_elsewhere() -> set[str]:
    terms = {str(ns._NS) + name for ns in DEFINED for name in ns.__annotations__}
    terms |= {str(SCHEMA) + name for name in SDO.__annotations__}  # schema.org as http://, as our mappings write it
    imports = Graph()
    for path in (ROOT / "ontology" / "imports").glob("*.ttl"):
        imports.parse(path, format="turtle")
    terms |= {str(s) for s in imports.subjects() if isinstance(s, URIRef) and str(s).startswith((str(CV), str(CPSV)))}
    return terms


def own_terms(ontology: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme)
    return {s for kind in kinds for s in ontology.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith((str(SK), SCHEME_BASE))}


def test_ontology_declares_its_terms(project):
    terms = own_terms(project.ontology)
    assert URIRef(SK.Measure) in terms and URIRef(SCHEME_BASE + "role/lead") in terms
    assert len(terms) > 60


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_term_is_labelled_and_defined(project, lang):
    onto = project.ontology
    missing = []
    for term in own_terms(onto):
        label_prop = SKOS.prefLabel if str(term).startswith(SCHEME_BASE) else RDFS.label
        for prop in (label_prop, SKOS.definition):
            values = [v for v in onto.objects(term, prop) if getattr(v, "language", None) == lang]
            if len(values) != 1:
                missing.append(f"{term} {prop} @{lang}: {len(values)}")
    assert not missing, "\n".join(sorted(missing))


def test_every_term_used_in_data_and_shapes_is_declared(project, union, shapes):
    known = declared_elsewhere() | {str(t) for t in own_terms(project.ontology)}
    used = {str(p) for p in union.predicates()} | {str(o) for o in union.objects(None, RDF.type)}
    for prop in (SH.path, SH["class"], SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf):
        used |= {str(o) for o in shapes.objects(None, prop) if isinstance(o, URIRef)}
    ours = {t for t in used if t.startswith(("http://", "https://"))}
    undeclared = sorted(t for t in ours if t not in known)
    assert not undeclared, undeclared
