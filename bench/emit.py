"""N-Quads for the synthetic generator: the encoder's node and provenance patterns, one document at a time."""

import hashlib
from collections import Counter

from rdflib.namespace import DCAT, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD
from rdflib.namespace import DCTERMS as DCT

from samkart.graph.encode import COMPETENT_ROLES, DESCRIPTIVE_NOTE, NORWAY
from samkart.graph.model import ENTITY_TYPES, ORGANISATION_TYPES, RELATIONS
from samkart.namespaces import CV, SK, concept_iri

BASE = "https://w3id.org/samkart/id/"
"""The instance base of the real build (Settings.base default)."""

AUTHORITY_TYPES = ("ministry", "government", "agency", "public-company", "municipal")
"""Participant types that make a competent role a cv:hasCompetentAuthority statement (as in encode.py)."""

NOB = "http://publications.europa.eu/resource/authority/language/NOB"


def iri(value) -> str:
    """An IRI as an N-Quads term."""
    return f"<{value}>"


def lit(text, lang: str | None = None, datatype=None) -> str:
    """A literal as an N-Quads term (language-tagged, typed or plain)."""
    body = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{body}"@{lang}'
    return f'"{body}"^^<{datatype}>' if datatype else f'"{body}"'


def date_term(value: str) -> str:
    """A year as xsd:gYear, a full date as xsd:date (encode.date_literal)."""
    return lit(value, datatype=XSD.gYear if len(value) == 4 else XSD.date)


A = iri(RDF.type)
P = {name: iri(term) for name, term in {
    "prefLabel": SKOS.prefLabel, "altLabel": SKOS.altLabel, "editorialNote": SKOS.editorialNote,
    "inScheme": SKOS.inScheme, "topConceptOf": SKOS.topConceptOf, "hasTopConcept": SKOS.hasTopConcept,
    "title": DCT.title, "identifier": DCT.identifier, "type": DCT.type, "spatial": DCT.spatial,
    "description": DCT.description, "source": DCT.source, "date": DCT.date, "issued": DCT.issued,
    "language": DCT.language, "publisher": DCT.publisher, "temporal": DCT.temporal, "isPartOf": DCT.isPartOf,
    "derived": PROV.wasDerivedFrom, "locator": SK.locator, "inDocument": SK.inDocument,
    "fromLine": SK.fromLine, "toLine": SK.toLine, "comment": RDFS.comment, "name": FOAF.name,
    "subject": RDF.subject, "predicate": RDF.predicate, "object": RDF.object,
    "hasParticipation": CV.hasParticipation, "hasParticipant": CV.hasParticipant, "role": CV.role,
    "participates": CV.participates, "competent": CV.hasCompetentAuthority,
    "organization": ORG.organization, "member": ORG.member, "orgRole": ORG.role, "hasMembership": ORG.hasMembership,
    "hasStatus": SK.hasStatusAssessment, "status": SK.status, "startDate": DCAT.startDate, "endDate": DCAT.endDate,
    "original": ORG.originalOrganization, "changedBy": ORG.changedBy,
    "resulting": ORG.resultingOrganization, "resultedFrom": ORG.resultedFrom,
    "subOrganizationOf": ORG.subOrganizationOf, "sector": SK.sector, "focusArea": SK.focusArea,
    "isGroupedBy": CV.isGroupedBy, **RELATIONS,
}.items()}
C = {name: iri(term) for name, term in {
    "Participation": CV.Participation, "Membership": ORG.Membership, "StatusAssessment": SK.StatusAssessment,
    "ChangeEvent": ORG.ChangeEvent, "Statement": RDF.Statement, "SourceSpan": SK.SourceSpan,
    "PeriodOfTime": DCT.PeriodOfTime, "ConceptScheme": SKOS.ConceptScheme, "Document": FOAF.Document,
    "Entity": PROV.Entity, "DocumentGraph": SK.DocumentGraph,
}.items()}
POSITIVE = XSD.integer  # line numbers: xsd:integer >= 1, as the build writes them


class Emitter:
    """Writes quads for one document at a time, without duplicates, counting triples and classes."""

    def __init__(self, base: str = BASE):
        self.base = base
        self.registry = iri(f"{base}graph/registry")
        self.meta = iri(f"{base}graph/meta")
        self.triples = 0
        self.classes: Counter[str] = Counter()
        self.out: list[str] = []
        self.seen: set[str] = set()
        self.refs: dict[str, None] = {}
        self.schemes: set[str] = set()  # concept schemes whose own triples are written (few)
        self.doc = self.graph = self.slug = ""

    # -- plumbing ---------------------------------------------------------------------------
    def node(self, path: str) -> str:
        """The IRI term of an entity id or node path under the base."""
        return iri(self.base + path)

    def quad(self, s: str, p: str, o: str, g: str) -> None:
        """One quad, unless this document already wrote it."""
        line = f"{s} {p} {o} {g} .\n"
        if line not in self.seen:
            self.seen.add(line)
            self.out.append(line)
            self.triples += 1
            if p == A:
                self.classes[o[1:-1]] += 1

    def ref(self, *entity_ids: str) -> None:
        """Entities this document names: each gets prov:wasDerivedFrom the document in the registry."""
        for entity_id in entity_ids:
            self.refs[entity_id] = None

    def start_document(self, slug: str) -> None:
        """Begin the graph ``{base}graph/{slug}`` for the document ``doc/{slug}``."""
        self.slug, self.doc, self.graph = slug, self.node(f"doc/{slug}"), self.node(f"graph/{slug}")
        self.seen, self.refs = set(), {}

    def finish_document(self) -> list[str]:
        """Registry provenance for every entity the document named; the document's lines, handed over."""
        for entity_id in self.refs:
            self.quad(self.node(entity_id), P["derived"], self.doc, self.registry)
        lines, self.out, self.seen, self.refs = self.out, [], set(), {}
        return lines

    # -- registry and meta ------------------------------------------------------------------
    def entity(self, etype: str, entity_id: str, label: str, alt: str | None = None,
               description: str | None = None, descriptive: bool = False) -> None:
        """Type, labels and notes of one entity in the registry graph (encode.Encoder.add_entity)."""
        g, node, spec = self.registry, self.node(entity_id), ENTITY_TYPES[etype]
        for cls in spec.classes:
            self.quad(node, A, iri(cls), g)
        self.quad(node, P["prefLabel"], lit(label, "nb"), g)
        if spec.titled:
            self.quad(node, P["title"], lit(label, "nb"), g)
        if alt:
            self.quad(node, P["altLabel"], lit(alt, "nb"), g)
        if description:
            self.quad(node, P["description"], lit(description, "en"), g)
        if descriptive:
            self.quad(node, P["editorialNote"], lit(DESCRIPTIVE_NOTE, "en"), g)
        self.quad(node, P["identifier"], lit(entity_id), g)
        self.quad(node, P["type"], iri(concept_iri("entity-type", etype)), g)
        if etype in ORGANISATION_TYPES and CV.PublicOrganisation in spec.classes:
            self.quad(node, P["spatial"], iri(NORWAY), g)
        if etype == "person":
            self.quad(node, P["name"], lit(label), g)
        self.ref(entity_id)

    def in_scheme(self, entity_id: str, scheme: str, label: str, source: str | None = None) -> None:
        """A concept entity as top concept of a scheme (sectors, focus areas: encode.add_to_scheme)."""
        g, node, scheme_node = self.registry, self.node(entity_id), self.node(scheme)
        if scheme not in self.schemes:
            self.schemes.add(scheme)
            if source:
                self.quad(scheme_node, P["source"], self.node(source), g)
            self.quad(scheme_node, A, C["ConceptScheme"], g)
            self.quad(scheme_node, P["prefLabel"], lit(label, "nb"), g)
        self.quad(node, P["inScheme"], scheme_node, g)
        self.quad(node, P["topConceptOf"], scheme_node, g)
        self.quad(scheme_node, P["hasTopConcept"], node, g)

    def document(self, title: str, issued: str, file: str, doc_type: str, publishers: list[str], note: str) -> None:
        """The current document and the link from its graph, in the meta graph (encode.add_document)."""
        g, node = self.meta, self.doc
        self.quad(node, A, C["Document"], g)
        self.quad(node, A, C["Entity"], g)
        self.quad(node, P["title"], lit(title, "nb"), g)
        self.quad(node, P["prefLabel"], lit(title, "nb"), g)
        self.quad(node, P["issued"], date_term(issued), g)
        self.quad(node, P["identifier"], lit(file), g)
        self.quad(node, P["language"], iri(NOB), g)
        self.quad(node, P["type"], iri(concept_iri("document-type", doc_type)), g)
        self.quad(node, P["description"], lit(note, "en"), g)
        for publisher in publishers:
            self.quad(node, P["publisher"], self.node(publisher), g)
        self.ref(*publishers)
        self.quad(self.graph, P["derived"], node, g)
        self.quad(self.graph, A, C["DocumentGraph"], g)

    # -- provenance (encode.Encoder.cite / state / _node) ------------------------------------
    def cite(self, node: str, lines: tuple[int, int], note: str | None = None) -> None:
        """Document and line-span provenance of a fact-bearing node."""
        first, last = lines
        span, g = iri(f"{self.doc[1:-1]}#L{first}-L{last}"), self.graph
        self.quad(node, P["derived"], self.doc, g)
        self.quad(node, P["locator"], span, g)
        self.quad(span, A, C["SourceSpan"], g)
        self.quad(span, P["inDocument"], self.doc, g)
        self.quad(span, P["fromLine"], lit(first, datatype=POSITIVE), g)
        self.quad(span, P["toLine"], lit(last, datatype=POSITIVE), g)
        if note:
            self.quad(node, P["comment"], lit(note, "en"), g)

    def state(self, s: str, p: str, o: str, lines: tuple[int, int], note: str | None = None) -> None:
        """A plain triple in the document graph and a reified statement carrying its source."""
        g = self.graph
        self.quad(s, p, o, g)
        digest = hashlib.sha1(f"{s[1:-1]} {p[1:-1]} {o[1:-1]}".encode()).hexdigest()[:12]
        stmt = iri(f"{self.doc[1:-1]}/statement/{digest}")
        self.quad(stmt, A, C["Statement"], g)
        self.quad(stmt, P["subject"], s, g)
        self.quad(stmt, P["predicate"], p, g)
        self.quad(stmt, P["object"], o, g)
        self.cite(stmt, lines, note)

    def fact_node(self, path: str, cls: str, lines: tuple[int, int], note: str | None = None) -> str:
        """A typed, identified, cited fact node ``{path}/{document slug}``."""
        full = f"{path}/{self.slug}"
        node = self.node(full)
        self.quad(node, A, C[cls], self.graph)
        self.quad(node, P["identifier"], lit(full), self.graph)
        self.cite(node, lines, note)
        return node

    # -- facts (encode.Encoder.fact_*) -------------------------------------------------------
    def participation(self, subject: tuple[str, str], org: tuple[str, str], role: str,
                      lines: tuple[int, int], note: str | None = None) -> None:
        """``org`` (type, id) takes part in ``subject`` (type, id) in ``role``."""
        (stype, sid), (otype, oid) = subject, org
        node = self.fact_node(f"{sid}/participation/{oid.split('/', 1)[1]}-{role}", "Participation", lines, note)
        s, o, g = self.node(sid), self.node(oid), self.graph
        self.quad(s, P["hasParticipation"], node, g)
        self.quad(node, P["hasParticipant"], o, g)
        self.quad(node, P["role"], iri(concept_iri("role", role)), g)
        self.quad(o, P["participates"], node, g)
        self.ref(sid, oid)
        if role in COMPETENT_ROLES and stype in ("service", "common-solution") and otype in AUTHORITY_TYPES:
            self.state(s, P["competent"], o, lines)

    def membership(self, body: str, member: str, role: str, lines: tuple[int, int], note: str | None = None) -> None:
        """``member`` (an organisation or person id) has ``role`` in ``body``."""
        kind, slug = member.split("/", 1)
        path = f"membership/{body.split('/', 1)[1]}/{kind}-{slug}-{role}"
        node = self.fact_node(path, "Membership", lines, note)
        g = self.graph
        self.quad(node, P["organization"], self.node(body), g)
        self.quad(node, P["member"], self.node(member), g)
        self.quad(node, P["orgRole"], iri(concept_iri("role", role)), g)
        self.quad(self.node(member), P["hasMembership"], node, g)
        self.ref(body, member)

    def relation(self, item: str, predicate: str, target: str, lines: tuple[int, int], note: str | None = None) -> None:
        """A stated relation between two entities (subordinate, part-of, sector, focus-area, relation facts)."""
        self.state(self.node(item), predicate, self.node(target), lines, note)
        self.ref(item, target)

    def period(self, item: str, start: str | None, end: str | None, lines: tuple[int, int]) -> None:
        """The item's dct:temporal period with start and/or end."""
        period, g = self.node(f"{item}/period"), self.graph
        self.quad(period, A, C["PeriodOfTime"], g)
        if start:
            self.quad(period, P["startDate"], date_term(start), g)
        if end:
            self.quad(period, P["endDate"], date_term(end), g)
        self.state(self.node(item), P["temporal"], period, lines)
        self.ref(item)

    def status(self, item: str, status: str, date: str, lines: tuple[int, int], note: str | None = None) -> None:
        """A dated status assessment of ``item`` from this document."""
        node = self.fact_node(f"{item}/status", "StatusAssessment", lines, note)
        g = self.graph
        self.quad(self.node(item), P["hasStatus"], node, g)
        self.quad(node, P["status"], iri(concept_iri("measure-status", status)), g)
        self.quad(node, P["date"], date_term(date), g)
        self.ref(item)

    def change(self, kind: str, olds: list[str], news: list[str], date: str | None, lines: tuple[int, int]) -> None:
        """An organisational change event from ``olds`` to ``news``."""
        node = self.fact_node(f"change/{kind}/{olds[0].split('/', 1)[1]}", "ChangeEvent", lines)
        g = self.graph
        self.quad(node, P["type"], iri(concept_iri("change-type", kind)), g)
        if date:
            self.quad(node, P["date"], date_term(date), g)
        for old in olds:
            self.quad(node, P["original"], self.node(old), g)
            self.quad(self.node(old), P["changedBy"], node, g)
        for new in news:
            self.quad(node, P["resulting"], self.node(new), g)
            self.quad(self.node(new), P["resultedFrom"], node, g)
        self.ref(*olds, *news)
