"""The wheel: only samkart* packages, with the ontology, shapes, queries and data, and it builds outside a checkout."""

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

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


def pins() -> dict[str, Version]:
    """constraints.txt as {normalised name: version}."""
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    return {canonicalize_name(n): Version(v) for n, v in (line.split("==") for line in lines if "==" in line)}


def test_the_constraints_agree_with_what_each_pinned_package_requires():
    """A pin that a pinned package's own requirements exclude makes line 2 of the quick start unresolvable
    (grlc pins requests exactly): every requirement between pinned packages must accept the pinned version.
    Read from the installed metadata of each pinned package (CI installs exactly the pins)."""
    pinned, clashes, checked = pins(), [], 0
    for dist in distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name not in pinned or dist.version != str(pinned[name]):
            continue
        for text in dist.requires or ():
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            wanted = pinned.get(canonicalize_name(requirement.name))
            checked += 1
            if wanted is not None and not requirement.specifier.contains(wanted, prereleases=True):
                clashes.append(f"{dist.metadata['Name']} needs {requirement}, constraints.txt pins {wanted}")
    assert checked > 50 and not clashes, clashes


def test_the_constraints_pin_every_direct_dependency_of_line_2():
    """Line 2 installs the service and test extras with -c constraints.txt: each of their packages is pinned."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + [r for extra in ("service", "test") for r in project["optional-dependencies"][extra]]
    names = {canonicalize_name(Requirement(r).name) for r in wanted if not r.startswith("samkart")}
    missing = names - set(pins())
    assert not missing, f"pin these in constraints.txt (CONTRIBUTING.md, Dependencies): {sorted(missing)}"
