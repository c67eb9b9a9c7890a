"""The entity types of the data format and the RDF classes, label properties and IRI paths they map to."""

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import FOAF, ORG, PROV

from samkart.namespaces import CPSV, CV, SK, SKOS


@dataclass(frozen=True)
class EntityType:
    """How one entity type of the data format becomes RDF."""

    kind: str
    classes: tuple[URIRef, ...]
    titled: bool = True  # also gets dct:title (CPSV-AP wants titles on agents, services, plans)


def _org(*classes: URIRef) -> EntityType:
    return EntityType("org", tuple(classes) + (ORG.Organization,))


_PUBLIC = (CV.PublicOrganisation, ORG.FormalOrganization)

ENTITY_TYPES: dict[str, EntityType] = {
    "ministry": _org(SK.Ministry, *_PUBLIC),
    "government": _org(*_PUBLIC),
    "parliament": _org(*_PUBLIC),
    "agency": _org(*_PUBLIC),
    "public-company": _org(*_PUBLIC),
    "municipal": _org(*_PUBLIC),
    "interest-organisation": _org(ORG.FormalOrganization),
    "company": _org(ORG.FormalOrganization),
    "coordination-body": _org(SK.CoordinationBody, ORG.OrganizationalCollaboration),
    "unit": _org(ORG.OrganizationalUnit),
    "service": EntityType("service", (CPSV.PublicService,)),
    "common-solution": EntityType("service", (SK.CommonSolution, CPSV.PublicService)),
    "strategy": EntityType("plan", (SK.Strategy, SK.Plan, PROV.Plan)),
    "action-plan": EntityType("plan", (SK.ActionPlan, SK.Plan, PROV.Plan)),
    "white-paper": EntityType("plan", (SK.WhitePaper, SK.Plan, PROV.Plan)),
    "roadmap": EntityType("plan", (SK.Roadmap, SK.Plan, PROV.Plan)),
    "plan": EntityType("plan", (SK.Plan, PROV.Plan)),
    "plan-section": EntityType("plan", (SK.PlanSection, SK.Plan, PROV.Plan)),
    "portfolio": EntityType("plan", (SK.Portfolio,)),
    "programme": EntityType("initiative", (SK.Programme, PROV.Activity)),
    "project": EntityType("initiative", (SK.Project, PROV.Activity)),
    "agreement": EntityType("agreement", (SK.Agreement,)),
    "funding-scheme": EntityType("funding-scheme", (SK.FundingScheme,)),
    "life-event": EntityType("life-event", (CV.LifeEvent, CV.Event)),
    "person": EntityType("person", (FOAF.Person,), titled=False),
    "focus-area": EntityType("focus-area", (SKOS.Concept, SK.FocusArea), titled=False),
    "principle": EntityType("principle", (SKOS.Concept, SK.Principle), titled=False),
    "measure": EntityType("measure", (SK.Measure,)),
    "sector": EntityType("sector", (SKOS.Concept, SK.Sector), titled=False),
    "goal": EntityType("goal", (SKOS.Concept, SK.Goal), titled=False),
    "policy-area": EntityType("area", (SKOS.Concept, SK.PolicyArea), titled=False),
    "instrument": EntityType("instrument", (SK.Instrument, PROV.Entity)),
    "proposal": EntityType("proposal", (SK.Proposal, PROV.Entity)),
    "award": EntityType("award", (SK.Award,)),
    "group": EntityType("group", (SK.ActorGroup, FOAF.Group)),
}
"""Entity type code → IRI path kind and RDF classes."""

ORGANISATION_TYPES = frozenset(t for t, et in ENTITY_TYPES.items() if et.kind == "org")
SCHEMED_TYPES = frozenset({"focus-area", "principle", "goal"})
"""Types whose entities are SKOS concepts in a per-plan scheme (entry needs ``plan:``)."""

RELATIONS: dict[str, URIRef] = {
    "funded-by": SK.fundedBy,
    "follows-up": SK.followsUp,
    "integrates-with": SK.integratesWith,
    "replaces": URIRef("http://purl.org/dc/terms/replaces"),
    "based-on": SK.basedOn,
    "governs": SK.governs,
    "sector-ministry": SK.sectorMinistry,
}
"""Relation codes of the ``relation`` fact → predicates."""

AGENT_TYPES = ORGANISATION_TYPES | {"group", "person"}
"""Types that can act: take part, be responsible, decide, supply (organisations, groups of actors, persons)."""

MEMBERSHIP_ROLES = frozenset({"chair", "member", "observer", "secretariat", "minister", "board-chair"})
