"""The documentation stays true: generated sections current, every setting and command documented, links resolve."""

import re
from pathlib import Path

import pytest

from samkart.reports.readme import render_all
from samkart.settings import Settings

ROOT = Path(__file__).parents[1]
DOCS = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md")])


@pytest.fixture(scope="module")
def rendered(settings):
    return render_all(settings)


def test_generated_sections_are_current(rendered):
    stale = [str(path.relative_to(ROOT)) for path, (now, fresh) in rendered.items() if now != fresh]
    assert not stale, f"stale: {stale}; run `python -m samkart.reports.readme`"


def test_every_setting_is_in_the_settings_page():
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"`SAMKART_{name.upper()}`" in page, name
        assert field.description, f"{name} has no description"


def test_settings_page_shows_no_machine_paths():
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert str(ROOT) not in page and "/tmp/" not in page


def test_readme_is_short_and_links_the_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    for page in ("service", "publishing", "explore", "deployment", "settings", "performance", "reliability",
                 "architecture", "clients"):
        if (ROOT / "docs" / f"{page}.md").is_file():
            assert f"docs/{page}.md" in readme, page


def test_every_command_is_in_the_readme():
    from samkart.cli import parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = parser()._subparsers._group_actions[0].choices
    assert all(f"`samkart {name}" in readme for name in commands), sorted(commands)


def test_explore_page_shows_a_committed_plot_and_the_notebooks():
    page = (ROOT / "docs" / "explore.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", page)
    assert images, "the explore page shows a rendered plot"
    for image in images:
        assert (ROOT / "docs" / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for notebook in ("notebooks/collaboration.ipynb", "notebooks/governance.ipynb"):
        assert notebook in page and (ROOT / notebook).is_file()


@pytest.mark.parametrize("page", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    text = page.read_text(encoding="utf-8")
    broken = [target for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
              if not re.match(r"[a-z]+:", target) and not (page.parent / target).exists()]
    assert not broken
