"""Ready-made matplotlib pictures of the networks, shared by the notebooks and the README figure."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .graphs import NO_SECTOR
from .metrics import centrality

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#fd8d3c", "#bcbd22",
           "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354"]


def sector_colours(graph: nx.Graph) -> dict[str, str]:
    """A colour per sector label (grey for organisations with no sector), in label order."""
    sectors = sorted({d.get("sector") or NO_SECTOR for _, d in graph.nodes(data=True)} - {NO_SECTOR})
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sectors)}
    colours[NO_SECTOR] = "#cccccc"
    return colours


def plot_network(graph: nx.Graph, ax=None, min_degree: int = 1, labels: int = 12, seed: int = 0):
    """Draw the largest connected part of the collaboration graph: colour by sector, node size by partners, edge width by shared
    subjects, the ``labels`` best-connected organisations named. Returns the axes."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(12, 9))[1]
    kept = [n for n in graph if graph.degree(n) >= min_degree]
    # the largest connected part only: a few small islands would squeeze it into a corner
    core = graph.subgraph(max(nx.connected_components(graph.subgraph(kept)), key=len, default=set()))
    position = nx.spring_layout(core, seed=seed, weight=None, k=2.5 / max(1, len(core)) ** 0.5, iterations=300)
    colours = sector_colours(core)
    node_colours = [colours[core.nodes[n].get("sector") or NO_SECTOR] for n in core]
    sizes = [30 + 25 * core.degree(n) for n in core]
    widths = [0.4 + 0.6 * d.get("weight", 1) for *_, d in core.edges(data=True)]
    nx.draw_networkx_edges(core, position, ax=ax, width=widths, alpha=0.3, edge_color="#555555")
    nx.draw_networkx_nodes(core, position, ax=ax, node_color=node_colours, node_size=sizes, linewidths=0.5,
                           edgecolors="white")
    top = centrality(core).head(labels)
    nx.draw_networkx_labels(core, position, ax=ax, font_size=8,
                            labels={row.iri: row.label for row in top.itertuples()})
    present = sorted({core.nodes[n].get("sector") or NO_SECTOR for n in core}, key=lambda s: (s == NO_SECTOR, s))
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=colours[s], label=s) for s in present]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    ax.set_title("Who collaborates with whom (organisations sharing a service, solution, measure or body)")
    ax.axis("off")
    return ax


def plot_top(frame, value: str, label: str = "label", n: int = 15, ax=None, title: str = ""):
    """A horizontal bar chart of the ``n`` largest ``value`` in ``frame``, largest on top."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(8, 0.35 * n + 1))[1]
    top = frame.nlargest(n, value).iloc[::-1]
    ax.barh(top[label].astype(str), top[value].astype(float), color="#1f77b4")
    ax.set_xlabel(value.replace("_", " "))
    ax.set_title(title)
    return ax


def save_readme_figure(graph: nx.Graph, path: str | Path) -> Path:
    """Write the README's picture of the collaboration network (PNG, no timestamp in its metadata)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(13, 9), dpi=80)
    plot_network(graph, ax=ax, min_degree=2)
    figure.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)
    return path
