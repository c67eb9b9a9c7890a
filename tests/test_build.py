"""Build output: deterministic bytes, and lossless round trips through every serialisation."""

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from samkart.graph.build import build, serialise
from samkart.settings import Settings


@pytest.mark.slow
def test_builds_give_identical_bytes_in_this_process_and_another(tmp_path, settings, build_file):
    """Same inputs, same bytes, in both dataset formats: builds in this process (the session's N-Quads build and
    a TriG one) against builds in another process with another hash seed."""
    import os
    import subprocess
    import sys

    here = {".trig": build(settings, tmp_path / "here.trig")[0], ".nq": build_file}
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    for suffix, ours in here.items():
        out = tmp_path / f"there{suffix}"
        done = subprocess.run([sys.executable, "-m", "samkart.cli", "build", "-o", str(out)],
                              env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == ours.read_bytes(), suffix


def test_build_writes_nothing_for_an_unknown_extension(tmp_path, settings):
    import pytest

    from samkart.errors import SamkartError

    with pytest.raises(SamkartError, match="use a .trig or .nq file name"):
        build(settings, tmp_path / "out.xml")
    assert not list(tmp_path.iterdir())


def _reparse(ds: Dataset, fmt: str) -> Dataset:
    again = Dataset()
    again.parse(data=serialise(ds, fmt).decode("utf-8"), format=fmt)
    return again


def _graphs(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


@pytest.mark.slow
def test_round_trips_trig_nquads_jsonld_are_isomorphic(dataset):
    original = _graphs(dataset)
    for fmt in ("trig", "nquads", "json-ld"):
        again = _graphs(_reparse(dataset, fmt))
        assert again.keys() == original.keys(), fmt
        for name, graph in original.items():
            assert len(again[name]) == len(graph), (fmt, name)
            assert isomorphic(again[name], graph), (fmt, name)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["turtle", "nt", "xml", "n3", "json-ld"])
def test_union_round_trip_keeps_every_triple(union, fmt):
    again = Graph().parse(data=union.serialize(format=fmt), format=fmt)
    assert len(again) == len(union) and isomorphic(again, union)


def test_round_trip_through_the_embedded_store_keeps_every_triple(build_file, dataset):
    """What the service serves is what was built: load into pyoxigraph (as the service does), dump, compare.
    (Oxigraph stores integer subtypes as xsd:integer; our data uses none, and this test would see it.)"""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(build_file), format=ox.RdfFormat.N_QUADS)
    again = Dataset()
    again.parse(data=store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    original = _graphs(dataset)
    reloaded = _graphs(again)
    assert reloaded.keys() == original.keys()
    for name, graph in original.items():
        assert len(reloaded[name]) == len(graph) and isomorphic(reloaded[name], graph), name


def test_instance_base_is_configurable(project):
    from samkart.graph.build import build_dataset
    from samkart.graph.project import Project

    other = Project(Settings(base="https://example.org/kg/"), project.ontology, project.registry,
                    project.documents, project.files)
    subjects = {str(q[0]) for q in build_dataset(other).quads((None, None, None, None))}
    assert "https://example.org/kg/org/digitaliseringsdirektoratet" in subjects
    assert not any(s.startswith("https://w3id.org/samkart/id/") for s in subjects)
