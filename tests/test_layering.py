"""The package map holds: the core imports no web framework, its packages depend in one direction, no cycles."""

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).parents[1]
CORE = ROOT / "src" / "samkart"
WEB = {"fastapi", "starlette", "uvicorn", "samkart_service", "samkart_bench", "prometheus_client", "httpx"}
LAYERS = [
    {"errors", "settings", "namespaces", "slugs", "yamlio", "formats", "assets"},  # the base every package may use
    {"graph"},     # inputs → registry, documents, facts, model → the encoded dataset
    {"sparql"},    # stores, backends, workers, results, named queries, the SPARQL service
    {"shacl"},     # findings, reference engine, compiler, fast engine, the dispatcher
    {"runtime"},   # opens the service the settings describe (build, validate on reload, backend)
    {"reports"},   # statistics, diagram, coverage, generated README sections
    {"publish"},   # dumps, DCAT-AP-NO catalogue, CPSV-AP-NO services, VoID, ontology pages
    {"explore"},   # pandas and networkx over the service
    {"cli", "__init__", "__main__"},
]
"""The core's units, lowest first: a unit may import its own layer and those below, never above."""
LAYER_OF = {unit: index for index, units in enumerate(LAYERS) for unit in units}


def modules() -> dict[str, Path]:
    """Every core module by dotted name."""
    found = {}
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(CORE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """Absolute names of everything ``name`` imports, lazy (in-function) imports included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}  # `from pkg import module`
    return found


def unit_of(name: str) -> str:
    """``samkart.sparql.store`` → ``sparql``; ``samkart`` → ``__init__``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def core_graph() -> nx.DiGraph:
    """Module → imported core module."""
    known = modules()
    graph = nx.DiGraph()
    for name, path in known.items():
        graph.add_node(name)
        for target in imports_of(name, path):
            if target in known and target != name:
                graph.add_edge(name, target)
    return graph


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_no_web_framework(path):
    name = next(n for n, p in modules().items() if p == path)
    imported = {target.split(".")[0] for target in imports_of(name, path)}
    assert not imported & WEB


def test_every_core_unit_has_a_layer():
    assert {unit_of(name) for name in modules()} <= set(LAYER_OF)


def test_packages_depend_downwards_only():
    upward = sorted(f"{a} imports {b}" for a, b in core_graph().edges
                    if LAYER_OF[unit_of(b)] > LAYER_OF[unit_of(a)])
    assert not upward


def test_no_import_cycles_between_modules():
    graph = core_graph()
    graph.remove_nodes_from([n for n in list(graph) if n.count(".") == 0 or n.endswith("__init__")])
    # a package's __init__ re-exporting its modules is not a cycle of logic; every other cycle is
    cycles = [c for c in nx.simple_cycles(graph) if not any(modules()[m].name == "__init__.py" for m in c)]
    assert not cycles


def test_at_most_twelve_modules_at_the_top():
    assert len(list(CORE.glob("*.py"))) <= 12


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_is_small_and_says_what_it_is_for(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 450, "split modules over ~400 lines"
    assert ast.get_docstring(ast.parse(text)), "a one-line purpose at the top"
