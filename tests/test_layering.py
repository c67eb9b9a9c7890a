"""The core library imports no web framework: service/ sits on samkart, never the reverse."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).parents[1] / "src" / "samkart"
WEB = {"fastapi", "starlette", "uvicorn", "service", "prometheus_client"}


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_no_web_framework(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    assert not imported & WEB


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_is_small_and_says_what_it_is_for(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 450, "split modules over ~400 lines"
    assert ast.get_docstring(ast.parse(text)), "a one-line purpose at the top"
