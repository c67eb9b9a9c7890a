"""Keeps the README's generated sections (counts, coverage, model diagram) in step: `python -m samkart.readme`."""

import re
import sys
from pathlib import Path

from .diagram import mermaid
from .namespaces import PREFIXES
from .settings import Settings
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

    from .queries import load_queries

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


def coverage_text(settings: Settings, prefixes: dict[str, str]) -> str:
    """The coverage figures per source document, as `samkart stats` shows them."""
    rows = coverage_rows(settings)
    intro = ("Lines of each source document that name a known entity (registry names, alternative names and "
             "spellings), and how many of them a fact cites (`covered`) or `data/coverage-exceptions.yaml` "
             "lists with a reason (`excepted`); from `samkart coverage`, which also lists the uncovered lines:\n\n")
    return intro + stats_text({"coverage": rows}, prefixes) if rows else "(no source documents found)\n"


def render(readme: str, settings: Settings) -> str:
    """The README with fresh counts (from a fresh build) and a fresh diagram (from the ontology)."""
    from .build import build_dataset
    from .project import load_project
    from .store import EmbeddedStore

    project = load_project(settings)
    store = EmbeddedStore.from_dataset(build_dataset(project))
    stats = compute_stats(store)
    stats.pop("relations")
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} | {"id": settings.base}
    readme = section(readme, "stats", "Output of `samkart stats` (relations left out here):\n\n" + stats_text(stats, prefixes))
    readme = section(readme, "coverage", coverage_text(settings, prefixes))
    readme = section(readme, "contract", contract_text(settings))
    return section(readme, "diagram", "```mermaid\n" + mermaid(project.ontology) + "\n```\n")


def main() -> int:
    """Rewrite README.md in place."""
    settings = Settings()
    path: Path = settings.project_dir / "README.md"
    path.write_text(render(path.read_text(encoding="utf-8"), settings), encoding="utf-8")
    print(f"updated {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
