"""data.norge.no's own parser (fdk-rdf-parser) reads what `samkart publish` writes, wrapped in
dcat:CatalogRecords as its harvester wraps what it fetches, and fills the fields the catalogue shows."""

import uuid

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from catalogue import TEST_CATALOGUE

fdk = pytest.importorskip("fdk_rdf_parser", reason="fdk-rdf-parser is in the test extra")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
HARVESTED = Literal("2025-06-01T12:00:00Z", datatype=XSD.dateTime)


def harvested(path, kinds) -> str:
    """The file as the harvester stores it: a dcat:CatalogRecord per catalogue and per resource of ``kinds``
    (foaf:primaryTopic, dct:identifier, harvest dates, dct:isPartOf the catalogue's record)."""
    graph = Graph().parse(path, format="turtle")
    records = {}
    for kind in (DCAT.Catalog, *kinds):
        for resource in sorted(graph.subjects(RDF.type, kind)):
            record = URIRef(f"https://records.example.org/{uuid.uuid5(uuid.NAMESPACE_URL, str(resource))}")
            records[resource] = record
            for triple in ((record, RDF.type, DCAT.CatalogRecord), (record, FOAF.primaryTopic, resource),
                           (record, DCTERMS.identifier, Literal(record.rsplit("/", 1)[1])),
                           (record, DCTERMS.issued, HARVESTED), (record, DCTERMS.modified, HARVESTED)):
                graph.add(triple)
    catalogs = [records[c] for c in graph.subjects(RDF.type, DCAT.Catalog)]
    for record in records.values():
        if record not in catalogs:
            graph.add((record, DCTERMS.isPartOf, catalogs[0]))
    return graph.serialize(format="turtle")


def test_dataset_fields_are_filled(published):
    datasets = fdk.parse_datasets(harvested(published / "catalog.ttl", [DCAT.Dataset]))
    assert len(datasets) == 1
    dataset = next(iter(datasets.values()))
    assert dataset.landingPage == {TEST_CATALOGUE["SAMKART_PUBLIC_BASE_URL"]}
    assert dataset.issued and dataset.modified and dataset.keyword and dataset.language
    assert dataset.title["nb"] and dataset.description["nb"] and dataset.catalog is not None
    assert len(dataset.distribution) == 10
    for distribution in dataset.distribution:
        kinds = {f.type.value if f.type else None for f in distribution.fdkFormat}
        assert "MEDIA_TYPE" in kinds, distribution.fdkFormat  # the IANA type, besides the EU file type
        media = [f for f in distribution.fdkFormat if f.uri and "/ns/iana/media-types/" in f.uri]
        assert media and media[0].code and "/" in media[0].code


def test_data_service_fields_are_filled(published):
    services = fdk.parse_data_services(harvested(published / "catalog.ttl", [DCAT.DataService]))
    assert len(services) == 1
    service = next(iter(services.values()))
    assert service.landingPage == {TEST_CATALOGUE["SAMKART_PUBLIC_BASE_URL"]}
    assert service.keyword and service.language and service.issued and service.modified
    assert service.endpointURL and service.endpointDescription and service.servesDataset
    assert service.conformsTo and all(c.prefLabel for c in service.conformsTo)


def test_public_services_have_norwegian_descriptions_of_what_they_are(published, union):
    services = fdk.parse_public_services(harvested(published / "services.ttl", [CPSV.PublicService]))
    assert len(services) == len(set(union.subjects(RDF.type, CPSV.PublicService))) >= 24
    for uri, service in services.items():
        assert service.title and service.title.get("nb"), uri
        text = (service.description or {}).get("nb", "")
        assert len(text) > 30 and "omtalt i" not in text, (uri, text)
        assert service.description.get("en"), uri
