"""`samkart publish [OUT_DIR] [--data FILE]`: every published artefact, written deterministically and atomically."""

from pathlib import Path

from rdflib import Dataset, Graph

from samkart.graph.build import build_dataset, with_prefixes, write_atomic
from samkart.graph.project import load_ontology, load_project
from samkart.settings import Settings
from samkart.shacl.inputs import read_dataset, union_graph

from .catalog import CatalogMeta, catalog_graph, catalog_meta, documents_temporal, with_dates
from .docs import ontology_html
from .dumps import large_turtle, write_dumps
from .services import services_graph
from .void import void_graph

DUMPS_PATH = "dumps/"
"""Where the service serves the dump files, under the public base URL."""


def turtle(graph: Graph) -> bytes:
    """Turtle bytes of a graph (rdflib's serializer orders subjects and predicates)."""
    return graph.serialize(format="turtle").encode("utf-8")


def publish(settings: Settings, out_dir: Path, data: Path | None = None) -> list[Path]:
    """Dumps, catalogue (DCAT-AP-NO 3 and a 2.x variant), services (CPSV-AP-NO), VoID and ontology docs
    of the build, or of the dataset file ``data`` (TriG or N-Quads, one named graph per source)."""
    meta = catalog_meta(settings)  # fails first, naming any missing catalogue setting
    if data is None:
        project = load_project(settings)
        return publish_dataset(settings, meta, build_dataset(project), project.ontology, out_dir)
    ds = with_prefixes(read_dataset(data), settings.base)
    return publish_dataset(settings, meta, ds, load_ontology(settings.ontology_dir), out_dir)


def publish_dataset(settings: Settings, meta: CatalogMeta, ds: Dataset, ontology: Graph, out_dir: Path) -> list[Path]:
    """Every published artefact of ``ds``, written atomically to ``out_dir``."""
    union = union_graph(ds)
    meta = with_dates(meta, union)  # issued / modified: the settings, else the newest source document
    public = meta.public_base_url
    dump_url, endpoint = public + DUMPS_PATH, public + "sparql"
    dumps = write_dumps(ds, out_dir)
    temporal = documents_temporal(union)
    outputs = {
        "catalog.ttl": turtle(catalog_graph(meta, dumps, dump_url, endpoint, endpoint, temporal)),
        "catalog-dcat-ap-no-2.ttl": turtle(catalog_graph(meta, dumps, dump_url, endpoint, endpoint, temporal,
                                                         profile="dcat-ap-no-2")),
        "services.ttl": large_turtle(services_graph(union, settings.base, meta)),
        "void.ttl": turtle(void_graph(ds, settings.base, endpoint, dumps, dump_url)),
        "ontology/index.html": ontology_html(ontology).encode("utf-8"),
        "ontology/samkart.ttl": turtle(ontology),
    }
    for name, data in outputs.items():
        write_atomic(out_dir / name, data)
    return [d.path for d in dumps] + [out_dir / name for name in outputs]
