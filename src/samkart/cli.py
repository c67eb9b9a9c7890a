"""The `samkart` command line: extract, build, validate, stats, query and diagram."""

import argparse
import json
import sys
from importlib.metadata import entry_points
from pathlib import Path

from samkart.graph.build import ensure_build

from . import __version__
from .errors import SamkartError
from .settings import Settings


def progress(message: str) -> None:
    """One progress line on stderr, so stdout stays clean for data."""
    print(f"samkart: {message}", file=sys.stderr, flush=True)


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.graph.extract.run import extract_all, write_extractions

    progress(f"extracting tables and fact sheets from {args.source_dir}…")
    results = extract_all(settings, Path(args.source_dir), mint_new=args.mint_new)
    for path in write_extractions(settings, results, Path(args.out) if args.out else None):
        progress(f"wrote {path}")
    return 0


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.graph.build import build

    progress("reading ontology, registry, documents and facts…")
    target, ds = build(settings, Path(args.output) if args.output else None)
    progress(f"wrote {len(ds)} quads in {len(list(ds.graphs()))} graphs to {target}")
    return 0


PROFILE_FILES = {"dcat-ap-no": [("dcat-ap-no-3", "catalog.ttl"), ("dcat-ap-no-2", "catalog-dcat-ap-no-2.ttl")],
                 "cpsv-ap-no": [("cpsv-ap-no", "services.ttl")]}


def profile_findings(args: argparse.Namespace, settings: Settings) -> list:
    """Findings of the official profile shapes on the published catalogue or services file(s)."""
    from rdflib import Graph

    from samkart.publish.profiles import validate_profile

    findings = []
    for shapes, default in PROFILE_FILES[args.profile]:
        path = Path(args.data) if args.data else settings.publish_dir / default
        if not path.is_file():
            raise SamkartError(f"'{path}' does not exist; run `samkart publish` first (or give --data)")
        progress(f"validating {path} with the {shapes} shapes…")
        findings += validate_profile(shapes, Graph().parse(path, format="turtle"), settings)
    return findings


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.shacl.findings import as_json, as_text, violations
    from samkart.shacl.validate import validate_file

    if args.profile:
        findings = profile_findings(args, settings)
    else:
        path = Path(args.data) if args.data else ensure_build(settings)
        progress(f"validating {path} with the shapes in {settings.shapes_dir}…")
        findings = validate_file(path, settings.shapes_dir, args.engine, settings.validate_threads)
    if args.format == "json":
        print(json.dumps(as_json(findings), ensure_ascii=False, indent=2))
    else:
        print(as_text(findings))
    return 1 if violations(findings) else 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.publish.run import publish

    out = Path(args.out_dir) if args.out_dir else settings.publish_dir
    progress(f"publishing to {out}…")
    for path in publish(settings, out, Path(args.data) if args.data else None):
        progress(f"wrote {path}")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.reports.stats import compute_stats, stats_text
    from samkart.sparql.store import EmbeddedStore

    from .namespaces import PREFIXES

    store = EmbeddedStore.from_file(ensure_build(settings))
    stats = compute_stats(store)
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} | {"id": settings.base}
    print(json.dumps(stats, ensure_ascii=False, indent=2) if args.format == "json" else stats_text(stats, prefixes))
    return 0


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.sparql.store import EmbeddedStore, format_results

    text = args.query
    if not text.lstrip().upper().startswith(("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE", "#")):
        path = Path(text)
        if not path.is_file():
            raise SamkartError(f"'{text}' is neither a SPARQL query nor an existing query file")
        text = path.read_text(encoding="utf-8")
    store = EmbeddedStore.from_file(Path(args.data) if args.data else ensure_build(settings))
    print(format_results(store.query(text), args.format))
    return 0


def cmd_diagram(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.graph.project import load_ontology
    from samkart.reports.diagram import mermaid

    print(mermaid(load_ontology(settings.ontology_dir)))
    return 0


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.sparql.graphstore import load_dataset

    path = Path(args.data) if args.data else ensure_build(settings)
    for graph, count in load_dataset(path, args.store):
        progress(f"loaded {count} triples into <{graph}>")
    return 0


NETWORK_KINDS = ("collaboration", "bipartite", "governance", "strategy")


def cmd_network(args: argparse.Namespace, settings: Settings) -> int:
    from . import explore

    fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
    if fmt not in explore.NETWORK_FORMATS:
        raise SamkartError(f"cannot tell the format of '{args.out}': give --format {'|'.join(explore.NETWORK_FORMATS)} "
                           "or a file ending in .gexf, .graphml or .json")
    kg = explore.connect(endpoint=args.endpoint, data=[args.data] if args.data else None, settings=settings)
    if args.kind == "collaboration":
        graph = explore.collaboration_graph(kg, set(args.subject_type) if args.subject_type else None)
    else:
        graph = getattr(explore, f"{args.kind}_graph")(kg)
    explore.export_graph(graph, Path(args.out), fmt)
    progress(f"wrote the {args.kind} graph ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges) "
             f"as {fmt} to {args.out}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per job."""
    top = argparse.ArgumentParser(prog="samkart", description=__doc__)
    top.add_argument("--version", action="version", version=f"samkart {__version__}")
    top.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="read action-plan tables and fact sheets into data/extracted/")
    p.add_argument("source_dir", help="folder with the source .txt files (listed in data/sources.yaml)")
    p.add_argument("--out", help="write here instead of data/extracted/")
    p.add_argument("--mint-new", action="store_true", help="register unknown names in data/registry/minted.yaml instead of failing")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("build", help="build the dataset (TriG or N-Quads, by extension)")
    p.add_argument("-o", "--output", help="output file (default: build/samkart.trig, or SAMKART_BUILD_FILE)")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("validate", help="SHACL-validate the built graph; exit 1 on violations")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--data", help="validate this file instead of the build (or of the published file with --profile)")
    p.add_argument("--engine", choices=["fast", "pyshacl"], default="fast",
                   help="fast: our shapes compiled to SPARQL on pyoxigraph (default); pyshacl: the reference engine")
    p.add_argument("--profile", choices=sorted(PROFILE_FILES),
                   help="validate the published catalogue (dcat-ap-no: the 3.0 draft and 2.x shapes) or services (cpsv-ap-no)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("publish", help="write dumps, DCAT-AP-NO catalogue, CPSV-AP-NO services, VoID and ontology docs")
    p.add_argument("out_dir", nargs="?", help="output folder (default: SAMKART_PUBLISH_DIR, build/publish)")
    p.add_argument("--data", help="publish this dataset file (.trig or .nq, one named graph per source) instead of the build")
    p.set_defaults(func=cmd_publish)
    p = sub.add_parser("stats", help="counts per class, document and relation")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("query", help="run a SPARQL query (string or file) on the embedded store")
    p.add_argument("query", help="SPARQL text or a path to a .rq file")
    p.add_argument("--format", choices=["table", "csv", "tsv", "json", "xml"], default="table")
    p.add_argument("--data", help="query this dataset file instead of the build")
    p.set_defaults(func=cmd_query)
    p = sub.add_parser("diagram", help="print a Mermaid diagram of the model, made from the ontology")
    p.set_defaults(func=cmd_diagram)
    p = sub.add_parser("load", help="load the build into a SPARQL store, one named graph per document (Graph Store Protocol)")
    p.add_argument("--store", required=True, help="the store's Graph Store Protocol URL, e.g. http://localhost:7878/store")
    p.add_argument("--data", help="load this dataset file instead of the build")
    p.set_defaults(func=cmd_load)
    p = sub.add_parser("network", help="export a network (collaboration, bipartite, governance, strategy) for Gephi, Cytoscape or D3")
    p.add_argument("out", help="output file; .gexf, .graphml or .json (node-link) unless --format says")
    p.add_argument("--kind", choices=NETWORK_KINDS, default="collaboration")
    p.add_argument("--format", choices=["gexf", "graphml", "json"])
    p.add_argument("--subject-type", action="append", metavar="CODE",
                   help="collaboration only: keep subjects of this entity type (repeatable), e.g. common-solution")
    p.add_argument("--data", help="read this dataset file instead of the build")
    p.add_argument("--endpoint", help="read from this SPARQL endpoint instead of the build")
    p.set_defaults(func=cmd_network)
    for entry in entry_points(group="samkart.commands"):
        entry.load()(sub)  # commands from installed extras, e.g. `serve` from the service package
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point: errors are one clear line on stderr and a non-zero exit code."""
    args = parser().parse_args(argv)
    try:
        return args.func(args, Settings())
    except SamkartError as exc:
        print(f"samkart: error: {exc.message}", file=sys.stderr)
        return 2
    except Exception as exc:  # an unexpected failure still gets one line, not a traceback
        if args.debug:
            raise
        print(f"samkart: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
