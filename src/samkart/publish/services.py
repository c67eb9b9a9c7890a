"""The public services and national common solutions of the built graph, as a CPSV-AP-NO catalogue.

Only what the graph states is published: a competent authority where the graph has one, the
participating organisations with their roles, the organisations' names, identifiers and
coverage. Mandatory CPSV-AP-NO properties the documents do not give (a service's contact point,
its possible output, a competent authority the documents do not name) are left out, never
invented; the validation report lists them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, SKOS
from rdflib.term import Node

from samkart.namespaces import CPSV, CV, concept_iri

from .catalog import CatalogMeta

DCATNO = Namespace("https://data.norge.no/vocabulary/dcatno#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
ROLE_TYPE = "https://data.norge.no/vocabulary/role-type#"

ROLE_MAP = {
    # our role → Digdir role-type; only where the meaning fits
    concept_iri("role", "operator"): f"{ROLE_TYPE}service-producer",  # runs/delivers the service (tjenesteprodusent)
    concept_iri("role", "owner"): f"{ROLE_TYPE}service-provider",  # answers for the service (tjenestetilbyder)
    concept_iri("role", "responsible"): f"{ROLE_TYPE}service-provider",
}
"""Roles without a fitting role type (administrator, co-developer, partner, …) keep our own concept."""


def services_graph(union: Graph, base: str, meta: CatalogMeta) -> Graph:
    """A ``dcat:Catalog`` with ``dcatno:containsService`` for every ``cpsv:PublicService`` in ``union``."""
    g = Graph()
    for prefix, ns in (("cpsv", CPSV), ("cv", CV), ("dcat", DCAT), ("dcatno", DCATNO), ("dct", DCTERMS),
                       ("foaf", FOAF), ("skos", SKOS), ("org", ORG)):
        g.bind(prefix, ns)
    catalog = URIRef(f"{base}catalog/public-services")
    contact = URIRef(f"{base}catalog/public-services#contact")
    publisher = URIRef(meta.publisher_iri)

    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.identifier, Literal(str(catalog))))
    g.add((catalog, DCTERMS.title, Literal("Samkart: offentlige tjenester og fellesløsninger", lang="nb")))
    g.add((catalog, DCTERMS.title, Literal("Samkart: public services and common solutions", lang="en")))
    g.add((catalog, DCTERMS.description, Literal(
        "Offentlige tjenester og nasjonale felleskomponenter som omtales i kildedokumentene til Samkart, "
        "med ansvarlige og deltakende virksomheter.", lang="nb")))
    g.add((catalog, DCTERMS.description, Literal(
        "Public services and national common solutions named in Samkart's source documents, with the "
        "responsible and participating bodies.", lang="en")))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, CV.contactPoint, contact))
    g.add((contact, RDF.type, CV.ContactPoint))
    g.add((contact, CV.email, Literal(meta.contact_email)))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, DCTERMS.identifier, Literal(meta.publisher_orgnr or meta.publisher_iri)))
    g.add((publisher, DCTERMS.title, Literal(meta.publisher_name, lang="nb")))
    g.add((publisher, FOAF.name, Literal(meta.publisher_name, lang="nb")))

    organisations: set[URIRef] = set()
    roles: set[URIRef] = set()
    for service in _iris(union.subjects(RDF.type, CPSV.PublicService)):
        g.add((catalog, DCATNO.containsService, service))
        g.add((service, RDF.type, CPSV.PublicService))
        g.add((service, DCTERMS.identifier, Literal(str(service))))
        for title in union.objects(service, DCTERMS.title):
            g.add((service, DCTERMS.title, _nb(title)))
        for text in union.objects(service, DCTERMS.description):  # ours, nb (data/descriptions-nb.yaml) and en
            if getattr(text, "language", None):
                g.add((service, DCTERMS.description, text))
        for authority in _iris(union.objects(service, CV.hasCompetentAuthority)):
            g.add((service, CV.hasCompetentAuthority, authority))
            organisations.add(authority)
        for participation in _iris(union.objects(service, CV.hasParticipation)):
            agent = union.value(participation, CV.hasParticipant)
            role = union.value(participation, CV.role)
            if not isinstance(agent, URIRef) or role is None:
                continue
            mapped = URIRef(ROLE_MAP.get(str(role), str(role)))
            roles.add(mapped)
            g.add((service, CV.hasParticipation, participation))
            g.add((participation, RDF.type, CV.Participation))
            g.add((participation, DCTERMS.identifier, Literal(str(participation))))
            g.add((participation, CV.role, mapped))
            g.add((participation, CV.hasParticipant, agent))
            g.add((agent, CV.participates, participation))
            g.add((participation, DCTERMS.description, Literal(
                f"{_label(union, agent)} deltar som {_label(union, role)} i {_label(union, service)}.", lang="nb")))
            organisations.add(agent)

    for agent in sorted(organisations):
        _organisation(g, union, agent)
    for role in sorted(roles):
        _role_concept(g, union, role)
    return g


def _organisation(g: Graph, union: Graph, agent: URIRef) -> None:
    """An organisation typed as the shapes need: public ones cv:PublicOrganisation, all foaf:Agent."""
    public = (agent, RDF.type, CV.PublicOrganisation) in union
    g.add((agent, RDF.type, CV.PublicOrganisation if public else ORG.Organization))
    g.add((agent, RDF.type, FOAF.Agent))
    identifier = union.value(agent, DCTERMS.identifier)
    g.add((agent, DCTERMS.identifier, Literal(str(identifier) if identifier is not None else str(agent))))
    for label in union.objects(agent, SKOS.prefLabel):
        g.add((agent, SKOS.prefLabel, _nb(label)))
        g.add((agent, DCTERMS.title, _nb(label)))
        g.add((agent, FOAF.name, _nb(label)))
    for place in union.objects(agent, DCTERMS.spatial):
        g.add((agent, DCTERMS.spatial, place))


def _iris(nodes: Iterable[Node]) -> list[URIRef]:
    """The distinct IRIs among ``nodes``, sorted (the graph names services, organisations and participations
    by IRI)."""
    return sorted({node for node in nodes if isinstance(node, URIRef)})


def _nb(text: Node) -> Literal:
    """A name as rdf:langString: untagged names in the graph are Norwegian (copied from the documents)."""
    return text if isinstance(text, Literal) and text.language else Literal(str(text), lang="nb")


def _label(union: Graph, node: Node) -> str:
    labels = list(union.objects(node, SKOS.prefLabel))
    nb = [label for label in labels if isinstance(label, Literal) and label.language == "nb"]
    return str((nb or labels or [node])[0])


def _role_concept(g: Graph, union: Graph, role: URIRef) -> None:
    """A participation role as the concept CPSV-AP wants (typed, labelled, in its scheme), shipped with the
    services: ours from the graph, Digdir's role types from the code-list excerpt (without the file's
    foaf:Agent punning: a role is no agent here)."""
    source = union if not str(role).startswith(ROLE_TYPE) else _codelists()
    g.add((role, RDF.type, SKOS.Concept))
    for prop in (SKOS.prefLabel, SKOS.inScheme):
        for value in source.objects(role, prop):
            g.add((role, prop, value))
    for scheme in source.objects(role, SKOS.inScheme):
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        for label in source.objects(scheme, SKOS.prefLabel):
            g.add((scheme, SKOS.prefLabel, label))


@functools.cache
def _codelists() -> Graph:
    """The code-list excerpt that travels with the package (Digdir's role types among them)."""
    from .profiles import CODELISTS

    return Graph().parse(CODELISTS, format="turtle")
