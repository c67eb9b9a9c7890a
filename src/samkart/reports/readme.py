"""Keeps the generated sections of the README and docs/ in step with the code: `python -m samkart.reports.readme`."""

import re
import sys
from pathlib import Path

from samkart.namespaces import PREFIXES
from samkart.settings import CHECKOUT, WORK_DIR, Settings

from .diagram import mermaid
from .stats import compute_stats, coverage_rows, stats_text


def section(text: str, name: str, body: str) -> str:
    """Replace what stands between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    return pattern.sub(lambda m: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text)


CONTRACT = ["collaborators", "collaborations", "subordinates", "measures", "strategies", "members", "funding",
            "network", "search"]


def contract_text(settings: Settings) -> str:
    """The named-query contract: a table and a curl example per query, from the query files."""
    from urllib.parse import urlencode

    from samkart.sparql.queries import load_queries

    queries = load_queries(settings.queries_dir)
    lines = ["| name | parameters | output variables |", "|---|---|---|"]
    examples = []
    for name in CONTRACT + sorted(set(queries) - set(CONTRACT)):
        query = queries.get(name)
        if query is None:
            continue
        params = ", ".join(f"`{p.name}`" + ("" if p.required else " (optional)") for p in query.parameters) or "none"
        lines.append(f"| `{name}` | {params} | {', '.join(f'`{v}`' for v in query.variables)} |")
        args = {p.name: query.defaults[p.name] for p in query.parameters if p.name in query.defaults}
        url = f"http://127.0.0.1:8000/api/queries/{name}" + (f"?{urlencode(args)}" if args else "")
        examples.append(f"curl -H 'Accept: text/csv' '{url}'   # {query.summary}")
    return "\n".join(lines) + "\n\nExamples (one per query):\n\n```sh\n" + "\n".join(examples) + "\n```\n"


def _default(name: str, value: object) -> str:
    """A setting's default as the docs show it: paths relative to where samkart works, never this machine's."""
    if name == "project_dir":
        return "the checkout (installed: the package's copies)"
    if isinstance(value, Path):
        for root, shown in ((WORK_DIR, ""), (WORK_DIR.parent, "../")):
            if value.is_relative_to(root):
                return f"`{shown}{value.relative_to(root).as_posix()}`"
    if value is None or value == []:
        return "unset"
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f"`{text}`"


def settings_text() -> str:
    """The settings table, from the settings object's fields and their descriptions."""
    lines = ["| setting | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `SAMKART_{name.upper()}` | {_default(name, default)} | {description} |")
    return "\n".join(lines) + "\n"


def sections(settings: Settings) -> dict[str, dict[str, str]]:
    """File (relative to the project) → generated section name → its fresh body."""
    from samkart.graph.build import build_dataset
    from samkart.graph.project import load_project
    from samkart.sparql.store import EmbeddedStore

    project = load_project(settings)
    stats = compute_stats(EmbeddedStore.from_dataset(build_dataset(project)))
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} | {"id": settings.base}
    summary = {"total": stats["total"], "documents": stats["documents"], "coverage": coverage_rows(settings)}
    stats.pop("relations")
    return {
        "README.md": {"summary": stats_text(summary, prefixes)},
        "docs/contents.md": {"stats": "Output of `samkart stats` (relations left out here):\n\n" + stats_text(stats, prefixes)},
        "docs/service.md": {"contract": contract_text(settings)},
        "docs/modelling.md": {"diagram": "```mermaid\n" + mermaid(project.ontology) + "\n```\n"},
        "docs/settings.md": {"settings": settings_text()},
    }


def render_all(settings: Settings) -> dict[Path, tuple[str, str]]:
    """Every generated file → (its text now, its text with fresh sections)."""
    root = CHECKOUT or settings.project_dir
    out = {}
    for relative, bodies in sections(settings).items():
        path = root / relative
        now = path.read_text(encoding="utf-8")
        fresh = now
        for name, body in bodies.items():
            fresh = section(fresh, name, body)
        out[path] = (now, fresh)
    return out


def main() -> int:
    """Rewrite the generated sections in place."""
    for path, (now, fresh) in render_all(Settings()).items():
        if fresh != now:
            path.write_text(fresh, encoding="utf-8")
            print(f"updated {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
