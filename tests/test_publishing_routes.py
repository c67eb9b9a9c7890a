"""`samkart publish` and `validate --profile` as a user runs them, and the publishing routes over a real server."""

import hashlib

import httpx
import pytest
from rdflib import Graph

from catalogue import TEST_CATALOGUE, samkart
from servers import app_server

HARVESTER_ACCEPTS = {  # what the data.norge.no harvester may send, and how rdflib parses each
    "text/turtle": "turtle", "application/turtle": "turtle", "application/n-triples": "nt",
    "application/rdf+xml": "xml", "application/ld+json": "json-ld", "application/trig": "trig",
    "application/n-quads": "nquads", "text/n3": "n3", "application/trix": "trix", "application/rdf+json": None,
}


@pytest.fixture(scope="module")
def site(published, build_file):
    with app_server({**TEST_CATALOGUE, "SAMKART_PUBLISH_DIR": str(published), "SAMKART_DATA": f'["{build_file}"]'}) as base:
        yield base


def test_publish_names_a_missing_setting_and_writes_nothing(tmp_path):
    settings = {k: v for k, v in TEST_CATALOGUE.items() if k != "SAMKART_CONTACT_EMAIL"}
    env = {**settings, "SAMKART_CONTACT_EMAIL": ""}
    done = samkart("publish", str(tmp_path / "out"), env=env)
    assert done.returncode == 2 and "SAMKART_CONTACT_EMAIL" in done.stderr
    assert not (tmp_path / "out").exists()


def test_publish_data_gives_the_same_files_as_publishing_the_build(published, build_file, tmp_path):
    """`samkart publish --data FILE` publishes any dataset file; the build's own file gives the same bytes."""
    out = tmp_path / "from-file"
    done = samkart("publish", str(out), "--data", str(build_file), env=TEST_CATALOGUE)
    assert done.returncode == 0, done.stderr
    mine = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert mine == sorted(p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file())
    for name in mine:
        assert (out / name).read_bytes() == (published / name).read_bytes(), name


@pytest.mark.parametrize("data, says", [("missing.trig", "does not exist"), ("graph.ttl", "TriG (.trig) or N-Quads")])
def test_publish_data_refuses_what_it_cannot_publish_and_writes_nothing(tmp_path, data, says):
    (tmp_path / "graph.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n")
    done = samkart("publish", str(tmp_path / "out"), "--data", str(tmp_path / data), env=TEST_CATALOGUE)
    assert done.returncode != 0 and says in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()

def test_publish_writes_every_artefact(published):
    names = {p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file()}
    for base in ("samkart.trig", "samkart.nq", "samkart.ttl", "samkart.nt", "samkart.jsonld"):
        assert base in names and f"{base}.gz" in names
    assert {"catalog.ttl", "catalog-dcat-ap-no-2.ttl", "services.ttl", "void.ttl", "ontology/index.html"} <= names


def test_catalogue_checksums_and_sizes_match_the_files(published):
    from rdflib import URIRef
    from rdflib.namespace import DCAT

    catalog = Graph().parse(published / "catalog.ttl")
    spdx = "http://spdx.org/rdf/terms#"
    checked = 0
    for dist in catalog.subjects(DCAT.downloadURL, None):
        name = str(catalog.value(dist, DCAT.downloadURL)).rsplit("/", 1)[1]
        data = (published / name).read_bytes()
        assert int(catalog.value(dist, DCAT.byteSize)) == len(data)
        checksum = catalog.value(dist, URIRef(spdx + "checksum"))
        assert str(catalog.value(checksum, URIRef(spdx + "checksumValue"))) == hashlib.sha256(data).hexdigest()
        checked += 1
    assert checked == 10


@pytest.mark.parametrize("profile", ["dcat-ap-no", "cpsv-ap-no", "dcat-ap", "cpsv-ap"])
def test_validate_profile_on_the_published_files(published, profile):
    done = samkart("validate", "--profile", profile, "--format", "json", env={"SAMKART_PUBLISH_DIR": str(published)})
    import json

    report = json.loads(done.stdout)
    paths = {r["path"].rsplit("/", 1)[-1].rsplit("#", 1)[-1] for r in report["results"] if r["severity"] == "Violation"}
    if profile.startswith("dcat-ap"):
        assert done.returncode == 0 and report["conforms"] is True
    elif profile == "cpsv-ap-no":  # only what the documents cannot supply: the README lists these
        assert done.returncode == 1 and paths == {"contactPoint", "hasCompetentAuthority"}
    else:  # CPSV-AP 3.2.0: only the competent authorities the documents do not name
        assert done.returncode == 1 and paths == {"hasCompetentAuthority"}


@pytest.mark.parametrize("accept, parser", HARVESTER_ACCEPTS.items())
def test_harvester_gets_parseable_rdf_of_each_type(site, accept, parser):
    response = httpx.get(f"{site}/catalog", headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == (accept if accept not in ("application/turtle", "text/n3") else "text/turtle")
    if parser is None:  # RDF/JSON: subject → predicate → objects
        import json

        body = json.loads(response.text)
        assert any("http://www.w3.org/ns/dcat#dataset" in predicates for predicates in body.values())
    else:
        from rdflib import Dataset

        dataset = Dataset()
        dataset.parse(data=response.text, format=parser)
        assert len(list(dataset.quads((None, None, None, None)))) > 50


def test_services_and_void_are_served(site):
    services = Graph().parse(data=httpx.get(f"{site}/catalog/services", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert len(services) > 100
    void = Graph().parse(data=httpx.get(f"{site}/void").text, format="turtle")
    assert len(void) > 100


def test_dumps_have_etag_and_length_and_answer_304(site, published):
    response = httpx.get(f"{site}/dumps/samkart.nq")
    data = (published / "samkart.nq").read_bytes()
    assert response.status_code == 200 and response.content == data
    assert int(response.headers["content-length"]) == len(data)
    tag = response.headers["etag"]
    assert tag == f'"{hashlib.sha256(data).hexdigest()}"'
    again = httpx.get(f"{site}/dumps/samkart.nq", headers={"If-None-Match": tag})
    assert again.status_code == 304 and not again.content


@pytest.mark.parametrize("path", ["/dumps/..%2F..%2Fpyproject.toml", "/dumps/../pyproject.toml", "/dumps/%2E%2E%2Fcatalog.ttl",
                                  "/dumps/ontology", "/dumps/ontology%2Findex.html", "/dumps/nope.nq", "/dumps/%00"])
def test_paths_outside_the_dump_folder_are_refused(site, path):
    response = httpx.get(site + path)
    assert response.status_code == 404, path
    assert response.json()["code"] == "not_found"


def test_def_gives_docs_to_browsers_and_rdf_to_machines(site):
    page = httpx.get(f"{site}/def", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "StatusAssessment" in page.text
    rdf = httpx.get(f"{site}/def", headers={"Accept": "text/turtle"})
    assert rdf.headers["content-type"].startswith("text/turtle") and "sk:StatusAssessment" in rdf.text
