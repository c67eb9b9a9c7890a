"""The documentation stays true: settings documented, generated README sections current."""

from samkart.readme import render
from samkart.settings import Settings


def test_every_setting_is_documented_in_the_readme(settings):
    readme = (settings.project_dir / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`SAMKART_{name.upper()}`" in readme, name


def test_readme_counts_and_diagram_are_current(settings):
    readme = (settings.project_dir / "README.md").read_text(encoding="utf-8")
    assert render(readme, settings) == readme, "README is stale: run `python -m samkart.readme`"
