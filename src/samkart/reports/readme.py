"""Keeps the README's generated sections (counts, model diagram) in step: `python -m samkart.reports.readme`."""

import re
import sys
from pathlib import Path

from samkart.namespaces import PREFIXES
from samkart.settings import Settings

from .diagram import mermaid
from .stats import compute_stats, stats_text


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


def render(readme: str, settings: Settings) -> str:
    """The README with fresh counts (from a fresh build) and a fresh diagram (from the ontology)."""
    from samkart.graph.build import build_dataset
    from samkart.graph.project import load_project
    from samkart.sparql.store import EmbeddedStore

    project = load_project(settings)
    store = EmbeddedStore.from_dataset(build_dataset(project))
    stats = compute_stats(store)
    stats.pop("relations")
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} | {"id": settings.base}
    readme = section(readme, "stats", "Output of `samkart stats` (relations left out here):\n\n" + stats_text(stats, prefixes))
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
