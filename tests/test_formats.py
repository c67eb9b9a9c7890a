"""One format table: every place asks samkart.formats, and the table is consistent."""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from samkart import formats

ROOT = Path(__file__).parents[1]
MEDIA_TYPE_LITERAL = re.compile(r'"(application/(n-quads|trig|ld\+json|n-triples|rdf\+xml|sparql-results\+\w+)|text/turtle)"')


def test_names_suffixes_and_media_types_are_unique():
    table = formats.RESULT_FORMATS + formats.GRAPH_FORMATS
    media = [f.media_type for f in table]
    assert len(media) == len(set(media))
    for group in (formats.RESULT_FORMATS, formats.GRAPH_FORMATS):
        names = [n for f in group for n in f.names]
        assert len(names) == len(set(names))
    suffixes = [s for f in table for s in f.suffixes]
    assert len(suffixes) == len(set(suffixes))
    assert not set(formats.aliases()) & set(media)


@pytest.mark.parametrize("name, key", [("x.trig", "trig"), ("x.nq.gz", "nquads"), ("X.TTL", "turtle"), ("a/b.jsonld", "jsonld")])
def test_suffixes_name_their_format(name, key):
    assert formats.by_suffix(name).key == key


def test_unknown_suffix_is_none_and_served_as_octets():
    assert formats.by_suffix("x.docx") is None
    assert formats.media_type_of("x.docx") == "application/octet-stream"
    assert formats.media_type_of("samkart.nq.gz") == "application/gzip"


def test_every_dump_has_a_w3c_and_eu_file_type_iri():
    for fmt in formats.DUMP_FORMATS:
        assert fmt.w3c_iri.startswith("http://www.w3.org/ns/formats/")
        assert fmt.eu_file_type_iri.startswith("http://publications.europa.eu/resource/authority/file-type/")
        assert isinstance(fmt.engine, ox.RdfFormat)


def test_no_other_module_spells_out_an_rdf_media_type():
    """Media types of RDF and result formats are written once, in samkart/formats.py."""
    offenders = []
    for folder in ("src", "service"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "formats.py" and path.parent.name == "samkart":
                continue
            offenders += [f"{path.relative_to(ROOT)}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1)
                          if MEDIA_TYPE_LITERAL.search(line)]
    assert not offenders
