"""An entity's profile read from the graph: what it states, in which n-ary statements it takes part, with
whom, and the source lines of each — generic over the kinds of statement, so new kinds read in words too.

The graph says things in two ways. Plain links (``service cv:hasCompetentAuthority org``) whose evidence
is a reified ``rdf:Statement`` naming the same subject, predicate and object with an ``sk:locator``; and
n-ary nodes (participations with a participant and a role, memberships, status assessments, change
events …) that carry their own ``sk:locator``. A *statement node* here is any resource next to the entity
that has no name of its own; it is shown inside the statement it belongs to, never as a link. Nothing
below names a kind of statement: its words come from the labels of its predicates, types and values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeGuard

import pyoxigraph as ox

from samkart.namespaces import PREFIXES
from samkart.sparql.service import SparqlService
from samkart.sparql.terms import iri_term

from .terms import Edge, Resource, Term, edges_of, rows_of

RDF = str(PREFIXES["rdf"])
RDF_TYPE, STATEMENT = RDF + "type", RDF + "Statement"
REIFIED = {RDF + "subject": "s", RDF + "predicate": "p", RDF + "object": "o"}
SK, SKOS, DCT, PROV = (str(PREFIXES[p]) for p in ("sk", "skos", "dct", "prov"))
LOCATOR, IN_DOCUMENT, FROM_LINE, TO_LINE = SK + "locator", SK + "inDocument", SK + "fromLine", SK + "toLine"
DERIVED_FROM, IDENTIFIER, CONCEPT = PROV + "wasDerivedFrom", DCT + "identifier", SKOS + "Concept"
EVIDENCE = {LOCATOR, DERIVED_FROM, IN_DOCUMENT}
"""Links that say where something comes from: shown as evidence, never as statements."""
NAMES = {SKOS + "prefLabel", SKOS + "altLabel", DCT + "title", str(PREFIXES["rdfs"]) + "label",
         str(PREFIXES["foaf"]) + "name"}
UNNAMED = "FILTER NOT EXISTS { ?NODE skos:prefLabel|rdfs:label|dct:title|foaf:name ?anyName }"
HIDDEN_LITERALS = {IDENTIFIER}
"""Literals of a statement node not shown in its sentence (an identifier is a slug, not a statement)."""

NEIGHBOURHOOD = """CONSTRUCT { ?s ?p ?o } WHERE {
  { ?x ?p ?o BIND(?x AS ?s) }
  UNION { ?s ?p ?x BIND(?x AS ?o) }
  UNION { { ?x ?l ?s } UNION { ?s ?l ?x } FILTER(!isLiteral(?s) && ?l NOT IN (EVIDENCE)) UNNAMED_S ?s ?p ?o }
  UNION { { ?x ?l ?o } UNION { ?o ?l ?x } FILTER(!isLiteral(?o) && ?l NOT IN (EVIDENCE)) UNNAMED_O
          FILTER EXISTS { ?o ?anyP ?anyO } ?s ?p ?o FILTER(?s != ?x && ?p != rdf:type) }
  UNION { { ?x ?l ?n } UNION { ?n ?l ?x } FILTER(!isLiteral(?n) && ?l NOT IN (EVIDENCE)) UNNAMED_N
          ?n sk:locator ?s . ?s ?p ?o }
}""".replace("EVIDENCE", ", ".join(f"<{i}>" for i in sorted(EVIDENCE | {RDF_TYPE})))
for _var in "SON":
    NEIGHBOURHOOD = NEIGHBOURHOOD.replace(f"UNNAMED_{_var}", UNNAMED.replace("?NODE", "?" + _var.lower()))
"""E's own triples, the triples of the unnamed nodes next to it (and the other links into them), and the
source spans those nodes cite: one query, so blank nodes keep their identity."""

PEERS = """CONSTRUCT { ?a ?l ?n . ?m ?k ?a . ?n ?p ?v . ?m ?q ?w } WHERE {
  VALUES ?a { ANCHORS }
  { ?a ?l ?n FILTER(!isLiteral(?n) && ?l NOT IN (EVIDENCE)) UNNAMED_N FILTER NOT EXISTS { ?n a rdf:Statement } ?n ?p ?v }
  UNION
  { ?m ?k ?a FILTER(?k NOT IN (EVIDENCE)) UNNAMED_M FILTER NOT EXISTS { ?m a rdf:Statement } ?m ?q ?w }
}""".replace("EVIDENCE", ", ".join(f"<{i}>" for i in sorted(EVIDENCE | {RDF_TYPE})))
PEERS = PEERS.replace("UNNAMED_N", UNNAMED.replace("?NODE", "?n")).replace("UNNAMED_M", UNNAMED.replace("?NODE", "?m"))
"""The unnamed nodes next to each anchor (the other side of a statement), with their triples."""
Labels = dict[str, dict[str, str]]  # IRI → language → label
Types = dict[str, set[str]]  # IRI (or GENRE + IRI) → its types (or genres)
Index = dict[str, list[Edge]]
"""Triples by the key of their subject (``out``) or of their object (``into``)."""


@dataclass(frozen=True)
class Span:
    """Lines of a source document that a statement rests on (no lines: the document only)."""

    document: str
    first: int | None = None
    last: int | None = None
    iri: str | None = None


@dataclass
class Link:
    """One value in a statement: the predicate that leads to it, its direction and the term."""

    predicate: str
    term: ox.NamedNode | ox.BlankNode | ox.Literal
    inverse: bool = False  # the value points at the node (``value predicate node``)


@dataclass
class Peer:
    """Another party in a statement of the same kind about the same anchor (e.g. a co-developer)."""

    party: ox.NamedNode | ox.BlankNode
    qualifiers: list[Link]
    anchor: str


@dataclass
class Statement:
    """What the entity states or takes part in, in parts a page can say in words."""

    predicate: str  # how the entity is linked: its predicate, or for a node the link between them
    inverse: bool  # the link points at the entity
    node: ox.NamedNode | ox.BlankNode | None = None  # the statement node, for n-ary statements
    kinds: list[str] = field(default_factory=list)  # the node's types
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None = None  # for a plain link
    parties: list[Link] = field(default_factory=list)
    qualifiers: list[Link] = field(default_factory=list)
    literals: list[Link] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)
    peers: list[Peer] = field(default_factory=list)
    names_entity: str | None = None  # for a node: the predicate by which it names the entity (node q entity)

    @property
    def date(self) -> str | None:
        """The earliest date-like literal of the statement (for timelines), if any."""
        dates = sorted(lit.term.value for lit in self.literals if _is_date(lit.term))
        return dates[0] if dates else None


@dataclass
class Profile:
    """An entity's statements, with the labels, types and documents needed to say them."""

    iri: str
    triples: list[ox.Triple]
    statements: list[Statement]
    sources: list[str]
    labels: Labels
    types: Types
    documents: dict[str, dict[str, str]]  # document IRI → {"label", "file"}

    def types_of(self, term: Term | None) -> set[str]:
        """The types of a term (none for a blank node, a literal or nothing)."""
        return self.types.get(term.value, set()) if isinstance(term, ox.NamedNode) else set()


def _is_date(term: Term) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value.rsplit("#", 1)[-1] in (
        "date", "dateTime", "gYear", "gYearMonth")


def _index(triples: list[Edge]) -> tuple[Index, Index]:
    """The triples by subject key (``out``) and by object key (``into``)."""
    out: Index = defaultdict(list)
    into: Index = defaultdict(list)
    for t in triples:
        out[_key(t.subject)].append(t)
        into[_key(t.object)].append(t)
    return out, into


def _key(term: Term) -> str:
    """A dict key for a node (IRI or blank node, whose id is stable within one result)."""
    return ("_:" if isinstance(term, ox.BlankNode) else "") + term.value


def build_profile(service: SparqlService, iri: str) -> Profile:
    """The profile of ``iri`` (NotFound when nothing is known about it); four queries in all."""
    node = iri_term(iri, "iri")
    triples = edges_of(service.run(NEIGHBOURHOOD, bindings={"x": node}))
    if not triples:
        service.describe(iri)  # raises NotFound in the usual words
    out, into = _index(triples)
    labels, types = _labels_and_types(service, triples)
    spans = _spans(out)
    statements = _plain_statements(iri, out, into, spans, types, labels)
    statements += _node_statements(iri, out, into, spans, types, labels)
    anchors = {party.term.value for s in statements if s.names_entity for party in s.parties
               if isinstance(party.term, ox.NamedNode)}
    if anchors:
        _add_peers(service, iri, statements, anchors, labels, types)
    documents = _documents(service, {span.document for s in statements for span in s.evidence}
                           | {t.object.value for t in out[iri] if t.predicate.value == DERIVED_FROM})
    sources = sorted({t.object.value for t in out[iri] if t.predicate.value == DERIVED_FROM})
    mine = [ox.Triple(*t) for t in triples if t.subject.value == iri or t.object.value == iri]
    return Profile(iri, mine, statements, sources, labels, types, documents)


def _named_iris(triples: list[Edge]) -> set[str]:
    return {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}


def _labels_and_types(service: SparqlService, triples: list[Edge], extra: Iterable[str] = ()) -> tuple[Labels, Types]:
    """Every label (by language) and type of the IRIs in ``triples``, then the labels of those types and of
    their genres (``dct:type``), so that kinds of things read in words too. Types include ``dct:type`` values
    (kept apart under GENRE)."""
    labels: Labels = defaultdict(dict)
    types: Types = defaultdict(set)
    for t in triples:
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            types[_key(t.subject)].add(t.object.value)
    todo = _named_iris(triples) | set(extra)
    for _round in range(2):  # the things, then their types and genres
        _fetch_labels(service, sorted(i for i in todo if _safe(i)), labels, types)
        todo = {t for kinds in types.values() for t in kinds} - set(labels)
    return labels, types


GENRE = "genre:"
"""Key prefix in ``types`` for an IRI's dct:type values (its kind in the project's own words)."""


def _fetch_labels(service: SparqlService, iris: list[str], labels: Labels, types: Types) -> None:
    for chunk in range(0, len(iris), 400):
        values = " ".join(f"<{i}>" for i in iris[chunk:chunk + 400])
        rows = rows_of(service.run(f"""SELECT ?s ?kind ?v WHERE {{ VALUES ?s {{ {values} }}
            {{ ?s skos:prefLabel|rdfs:label|dct:title|foaf:name ?v BIND("label" AS ?kind) }}
            UNION {{ ?s a ?v BIND("type" AS ?kind) }} UNION {{ ?s dct:type ?v BIND("genre" AS ?kind) }} }}"""))
        for s, kind, value in rows:
            if s is None or kind is None or value is None:  # all three are bound in every row
                continue
            if kind.value == "type":
                types[s.value].add(value.value)
            elif kind.value == "genre" and isinstance(value, ox.NamedNode):
                types[GENRE + s.value].add(value.value)
            elif kind.value == "label" and isinstance(value, ox.Literal):
                labels[s.value].setdefault(value.language or "", value.value)


def _safe(iri: str) -> bool:
    try:
        iri_term(iri)
        return True
    except Exception:  # an IRI that cannot be written in a query is shown by its text only
        return False


def _spans(out: Index) -> dict[str, Span]:
    """Source spans by IRI, from their sk:inDocument, sk:fromLine and sk:toLine."""
    found: dict[str, Span] = {}
    for key, triples in out.items():
        values = {t.predicate.value: t.object for t in triples}
        if IN_DOCUMENT in values and FROM_LINE in values:
            try:
                first = int(values[FROM_LINE].value)
                last = int(values.get(TO_LINE, values[FROM_LINE]).value)
            except ValueError:
                continue
            found[key] = Span(values[IN_DOCUMENT].value, first, max(first, last), key)
    return found


def _evidence_of(key: str, out: Index, spans: dict[str, Span]) -> list[Span]:
    """The spans a node cites (sk:locator), else the documents it comes from (prov:wasDerivedFrom)."""
    cited = [spans[_key(t.object)] for t in out.get(key, []) if t.predicate.value == LOCATOR and _key(t.object) in spans]
    if cited:
        return sorted(set(cited), key=lambda s: (s.document, s.first or 0))
    return [Span(t.object.value) for t in out.get(key, []) if t.predicate.value == DERIVED_FROM]


def _is_node(term: Term, out: Index, types: Types, labels: Labels) -> TypeGuard[Resource]:
    """An unnamed resource with statements of its own (not a span, not a reified statement)."""
    if isinstance(term, ox.Literal) or term.value in labels:
        return False
    key = _key(term)
    own = out.get(key, [])
    return bool(own) and not any(t.predicate.value in NAMES for t in own) and \
        not (types.get(key, set()) & {STATEMENT, SK + "SourceSpan"})


def _reified(out: Index, spans: dict[str, Span], types: Types) -> dict[tuple[str, str, str], list[Span]]:
    """The spans of each reified triple (subject, predicate, object) among the ``rdf:Statement`` nodes."""
    reified: dict[tuple[str, str, str], list[Span]] = defaultdict(list)
    for key, triples in out.items():
        if STATEMENT in types.get(key, set()):
            parts = {REIFIED[t.predicate.value]: t.object.value for t in triples if t.predicate.value in REIFIED}
            if len(parts) == 3:
                reified[(parts["s"], parts["p"], parts["o"])] += _evidence_of(key, out, spans)
    return reified


def _plain_statements(iri: str, out: Index, into: Index, spans: dict[str, Span], types: Types,
                      labels: Labels) -> list[Statement]:
    """Links between the entity and named things or literals, each with the spans of its reifications."""
    reified = _reified(out, spans, types)
    found: list[Statement] = []
    for t in out.get(iri, []):
        if t.predicate.value in EVIDENCE or t.predicate.value in REIFIED or _is_node(t.object, out, types, labels):
            continue
        found.append(Statement(t.predicate.value, False, value=t.object,
                               evidence=reified.get((iri, t.predicate.value, t.object.value), [])))
    for t in into.get(iri, []):
        if t.predicate.value in EVIDENCE or t.predicate.value in REIFIED or _is_node(t.subject, out, types, labels):
            continue
        if t.subject.value == iri:
            continue  # a link to itself is already listed once
        found.append(Statement(t.predicate.value, True, value=t.subject,
                               evidence=reified.get((t.subject.value, t.predicate.value, iri), [])))
    return found


def _node_statements(iri: str, out: Index, into: Index, spans: dict[str, Span], types: Types,
                     labels: Labels) -> list[Statement]:
    """One statement per unnamed node next to the entity, with its parties, qualifiers and literals."""
    nodes: dict[str, tuple[Resource, str, bool]] = {}
    for t in out.get(iri, []):
        if t.predicate.value not in EVIDENCE and _is_node(t.object, out, types, labels):
            nodes.setdefault(_key(t.object), (t.object, t.predicate.value, False))
    for t in into.get(iri, []):
        if t.predicate.value not in EVIDENCE and _is_node(t.subject, out, types, labels):
            nodes.setdefault(_key(t.subject), (t.subject, t.predicate.value, True))
    found: list[Statement] = []
    reified = _reified(out, spans, types)
    for key, (node, predicate, inverse) in nodes.items():
        link = (node.value, predicate, iri) if inverse else (iri, predicate, node.value)
        statement = Statement(predicate, inverse, node=node, kinds=sorted(types.get(key, set())),
                              evidence=_evidence_of(key, out, spans) or sorted(set(reified.get(link, [])),
                                                                              key=lambda s: (s.document, s.first or 0)))
        for t in out.get(key, []):
            if t.object.value == iri and not isinstance(t.object, ox.Literal):
                statement.names_entity = statement.names_entity or t.predicate.value
            elif t.predicate.value not in EVIDENCE and t.predicate.value != RDF_TYPE:
                _sort_link(statement, Link(t.predicate.value, t.object), types, labels)
        named = {party.term.value for party in statement.parties}
        for t in into.get(key, []):  # a party that also links back (X participates N) is listed once
            if t.subject.value != iri and t.predicate.value not in EVIDENCE and t.predicate.value not in REIFIED \
                    and t.subject.value not in named:
                statement.parties.append(Link(t.predicate.value, t.subject, inverse=True))
        found.append(statement)
    return found


def _sort_link(statement: Statement, link: Link, types: Types, labels: Labels) -> None:
    """Put a value of a statement node among its literals, qualifiers (concepts) or parties."""
    if isinstance(link.term, ox.Literal):
        if link.predicate not in HIDDEN_LITERALS:
            statement.literals.append(link)
    elif CONCEPT in types.get(_key(link.term), set()):
        statement.qualifiers.append(link)
    else:
        statement.parties.append(link)


def _add_peers(service: SparqlService, iri: str, statements: list[Statement], anchors: set[str], labels: Labels,
               types: Types) -> None:
    """For each statement node, the other parties of same-kind nodes about the same anchor ("with whom")."""
    queryable = sorted(a for a in anchors if _safe(a))
    if not queryable:
        return
    triples = edges_of(service.run(PEERS.replace("ANCHORS", " ".join(f"<{a}>" for a in queryable[:200]))))
    out, into = _index(triples)
    more_labels, more_types = _labels_and_types(service, triples)
    for iri_, names in more_labels.items():
        labels.setdefault(iri_, {}).update({k: v for k, v in names.items() if k not in labels.get(iri_, {})})
    for iri_, kinds in more_types.items():
        types.setdefault(iri_, set()).update(kinds)
    for statement in statements:
        if statement.names_entity:
            statement.peers = _peers_of(iri, statement, out, into, types)


def _peers_of(iri: str, statement: Statement, out: Index, into: Index, types: Types) -> list[Peer]:
    """Parties of the anchor's other nodes that are of the same kind and name a party the same way."""
    if statement.names_entity is None or statement.node is None:
        return []
    own_key = _key(statement.node)
    peers = []
    for anchor in statement.parties:
        if not isinstance(anchor.term, ox.NamedNode):
            continue
        a = anchor.term.value
        siblings: list[Term] = ([t.subject for t in into.get(a, []) if t.predicate.value == anchor.predicate]
                                if not anchor.inverse
                                else [t.object for t in out.get(a, []) if t.predicate.value == anchor.predicate])
        for sibling in siblings:
            key = _key(sibling)
            if key == own_key or set(types.get(key, set())) != set(statement.kinds):
                continue
            for t in out.get(key, []):  # a concept (another role, status …) is no partner
                if t.predicate.value == statement.names_entity and t.object.value != iri \
                        and not isinstance(t.object, ox.Literal) and CONCEPT not in types.get(_key(t.object), set()):
                    qualifiers = [Link(q.predicate.value, q.object) for q in out.get(key, [])
                                  if CONCEPT in types.get(_key(q.object), set())]
                    peers.append(Peer(t.object, qualifiers, a))
    unique: dict[tuple[str, str, tuple[str, ...]], Peer] = {}
    for peer in peers:
        unique.setdefault((peer.party.value, peer.anchor, tuple(q.term.value for q in peer.qualifiers)), peer)
    return list(unique.values())


def _documents(service: SparqlService, iris: set[str]) -> dict[str, dict[str, str]]:
    """Label and source file name (dct:identifier) of each document."""
    queryable = sorted(i for i in iris if _safe(i))
    if not queryable:
        return {}
    values = " ".join(f"<{i}>" for i in queryable)
    rows = rows_of(service.run(f"""SELECT ?d ?label ?file WHERE {{ VALUES ?d {{ {values} }}
        OPTIONAL {{ ?d skos:prefLabel|dct:title ?label }} OPTIONAL {{ ?d dct:identifier ?file }} }}"""))
    found: dict[str, dict[str, str]] = {}
    for d, label, file in rows:
        if d is None:  # bound in every row (VALUES)
            continue
        entry = found.setdefault(d.value, {})
        if label is not None:
            entry.setdefault("label", label.value)
        if file is not None:
            entry.setdefault("file", file.value)
    return found
