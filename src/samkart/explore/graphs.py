"""networkx graphs of the knowledge graph: organisation ↔ subject, collaboration, governance and strategy."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx

from samkart.sparql.service import SparqlService

from .frames import select

NO_SECTOR = "Uten sektor"


def _rows(kg: SparqlService, name: str) -> list[dict[str, str]]:
    """A named query's rows as dicts of plain strings ('' for unbound)."""
    table = select(kg, name)
    return [{v: ("" if t is None else t.value) for v, t in zip(table.variables, row, strict=True)} for row in table.rows]


def organisations(kg: SparqlService) -> dict[str, dict[str, str]]:
    """Node attributes of every organisation: label, type, sector (label), sector_iri, iri, kind."""
    return {row["org"]: {"label": row["orgLabel"] or row["org"], "type": row["type"],
                         "sector": row["sectorLabel"] or NO_SECTOR, "sector_iri": row["sector"],
                         "iri": row["org"], "kind": "organisation"}
            for row in _rows(kg, "organisations")}


def _subject_attributes(row: dict[str, str]) -> dict[str, str]:
    return {"label": row["subjectLabel"] or row["subject"], "type": row["subjectType"], "sector": "",
            "sector_iri": "", "iri": row["subject"], "kind": "subject"}


def _actor(iri: str, label: str = "", kind_code: str = "") -> dict[str, str]:
    """Node attributes of an actor the `organisations` query does not list (a group of actors): no sector."""
    return {"label": label or iri, "type": kind_code, "sector": NO_SECTOR, "sector_iri": "", "iri": iri,
            "kind": "organisation"}


def _add_nodes(graph: nx.Graph, attributes: dict[str, dict]) -> None:
    for iri in sorted(attributes):
        graph.add_node(iri, **attributes[iri])


def bipartite_graph(kg: SparqlService) -> nx.Graph:
    """Organisations (``bipartite=0``) linked to the subjects they take part in (``bipartite=1``).

    One edge per (organisation, subject), with ``roles`` (nb role labels), ``sources``
    (document IRIs) and ``participants`` (the end(s) that take part in the other) as sorted lists. A body that
    takes part in something and also has members (5 in the real data, e.g. Skate) is one node, marked
    ``bipartite=0`` and ``is_subject=True``.
    """
    rows = _rows(kg, "participations")
    orgs = organisations(kg)
    participants = {row["org"] for row in rows}
    nodes = {iri: {**_subject_attributes(row), "bipartite": 1, "is_subject": True}
             for row in rows for iri in [row["subject"]]}
    for iri in participants:
        nodes[iri] = {**orgs.get(iri, _actor(iri)),
                      "bipartite": 0, "is_subject": iri in nodes}
    graph = nx.Graph(name="organisation–subject")
    _add_nodes(graph, nodes)
    links: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: {"roles": set(), "sources": set()})
    for row in rows:
        link = links[(row["org"], row["subject"])]
        link["roles"].add(row["roleLabel"] or row["role"])
        link["sources"].add(row["source"])
    for (org, subject), link in sorted(links.items()):
        if graph.has_edge(org, subject):  # two bodies each taking part in the other: one edge, both ways
            edge = graph.edges[org, subject]
            link["roles"] |= set(edge["roles"])
            link["sources"] |= set(edge["sources"])
            link["participants"] = {org, *edge["participants"]}
        graph.add_edge(org, subject, roles=sorted(link["roles"]), sources=sorted(link["sources"]),
                       participants=sorted(link.get("participants", {org})))
    return graph


def collaboration_graph(kg: SparqlService, subject_types: set[str] | None = None) -> nx.Graph:
    """Organisations linked when they take part in a common subject.

    ``weight`` is the number of distinct shared subjects, ``subjects`` their IRIs (sorted) and
    ``subject_labels`` their labels in the same order. ``subject_types`` (entity-type codes,
    e.g. ``{"common-solution", "service"}``) keeps only subjects of those types. Every
    organisation that takes part in a (kept) subject is a node, also when it has no partner.
    """
    bipartite = bipartite_graph(kg)
    graph = nx.Graph(name="collaboration")
    members: dict[str, list[str]] = {}
    for node, data in sorted(bipartite.nodes(data=True)):
        if data["is_subject"] and (subject_types is None or data["type"] in subject_types):
            members[node] = sorted(n for n, edge in bipartite[node].items()
                                   if bipartite.nodes[n]["kind"] == "organisation" and n in edge["participants"])
    organisations_in = {org for orgs in members.values() for org in orgs}
    _add_nodes(graph, {org: _org_attributes(bipartite.nodes[org]) for org in organisations_in})
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for subject, orgs in members.items():
        for a, b in combinations(orgs, 2):
            shared[(a, b)].append(subject)
    for (a, b), subjects in sorted(shared.items()):
        graph.add_edge(a, b, weight=len(subjects), subjects=subjects,
                       subject_labels=[bipartite.nodes[s]["label"] for s in subjects])
    return graph


def _org_attributes(data: dict) -> dict:
    return {k: data[k] for k in ("label", "type", "sector", "sector_iri", "iri", "kind")}


def governance_graph(kg: SparqlService) -> nx.DiGraph:
    """The governance tree: an edge parent → child for every org:subOrganizationOf link.

    Every organisation is a node (also those with no parent or child), so ministries, their
    agencies and the organisations outside the hierarchy can all be counted.
    """
    graph = nx.DiGraph(name="governance")
    _add_nodes(graph, organisations(kg))
    for row in _rows(kg, "governance"):
        for end in ("parent", "org"):  # a group of actors listed under a ministry is no organisation: attributes from the row
            if row[end] not in graph:
                graph.add_node(row[end], **_actor(row[end], row[end + "Label"], row[end + "Type"]))
        graph.add_edge(row["parent"], row["org"], relation="subOrganizationOf")
    return graph


def strategy_graph(kg: SparqlService) -> nx.DiGraph:
    """Plans → their sections, measures and initiatives (``relation="hasPart"``), and each plan
    or item → the organisations that take part in it (``relation="participant"``, with ``roles``),
    e.g. an action-plan measure → its responsible ministry."""
    structure = _rows(kg, "plan_structure")
    nodes: dict[str, dict] = {}
    for row in structure:
        for end in ("whole", "part"):
            nodes[row[end]] = {"label": row[end + "Label"] or row[end], "type": row[end + "Type"], "sector": "",
                               "sector_iri": "", "iri": row[end], "kind": "plan-item"}
    orgs = organisations(kg)
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows(kg, "participations"):
        if row["subject"] in nodes:
            roles[(row["subject"], row["org"])].add(row["roleLabel"] or row["role"])
            nodes.setdefault(row["org"], orgs.get(row["org"], {}))
    graph = nx.DiGraph(name="strategy")
    _add_nodes(graph, nodes)
    for row in structure:
        graph.add_edge(row["whole"], row["part"], relation="hasPart")
    for (item, org), names in sorted(roles.items()):
        graph.add_edge(item, org, relation="participant", roles=sorted(names))
    return graph


__all__ = ["NO_SECTOR", "bipartite_graph", "collaboration_graph", "governance_graph", "organisations",
           "select", "strategy_graph"]
