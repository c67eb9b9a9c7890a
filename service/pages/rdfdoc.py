"""A published RDF file (catalogue, services, VoID) as a page people can read, with links to each format.

Each described resource gets a card: its name, its types and its properties in words; resources that only
one other resource refers to (a checksum, a contact point, a period) are shown inside that one.
"""

from collections import defaultdict
from html import escape

import pyoxigraph as ox

from samkart.formats import by_key
from samkart.namespaces import PREFIXES

from .html import humanise, link, literal_html
from .layout import layout

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EXTRA_PREFIXES = {"vcard": "http://www.w3.org/2006/vcard/ns#", "spdx": "http://spdx.org/rdf/terms#",
                  "void": "http://rdfs.org/ns/void#", "adms": "http://www.w3.org/ns/adms#",
                  "sd": "http://www.w3.org/ns/sparql-service-description#", "dcatap": "http://data.europa.eu/r5r/",
                  "schema": "https://schema.org/", "locn": "http://www.w3.org/ns/locn#"}
NAME_PREDICATES = [str(PREFIXES["dct"]) + "title", str(PREFIXES["foaf"]) + "name", str(PREFIXES["skos"]) + "prefLabel",
                   str(PREFIXES["rdfs"]) + "label", EXTRA_PREFIXES["vcard"] + "fn"]
FORMATS = ("turtle", "jsonld", "ntriples", "rdfxml")
"""The formats a published file's page links to (from the one format table)."""


def short(iri: str) -> str:
    """A CURIE from the project prefixes and a few publishing vocabularies, else the IRI."""
    spaces = {**{p: str(ns) for p, ns in PREFIXES.items()}, **EXTRA_PREFIXES}
    best = max(((p, ns) for p, ns in spaces.items() if iri.startswith(ns) and len(iri) > len(ns)),
               key=lambda c: len(c[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


def _key(term) -> str:
    return ("_:" if isinstance(term, ox.BlankNode) else "") + term.value


def _name(triples: list, language: str = "en") -> str | None:
    """A resource's name from its title-like properties (``language`` first)."""
    for predicate in NAME_PREDICATES:
        values = [t.object for t in triples if t.predicate.value == predicate and isinstance(t.object, ox.Literal)]
        values.sort(key=lambda v: (v.language != language, v.language or "", v.value))
        if values:
            return values[0].value
    return None


class Document:
    """The triples of one RDF file, indexed for rendering."""

    def __init__(self, triples: list, base: str):
        self.base = base
        self.by_subject: dict[str, list] = defaultdict(list)
        self.refs: dict[str, int] = defaultdict(int)
        for t in triples:
            self.by_subject[_key(t.subject)].append(t)
            if not isinstance(t.object, ox.Literal) and t.predicate.value != RDF_TYPE:
                self.refs[_key(t.object)] += 1
        self.anchors = {key: f"r{index}" for index, key in enumerate(self.order())}

    def order(self) -> list[str]:
        """Subjects: those nothing refers to first, then the rest, each by type then name."""
        def sort_key(key):
            types = sorted(short(t.object.value) for t in self.by_subject[key] if t.predicate.value == RDF_TYPE)
            return (self.refs.get(key, 0) > 0, types, (_name(self.by_subject[key]) or key).casefold())
        return sorted(self.by_subject, key=sort_key)

    def inline(self, key: str) -> bool:
        """Shown inside its one referrer rather than as a card of its own."""
        return self.refs.get(key, 0) == 1 and not _name(self.by_subject[key])

    def value(self, term, depth: int = 0) -> str:
        if isinstance(term, ox.Literal):
            return literal_html(term, self.base)
        key = _key(term)
        if key in self.by_subject and self.inline(key) and depth < 3:
            return self.table(key, depth + 1)
        if key in self.anchors:
            name = _name(self.by_subject[key]) or short(term.value)
            return f'<a href="#{self.anchors[key]}">{escape(name)}</a>'
        if isinstance(term, ox.BlankNode):
            return '<span class="bnode">(unnamed)</span>'
        return link(term.value, short(term.value), self.base)

    def table(self, key: str, depth: int = 0) -> str:
        rows = defaultdict(list)
        for t in self.by_subject[key]:
            if t.predicate.value != RDF_TYPE:
                rows[t.predicate.value].append(t.object)
        body = []
        for predicate in sorted(rows, key=lambda p: humanise(p)):
            values = sorted(rows[predicate], key=lambda v: (getattr(v, "language", None) != "en", v.value))
            cells = "".join(f"<li>{self.value(v, depth)}</li>" for v in values)
            body.append(f'<tr><th scope="row">{escape(humanise(predicate))} <span class="curie">{escape(short(predicate))}'
                        f'</span></th><td><ul class="values">{cells}</ul></td></tr>')
        types = ", ".join(escape(short(t.object.value)) for t in self.by_subject[key] if t.predicate.value == RDF_TYPE)
        caption = f'<caption class="sr-only">{types or "properties"}</caption>' if depth else ""
        kind = f'<p class="types inline">{types}</p>' if depth and types else ""
        return f'{kind}<table class="facts">{caption}<tbody>{"".join(body)}</tbody></table>'

    def cards(self) -> str:
        out = []
        for key in self.order():
            if self.inline(key):
                continue
            triples = self.by_subject[key]
            types = " ".join(f'<span class="type">{escape(short(t.object.value))}</span>' for t in triples
                             if t.predicate.value == RDF_TYPE)
            name = _name(triples) or (short(key) if not key.startswith("_:") else "(unnamed)")
            iri = "" if key.startswith("_:") else f'<p class="iri"><code>{escape(key)}</code></p>'
            out.append(f'<section class="card" id="{self.anchors[key]}" aria-labelledby="h-{self.anchors[key]}">'
                       f'<p class="types">{types}</p><h2 id="h-{self.anchors[key]}">{escape(name)}</h2>{iri}'
                       f'<div class="wide">{self.table(key)}</div></section>')
        return "\n".join(out)


def rdf_document_page(title: str, intro: str, path: str, triples: list, base: str, current: str = "") -> str:
    """The readable page of a published RDF file served at ``path``, with a link to each RDF format."""
    document = Document(triples, base)
    formats = " · ".join(f'<a href="{escape(path)}?format={f.names[0]}" data-format="{f.names[0]}">{escape(f.label)}</a>'
                         for f in map(by_key, FORMATS))
    head = "".join(f'<link rel="alternate" type="{f.media_type}" href="{escape(path)}?format={f.names[0]}">\n'
                   for f in map(by_key, ("turtle", "jsonld")))
    body = f"""<header class="resource">
<h1>{escape(title)}</h1>
<p>{intro}</p>
<p class="formats">This description as {formats} · {len(triples)} triples about {len(document.by_subject)} resources</p>
</header>
{document.cards()}"""
    return layout(f"{title} · samkart", body, head=head, current=current)
