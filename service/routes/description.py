"""The SPARQL 1.1 Service Description returned by GET /sparql without a query."""

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from samkart.formats import GRAPH_FORMATS, RESULT_FORMATS
from samkart_service.execution import request_timeout, result_response, run_blocking
from samkart_service.requests import format_names
from samkart_service.state import AppState

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = [f.w3c_iri for f in RESULT_FORMATS + GRAPH_FORMATS if f.w3c_iri]
"""The W3C IRIs of every format a query answer can be written in (sd:resultFormat)."""


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def description_triples(endpoint: str, graphs: list[str]) -> list:
    """The service description: endpoint, language, formats, union default graph and named graphs."""
    service, dataset, default = ox.NamedNode(endpoint), ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [ox.Triple(service, RDF_TYPE, _sd("Service")), ox.Triple(service, _sd("endpoint"), service),
               ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
               ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
               ox.Triple(service, _sd("defaultDataset"), dataset), ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
               ox.Triple(dataset, _sd("defaultGraph"), default), ox.Triple(default, RDF_TYPE, _sd("Graph"))]
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(f)) for f in FORMATS]
    for index, graph in enumerate(graphs):
        named = ox.BlankNode(f"g{index}")
        triples += [ox.Triple(dataset, _sd("namedGraph"), named), ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
                    ox.Triple(named, _sd("name"), ox.NamedNode(graph))]
    return triples


async def service_description(request: Request, state: AppState, params: dict[str, list[str]]) -> Response:
    """The service description in the format asked for (Turtle by default)."""
    service = state.service
    graphs = await run_blocking(lambda: sorted(service.graph_names()), request_timeout(service, state.settings.query_timeout))
    endpoint = str(request.url.replace(query="", fragment=""))
    return await result_response(description_triples(endpoint, graphs), request, format_names(params))
