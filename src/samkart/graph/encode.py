"""Turns the registry, the documents and the fact files into one RDF dataset with a graph per document."""

import hashlib

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS as DCT
from rdflib.namespace import FOAF, ORG, PROV, RDF, RDFS, XSD

from samkart.errors import InputError
from samkart.namespaces import CV, DCAT, SK, SKOS, concept_iri

from .documents import Document
from .encode_kinds import NewKinds, date_literal
from .facts import Fact, FactFile, referenced_ids
from .model import ENTITY_TYPES, MEMBERSHIP_ROLES, ORGANISATION_TYPES, RELATIONS, SCHEMED_TYPES
from .registry import Entity, Registry

NORWAY = URIRef("http://publications.europa.eu/resource/authority/country/NOR")
DESCRIPTIVE_NOTE = "The documents describe this without naming it; the label is a description, not a name."
COMPETENT_ROLES = {"operator", "administrator", "owner", "responsible"}


class Encoder(NewKinds):
    """Builds the dataset; one instance per build."""

    def __init__(self, base: str, registry: Registry, documents: dict[str, Document], concepts: set[str]):
        self.base = base
        self.registry = registry
        self.documents = documents
        self.concepts = concepts
        self.ds = Dataset()
        self.registry_graph = self.graph("registry")
        self.meta_graph = self.graph("meta")
        self.cited_by: dict[str, set[str]] = {}
        self.descriptions_nb: dict[str, str] = {}

    # -- IRIs ---------------------------------------------------------------------------
    def iri(self, entity_id: str) -> URIRef:
        """The IRI of an entity or node path under the instance base."""
        return URIRef(self.base + entity_id)

    def graph(self, name: str) -> Graph:
        """The named graph ``{base}graph/{name}``."""
        return self.ds.graph(URIRef(f"{self.base}graph/{name}"))

    def concept(self, scheme: str, code: str, fact: Fact) -> URIRef:
        """The concept for ``code``; unknown codes are an input error naming the fact."""
        iri = concept_iri(scheme, code)
        if iri not in self.concepts:
            path, line = fact.origin.rsplit(":", 1)
            raise InputError(f"unknown {scheme} code '{code}'; see the {scheme} scheme in ontology/", path, int(line))
        return URIRef(iri)

    # -- provenance ---------------------------------------------------------------------
    def cite(self, graph: Graph, node: URIRef, fact: Fact) -> None:
        """Attach document and line-span provenance to a fact-bearing node."""
        doc = self.iri(fact.document)
        first, last = fact.lines
        span = URIRef(f"{doc}#L{first}-L{last}")
        graph.add((node, PROV.wasDerivedFrom, doc))
        graph.add((node, SK.locator, span))
        graph.add((span, RDF.type, SK.SourceSpan))
        graph.add((span, SK.inDocument, doc))
        graph.add((span, SK.fromLine, Literal(first, datatype=XSD.integer)))
        graph.add((span, SK.toLine, Literal(last, datatype=XSD.integer)))
        if fact.note:
            graph.add((node, RDFS.comment, Literal(fact.note, lang="en")))

    def state(self, fact: Fact, s: URIRef, p: URIRef, o: URIRef) -> None:
        """Assert a plain triple in the document's graph, with a reified statement carrying its source."""
        graph = self.doc_graph(fact.document)
        graph.add((s, p, o))
        digest = hashlib.sha1(f"{s} {p} {o}".encode()).hexdigest()[:12]
        stmt = URIRef(f"{self.iri(fact.document)}/statement/{digest}")
        graph.add((stmt, RDF.type, RDF.Statement))
        graph.add((stmt, RDF.subject, s))
        graph.add((stmt, RDF.predicate, p))
        graph.add((stmt, RDF.object, o))
        self.cite(graph, stmt, fact)

    def doc_graph(self, document_id: str) -> Graph:
        """The named graph of a source document."""
        return self.graph(self.documents[document_id].slug)

    # -- entities and documents ---------------------------------------------------------
    def add_entity(self, entity: Entity) -> None:
        """Type, labels and notes of one entity, in the registry graph."""
        g, node, etype = self.registry_graph, self.iri(entity.id), ENTITY_TYPES[entity.type]
        for cls in etype.classes:
            g.add((node, RDF.type, cls))
        g.add((node, SKOS.prefLabel, Literal(entity.label, lang="nb")))
        if etype.titled:
            g.add((node, DCT.title, Literal(entity.label, lang="nb")))
        for alt in entity.alt:
            g.add((node, SKOS.altLabel, Literal(alt, lang="nb")))
        if entity.en:
            g.add((node, SKOS.prefLabel, Literal(entity.en, lang="en")))
        if entity.note:
            g.add((node, DCT.description, Literal(entity.note, lang="en")))
        if entity.id in self.descriptions_nb:
            g.add((node, DCT.description, Literal(self.descriptions_nb[entity.id], lang="nb")))
        if entity.descriptive:
            g.add((node, SKOS.editorialNote, Literal(DESCRIPTIVE_NOTE, lang="en")))
        g.add((node, DCT.identifier, Literal(entity.id)))
        g.add((node, DCT.type, URIRef(concept_iri("entity-type", entity.type))))
        if entity.type in ORGANISATION_TYPES and (node, RDF.type, CV.PublicOrganisation) in g:
            g.add((node, DCT.spatial, NORWAY))
        if entity.type == "person":
            g.add((node, FOAF.name, Literal(entity.label)))
        if entity.type in SCHEMED_TYPES or entity.type in ("sector", "policy-area"):
            self.add_to_scheme(entity, node)
        for doc in sorted(self.cited_by.get(entity.id, ())):
            g.add((node, PROV.wasDerivedFrom, self.iri(doc)))

    def add_to_scheme(self, entity: Entity, node: URIRef) -> None:
        """Focus areas, principles and sectors are concepts in a scheme of their own."""
        g = self.registry_graph
        if entity.type == "sector":
            scheme, label = self.iri("sector"), "Sektorer i faktaarkene"
        elif entity.type == "policy-area":
            scheme, label = self.iri("area"), "Politikk- og ansvarsområder i dokumentene"
        else:
            assert entity.plan is not None, "the registry gives every focus area, principle and goal a plan"
            plan = self.registry[entity.plan]
            scheme = URIRef(f"{self.iri(entity.plan)}/{entity.type}s")
            word = {"focus-area": "Innsatsområder", "principle": "Prinsipper", "goal": "Mål"}[entity.type]
            label = f"{word}: {plan.label}"
            g.add((scheme, DCT.source, self.iri(entity.plan)))
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(label, lang="nb")))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, node))

    def add_document(self, doc: Document) -> None:
        """A source document, and the link from its graph to it, in the meta graph."""
        g, node = self.meta_graph, self.iri(doc.id)
        for cls in (FOAF.Document, PROV.Entity):
            g.add((node, RDF.type, cls))
        g.add((node, DCT.title, Literal(doc.title, lang="nb")))
        g.add((node, SKOS.prefLabel, Literal(doc.title, lang="nb")))
        g.add((node, DCT.issued, date_literal(doc.issued)))
        g.add((node, DCT.identifier, Literal(doc.file)))
        g.add((node, DCT.language, URIRef("http://publications.europa.eu/resource/authority/language/NOB")))
        g.add((node, DCT.type, URIRef(concept_iri("document-type", doc.type))))
        if doc.note:
            g.add((node, DCT.description, Literal(doc.note, lang="en")))
        for publisher in doc.publisher:
            g.add((node, DCT.publisher, self.iri(publisher)))
        graph_iri = URIRef(f"{self.base}graph/{doc.slug}")
        g.add((graph_iri, PROV.wasDerivedFrom, node))
        g.add((graph_iri, RDF.type, SK.DocumentGraph))

    # -- facts --------------------------------------------------------------------------
    def add_fact(self, fact: Fact) -> None:
        """Dispatch one fact to its encoder."""
        getattr(self, "fact_" + fact.kind.replace("-", "_"))(fact)

    def _node(self, fact: Fact, path: str, rdf_type: URIRef) -> tuple[Graph, URIRef]:
        graph = self.doc_graph(fact.document)
        node = self.iri(f"{path}/{self.documents[fact.document].slug}")
        graph.add((node, RDF.type, rdf_type))
        graph.add((node, DCT.identifier, Literal(str(node)[len(self.base):])))
        self.cite(graph, node, fact)
        return graph, node

    def fact_participation(self, fact: Fact) -> None:
        v = fact.values
        role = self.concept("role", v["role"], fact)
        subject, org = self.iri(v["subject"]), self.iri(v["org"])
        graph, node = self._node(fact, f"{v['subject']}/participation/{v['org'].split('/', 1)[1]}-{v['role']}", CV.Participation)
        graph.add((subject, CV.hasParticipation, node))
        graph.add((node, CV.hasParticipant, org))
        graph.add((node, CV.role, role))
        graph.add((org, CV.participates, node))
        self.period(fact, graph, node)
        subject_type = self.registry[v["subject"]].type
        if v["role"] in COMPETENT_ROLES and subject_type in ("service", "common-solution"):
            if self.registry[v["org"]].type in ("ministry", "government", "agency", "public-company", "municipal"):
                self.state(fact, subject, CV.hasCompetentAuthority, org)

    def fact_membership(self, fact: Fact) -> None:
        v = fact.values
        if v["role"] not in MEMBERSHIP_ROLES:
            path, line = fact.origin.rsplit(":", 1)
            raise InputError(f"membership role must be one of {sorted(MEMBERSHIP_ROLES)}", path, int(line))
        member_kind, member_slug = v["member"].split("/", 1)
        path = f"membership/{v['body'].split('/', 1)[1]}/{member_kind}-{member_slug}-{v['role']}"
        graph, node = self._node(fact, path, ORG.Membership)
        graph.add((node, ORG.organization, self.iri(v["body"])))
        graph.add((node, ORG.member, self.iri(v["member"])))
        graph.add((node, ORG.role, self.concept("role", v["role"], fact)))
        graph.add((self.iri(v["member"]), ORG.hasMembership, node))

    def fact_subordinate(self, fact: Fact) -> None:
        self.state(fact, self.iri(fact.values["org"]), ORG.subOrganizationOf, self.iri(fact.values["parent"]))

    def fact_part_of(self, fact: Fact) -> None:
        self.state(fact, self.iri(fact.values["part"]), DCT.isPartOf, self.iri(fact.values["whole"]))

    def fact_grouped_by(self, fact: Fact) -> None:
        self.state(fact, self.iri(fact.values["service"]), CV.isGroupedBy, self.iri(fact.values["life-event"]))

    def fact_focus_area(self, fact: Fact) -> None:
        self.state(fact, self.iri(fact.values["item"]), SK.focusArea, self.iri(fact.values["area"]))

    def fact_sector(self, fact: Fact) -> None:
        self.state(fact, self.iri(fact.values["item"]), SK.sector, self.iri(fact.values["sector"]))

    def fact_relation(self, fact: Fact) -> None:
        predicate = RELATIONS.get(fact.values["rel"])
        if predicate is None:
            path, line = fact.origin.rsplit(":", 1)
            raise InputError(f"unknown relation '{fact.values['rel']}'; use one of {sorted(RELATIONS)}", path, int(line))
        self.state(fact, self.iri(fact.values["from"]), predicate, self.iri(fact.values["to"]))

    def fact_period(self, fact: Fact) -> None:
        v = fact.values
        if "start" not in v and "end" not in v:
            path, line = fact.origin.rsplit(":", 1)
            raise InputError("a period needs start, end or both", path, int(line))
        period = self.iri(f"{v['item']}/period")
        graph = self.doc_graph(fact.document)
        graph.add((period, RDF.type, DCT.PeriodOfTime))
        for key, prop in (("start", DCAT.startDate), ("end", DCAT.endDate)):
            if key in v:
                graph.add((period, prop, date_literal(v[key])))
        self.state(fact, self.iri(v["item"]), DCT.temporal, period)

    def fact_status(self, fact: Fact) -> None:
        v = fact.values
        status = self.concept("measure-status", v["status"], fact)
        graph, node = self._node(fact, f"{v['item']}/status", SK.StatusAssessment)
        graph.add((self.iri(v["item"]), SK.hasStatusAssessment, node))
        graph.add((node, SK.status, status))
        graph.add((node, DCT.date, date_literal(self.documents[fact.document].issued)))

    def fact_change(self, fact: Fact) -> None:
        v = fact.values
        olds, news = list(v["from"]), list(v["to"])
        path = f"change/{v['type']}/{olds[0].split('/', 1)[1]}"
        graph, node = self._node(fact, path, ORG.ChangeEvent)
        graph.add((node, DCT.type, self.concept("change-type", v["type"], fact)))
        if v.get("date"):
            graph.add((node, DCT.date, date_literal(v["date"])))
        for old in olds:
            graph.add((node, ORG.originalOrganization, self.iri(old)))
            graph.add((self.iri(old), ORG.changedBy, node))
        for new in news:
            graph.add((node, ORG.resultingOrganization, self.iri(new)))
            graph.add((self.iri(new), ORG.resultedFrom, node))


def encode(base: str, registry: Registry, documents: dict[str, Document], files: list[FactFile],
           concepts: set[str], ontology: Graph, descriptions_nb: dict[str, str] | None = None) -> Dataset:
    """The whole dataset: ontology graph, meta graph, registry graph and one graph per document
    (``descriptions_nb``: our own Norwegian descriptions by entity id, in the registry graph)."""
    encoder = Encoder(base, registry, documents, concepts)
    encoder.descriptions_nb = descriptions_nb or {}
    for file in files:
        for fact in file.facts:
            for entity_id in referenced_ids(fact):
                encoder.cited_by.setdefault(entity_id, set()).add(fact.document)
    for doc in documents.values():
        for publisher in doc.publisher:
            encoder.cited_by.setdefault(publisher, set()).add(doc.id)
        encoder.add_document(doc)
    for file in files:
        for raw in file.entities:
            encoder.cited_by.setdefault(raw["id"], set()).add(file.document)
        for fact in file.facts:
            encoder.add_fact(fact)
    for entity in sorted(registry.entities.values(), key=lambda e: e.id):
        encoder.add_entity(entity)
    ontology_graph = encoder.ds.graph(URIRef("https://w3id.org/samkart/def"))
    for triple in ontology:
        ontology_graph.add(triple)
    return encoder.ds
