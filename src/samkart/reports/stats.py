"""`samkart stats`: counts per class, per source document and per relation, from the embedded store; coverage figures."""

from samkart.settings import Settings
from samkart.sparql.store import EmbeddedStore

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?count) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?count) ?class"""

DOCUMENT_COUNTS = """
SELECT ?document ?title (COUNT(*) AS ?triples) WHERE {
  ?graph prov:wasDerivedFrom ?document . ?document a foaf:Document ; dct:title ?title .
  GRAPH ?graph { ?s ?p ?o }
} GROUP BY ?document ?title ORDER BY ?document"""

RELATION_COUNTS = """
SELECT ?predicate (COUNT(*) AS ?count) WHERE { ?s ?predicate ?o }
GROUP BY ?predicate ORDER BY DESC(?count) ?predicate"""

ROLE_COUNTS = """
SELECT ?role (COUNT(DISTINCT ?p) AS ?count) WHERE {
  ?p a cv:Participation ; cv:role ?r . ?r skos:prefLabel ?role FILTER(langMatches(lang(?role), "en")) }
GROUP BY ?role ORDER BY DESC(?count) ?role"""


def compute_stats(store: EmbeddedStore) -> dict[str, list[dict[str, str]]]:
    """Every count table, keyed by name."""
    return {
        "total": [{"quads": str(len(store))}],
        "classes": store.select(CLASS_COUNTS),
        "documents": store.select(DOCUMENT_COUNTS),
        "participation roles": store.select(ROLE_COUNTS),
        "relations": store.select(RELATION_COUNTS),
    }


def coverage_rows(settings: Settings) -> list[dict[str, str]]:
    """Coverage figures per source document (see `samkart coverage`); none when the sources folder is missing."""
    from samkart.errors import SamkartError

    from .coverage import project_coverage, summary_rows

    try:
        return summary_rows(project_coverage(settings))
    except SamkartError as exc:
        if "SAMKART_SOURCES_DIR" not in exc.message:
            raise
        return []


def stats_text(stats: dict[str, list[dict[str, str]]], prefixes: dict[str, str]) -> str:
    """The count tables as Markdown, with IRIs shortened to prefixed names."""
    def short(value: str) -> str:
        for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            if value.startswith(ns):
                return f"{prefix}:{value[len(ns):]}"
        return value

    parts = []
    for name, rows in stats.items():
        if not rows:
            continue
        columns = list(rows[0])
        parts.append(f"### {name}\n\n| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
        parts.extend("| " + " | ".join(short(row.get(c, "")) for c in columns) + " |" for row in rows)
        parts.append("")
    return "\n".join(parts)
