"""Ready-made matplotlib pictures of the networks, shared by the notebooks and the README figure.

Legible by construction: the seven sectors with the most organisations get the Okabe–Ito colours (told
apart by colour-blind readers too), the smaller sectors share one colour and organisations without a
sector are pale; node size and line width have their own legends; the best-connected organisations are
named only where the name overlaps no other name or node and stays inside the picture; organisations
with no partner are listed beside the network instead of floating in it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from .graphs import NO_SECTOR
from .metrics import centrality

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.text import Annotation
    from matplotlib.transforms import Bbox

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"]
"""Okabe–Ito, without black: one colour each for the largest sectors."""
OTHER_SECTORS, NO_SECTOR_COLOUR = "#6b6b6b", "#d4d4d4"
OTHER_LABEL = "other sectors"
SIZE_STEPS, WIDTH_STEPS = (1, 5, 15), (1, 3, 8)


def node_size(partners: int) -> float:
    """Marker area (points²) for an organisation with ``partners`` partners."""
    return 30 + 25 * partners


def edge_width(shared: int) -> float:
    """Line width (points) for two organisations sharing ``shared`` subjects."""
    return min(0.4 + 0.6 * shared, 6.0)


def sector_colours(graph: nx.Graph) -> dict[str, str]:
    """A colour per sector label: the seven with most organisations one each (by size, then name), the
    rest :data:`OTHER_SECTORS`, no sector :data:`NO_SECTOR_COLOUR`."""
    counts: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        sector = data.get("sector") or NO_SECTOR
        counts[sector] = counts.get(sector, 0) + 1
    ranked = sorted((s for s in counts if s != NO_SECTOR), key=lambda s: (-counts[s], s))
    colours = {s: PALETTE[i] if i < len(PALETTE) else OTHER_SECTORS for i, s in enumerate(ranked)}
    colours[NO_SECTOR] = NO_SECTOR_COLOUR
    return colours


def _boxes_overlap(a: Bbox, b: Bbox, pad: float = 2.0) -> bool:
    return a.x0 - pad < b.x1 and b.x0 - pad < a.x1 and a.y0 - pad < b.y1 and b.y0 - pad < a.y1


def place_labels(ax: Axes, position: dict[str, tuple[float, float]], names: dict[str, str],
                 sizes: dict[str, float]) -> list[Annotation]:
    """Name the nodes in ``names`` (most important first) beside their marker — right, left, above or below —
    only where the name overlaps no placed name and no other marker and stays inside the axes. Returns the
    texts placed; the rest are left unnamed (the notebooks list them in tables)."""
    figure = ax.figure
    figure.canvas.draw()
    # matplotlib's stubs give get_renderer to the Agg canvas only; the canvases we draw on (Agg, inline) have it
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    markers = {}
    for node, (x, y) in position.items():
        cx, cy = ax.transData.transform((x, y))
        r = (sizes.get(node, 30) ** 0.5) / 2 * figure.dpi / 72
        markers[node] = (cx - r, cy - r, cx + r, cy + r)
    placed: list[Bbox] = []
    texts: list[Annotation] = []
    for node, name in names.items():
        x, y = position[node]
        r = (sizes.get(node, 30) ** 0.5) / 2 + 2
        spots = [(r, 0, "left", "center"), (-r, 0, "right", "center"), (0, r, "center", "bottom"),
                 (0, -r, "center", "top"), (r, r, "left", "bottom"), (-r, r, "right", "bottom"),
                 (r, -r, "left", "top"), (-r, -r, "right", "top"), (0, 2.2 * r, "center", "bottom"),
                 (0, -2.2 * r, "center", "top")]
        for dx, dy, ha, va in spots:
            text = ax.annotate(name, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=8,
                               bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
            text.set_in_layout(False)  # names never move the layout they were placed in
            box = text.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            clear = not any(_boxes_overlap(box, other) for other in placed) and not any(
                m[0] < box.x1 and box.x0 < m[2] and m[1] < box.y1 and box.y0 < m[3]
                for other, m in markers.items() if other != node)
            if inside and clear:
                placed.append(box)
                texts.append(text)
                break
            text.remove()
    return texts


def plot_network(graph: nx.Graph, ax: Axes | None = None, min_degree: int = 1, labels: int = 12, seed: int = 0,
                 legend_ax: Axes | None = None) -> Axes:
    """Draw the largest connected part of the collaboration graph: colour by sector, node size by partners, edge width
    by shared subjects, up to ``labels`` of the best-connected organisations named without overlap, legends for
    colour, size and width (in ``legend_ax`` when given, else right of ``ax``). Returns the axes."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(12, 9))[1]
    kept = [n for n in graph if graph.degree(n) >= min_degree]
    # the largest connected part only: a few small islands would squeeze it into a corner
    core = graph.subgraph(max(nx.connected_components(graph.subgraph(kept)), key=len, default=set()))
    position = nx.spring_layout(core, seed=seed, weight=None, k=2.5 / max(1, len(core)) ** 0.5, iterations=300)
    colours = sector_colours(graph)
    sizes = {n: node_size(core.degree(n)) for n in core}
    widths = [edge_width(d.get("weight", 1)) for *_, d in core.edges(data=True)]
    nx.draw_networkx_edges(core, position, ax=ax, width=widths, alpha=0.3, edge_color="#555555")
    nx.draw_networkx_nodes(core, position, ax=ax, node_color=[colours[core.nodes[n].get("sector") or NO_SECTOR]
                                                                 for n in core],
                           node_size=[sizes[n] for n in core], linewidths=0.6, edgecolors="#333333")
    ax.margins(0.08)
    ax.axis("off")
    ax.set_title("Who collaborates with whom (organisations sharing a service, solution, measure or body)")
    # the legends get an axes of their own (beside the network when none is given), so that a tight bounding box
    # (the notebooks' inline figures) and constrained layout both keep them whole
    _legends(legend_ax if legend_ax is not None else ax.inset_axes((1.01, 0, 0.3, 1)), core, colours)
    top = centrality(core).head(labels)
    place_labels(ax, position, {row.iri: row.label for row in top.itertuples()}, sizes)
    return ax


def _legends(ax: Axes, graph: nx.Graph, colours: dict[str, str]) -> None:
    """Three legends filling ``ax`` (an axes of their own): sector colours (smaller sectors together), node size,
    line width."""
    import matplotlib.pyplot as plt

    ax.axis("off")
    x = 0.0
    present = {graph.nodes[n].get("sector") or NO_SECTOR for n in graph}
    named = sorted((s for s in present if colours[s] in PALETTE), key=lambda s: PALETTE.index(colours[s]))
    others = sorted(s for s in present if colours[s] == OTHER_SECTORS)
    entries = [(s, colours[s]) for s in named] + ([(f"{len(others)} {OTHER_LABEL}", OTHER_SECTORS)] if others else []) \
        + ([(NO_SECTOR, NO_SECTOR_COLOUR)] if NO_SECTOR in present else [])
    sector_legend = ax.legend(handles=[plt.Line2D([], [], color=c, label=textwrap.fill(s, 34), marker="o", linestyle="",
                                                  markeredgecolor="#333333", markersize=7)
                                       for s, c in entries],
                              title="Sector", loc="upper left", bbox_to_anchor=(x, 1.0), fontsize=7,
                              title_fontsize=8, frameon=False)
    ax.add_artist(sector_legend)
    size_legend = ax.legend(handles=[plt.scatter([], [], s=node_size(k), color="#c9d3df", edgecolors="#333333",
                                                 label=str(k)) for k in SIZE_STEPS],
                            title="Partners", loc="upper left", bbox_to_anchor=(x, 0.5), fontsize=7, title_fontsize=8,
                            frameon=False, labelspacing=1.2, borderpad=0.8)
    ax.add_artist(size_legend)
    ax.legend(handles=[plt.Line2D([], [], color="#555555", alpha=0.6, linewidth=edge_width(k), label=str(k))
                       for k in WIDTH_STEPS],
              title="Shared subjects", loc="upper left", bbox_to_anchor=(x, 0.22), fontsize=7, title_fontsize=8,
              frameon=False)


def isolated(graph: nx.Graph) -> list[str]:
    """Labels of the organisations with no partner, sorted (listed beside the network, not drawn in it)."""
    return sorted(graph.nodes[n].get("label", n) for n in graph if graph.degree(n) == 0)


def plot_top(frame: pd.DataFrame, value: str, label: str = "label", n: int = 15, ax: Axes | None = None, title: str = "",
             wrap: int = 40) -> Axes:
    """A horizontal bar chart of the ``n`` largest ``value`` in ``frame``, largest on top; long names are wrapped
    (at ``wrap`` characters) so none is clipped."""
    import matplotlib.pyplot as plt

    top = frame.nlargest(n, value).iloc[::-1]
    names = [textwrap.fill(str(name), wrap) for name in top[label]]
    lines = sum(name.count("\n") + 1 for name in names)
    ax = ax or plt.subplots(figsize=(8, 0.3 * lines + 1.2), layout="constrained")[1]
    ax.barh(range(len(top)), top[value].astype(float), color="#0072B2")
    ax.set_yticks(range(len(top)), names, fontsize=8)
    ax.set_xlabel(value.replace("_", " "))
    ax.set_title(title)
    ax.margins(y=0.01)
    return ax


def save_readme_figure(graph: nx.Graph, path: str | Path) -> Path:
    """Write the README's picture of the collaboration network (PNG, no timestamp in its metadata), with the
    organisations that have no partner listed beneath it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    alone = isolated(graph)
    figure, (ax, side) = plt.subplots(1, 2, figsize=(14, 10), dpi=80, width_ratios=(4.2, 1))
    figure.set_layout_engine("constrained", rect=(0, 0.07 if alone else 0, 1, 0.93 if alone else 1))
    plot_network(graph, ax=ax, min_degree=2, legend_ax=side)
    if alone:
        names = textwrap.fill(", ".join(alone), 200)
        figure.text(0.01, 0.01, f"Not linked to others ({len(alone)}): {names}", fontsize=7, va="bottom",
                    color="#333333")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)
    return path
