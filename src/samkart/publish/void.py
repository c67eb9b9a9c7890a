"""A VoID description of the dataset: counts, partitions, per-document subsets, dumps and endpoint."""

import hashlib
from collections import Counter, defaultdict

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS as DCT
from rdflib.namespace import FOAF, PROV, RDF, VOID, XSD
from rdflib.term import Node

from samkart.formats import DUMP_FORMATS, W3C
from samkart.namespaces import PREFIXES

from . import DumpInfo

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace(W3C)
Triple = tuple[Node, Node, Node]

FEATURES = {f.eu_file_type_iri: URIRef(f.w3c_iri) for f in DUMP_FORMATS if f.eu_file_type_iri and f.w3c_iri}
"""A dump's EU file type → its W3C format IRI (void:feature)."""

EXAMPLE_RESOURCES = ("service/digitalt-dodsbo", "org/digitaliseringsdirektoratet", "org/ks")
"""Example resources (under the instance base): Digitalt dødsbo, Digdir and KS."""


def void_iri(base: str) -> URIRef:
    """The IRI of the VoID dataset description: ``{base}void``."""
    return URIRef(f"{base}void")


def _digest(term: Node) -> str:
    return hashlib.sha1(str(term).encode("utf-8")).hexdigest()[:12]


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _union_triples(ds: Dataset) -> set[Triple]:
    return {triple for graph in ds.graphs() for triple in graph}


def _vocabulary(term: URIRef) -> URIRef:
    """The namespace a class or property belongs to: a known prefix's, else everything up to the last # or /."""
    text = str(term)
    for namespace in sorted((str(ns) for ns in PREFIXES.values()), key=len, reverse=True):
        if text.startswith(namespace):
            return URIRef(namespace)
    cut = max(text.rfind("#"), text.rfind("/"))
    return URIRef(text[: cut + 1])


def document_graphs(ds: Dataset, base: str) -> dict[URIRef, Node]:
    """Each source-document named graph and its document: ``?g prov:wasDerivedFrom ?doc . ?doc a foaf:Document``
    in the meta graph ``{base}graph/meta``."""
    meta = ds.graph(URIRef(f"{base}graph/meta"))
    return {g: doc for g, doc in meta.subject_objects(PROV.wasDerivedFrom)
            if isinstance(g, URIRef) and (doc, RDF.type, FOAF.Document) in meta}


def void_graph(ds: Dataset, base: str, sparql_endpoint: str, dumps: list[DumpInfo], dump_base_url: str) -> Graph:
    """The VoID description of ``ds`` (counts over the union of its named graphs). No blank nodes."""
    triples = _union_triples(ds)
    subjects = {s for s, _, _ in triples}
    properties = Counter(p for _, p, _ in triples)
    members: dict[Node, set[Node]] = defaultdict(set)
    for s, p, o in triples:
        if p == RDF.type:
            members[o].add(s)

    g = Graph()
    g.bind("void", VOID)
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    for prefix in ("dct", "prov", "xsd", "foaf"):
        g.bind(prefix, PREFIXES[prefix])
    me = void_iri(base)
    _describe(g, me, base, sparql_endpoint)
    _add_counts(g, me, triples, subjects, members, properties)
    _add_partitions(g, me, members, properties)
    _add_document_subsets(g, me, ds, base)
    _add_links(g, me, base, subjects, dumps, dump_base_url)
    return g


def _describe(g: Graph, me: URIRef, base: str, sparql_endpoint: str) -> None:
    """The dataset's type, title, description, URI space and endpoint."""
    g.add((me, RDF.type, VOID.Dataset))
    g.add((me, DCT.title, Literal("samkart", lang="en")))
    g.add((me, DCT.description, Literal(
        "Who does what in Norwegian public-sector digitalisation: organisations, plans, measures, services "
        "and their collaborations, with a named graph per source document.", lang="en")))
    g.add((me, VOID.uriSpace, Literal(base)))
    g.add((me, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))


def _add_counts(g: Graph, me: URIRef, triples: set[Triple], subjects: set[Node], members: dict[Node, set[Node]],
                properties: Counter[Node]) -> None:
    """Triples, entities, classes, properties, distinct subjects and objects, and the vocabularies used."""
    objects = {o for _, _, o in triples}
    g.add((me, VOID.triples, _count(len(triples))))
    g.add((me, VOID.entities, _count(sum(1 for s in subjects if isinstance(s, URIRef)))))
    g.add((me, VOID.classes, _count(len(members))))
    g.add((me, VOID.properties, _count(len(properties))))
    g.add((me, VOID.distinctSubjects, _count(len(subjects))))
    g.add((me, VOID.distinctObjects, _count(len(objects))))
    for vocabulary in {_vocabulary(t) for t in list(properties) + list(members) if isinstance(t, URIRef)}:
        g.add((me, VOID.vocabulary, vocabulary))


def _add_partitions(g: Graph, me: URIRef, members: dict[Node, set[Node]], properties: Counter[Node]) -> None:
    """A class partition per class (its instances) and a property partition per property (its triples)."""
    for cls, instances in members.items():
        node = URIRef(f"{me}/class/{_digest(cls)}")
        g.add((me, VOID.classPartition, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, VOID["class"], cls))
        g.add((node, VOID.entities, _count(len(instances))))
    for prop, count in properties.items():
        node = URIRef(f"{me}/property/{_digest(prop)}")
        g.add((me, VOID.propertyPartition, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, VOID.property, prop))
        g.add((node, VOID.triples, _count(count)))


def _add_document_subsets(g: Graph, me: URIRef, ds: Dataset, base: str) -> None:
    """A subset per source-document named graph, with its document and size."""
    for graph_iri, document in document_graphs(ds, base).items():
        node = URIRef(f"{me}/graph/{_digest(graph_iri)}")
        g.add((me, VOID.subset, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, SD.name, graph_iri))
        g.add((node, PROV.wasDerivedFrom, document))
        g.add((node, VOID.triples, _count(len(ds.graph(graph_iri)))))


def _add_links(g: Graph, me: URIRef, base: str, subjects: set[Node], dumps: list[DumpInfo], dump_base_url: str) -> None:
    """Example resources present in the data, the uncompressed dumps and the formats they are in."""
    for local in EXAMPLE_RESOURCES:
        example = URIRef(base + local)
        if example in subjects:
            g.add((me, VOID.exampleResource, example))
    for dump in dumps:
        if not dump.compressed:
            g.add((me, VOID.dataDump, URIRef(dump_base_url + dump.path.name)))
        if dump.file_type in FEATURES:
            g.add((me, VOID.feature, FEATURES[dump.file_type]))
