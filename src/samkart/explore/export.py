"""Write a graph for Gephi (GEXF), Cytoscape/yEd (GraphML) or D3 (node-link JSON), `label` on every node."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx

from samkart.graph.build import write_atomic

NETWORK_FORMATS = ("gexf", "graphml", "json")
SEPARATOR = "; "
LAST_MODIFIED = re.compile(r' lastmodifieddate="[^"]*"')


def _flat(value: object) -> object:
    """GEXF and GraphML hold scalars only: lists become one string, missing values ''."""
    if isinstance(value, (list, tuple, set)):
        return SEPARATOR.join(str(v) for v in value)
    return "" if value is None else value


def flattened(graph: nx.Graph) -> nx.Graph:
    """A copy with list attributes joined by '; ' (graph name kept); every node has a label."""
    flat = graph.__class__(name=graph.graph.get("name", ""))
    for node, data in graph.nodes(data=True):
        attributes = {k: _flat(v) for k, v in data.items()}
        attributes["label"] = data.get("label") or node
        flat.add_node(node, **attributes)
    for a, b, data in graph.edges(data=True):
        flat.add_edge(a, b, **{k: _flat(v) for k, v in data.items()})
    return flat


def node_link_json(graph: nx.Graph) -> str:
    """node-link JSON (``nodes``, ``edges``) with lists kept as lists; keys sorted for stable output."""
    data = nx.node_link_data(graph, edges="edges")
    for node in data["nodes"]:
        node.setdefault("label", node["id"])
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def render(graph: nx.Graph, fmt: str) -> bytes:
    """The graph in ``fmt`` (gexf, graphml or json) as bytes."""
    if fmt == "json":
        return node_link_json(graph).encode("utf-8")
    flat = flattened(graph)
    if fmt == "gexf":
        text = "\n".join(nx.generate_gexf(flat, encoding="utf-8", version="1.2draft")) + "\n"
        # networkx stamps today's date; the date is optional in GEXF and would make output differ by day
        return LAST_MODIFIED.sub("", text, count=1).encode("utf-8")
    if fmt == "graphml":
        return ("\n".join(nx.generate_graphml(flat, encoding="utf-8", prettyprint=True)) + "\n").encode("utf-8")
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(NETWORK_FORMATS)}")


def export_graph(graph: nx.Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``graph`` to ``path`` (format from ``fmt`` or the file suffix); the file is replaced whole."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    write_atomic(path, render(graph, fmt))
    return path


def read_graph(path: str | Path, fmt: str | None = None) -> nx.Graph:
    """Read back a file written by :func:`export_graph` (lists stay joined by '; ' for GEXF/GraphML)."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    if fmt == "json":
        return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    if fmt == "gexf":
        return nx.read_gexf(path, relabel=False)
    if fmt == "graphml":
        return nx.read_graphml(path)
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(NETWORK_FORMATS)}")
