"""Network measures as DataFrames: centrality, communities, cross-sector collaboration and bridges."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import networkx as nx

from .graphs import NO_SECTOR

if TYPE_CHECKING:
    import pandas as pd


def _frame(records: list[dict[str, object]], sort: list[str], ascending: list[bool]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame.from_records(records)
    return frame.sort_values(sort, ascending=ascending, kind="stable").reset_index(drop=True) if records else frame


def centrality(graph: nx.Graph) -> pd.DataFrame:
    """Per node: label, sector, type, degree (partners), weighted degree (shared subjects, summed),
    degree centrality and betweenness centrality (unweighted, normalised); most partners first."""
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    degree_centrality = nx.degree_centrality(graph)
    records = [{"iri": node, "label": data.get("label", node), "type": data.get("type", ""),
                "sector": data.get("sector", ""), "degree": graph.degree(node),
                "weighted_degree": graph.degree(node, weight="weight"),
                "degree_centrality": degree_centrality[node], "betweenness": betweenness[node]}
               for node, data in graph.nodes(data=True)]
    return _frame(records, ["degree", "weighted_degree", "label"], [False, False, True])


def communities(graph: nx.Graph, seed: int = 0, resolution: float = 1.0) -> pd.DataFrame:
    """Louvain communities (weighted by shared subjects, fixed seed so runs agree): one row per
    node with its community number, 0 for the largest community."""
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed, resolution=resolution)
    ordered = sorted(found, key=lambda c: (-len(c), min(graph.nodes[n].get("label", n) for n in c)))
    records = [{"iri": node, "label": graph.nodes[node].get("label", node), "sector": graph.nodes[node].get("sector", ""),
                "community": number, "community_size": len(members)}
               for number, members in enumerate(ordered) for node in members]
    return _frame(records, ["community", "label"], [True, True])


def _sector(graph: nx.Graph, node: str) -> str:
    return graph.nodes[node].get("sector") or NO_SECTOR


def cross_sector_share(graph: nx.Graph) -> pd.DataFrame:
    """Per sector: collaboration links of its organisations, how many go to another sector, and
    the share (links with an organisation of no known sector are counted apart, as ``unknown``).
    A row ``(all)`` gives the totals; each link is counted once there."""
    links: Counter[str] = Counter()
    crossing: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    total = {"links": 0, "cross_sector": 0, "unknown": 0}
    for a, b in graph.edges():
        sa, sb = _sector(graph, a), _sector(graph, b)
        kind = "unknown" if NO_SECTOR in (sa, sb) else ("cross_sector" if sa != sb else "same")
        total["links"] += 1
        if kind != "same":
            total[kind] += 1
        for sector in {sa, sb} - {NO_SECTOR}:
            links[sector] += 1
            crossing[sector] += kind == "cross_sector"
            unknown[sector] += kind == "unknown"
    records = [{"sector": s, "links": links[s], "cross_sector": crossing[s], "unknown": unknown[s],
                "share": crossing[s] / (links[s] - unknown[s]) if links[s] > unknown[s] else 0.0}
               for s in links]
    known = total["links"] - total["unknown"]
    records.append({"sector": "(all)", **total, "share": total["cross_sector"] / known if known else 0.0})
    return _frame(records, ["links", "sector"], [False, True])


def sector_bridges(graph: nx.Graph) -> pd.DataFrame:
    """Per organisation: how many other sectors its partners belong to and the partners there,
    i.e. who connects sectors (most sectors reached first)."""
    records = []
    for node, data in graph.nodes(data=True):
        own = _sector(graph, node)
        others = Counter(_sector(graph, n) for n in graph[node]) - Counter({own: graph.degree(node)})
        others.pop(NO_SECTOR, None)
        records.append({"iri": node, "label": data.get("label", node), "sector": own,
                        "other_sectors": len(others), "partners_in_other_sectors": sum(others.values())})
    return _frame(records, ["other_sectors", "partners_in_other_sectors", "label"], [False, False, True])
