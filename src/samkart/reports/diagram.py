"""A Mermaid diagram of the model, generated from the ontology plus the reused-vocabulary patterns."""

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from samkart.namespaces import PREFIXES

PATTERN_EDGES = [
    # (subject class, property, object class): how the reused vocabularies tie our classes together
    ("cpsv:PublicService", "cv:hasParticipation", "cv:Participation"),
    ("prov:Plan", "cv:hasParticipation", "cv:Participation"),
    ("sk:Measure", "cv:hasParticipation", "cv:Participation"),
    ("cv:Participation", "cv:hasParticipant", "org:Organization"),
    ("cv:Participation", "cv:role", "skos:Concept"),
    ("cv:Participation", "prov:wasDerivedFrom", "foaf:Document"),
    ("org:Membership", "org:member", "org:Organization"),
    ("org:Membership", "org:organization", "org:Organization"),
    ("org:Organization", "org:subOrganizationOf", "org:Organization"),
    ("org:ChangeEvent", "org:originalOrganization", "org:Organization"),
    ("org:ChangeEvent", "org:resultingOrganization", "org:Organization"),
    ("sk:Measure", "dct:isPartOf", "prov:Plan"),
    ("cpsv:PublicService", "cv:isGroupedBy", "cv:LifeEvent"),
    ("rdf:Statement", "sk:locator", "sk:SourceSpan"),
]


def curie(iri: Node | str) -> str:
    """``prefix:local`` for IRIs in a known namespace."""
    text = str(iri)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if text.startswith(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)):]}"
    return text


def _node(name: str) -> str:
    return name.replace(":", "_")


def mermaid(ontology: Graph) -> str:
    """A ``flowchart LR`` of subclass links (dotted) and relations (labelled arrows)."""
    edges: set[tuple[str, str, str]] = set()
    for cls in ontology.subjects(RDF.type, OWL.Class):
        for parent in ontology.objects(cls, RDFS.subClassOf):
            if isinstance(parent, URIRef):
                edges.add((curie(cls), "subClassOf", curie(parent)))
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        domain, range_ = ontology.value(prop, RDFS.domain), ontology.value(prop, RDFS.range)
        if isinstance(domain, URIRef) and isinstance(range_, URIRef):
            edges.add((curie(domain), curie(prop), curie(range_)))
    edges |= set(PATTERN_EDGES)
    lines = ["flowchart LR"]
    for source, label, target in sorted(edges):
        arrow = "-.->" if label == "subClassOf" else f"-- {label} -->"
        lines.append(f'  {_node(source)}["{source}"] {arrow} {_node(target)}["{target}"]')
    return "\n".join(lines)
