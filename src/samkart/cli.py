"""The `samkart` command line: extract, build, validate, stats, coverage, query and diagram."""

import argparse
import difflib
import json
import os
import re
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import NoReturn, TypeAlias

from samkart.graph.build import ensure_build

from . import __version__
from .errors import QueryError, SamkartError
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
                 "cpsv-ap-no": [("cpsv-ap-no", "services.ttl")],
                 "dcat-ap": [("dcat-ap-3", "catalog.ttl")], "cpsv-ap": [("cpsv-ap-3", "services.ttl")]}
"""Each profile's shapes and the published file they apply to (the two DCAT-AP-NO versions contradict each other)."""


def profile_targets(profile: str, data: str | None, settings: Settings) -> list[tuple[str, Path]]:
    """(shapes, file) pairs to validate: the publish folder's files, those of a folder given with --data, or
    one file given with --data checked with the shapes of the published file it is (by name; the 3.0 shapes
    for any other catalogue file)."""
    pairs = PROFILE_FILES[profile]
    given = Path(data) if data else settings.publish_dir
    if given.is_dir():
        targets = [(shapes, given / name) for shapes, name in pairs]
    else:
        shapes = next((s for s, name in pairs if name == given.name), pairs[0][0])
        targets = [(shapes, given)]
    for _shapes, path in targets:
        if not path.is_file():
            hint = "" if data else "; run `samkart publish` first (or give --data)"
            raise SamkartError(f"'{path}' does not exist{hint}")
    return targets


def profile_findings(args: argparse.Namespace, settings: Settings) -> list:
    """Findings of the official profile shapes on the published catalogue or services file(s)."""
    from rdflib import Graph

    from samkart.publish.profiles import validate_profile

    findings = []
    for shapes, path in profile_targets(args.profile, args.data, settings):
        progress(f"validating {path} with the {shapes} shapes…")
        try:
            graph = Graph().parse(path, format="turtle")
        except Exception as exc:  # rdflib's parsers raise many types; any of them means the file is not Turtle
            raise SamkartError(f"cannot read '{path}' as Turtle: {type(exc).__name__}: {exc}") from None
        findings += validate_profile(shapes, graph, settings)
    return findings


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.shacl.findings import as_json, as_text, violations
    from samkart.shacl.validate import validate_file

    if args.profile:
        findings = profile_findings(args, settings)
    else:
        path = Path(args.data) if args.data else ensure_build(settings)
        progress(f"validating {path} with the shapes in {settings.shapes_dir}…")
        findings = validate_file(path, settings.shapes_dir, args.engine, settings.validate_threads,
                                 settings.validate_lenient_from_bytes, LEFT_TO_THE_OS)
    if args.format == "json":
        print(json.dumps(as_json(findings), ensure_ascii=False, indent=2))
    else:
        print(as_text(findings))
    return 1 if violations(findings) else 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.publish.catalog import catalog_meta
    from samkart.publish.run import publish

    catalog_meta(settings)  # every missing setting named before any work starts
    out = Path(args.out_dir) if args.out_dir else settings.publish_dir
    progress(f"publishing to {out}…")
    for path in publish(settings, out, Path(args.data) if args.data else None):
        progress(f"wrote {path}")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.reports.stats import compute_stats, coverage_rows, stats_text
    from samkart.sparql.store import EmbeddedStore

    from .namespaces import PREFIXES

    store = EmbeddedStore.from_file(ensure_build(settings))
    stats = compute_stats(store)
    stats["coverage"] = coverage_rows(settings)
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} | {"id": settings.base}
    print(json.dumps(stats, ensure_ascii=False, indent=2) if args.format == "json" else stats_text(stats, prefixes))
    return 0


def cmd_coverage(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.reports.coverage import as_json, as_text, project_coverage

    report = project_coverage(settings, args.document)
    print(json.dumps(as_json(report), ensure_ascii=False, indent=2) if args.format == "json" else as_text(report))
    return 0


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from samkart.sparql.store import EmbeddedStore, format_results

    text, where = args.query, ""
    if not text.lstrip().upper().startswith(("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE", "#")):
        path = Path(text)
        if not path.is_file():
            raise SamkartError(f"'{text}' is neither a SPARQL query nor an existing query file")
        text, where = path.read_text(encoding="utf-8"), f"{path.name}: "
    store = EmbeddedStore.from_file(Path(args.data) if args.data else ensure_build(settings))
    try:
        result = store.query(text)  # a syntax error says line, column and a caret (samkart.sparql.syntax)
    except QueryError as exc:
        raise QueryError(where + exc.message) from None
    print(format_results(result, args.format))
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


def subject_type_codes() -> set[str]:
    """Entity-type codes a collaboration subject can have (every type but the plain organisation types)."""
    from samkart.graph.model import ENTITY_TYPES, ORGANISATION_TYPES

    return set(ENTITY_TYPES) - ORGANISATION_TYPES | {"coordination-body"}


def cmd_network(args: argparse.Namespace, settings: Settings) -> int:
    from . import explore

    fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
    if fmt not in explore.NETWORK_FORMATS:
        raise SamkartError(f"cannot tell the format of '{args.out}': give --format {'|'.join(explore.NETWORK_FORMATS)} "
                           "or a file ending in .gexf, .graphml or .json")
    unknown = sorted(set(args.subject_type or ()) - subject_type_codes())
    if unknown:
        raise SamkartError(f"unknown subject type(s) {', '.join(unknown)}; use one of {', '.join(sorted(subject_type_codes()))}")
    if args.subject_type and args.kind != "collaboration":
        raise SamkartError("--subject-type applies to --kind collaboration only")
    kg = explore.connect(endpoint=args.endpoint, data=[args.data] if args.data else None, settings=settings)
    if args.kind == "collaboration":
        graph = explore.collaboration_graph(kg, set(args.subject_type) if args.subject_type else None)
    else:
        graph = getattr(explore, f"{args.kind}_graph")(kg)
    explore.export_graph(graph, Path(args.out), fmt)
    progress(f"wrote the {args.kind} graph ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges) "
             f"as {fmt} to {args.out}")
    return 0


class Parser(argparse.ArgumentParser):
    """argparse with a "did you mean" for a misspelt command or choice."""

    def error(self, message: str) -> NoReturn:
        match = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if match:
            choices = re.findall(r"'([^']*)'", match[2])
            close = difflib.get_close_matches(match[1], choices, n=1, cutoff=0.5)
            if close:
                message += f"; did you mean '{close[0]}'?"
        super().error(message)


EXTRAS = {"serve": "service", "bench": "bench"}
"""Commands that installed extras add, and the extra each needs."""


Commands: TypeAlias = "argparse._SubParsersAction[Parser]"
"""The top parser's sub-command table (what ``add_subparsers`` returns). argparse gives it no public name
and the class cannot be subscripted at run time, hence the string."""


def add_extra_commands(sub: Commands) -> None:
    """Commands from installed extras (entry points), e.g. `serve` from the web layer. One whose extra's
    packages are missing still appears and says in one line what to install."""
    for entry in entry_points(group="samkart.commands"):
        try:
            entry.load()(sub)
        except ImportError as exc:
            extra = EXTRAS.get(entry.name, entry.name)
            p = sub.add_parser(entry.name, help=f"needs the '{extra}' extra: pip install -e '.[{extra}]'")
            p.set_defaults(func=missing_extra(entry.name, extra, exc.name), takes_any_arguments=True)


def missing_extra(command: str, extra: str, module: str | None) -> Callable[[argparse.Namespace, Settings], int]:
    """A command function that says which extra to install."""
    def run(args: argparse.Namespace, settings: Settings) -> int:
        raise SamkartError(f"`samkart {command}` needs the '{extra}' extra ({module or 'a package'} is missing): "
                           f"pip install -e '.[{extra}]'")
    return run


def parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per job."""
    top = Parser(prog="samkart", description=__doc__)
    top.add_argument("--version", action="version", version=f"samkart {__version__}")
    top.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="read action-plan tables and fact sheets into data/extracted/")
    p.add_argument("source_dir", help="folder with the source .txt files (listed in data/sources.yaml)")
    p.add_argument("--out", help="write here instead of data/extracted/")
    p.add_argument("--mint-new", action="store_true",
                   help="register unknown names in data/registry/minted.yaml instead of failing")
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
                   help="validate the published catalogue (dcat-ap-no: the 3.0 draft and 2.x shapes; dcat-ap: DCAT-AP "
                        "3.0.1 core and range) or services (cpsv-ap-no; cpsv-ap: CPSV-AP 3.2.0)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("publish", help="write dumps, DCAT-AP-NO catalogue, CPSV-AP-NO services, VoID and ontology docs")
    p.add_argument("out_dir", nargs="?", help="output folder (default: SAMKART_PUBLISH_DIR, build/publish)")
    p.add_argument("--data", help="publish this dataset file (.trig or .nq, one named graph per source) instead of the build")
    p.set_defaults(func=cmd_publish)
    p = sub.add_parser("stats", help="counts per class, document and relation")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("coverage", help="per source document: lines naming a known entity, covered by a fact, excepted or not")
    p.add_argument("--document", metavar="FILE", help="only this source file (e.g. 001_2b31bf2791802203.txt) or document id")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_coverage)
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
    p = sub.add_parser("network",
                       help="export a network (collaboration, bipartite, governance, strategy) for Gephi, Cytoscape or D3")
    p.add_argument("out", help="output file; .gexf, .graphml or .json (node-link) unless --format says")
    p.add_argument("--kind", choices=NETWORK_KINDS, default="collaboration")
    p.add_argument("--format", choices=["gexf", "graphml", "json"])
    p.add_argument("--subject-type", action="append", metavar="CODE",
                   help="collaboration only: keep subjects of this entity type (repeatable), e.g. common-solution")
    p.add_argument("--data", help="read this dataset file instead of the build")
    p.add_argument("--endpoint", help="read from this SPARQL endpoint instead of the build")
    p.set_defaults(func=cmd_network)
    add_extra_commands(sub)
    return top


LEFT_TO_THE_OS: list[object] | None = None
"""Where a command puts the large in-memory stores it loaded when :func:`run` (the `samkart` program) will
exit right after it: the operating system takes their memory back at once, where freeing 10M triples one
by one takes 5 s. None when :func:`main` is called from Python, which frees them as usual."""


def run() -> NoReturn:
    """The `samkart` program: :func:`main`, then exit; if a command left a store to the OS, end the process
    without freeing it (output flushed first; samkart registers no exit handlers)."""
    global LEFT_TO_THE_OS
    LEFT_TO_THE_OS = []
    code = main()
    if LEFT_TO_THE_OS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    """Entry point: errors are one clear line on stderr and a non-zero exit code."""
    top = parser()
    args, unknown = top.parse_known_args(argv)
    if unknown and not getattr(args, "takes_any_arguments", False):
        top.error(f"unrecognized arguments: {' '.join(unknown)}")
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
    run()
