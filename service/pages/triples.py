"""The "All triples" view of a resource: every triple about it in a property table (``?view=triples``)."""

from collections.abc import Callable
from html import escape
from urllib.parse import quote

import pyoxigraph as ox

from samkart.formats import by_key

from .html import curie, display, iri_link, local_href, term_html
from .layout import layout

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"

# predicates listed first among a resource's facts, in this order (the rest by label)
FIRST = ["http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel",
         "http://purl.org/dc/terms/title", "http://purl.org/dc/terms/identifier", RDF_TYPE]
COLLAPSE = 12  # longer value lists are folded into a <details> element


def label_targets(triples: list, base: str) -> set[str]:
    """The IRIs whose labels a resource page shows: every IRI in the triples, and the parent paths of our own."""
    iris = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
    parents = {"/".join(i.split("/")[:cut]) for i in iris if i.startswith(base)
               for cut in range(base.count("/") + 2, i.count("/") + 1)}
    return iris | parents


def _rows(pairs: list[tuple[str, str]]) -> str:
    """Table body rows from (header cell, value cell) HTML pairs."""
    return "".join(f'<tr><th scope="row">{a}</th><td>{b}</td></tr>' for a, b in pairs)


def _table(ident: str, title: str, heads: tuple[str, str], pairs: list[tuple[str, str]], count: int, empty: str) -> str:
    """A titled section with a two-column table, or a note when there is nothing to show."""
    heading = f'<h2 id="{ident}">{title}' + (f' <span class="count">{count}</span>' if count else "") + "</h2>"
    if not pairs:
        return f'<section aria-labelledby="{ident}">{heading}<p class="muted">{empty}</p></section>'
    return (f'<section aria-labelledby="{ident}">{heading}<div class="wide"><table class="facts"><thead><tr>'
            f'<th scope="col">{heads[0]}</th><th scope="col">{heads[1]}</th></tr></thead><tbody>{_rows(pairs)}'
            "</tbody></table></div></section>")


def _predicate(iri: str, base: str, labels: dict[str, str]) -> str:
    """A predicate cell: its label (else CURIE) linked, with the CURIE beneath when a label is shown."""
    extra = f' <span class="curie">{escape(curie(iri, base))}</span>' if iri in labels else ""
    return iri_link(iri, base, labels) + extra


def _by_name(base: str, labels: dict[str, str]) -> Callable[[str], str]:
    """A sort key for IRIs: the name a page shows for each, case-folded."""
    def name(iri: str) -> str:
        return display(iri, base, labels).casefold()
    return name


def _grouped(triples: list, base: str, labels: dict[str, str], column: str) -> list[tuple[str, str]]:
    """(predicate, values) pairs: one row per predicate, its values (``column``: subject or object) sorted by name."""
    groups: dict[str, list] = {}
    for t in triples:
        groups.setdefault(t.predicate.value, []).append(getattr(t, column))
    name = _by_name(base, labels)
    order = sorted(groups, key=lambda p: (FIRST.index(p) if p in FIRST else len(FIRST), name(p)))
    pairs = []
    for predicate in order:
        values = [term_html(v, base, labels) for v in sorted(groups[predicate], key=lambda v: name(v.value))]
        items = '<ul class="values">' + "".join(f"<li>{v}</li>" for v in values) + "</ul>"
        what = "values" if column == "object" else "resources"
        cell = values[0] if len(values) == 1 else items if len(values) <= COLLAPSE else (
            f"<details><summary>{len(values)} {what}</summary>{items}</details>")
        pairs.append((_predicate(predicate, base, labels), cell))
    return pairs


def resource_page(state, iri: str, triples: list, labels: dict[str, str]) -> str:
    """The linked-data page of ``iri``: label, types, outgoing facts, sources, incoming links, other formats."""
    base = state.settings.base
    short = curie(iri, base)
    title = labels.get(iri) or short
    outgoing = [t for t in triples if t.subject.value == iri and isinstance(t.subject, ox.NamedNode)]
    incoming = [t for t in triples if t.object.value == iri and isinstance(t.object, ox.NamedNode)]
    others = [t for t in triples if t.subject.value != iri and t.object.value != iri]
    name = _by_name(base, labels)
    types = sorted({t.object.value for t in outgoing if t.predicate.value == RDF_TYPE}, key=name)
    sources = sorted({t.object.value for t in outgoing if t.predicate.value == DERIVED_FROM}, key=name)
    page = (local_href(iri, base) or "/").split("#")[0]
    formats = [(f.names[0], f.label, f.media_type) for f in map(by_key, ("turtle", "jsonld", "ntriples"))]
    alternates = "".join(f'<link rel="alternate" type="{m}" href="{escape(page)}?format={f}" title="{n}">\n'
                         for f, n, m in formats)
    format_links = " · ".join(f'<a href="{escape(page)}?format={f}" type="{m}">{n}</a>' for f, n, m in formats)
    explore = "/?query=" + quote(f"SELECT ?p ?o WHERE {{\n  <{iri}> ?p ?o\n}}\nORDER BY ?p\n", safe="")
    profile = f'<a href="{escape(page)}">Profile</a> · ' if iri.startswith(base) else ""
    type_links = " ".join(iri_link(t, base, labels, "type") for t in types)
    source_items = "".join(f"<li>{iri_link(s, base, labels, 'source')}</li>" for s in sources)
    body = [f"""<nav class="crumbs" aria-label="Breadcrumb"><a href="/">Query</a> <span aria-hidden="true">›</span>
<span>{escape(short)}</span></nav>
<header class="resource">
  {f'<p class="types">{type_links}</p>' if types else ''}
  <h1>{escape(title)}</h1>
  <p class="iri"><code>{escape(iri)}</code></p>
  <p class="formats">{profile}This description as {format_links} · <a href="{escape(explore)}">open in the query editor</a></p>
</header>""",
            _table("facts", "Facts", ("Property", "Value"), _grouped(outgoing, base, labels, "object"),
                   len(outgoing), "No outgoing facts."),
            '<section aria-labelledby="sources"><h2 id="sources">Source documents</h2>'
            + (f'<ul class="sources">{source_items}</ul>' if sources else '<p class="muted">No source document is '
               "recorded for this resource itself; its facts carry their own sources.</p>") + "</section>"
            if sources or iri.startswith(base) else "",
            _table("incoming", "Linked from", ("Property", "Resources"), _grouped(incoming, base, labels, "subject"),
                   len(incoming), "Nothing links here.")]
    by_subject: dict[str, list] = {}
    for t in others:
        by_subject.setdefault(t.subject.value, []).append(t)
    for subject in sorted(by_subject, key=name):
        anchor = subject.rsplit("#", 1)[1] if "#" in subject else curie(subject, base)
        body.append(f'<section class="term" id="{escape(anchor)}"><h2>{iri_link(subject, base, labels)} '
                    f'<span class="curie">{escape(curie(subject, base))}</span></h2><div class="wide">'
                    f'<table class="facts">{_rows(_grouped(by_subject[subject], base, labels, "object"))}</table></div>'
                    "</section>")
    return layout(f"{title} · samkart", "\n".join(body), head=alternates)
