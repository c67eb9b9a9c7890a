"""The documentation stays true: settings documented, generated README sections current."""

from samkart.reports.readme import render
from samkart.settings import Settings


def test_every_setting_is_documented_in_the_readme(settings):
    readme = (settings.project_dir / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`SAMKART_{name.upper()}`" in readme, name


def test_readme_counts_and_diagram_are_current(settings):
    readme = (settings.project_dir / "README.md").read_text(encoding="utf-8")
    assert render(readme, settings) == readme, "README is stale: run `python -m samkart.reports.readme`"


def test_readme_explore_section_shows_a_committed_plot(settings):
    import re

    readme = (settings.project_dir / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Explore", 1)[1].split("\n## ", 1)[0]
    images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", section)
    assert images, "the Explore section shows a rendered plot"
    for image in images:
        assert (settings.project_dir / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for notebook in ("notebooks/collaboration.ipynb", "notebooks/governance.ipynb"):
        assert notebook in section and (settings.project_dir / notebook).is_file()


def test_every_command_is_in_the_readme(settings):
    from samkart.cli import parser

    readme = (settings.project_dir / "README.md").read_text(encoding="utf-8")
    commands = parser()._subparsers._group_actions[0].choices
    assert all(f"`samkart {name}" in readme for name in commands), sorted(commands)
