"""RDF for the fact kinds of goals, responsibilities, instruments, proposals, decisions, money, awards and suppliers."""

import hashlib
import re
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, ORG, PROV, RDF, XSD
from rdflib.namespace import DCTERMS as DCT

from samkart.errors import InputError
from samkart.namespaces import SCHEMA, SK

from .documents import Document
from .facts import Fact
from .model import AGENT_TYPES, ORGANISATION_TYPES
from .registry import Registry

CURRENCY = re.compile(r"^[A-Z]{3}$")
YEAR = re.compile(r"^[0-9]{4}$")
DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


def date_literal(value: str | int) -> Literal:
    """A year as xsd:gYear, a month as xsd:gYearMonth, a full date as xsd:date: never more precise than the source."""
    text = str(value)
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(text), XSD.date)
    return Literal(text, datatype=datatype)


def as_list(value: Any) -> list[Any]:
    """A field that may hold one id or a list of ids, as a list."""
    return list(value) if isinstance(value, list) else [value]


def slug_of(entity_id: str) -> str:
    """The slug part of an id (``org/x`` → ``x``)."""
    return entity_id.split("/", 1)[1]


def key_of(ids: list[str]) -> str:
    """A short IRI key for one id, or for a list of ids (the first slug and a digest of all)."""
    if len(ids) == 1:
        return slug_of(ids[0])
    return f"{slug_of(ids[0])}-{hashlib.sha1(' '.join(sorted(ids)).encode()).hexdigest()[:8]}"


class NewKinds:
    """Encoders for the fact kinds added in issue 18; mixed into :class:`samkart.graph.encode.Encoder`."""

    # provided by the encoder
    registry: Registry
    documents: dict[str, Document]

    if TYPE_CHECKING:  # the encoder's methods these encoders call (declared for the type checker only)
        def iri(self, entity_id: str) -> URIRef: ...

        def concept(self, scheme: str, code: str, fact: Fact) -> URIRef: ...

        def state(self, fact: Fact, s: URIRef, p: URIRef, o: URIRef) -> None: ...

        def _node(self, fact: Fact, path: str, rdf_type: URIRef) -> tuple[Graph, URIRef]: ...

    def fail(self, fact: Fact, message: str) -> None:
        """Stop with an input error that names the fact's file and line."""
        path, line = fact.origin.rsplit(":", 1)
        raise InputError(f"{fact.kind} fact: {message}", path, int(line))

    def expect(self, fact: Fact, field: str, types: set[str] | frozenset[str], what: str) -> list[str]:
        """The ids in ``field``, each of one of ``types`` (else an input error)."""
        ids = as_list(fact.values[field])
        for entity_id in ids:
            if self.registry[entity_id].type not in types:
                self.fail(fact, f"'{field}' must name {what}; '{entity_id}' is a {self.registry[entity_id].type}")
        return ids

    def check_date(self, fact: Fact, field: str, pattern: re.Pattern[str] = DATE) -> Literal | None:
        """The literal of an optional year or date field, checked."""
        if field not in fact.values:
            return None
        text = str(fact.values[field])
        if not pattern.match(text):
            or_date = "" if pattern is YEAR else " or a date (YYYY-MM or YYYY-MM-DD)"
            self.fail(fact, f"'{field}' must be a year{or_date}, got {text!r}")
        return date_literal(text)

    def period(self, fact: Fact, graph: Graph, node: URIRef) -> None:
        """A period (dct:temporal) on a fact node from its optional ``start`` and ``end``."""
        start, end = self.check_date(fact, "start"), self.check_date(fact, "end")
        if start is None and end is None:
            return
        period = URIRef(f"{node}/period")
        graph.add((period, RDF.type, DCT.PeriodOfTime))
        for value, prop in ((start, DCAT.startDate), (end, DCAT.endDate)):
            if value is not None:
                graph.add((period, prop, value))
        graph.add((node, DCT.temporal, period))

    # -- statements ---------------------------------------------------------------------
    def fact_goal(self, fact: Fact) -> None:
        """A plan states a goal: ``plan sk:goal goal``, reified with its span."""
        v = fact.values
        self.expect(fact, "goal", {"goal"}, "a goal")
        goal = self.registry[v["goal"]]
        if goal.plan != v["plan"]:
            self.fail(fact, f"'{v['goal']}' is a goal of '{goal.plan}' (its entry's plan:), not of '{v['plan']}'")
        self.state(fact, self.iri(v["plan"]), SK.goal, self.iri(v["goal"]))

    def fact_responsibility(self, fact: Fact) -> None:
        """An actor's responsibility of a kind for one or more things: a ``sk:Responsibility`` node."""
        v = fact.values
        self.expect(fact, "org", AGENT_TYPES, "an organisation or group")
        kind = self.concept("responsibility-kind", v["kind"], fact)
        items = as_list(v["for"])
        path = f"{v['org']}/responsibility/{v['kind']}-{key_of(items)}"
        graph, node = self._node(fact, path, SK.Responsibility)
        graph.add((node, SK.responsibleAgent, self.iri(v["org"])))
        graph.add((self.iri(v["org"]), SK.hasResponsibility, node))
        graph.add((node, SK.responsibilityKind, kind))
        for item in items:
            graph.add((node, SK.responsibilityFor, self.iri(item)))

    def fact_instrument(self, fact: Fact) -> None:
        """An instrument given to actors, optionally by a giver: a ``sk:InstrumentAssignment`` node."""
        v = fact.values
        self.expect(fact, "instrument", {"instrument"}, "an instrument")
        targets = self.expect(fact, "to", AGENT_TYPES, "an organisation or group")
        givers = self.expect(fact, "by", AGENT_TYPES, "an organisation") if "by" in v else []
        graph, node = self._node(fact, f"{v['instrument']}/assignment/{key_of(targets)}", SK.InstrumentAssignment)
        graph.add((node, SK.instrument, self.iri(v["instrument"])))
        for target in targets:
            graph.add((node, SK.assignedTo, self.iri(target)))
        for giver in givers:
            graph.add((node, SK.assignedBy, self.iri(giver)))

    def fact_proposal(self, fact: Fact) -> None:
        """Who proposed something and what for: reified ``prov:wasAttributedTo`` and ``sk:proposedFor``."""
        v = fact.values
        self.expect(fact, "proposal", {"proposal"}, "a proposal")
        proposal = self.iri(v["proposal"])
        by = self.expect(fact, "by", AGENT_TYPES, "an organisation or group") if "by" in v else []
        for agent in by:
            self.state(fact, proposal, PROV.wasAttributedTo, self.iri(agent))
        for target in as_list(v.get("for", [])):
            self.state(fact, proposal, SK.proposedFor, self.iri(target))
        if not by and "for" not in v:
            self.state(fact, proposal, RDF.type, SK.Proposal)

    def fact_established(self, fact: Fact) -> None:
        """A body set up: an ``org:ChangeEvent`` of type establish with only a resulting organisation."""
        v = fact.values
        self.expect(fact, "item", ORGANISATION_TYPES, "an organisation, body, office or unit (use `period` for other things)")
        graph, node = self._node(fact, f"change/establish/{slug_of(v['item'])}", ORG.ChangeEvent)
        graph.add((node, DCT.type, self.concept("change-type", "establish", fact)))
        graph.add((node, ORG.resultingOrganization, self.iri(v["item"])))
        graph.add((self.iri(v["item"]), ORG.resultedFrom, node))
        if "by" in v:
            for agent in self.expect(fact, "by", AGENT_TYPES, "an organisation"):
                graph.add((node, PROV.wasAssociatedWith, self.iri(agent)))
        date = self.check_date(fact, "date")
        if date is not None:
            graph.add((node, DCT.date, date))

    def fact_decision(self, fact: Fact) -> None:
        """Who decided what, and when: a ``sk:Decision`` node."""
        v = fact.values
        by = self.expect(fact, "by", AGENT_TYPES, "an organisation or group")
        graph, node = self._node(fact, f"{v['item']}/decision/{key_of(by)}", SK.Decision)
        graph.add((node, DCT.subject, self.iri(v["item"])))
        for agent in by:
            graph.add((node, PROV.wasAssociatedWith, self.iri(agent)))
        date = self.check_date(fact, "date")
        if date is not None:
            graph.add((node, DCT.date, date))

    def fact_appropriation(self, fact: Fact) -> None:
        """Money for something: a ``sk:Appropriation`` (``schema:MonetaryGrant``) node with its amount."""
        v = fact.values
        amount, currency = v["amount"], str(v["currency"])
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            self.fail(fact, f"'amount' must be a positive whole number of currency units, got {amount!r}")
        if not CURRENCY.match(currency):
            self.fail(fact, f"'currency' must be an ISO 4217 code such as NOK, got {currency!r}")
        year = self.check_date(fact, "year", YEAR)
        key = f"{amount}-{v.get('year', 'x')}"
        graph, node = self._node(fact, f"{v['item']}/appropriation/{key}", SK.Appropriation)
        graph.add((node, RDF.type, SCHEMA.MonetaryGrant))
        graph.add((node, SCHEMA.fundedItem, self.iri(v["item"])))
        money = URIRef(f"{node}/amount")
        graph.add((node, SCHEMA.amount, money))
        graph.add((money, RDF.type, SCHEMA.MonetaryAmount))
        graph.add((money, SCHEMA.value, Literal(amount, datatype=XSD.integer)))
        graph.add((money, SCHEMA.currency, Literal(currency)))
        if year is not None:
            graph.add((node, SK.budgetYear, year))
        if "by" in v:
            for agent in self.expect(fact, "by", AGENT_TYPES, "an organisation"):
                graph.add((node, SCHEMA.funder, self.iri(agent)))

    def fact_award(self, fact: Fact) -> None:
        """An award given to something: a ``sk:AwardConferral`` node."""
        v = fact.values
        self.expect(fact, "award", {"award"}, "an award")
        graph, node = self._node(fact, f"{v['item']}/award/{slug_of(v['award'])}", SK.AwardConferral)
        graph.add((node, SK.award, self.iri(v["award"])))
        graph.add((node, SK.awardedTo, self.iri(v["item"])))
        year = self.check_date(fact, "year", YEAR)
        if year is not None:
            graph.add((node, DCT.date, year))

    def fact_supplier(self, fact: Fact) -> None:
        """Who provides ICT services (or a named service) to whom: a ``sk:SupplyRelationship`` node."""
        v = fact.values
        self.expect(fact, "supplier", AGENT_TYPES, "an organisation")
        customers = self.expect(fact, "customer", AGENT_TYPES, "an organisation or group")
        graph, node = self._node(fact, f"{v['supplier']}/supplies/{key_of(customers)}", SK.SupplyRelationship)
        graph.add((node, SK.supplier, self.iri(v["supplier"])))
        for customer in customers:
            graph.add((node, SK.customer, self.iri(customer)))
        if "of" in v:
            for service in as_list(v["of"]):
                graph.add((node, SK.suppliedService, self.iri(service)))
