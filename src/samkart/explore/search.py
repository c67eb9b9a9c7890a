"""Find entities by any of their names (the search box on every page)."""

from samkart.sparql.results import as_table
from samkart.sparql.service import SparqlService
from samkart.sparql.terms import literal_term

FIND = """SELECT ?item (SAMPLE(?label) AS ?name) (SAMPLE(?kindLabel) AS ?kind) WHERE {
  ?item skos:prefLabel|skos:altLabel ?found .
  FILTER(isIRI(?item) && CONTAINS(LCASE(STR(?found)), LCASE(?text)))
  OPTIONAL { ?item skos:prefLabel ?label FILTER(langMatches(lang(?label), "nb") || lang(?label) = "") }
  OPTIONAL { ?item dct:type/skos:prefLabel ?kindLabel FILTER(langMatches(lang(?kindLabel), "en")) }
} GROUP BY ?item ORDER BY LCASE(STR(?name)) ?item LIMIT 100"""


def find_entities(service: SparqlService, text: str) -> list[dict[str, str]]:
    """Things whose preferred or other name contains ``text`` (case ignored): IRI, name and kind, by name."""
    text = text.strip()
    if len(text) < 2:
        return []
    rows = as_table(service.run(FIND, bindings={"text": literal_term(text, "q")})).rows
    return [{"iri": item.value, "name": name.value if name is not None else item.value,
             "kind": kind.value if kind is not None else ""} for item, name, kind in rows if item is not None]
