"""The fact kinds of goals, responsibilities, instruments, proposals, bodies set up, decisions, money, awards,
suppliers and participation periods: accepted, turned into cited RDF, valid, and rejected when malformed."""

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, XSD

from samkart.errors import InputError
from samkart.graph.build import build_dataset
from samkart.graph.project import load_project
from samkart.namespaces import CV, SCHEMA, SK, concept_iri
from samkart.settings import Settings
from samkart.shacl.fast import store_from_graph, validate_store
from samkart.shacl.inputs import load_shapes, union_graph

ROOT = Path(__file__).resolve().parents[1]
DOC = "doc/handlingsplan-2030-styring-og-samordning"

ENTITIES = """\
document: doc/handlingsplan-2030-styring-og-samordning
entities:
  - {id: goal/et-samordnet-offentlig-sektor, type: goal, label: Et samordnet offentlig sektor, plan: plan/testplan}
  - {id: plan/testplan, type: strategy, label: Testplanen}
  - {id: area/testomradet, type: policy-area, label: Testområdet}
  - {id: instrument/testveilederen, type: instrument, label: Testveilederen}
  - {id: proposal/testforslaget, type: proposal, label: Testforslaget}
  - {id: award/testprisen, type: award, label: Testprisen}
  - {id: group/kommunene-som-deltar-i-testen, type: group, label: kommunene som deltar i testen, descriptive: true}
  - {id: org/testradet, type: coordination-body, label: Testrådet}
  - {id: service/testtjenesten, type: service, label: Testtjenesten}
facts:
"""
FACTS = {
    "goal": "{plan: plan/testplan, goal: goal/et-samordnet-offentlig-sektor, lines: [1, 2]}",
    "responsibility": "{org: org/digitaliseringsdirektoratet, for: [area/testomradet, service/testtjenesten], kind: coordinating, lines: [3, 3]}",
    "instrument": "{instrument: instrument/testveilederen, to: org/digitaliseringsdirektoratet, by: org/kommunal-og-distriktsdepartementet, lines: [4, 4]}",
    "proposal": "{proposal: proposal/testforslaget, by: [org/digitaliseringsdirektoratet, group/kommunene-som-deltar-i-testen], for: plan/testplan, lines: [5, 5]}",
    "established": "{item: org/testradet, by: org/kommunal-og-distriktsdepartementet, date: 2020-06, lines: [6, 6]}",
    "decision": "{by: org/regjeringen, item: plan/testplan, date: 2024, lines: [7, 7]}",
    "appropriation": "{item: service/testtjenesten, amount: 500000000, currency: NOK, year: 2024, by: org/kommunal-og-distriktsdepartementet, lines: [8, 8]}",
    "award": "{item: service/testtjenesten, award: award/testprisen, year: 2023, lines: [9, 9]}",
    "supplier": "{supplier: org/digitaliseringsdirektoratet, customer: [org/kommunal-og-distriktsdepartementet], of: service/testtjenesten, lines: [10, 10]}",
    "participation": "{subject: service/testtjenesten, org: group/kommunene-som-deltar-i-testen, role: participant, start: 2021, end: 2023, lines: [11, 11]}",
    "participation ": "{subject: service/testtjenesten, org: org/digitaliseringsdirektoratet, role: participant, lines: [11, 11]}",
}


def project_with(tmp_path: Path, facts: dict[str, str]):
    """A copy of the project with one extra curated file holding ``facts``."""
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    body = "".join(f"  - {kind.strip()}: {value}\n" for kind, value in facts.items())
    (tmp_path / "data" / "curated" / "zz-kinds.yaml").write_text(ENTITIES + body, encoding="utf-8")
    return load_project(Settings(project_dir=tmp_path))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = project_with(tmp_path_factory.mktemp("kinds"), FACTS)
    ds = build_dataset(project)
    return project, union_graph(ds)


def iri(entity_id: str) -> URIRef:
    return URIRef("https://w3id.org/samkart/id/" + entity_id)


def cited(graph, node, first: int, last: int) -> bool:
    span = URIRef(f"{iri(DOC)}#L{first}-L{last}")
    return (node, PROV.wasDerivedFrom, iri(DOC)) in graph and (node, SK.locator, span) in graph


def node_of(graph, rdf_type, prop, value):
    nodes = [n for n in graph.subjects(prop, value) if (n, RDF.type, rdf_type) in graph]
    assert len(nodes) == 1, (rdf_type, prop, value, nodes)
    return nodes[0]


def statement(graph, s, p, o):
    nodes = [n for n in graph.subjects(RDF.subject, s)
             if (n, RDF.predicate, p) in graph and (n, RDF.object, o) in graph]
    assert (s, p, o) in graph and len(nodes) == 1, (s, p, o)
    return nodes[0]


def test_every_new_kind_builds_and_validates(built):
    project, graph = built
    findings = validate_store(store_from_graph(graph), load_shapes(project.settings.shapes_dir))
    assert [f for f in findings if f.severity == "Violation"] == []


def test_goal_is_a_cited_statement_of_the_plan(built):
    _, g = built
    goal = iri("goal/et-samordnet-offentlig-sektor")
    assert (goal, RDF.type, SK.Goal) in g
    assert cited(g, statement(g, iri("plan/testplan"), SK.goal, goal), 1, 2)


def test_responsibility_node(built):
    _, g = built
    node = node_of(g, SK.Responsibility, SK.responsibilityFor, iri("area/testomradet"))
    assert (node, SK.responsibleAgent, iri("org/digitaliseringsdirektoratet")) in g
    assert cited(g, node, 3, 3)
    assert set(g.objects(node, SK.responsibilityFor)) == {iri("area/testomradet"), iri("service/testtjenesten")}
    assert (node, SK.responsibilityKind, URIRef(concept_iri("responsibility-kind", "coordinating"))) in g
    assert (iri("org/digitaliseringsdirektoratet"), SK.hasResponsibility, node) in g
    assert (iri("area/testomradet"), RDF.type, SK.PolicyArea) in g


def test_instrument_assignment_node(built):
    _, g = built
    node = node_of(g, SK.InstrumentAssignment, SK.instrument, iri("instrument/testveilederen"))
    assert cited(g, node, 4, 4)
    assert (node, SK.assignedTo, iri("org/digitaliseringsdirektoratet")) in g
    assert (node, SK.assignedBy, iri("org/kommunal-og-distriktsdepartementet")) in g


def test_proposal_statements(built):
    _, g = built
    proposal = iri("proposal/testforslaget")
    assert cited(g, statement(g, proposal, PROV.wasAttributedTo, iri("group/kommunene-som-deltar-i-testen")), 5, 5)
    assert cited(g, statement(g, proposal, SK.proposedFor, iri("plan/testplan")), 5, 5)


def test_establishment_is_a_change_event_without_a_before(built):
    _, g = built
    node = node_of(g, ORG.ChangeEvent, ORG.resultingOrganization, iri("org/testradet"))
    assert cited(g, node, 6, 6)
    assert (node, DCTERMS.type, URIRef(concept_iri("change-type", "establish"))) in g
    assert (node, PROV.wasAssociatedWith, iri("org/kommunal-og-distriktsdepartementet")) in g
    assert (node, DCTERMS.date, Literal("2020-06", datatype=XSD.gYearMonth)) in g


def test_decision_node(built):
    _, g = built
    node = node_of(g, SK.Decision, DCTERMS.subject, iri("plan/testplan"))
    assert cited(g, node, 7, 7)
    assert (node, PROV.wasAssociatedWith, iri("org/regjeringen")) in g
    assert (node, DCTERMS.date, Literal("2024", datatype=XSD.gYear)) in g


def test_appropriation_node(built):
    _, g = built
    node = node_of(g, SK.Appropriation, SCHEMA.fundedItem, iri("service/testtjenesten"))
    assert cited(g, node, 8, 8) and (node, RDF.type, SCHEMA.MonetaryGrant) in g
    money = g.value(node, SCHEMA.amount)
    assert g.value(money, SCHEMA.value) == Literal(500000000, datatype=XSD.integer)
    assert g.value(money, SCHEMA.currency) == Literal("NOK")
    assert (node, SK.budgetYear, Literal("2024", datatype=XSD.gYear)) in g
    assert (node, SCHEMA.funder, iri("org/kommunal-og-distriktsdepartementet")) in g


def test_award_node(built):
    _, g = built
    node = node_of(g, SK.AwardConferral, SK.awardedTo, iri("service/testtjenesten"))
    assert cited(g, node, 9, 9) and (node, SK.award, iri("award/testprisen")) in g
    assert (node, DCTERMS.date, Literal("2023", datatype=XSD.gYear)) in g


def test_supplier_node(built):
    _, g = built
    node = node_of(g, SK.SupplyRelationship, SK.suppliedService, iri("service/testtjenesten"))
    assert cited(g, node, 10, 10) and (node, SK.supplier, iri("org/digitaliseringsdirektoratet")) in g
    assert (node, SK.customer, iri("org/kommunal-og-distriktsdepartementet")) in g


def test_group_takes_part_for_a_period(built):
    _, g = built
    group = iri("group/kommunene-som-deltar-i-testen")
    node = node_of(g, CV.Participation, CV.hasParticipant, group)
    period = g.value(node, DCTERMS.temporal)
    assert cited(g, node, 11, 11) and period is not None
    assert {str(v) for v in g.objects(period, None) if isinstance(v, Literal)} == {"2021", "2023"}


@pytest.mark.parametrize("kind, value, message", [
    ("goal", "{plan: plan/testplan, goal: area/testomradet, lines: [1, 1]}", "must name a goal"),
    ("responsibility", "{org: org/digitaliseringsdirektoratet, for: area/testomradet, kind: boss, lines: [1, 1]}",
     "unknown responsibility-kind code"),
    ("instrument", "{instrument: instrument/testveilederen, lines: [1, 1]}", "missing ['to']"),
    ("established", "{item: service/testtjenesten, lines: [1, 1]}", "must name an organisation"),
    ("appropriation", "{item: plan/testplan, amount: 5.5, currency: NOK, lines: [1, 1]}", "positive whole number"),
    ("appropriation", "{item: plan/testplan, amount: 5, currency: kroner, lines: [1, 1]}", "ISO 4217"),
    ("award", "{item: plan/testplan, award: award/testprisen, year: 23, lines: [1, 1]}", "must be a year"),
    ("supplier", "{supplier: plan/testplan, customer: org/regjeringen, lines: [1, 1]}", "must name an organisation"),
    ("decision", "{by: org/regjeringen, item: plan/nope, lines: [1, 1]}", "not in the registry"),
])
def test_malformed_facts_are_one_line_errors(tmp_path, kind, value, message):
    with pytest.raises(InputError) as error:
        build_dataset(project_with(tmp_path, {kind: value}))
    assert message in str(error.value) and "\n" not in str(error.value)
