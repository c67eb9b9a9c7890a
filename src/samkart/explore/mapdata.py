"""The collaboration map's data (/explore/data): organisations, their links and the shared subjects."""

from __future__ import annotations

from samkart.sparql.results import as_table
from samkart.sparql.service import SparqlService

from .graphs import NO_SECTOR, bipartite_graph, collaboration_graph


def _subject_types(kg: SparqlService, codes: set[str]) -> list[dict[str, str]]:
    """Entity-type codes with their English (else nb) labels, in label order."""
    table = as_table(kg.run("""SELECT ?code ?label WHERE {
        ?type skos:notation ?code ; skos:prefLabel ?label ; skos:inScheme ?scheme .
        FILTER(STRENDS(STR(?scheme), "/entity-type") && langMatches(lang(?label), "en")) }"""))
    labels = {code.value: label.value for code, label in table.rows if code is not None and label is not None}
    return sorted(({"id": code, "label": labels.get(code, code)} for code in codes), key=lambda t: t["label"])


def map_data(kg: SparqlService) -> dict:
    """Nodes (organisations with label, type, sector, degree), edges (weight and shared subjects),
    the sectors and the subject types present: JSON-ready, in a stable order."""
    subjects = bipartite_graph(kg)
    graph = collaboration_graph(kg)
    nodes = [{"id": n, "label": d["label"], "type": d["type"], "sector": d["sector_iri"],
              "sectorLabel": d["sector"], "degree": graph.degree(n)} for n, d in graph.nodes(data=True)]
    edges = [{"source": a, "target": b, "weight": d["weight"],
              "subjects": [{"id": s, "label": subjects.nodes[s]["label"], "type": subjects.nodes[s]["type"]}
                           for s in d["subjects"]]}
             for a, b, d in graph.edges(data=True)]
    sectors = {(n["sector"], n["sectorLabel"]) for n in nodes}
    codes = {s["type"] for e in edges for s in e["subjects"]}
    return {"nodes": nodes, "edges": edges,
            "sectors": [{"id": i, "label": label} for i, label in sorted(sectors, key=lambda s: (s[1] == NO_SECTOR, s[1]))],
            "subjectTypes": _subject_types(kg, codes)}
