"""Frictions a new user met on the command line, each now a one-line answer that says what to do."""

import textwrap
from pathlib import Path

import pytest

from catalogue import TEST_CATALOGUE
from catalogue import samkart as run

ROOT = Path(__file__).parents[1]


def samkart(*args, env=None, cwd=None):
    return run(*args, env=env, cwd=cwd, clean=True)


def one_line_error(done) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("samkart: error: "), done.stderr
    return lines[0]


def test_publish_names_every_missing_setting_at_once(tmp_path):
    line = one_line_error(samkart("publish", str(tmp_path / "out"), cwd=tmp_path))
    for setting in TEST_CATALOGUE:
        assert setting in line
    assert "SAMKART_PUBLIC_BASE_URL=https://data.example.org/samkart/" in line  # a line to paste
    assert not (tmp_path / "out").exists()


def test_publish_names_only_what_is_missing(tmp_path):
    given = {k: v for k, v in TEST_CATALOGUE.items() if k != "SAMKART_LICENCE"}
    line = one_line_error(samkart("publish", str(tmp_path / "out"), env=given, cwd=tmp_path))
    assert "1 setting(s)" in line and "SAMKART_LICENCE" in line and "SAMKART_CONTACT_NAME" not in line


def test_profile_of_one_catalogue_file_uses_its_own_shapes(published):
    done = samkart("validate", "--profile", "dcat-ap-no", "--data", str(published / "catalog.ttl"))
    assert done.returncode == 0, done.stdout
    assert "dcat-ap-no-3 shapes" in done.stderr and "dcat-ap-no-2 shapes" not in done.stderr
    assert done.stdout.strip().endswith("0 violations, 0 warnings, 0 infos") or " 0 violations" in done.stdout


def test_profile_of_the_2x_file_uses_the_2x_shapes(published):
    done = samkart("validate", "--profile", "dcat-ap-no", "--data", str(published / "catalog-dcat-ap-no-2.ttl"))
    assert done.returncode == 0, done.stdout
    assert "dcat-ap-no-2 shapes" in done.stderr and "dcat-ap-no-3 shapes" not in done.stderr


def test_profile_of_a_publish_folder_checks_each_file_with_its_shapes(published):
    done = samkart("validate", "--profile", "dcat-ap-no", "--data", str(published))
    assert done.returncode == 0, done.stdout
    assert "catalog.ttl with the dcat-ap-no-3 shapes" in done.stderr
    assert "catalog-dcat-ap-no-2.ttl with the dcat-ap-no-2 shapes" in done.stderr


def test_profile_of_a_missing_file_does_not_suggest_publishing(tmp_path):
    line = one_line_error(samkart("validate", "--profile", "cpsv-ap-no", "--data", str(tmp_path / "nope.ttl")))
    assert "nope.ttl' does not exist" in line and "samkart publish" not in line


def test_unknown_subject_type_lists_the_valid_ones(tmp_path):
    out = tmp_path / "net.gexf"
    line = one_line_error(samkart("network", str(out), "--subject-type", "foo"))
    assert "unknown subject type(s) foo" in line and "common-solution" in line and "service" in line
    assert not out.exists()


def test_misspelt_command_gets_a_suggestion():
    done = samkart("biuld")
    assert done.returncode == 2 and "did you mean 'build'?" in done.stderr


def test_misspelt_choice_gets_a_suggestion():
    done = samkart("validate", "--engine", "fsat")
    assert done.returncode == 2 and "did you mean 'fast'?" in done.stderr


BLOCK_WEB = textwrap.dedent('''
    import importlib.abc, sys
    class Missing(importlib.abc.MetaPathFinder):
        """Packages of the service and bench extras are not installed."""
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"fastapi", "starlette", "uvicorn", "httpx", "prometheus_client", "uvloop", "httptools"}:
                raise ModuleNotFoundError(f"No module named '{name}'", name=name)
    sys.meta_path.insert(0, Missing())
''')


@pytest.mark.parametrize("command, extra", [(["serve", "--port", "9"], "service"), (["bench", "--report-only"], "bench")])
def test_a_command_whose_extra_is_missing_says_what_to_install(tmp_path, command, extra):
    (tmp_path / "sitecustomize.py").write_text(BLOCK_WEB, encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path)}
    assert samkart("--help", env=env).returncode == 0
    line = one_line_error(samkart(*command, env=env))
    assert f"pip install -e '.[{extra}]'" in line


def test_an_empty_store_dir_setting_means_no_store(monkeypatch):
    from samkart.settings import Settings

    monkeypatch.setenv("SAMKART_STORE_DIR", "")
    assert Settings().store_dir is None
