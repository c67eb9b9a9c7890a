"""Shared by the named-query tests: the public contract, IRIs of the real data, the named-query API
over HTTP answering like the core library (for the `service` fixture), and row helpers."""

import httpx

from samkart.errors import QueryError
from samkart.sparql.results import Table
from samkart.sparql.service import SparqlService
from samkart.sparql.terms import ParameterError

ID = "https://w3id.org/samkart/id/"
ROLE = "https://w3id.org/samkart/def/scheme/role/"
STATUS = "https://w3id.org/samkart/def/scheme/measure-status/"
ETYPE = "https://w3id.org/samkart/def/scheme/entity-type/"
SK = "https://w3id.org/samkart/def#"
CPSV = "http://purl.org/vocab/cpsv#"
DOC_000 = ID + "doc/handlingsplan-2030-styring-og-samordning"
DOC_001 = ID + "doc/faktaark-samordning-av-digitalisering"
DOC_002 = ID + "doc/erfaringsrapport-2020"
DOC_003 = ID + "doc/en-digital-offentlig-sektor-forord"
DOC_004 = ID + "doc/digital-agenda-pressemelding"

# name -> ({parameter: required}, output variables in order)
CONTRACT = {
    "collaborators": ({"subject": True}, ["org", "orgLabel", "role", "roleLabel", "source"]),
    "collaborations": ({"org": True},
                       ["subject", "subjectLabel", "subjectType", "role", "partner", "partnerLabel", "source"]),
    "subordinates": ({"parent": True}, ["org", "orgLabel"]),
    "measures": ({"ministry": False, "status": False},
                 ["measure", "measureLabel", "ministry", "ministryLabel", "status", "statusLabel", "asOf", "source"]),
    "strategies": ({"owner": False}, ["strategy", "strategyLabel", "owner", "ownerLabel", "role", "start", "end", "source"]),
    "members": ({"body": True}, ["org", "orgLabel", "role", "roleLabel", "source"]),
    "funding": ({"administrator": False}, ["scheme", "schemeLabel", "administrator", "administratorLabel", "source"]),
    "network": ({}, ["a", "aLabel", "b", "bLabel", "shared"]),
    "search": ({"q": True}, ["item", "itemLabel", "type", "typeLabel"]),
}
EXTRA = {"sector_overview", "strategy_measures", "life_event_services", "organisation_history", "sources_of",
         "current_status", "participations", "organisations", "governance", "plan_structure",
         "responsibilities", "goals", "instruments", "proposals", "decisions", "established", "appropriations",
         "awards", "suppliers", "groups", "participation_periods"}


class Value:
    """A result term as the HTTP API returns it (only its lexical value)."""

    def __init__(self, value: str):
        self.value = value


class HttpService:
    """The named-query API over HTTP, answering like SparqlService (errors by their JSON code)."""

    ERRORS = {"invalid_parameter": ParameterError, "query_error": QueryError}

    def __init__(self, base: str, core: SparqlService):
        self.base, self.core, self.queries = base, core, core.queries
        self.client = httpx.Client(timeout=60)

    def named(self, name):
        return self.core.named(name)

    def run(self, *args, **kwargs):  # helper SPARQL in the tests, not under test here
        return self.core.run(*args, **kwargs)

    def labels_of(self, iris):
        return self.core.labels_of(iris)

    def run_named(self, name, params):
        pairs = [(key, value) for key, values in params.items() for value in values]
        response = self.client.get(f"{self.base}/api/queries/{name}", params=pairs,
                                   headers={"Accept": "application/sparql-results+json"})
        if response.status_code != 200:
            body = response.json()
            assert set(body) == {"ok", "status", "code", "error"} and body["status"] == response.status_code
            raise self.ERRORS.get(body["code"], QueryError)(body["error"])
        body = response.json()
        names = body["head"]["vars"]
        rows = [[Value(b[n]["value"]) if n in b else None for n in names] for b in body["results"]["bindings"]]
        return Table(names, rows)


def run(service, name, **params):
    """A named query's rows as tuples of plain values (None for unbound)."""
    table = service.run_named(name, {k: [v] for k, v in params.items()})
    assert table.variables == service.named(name).variables
    return [tuple(None if t is None else t.value for t in row) for row in table.rows]


def column(rows, service, name, variable):
    index = service.named(name).variables.index(variable)
    return [row[index] for row in rows]
