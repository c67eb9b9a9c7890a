"""The query guards: updates and SERVICE are refused by keyword, never by words inside names or strings."""

import pytest

from samkart.errors import QueryError
from samkart.sparql.service import check_query_text

ALLOWED = ["SELECT ?service WHERE { ?service a ?t }", "SELECT * WHERE { ?s et:service ?o }",
           'SELECT * WHERE { ?s ?p "SERVICE <x>" }', "SELECT * WHERE { ?s <http://x/SERVICE> ?o }",
           "# INSERT DATA\nSELECT * WHERE { ?s ?p ?o }", "PREFIX insert: <http://x/> SELECT * WHERE { ?s insert:p ?o }"]
REFUSED = [("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }", "SERVICE"),
           ("SELECT * WHERE { service silent ?x { } }", "SERVICE"), ("SELECT * { SERVICE ex:y {} }", "SERVICE"),
           ("PREFIX a: <http://a/> INSERT DATA { <a:a> <a:b> <a:c> }", "read-only"),
           ("LOAD <http://example.org/data.ttl>", "read-only"), ("clear all", "read-only"),
           ("WITH <g:x> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "read-only")]


@pytest.mark.parametrize("query", ALLOWED)
def test_allowed(query):
    check_query_text(query, federation=False)


@pytest.mark.parametrize("query, word", REFUSED)
def test_refused(query, word):
    with pytest.raises(QueryError, match=word):
        check_query_text(query, federation=False)


def test_federation_setting_allows_only_listed_services():
    check_query_text("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }", federation=True, allow=("http://x",))
    check_query_text("PREFIX e: <http://e/> SELECT * { SERVICE e:s { } }", federation=True, allow=("http://e/s",))
    for query in ("SELECT * WHERE { SERVICE <http://y> { ?s ?p ?o } }", "SELECT * { SERVICE ?endpoint { } }",
                  "SELECT * { SERVICE <http://x> {} SERVICE <file:///etc/passwd> {} }"):
        with pytest.raises(QueryError, match="SAMKART_FEDERATION_ALLOW"):
            check_query_text(query, federation=True, allow=("http://x",))
    with pytest.raises(QueryError, match="SAMKART_FEDERATION_ALLOW"):
        check_query_text("SELECT * WHERE { SERVICE <http://x> { } }", federation=True)
