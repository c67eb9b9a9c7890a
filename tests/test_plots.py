"""The notebooks' and README's network picture is legible: distinct colours, names that overlap nothing and stay
inside, legends for colour, size and width, organisations without partners listed apart; same bytes each time."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from samkart.explore import collaboration_graph  # noqa: E402
from samkart.explore.plots import (  # noqa: E402
    NO_SECTOR_COLOUR,
    OTHER_SECTORS,
    PALETTE,
    isolated,
    place_labels,
    plot_network,
    save_readme_figure,
    sector_colours,
)


@pytest.fixture(scope="module")
def graph(core_service):
    return collaboration_graph(core_service)


def test_colours_are_few_and_distinct(graph):
    colours = sector_colours(graph)
    used = set(colours.values())
    assert used <= set(PALETTE) | {OTHER_SECTORS, NO_SECTOR_COLOUR}
    assert len([c for c in colours.values() if c in PALETTE]) == len(set(c for c in colours.values() if c in PALETTE))


def test_names_overlap_nothing_and_stay_inside(graph):
    figure, ax = plt.subplots(figsize=(13, 9))
    plot_network(graph, ax=ax, min_degree=2)
    renderer = figure.canvas.get_renderer()
    names = [t for t in ax.texts if t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in names]
    frame = ax.get_window_extent(renderer)
    assert 5 <= len(boxes) <= 12
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    legends = [c for a in figure.axes + ax.child_axes for c in a.get_children() if isinstance(c, matplotlib.legend.Legend)]
    assert {lg.get_title().get_text() for lg in legends} == {"Sector", "Partners", "Shared subjects"}
    plt.close(figure)


def test_place_labels_skips_a_name_with_no_free_spot():
    names = {"a": "A very long name indeed", "b": "Another very long name"}
    figure, ax = plt.subplots(figsize=(1, 1))
    ax.set_xlim(0, 1), ax.set_ylim(0, 1)
    assert place_labels(ax, {"a": (0.5, 0.5), "b": (0.5, 0.45)}, names, {"a": 30, "b": 30}) == []  # none fits inside
    plt.close(figure)
    figure, ax = plt.subplots(figsize=(6, 6))
    ax.set_xlim(0, 1), ax.set_ylim(0, 1)
    assert len(place_labels(ax, {"a": (0.3, 0.3), "b": (0.3, 0.7)}, names, {"a": 30, "b": 30})) == 2
    plt.close(figure)


def test_readme_figure_lists_the_isolated_and_is_deterministic(graph, tmp_path):
    alone = isolated(graph)
    assert alone and alone == sorted(alone)
    first = save_readme_figure(graph, tmp_path / "a.png").read_bytes()
    assert save_readme_figure(graph, tmp_path / "b.png").read_bytes() == first
