"""The published catalogue and service descriptions pass the official national profiles' shapes."""

import hashlib
from collections import Counter

import pytest
from rdflib import BNode, URIRef
from rdflib.namespace import DCAT, FOAF, RDF

from samkart.errors import SamkartError
from samkart.namespaces import CPSV, CV
from samkart.publish import DumpInfo
from samkart.publish.catalog import CatalogMeta, catalog_graph, catalog_meta, documents_temporal
from samkart.publish.profiles import load_profile, shapes_dir, validate_profile
from samkart.publish.services import DCATNO, services_graph
from samkart.shacl.findings import violations

BASE = "https://example.org/samkart/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
META = CatalogMeta(
    publisher_name="Eksempel", publisher_iri="https://example.org/org/eksempel", publisher_orgnr=None,
    contact_name="Eksempel redaksjon", contact_email="kontakt@example.org",
    licence="http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
    public_base_url=BASE, issued="2025-01-01", modified="2025-06-01",
)

pytestmark = pytest.mark.skipif(not shapes_dir().is_dir(), reason="../shared/anchors/shapes not present")


@pytest.fixture(scope="module")
def dumps(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dumps")
    out = []
    for name, media, ftype, gz in (("samkart.trig", "application/trig", "RDF_TRIG", False),
                                   ("samkart.nq.gz", "application/n-quads", "RDF_N_QUADS", True)):
        path = folder / name
        path.write_bytes(f"dump {name}\n".encode())
        data = path.read_bytes()
        out.append(DumpInfo(path, media, FILE_TYPE + ftype, len(data), hashlib.sha256(data).hexdigest(), gz))
    return out


def _catalog(union, dumps, profile="dcat-ap-no-3"):
    return catalog_graph(META, dumps, f"{BASE}dump/", f"{BASE}sparql", f"{BASE}sparql",
                         documents_temporal(union), profile=profile)


@pytest.fixture(scope="module")
def catalog(union, dumps):
    return _catalog(union, dumps)


@pytest.fixture(scope="module")
def services(union):
    return services_graph(union, "https://w3id.org/samkart/id/", META)


def by_path(findings):
    return Counter((f.severity, f.path.rsplit("/", 1)[-1]) for f in findings)


def test_catalogue_passes_dcat_ap_no_3(catalog):
    findings = validate_profile("dcat-ap-no-3", catalog)
    assert findings == [], by_path(findings)


def test_catalogue_passes_dcat_ap_no_2(union, dumps):
    findings = validate_profile("dcat-ap-no-2", _catalog(union, dumps, profile="dcat-ap-no-2"))
    assert violations(findings) == []
    # DCAT-AP-NO 2.2 wants a EuroVoc theme taxonomy; we name the EU data-theme scheme we use.
    assert by_path(findings) == {("Warning", "dcat#themeTaxonomy"): 1}


def test_dcat_3_form_conflicts_with_2_2_only_on_size_and_checksum(catalog):
    """The 2.2 shapes demand xsd:decimal sizes and SHA-1 checksums; DCAT 3 uses nonNegativeInteger and SHA-256."""
    found = by_path(violations(validate_profile("dcat-ap-no-2", catalog)))
    assert found == {("Violation", "dcat#byteSize"): 2, ("Violation", "terms#algorithm"): 2}


def test_catalogue_shape(catalog, dumps):
    for cls in (DCAT.Catalog, DCAT.Dataset, DCAT.DataService, DCAT.Distribution):
        nodes = list(catalog.subjects(RDF.type, cls))
        assert nodes and all(isinstance(n, URIRef) for n in nodes), cls
    assert len(list(catalog.subjects(RDF.type, DCAT.Distribution))) == len(dumps)
    assert not any(isinstance(t, BNode) for triple in catalog for t in triple)
    for dump in dumps:
        assert (None, DCAT.downloadURL, URIRef(f"{BASE}dump/{dump.path.name}")) in catalog


def test_temporal_is_the_documents_years(union):
    assert documents_temporal(union) == ("2016-01-01", "2025-12-31")


def test_services_pass_cpsv_ap_no_except_what_documents_cannot_supply(services):
    found = by_path(violations(validate_profile("cpsv-ap-no", services)))
    # The documents give no contact point for any service and name no competent authority for some:
    # those stay missing (never invented); nothing else may fail.
    assert set(found) == {("Violation", "contactPoint"), ("Violation", "hasCompetentAuthority")}
    service_count = len(set(services.subjects(RDF.type, CPSV.PublicService)))
    assert found[("Violation", "contactPoint")] == service_count


def test_service_catalogue_shape(services, union):
    catalogs = list(services.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1 and isinstance(catalogs[0], URIRef)
    listed = set(services.objects(catalogs[0], DCATNO.containsService))
    assert listed == set(union.subjects(RDF.type, CPSV.PublicService))
    assert all(isinstance(s, URIRef) for s in listed)
    assert not any(isinstance(t, BNode) for triple in services for t in triple)
    # competent authorities only where the graph has them
    for service in listed:
        assert set(services.objects(service, CV.hasCompetentAuthority)) == \
            set(union.objects(service, CV.hasCompetentAuthority))
    # roles are never agents (Digdir's role-type file puns them as foaf:Agent)
    for role in services.objects(None, CV.role):
        assert (role, RDF.type, FOAF.Agent) not in services


def test_missing_mandatory_setting_names_it():
    class Partial:  # settings without a contact e-mail
        publisher_name, publisher_orgnr, contact_name = "Eksempel", "123456789", "Redaksjon"
        licence, public_base_url = META.licence, BASE

    with pytest.raises(SamkartError, match="SAMKART_CONTACT_EMAIL"):
        catalog_meta(Partial())


def test_publisher_iri_from_org_number():
    class Full:
        publisher_name, publisher_orgnr, contact_name, contact_email = "Eksempel", "123456789", "R", "a@example.org"
        licence, public_base_url = META.licence, BASE

    meta = catalog_meta(Full())
    assert meta.publisher_iri.endswith("/organizations/123456789")


def test_known_defects_repaired():
    from samkart.namespaces import SH

    shapes = load_profile("cpsv-ap-no", shapes_dir())
    assert not list(shapes.subjects(SH.severity, URIRef(f"{SH}Voilation")))
    assert not list(shapes.subjects(SH.path, URIRef(f"{CV}IsGroupedBy")))
    dcat2 = load_profile("dcat-ap-no-2", shapes_dir())
    assert (None, SH.path, URIRef("http://data.europa.eu/r5r/availability")) in dcat2
    dcat3 = load_profile("dcat-ap-no-3", shapes_dir())
    patterns = {str(o) for o in dcat3.objects(None, SH.pattern) if "iana" in str(o)}
    assert patterns == {"^https://www.w3.org/ns/iana/media-types/"}  # text/turtle is an IANA type too
    with pytest.raises(SamkartError, match="unknown profile"):
        load_profile("dcat-ap-no-9", shapes_dir())


# -- the EU profiles the national ones extend, with the code lists in the data as the EU validator has them
def test_catalogue_passes_dcat_ap_3_core_and_range(catalog):
    """DCAT-AP 3.0.1's core and range shapes: file types are typed dct:MediaTypeOrExtent in the catalogue itself
    (the EU file-type table types them skos:Concept only), media types dct:MediaType."""
    assert validate_profile("dcat-ap-3", catalog) == []


def test_services_pass_cpsv_ap_3_except_absent_competent_authorities(services, union):
    """CPSV-AP 3.2.0: participation roles are shipped as typed, labelled concepts; the only violations
    are the competent authorities the documents do not name (left absent, never invented)."""
    found = violations(validate_profile("cpsv-ap-3", services))
    assert {f.path.rsplit("/", 1)[-1] for f in found} == {"hasCompetentAuthority"}
    without = {s for s in union.subjects(RDF.type, CPSV.PublicService)
               if not list(union.objects(s, CV.hasCompetentAuthority))}
    assert {f.focus for f in found} == {str(s) for s in without}


def test_roles_ship_as_labelled_concepts(services):
    from rdflib.namespace import SKOS

    roles = set(services.objects(None, CV.role))
    assert roles
    for role in roles:
        assert (role, RDF.type, SKOS.Concept) in services, role
        assert {getattr(label, "language", None) for label in services.objects(role, SKOS.prefLabel)} >= {"nb"}, role
        assert list(services.objects(role, SKOS.inScheme)), role


def test_catalogue_fields_harvesters_show(catalog, dumps):
    from rdflib.namespace import DCTERMS, SKOS

    dataset, service = URIRef(f"{BASE}dataset/samkart"), URIRef(f"{BASE}service/sparql")
    for node in (dataset, service):
        assert (node, DCAT.landingPage, URIRef(BASE)) in catalog
        assert list(catalog.objects(node, DCAT.keyword)) and list(catalog.objects(node, DCTERMS.language))
    media = {str(m) for m in catalog.objects(None, DCAT.mediaType)}
    assert media == {"https://www.w3.org/ns/iana/media-types/application/trig",
                     "https://www.w3.org/ns/iana/media-types/application/n-quads"}
    assert {str(c) for c in catalog.objects(None, DCAT.compressFormat)} == {
        "https://www.w3.org/ns/iana/media-types/application/gzip"}
    standard = next(catalog.objects(service, DCTERMS.conformsTo))
    assert list(catalog.objects(standard, SKOS.prefLabel))


def test_issued_and_modified_come_from_settings_else_the_documents(union):
    from dataclasses import replace

    from samkart.publish.catalog import documents_date, with_dates

    assert with_dates(META, union) == META  # both set: the settings
    bare = with_dates(replace(META, issued=None, modified=None), union)
    # the newest source document is dated 2025 (only the year): its 1 January, never the clock
    assert bare.issued == bare.modified == documents_date(union) == "2025-01-01"
    assert with_dates(replace(META, modified=None), union).issued == META.issued
