"""Shared fixtures: the real project loaded, built once per session, in the embedded store."""

from pathlib import Path

import pytest

from samkart.build import build_dataset
from samkart.project import load_project
from samkart.settings import Settings
from samkart.store import EmbeddedStore
from samkart.validate import load_shapes, run_shacl, union_graph

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def project(settings):
    return load_project(settings)


@pytest.fixture(scope="session")
def dataset(project):
    return build_dataset(project)


@pytest.fixture(scope="session")
def union(dataset):
    return union_graph(dataset)


@pytest.fixture(scope="session")
def store(dataset) -> EmbeddedStore:
    return EmbeddedStore.from_dataset(dataset)


@pytest.fixture(scope="session")
def shapes(settings):
    return load_shapes(settings.shapes_dir)


@pytest.fixture(scope="session")
def findings(union, shapes):
    return run_shacl(union, shapes)
