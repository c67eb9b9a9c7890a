"""The wheel: only samkart* packages, with the ontology, shapes, queries and data, and it builds outside a checkout."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the source tree: setuptools would otherwise reuse (and pack) files left in
    the checkout's build/ folder by an earlier wheel build."""
    source, out = tmp_path_factory.mktemp("source") / "samkart", tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns("build", ".git", "*.egg-info", "__pycache__", ".*cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(source),
                    "-w", str(out)], check=True, capture_output=True)
    return next(out.glob("samkart-*.whl"))


@pytest.mark.slow
def test_the_wheel_installs_only_packages_named_samkart(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"samkart", "samkart_service", "samkart_bench"}
    for asset in ("samkart/assets/ontology/samkart.ttl", "samkart/assets/shapes/core.shapes.ttl",
                  "samkart/assets/queries/collaborators.rq", "samkart/assets/data/sources.yaml",
                  "samkart/assets/data/registry/organisations.yaml", "samkart/py.typed", "samkart_service/static/query.js",
                  "samkart_service/static/vendor/yasgui/yasgui.min.js"):
        assert asset in names


@pytest.mark.slow
def test_an_installed_wheel_builds_and_validates_in_any_folder(wheel, tmp_path):
    site, work = tmp_path / "site", tmp_path / "work"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SAMKART_")}, "PYTHONPATH": str(site)}

    def samkart(*args):
        return subprocess.run([sys.executable, "-m", "samkart.cli", *args], cwd=work, env=env, capture_output=True, text=True)

    built = samkart("build")
    assert built.returncode == 0, built.stderr
    assert (work / "build" / "samkart.trig").stat().st_size > 100_000
    assert str(site) in samkart("validate").stderr  # the packaged shapes, not the checkout's
    where = subprocess.run([sys.executable, "-c", "import samkart.settings as s; print(s.PROJECT_ROOT)"],
                           cwd=work, env=env, capture_output=True, text=True).stdout.strip()
    assert where == str(site / "samkart" / "assets")
