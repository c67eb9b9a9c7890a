"""An entity's page as a profile: its statements in words (labels of predicates, roles and values), each
with its source and lines, the statement nodes inside the statements they belong to, and its partners."""

from collections import defaultdict
from html import escape
from urllib.parse import urlencode

import pyoxigraph as ox

from samkart.explore.profile import CONCEPT, DERIVED_FROM, GENRE, NAMES, RDF_TYPE, Profile, Span, Statement
from samkart.formats import by_key
from samkart.namespaces import PREFIXES

from .html import curie, humanise, link, literal_html, local_href
from .layout import layout

DESCRIPTIONS = {str(PREFIXES["dct"]) + "description", str(PREFIXES["rdfs"]) + "comment",
                str(PREFIXES["skos"]) + "definition"}
DCT_TYPE = str(PREFIXES["dct"]) + "type"
HIDDEN = NAMES | DESCRIPTIONS | {RDF_TYPE, DCT_TYPE, DERIVED_FROM, str(PREFIXES["dct"]) + "identifier"}
"""Plain statements shown in the page's header rather than among its facts."""
COLLAPSE = 40
"""Groups with more statements than this are folded into a <details> element."""


class Words:
    """Labels for a profile: vocabulary (predicates, types, concepts) in English first, things by their nb name."""

    def __init__(self, profile: Profile, base: str):
        self.profile, self.base = profile, base

    def label(self, iri: str, vocabulary: bool = False) -> str:
        names = self.profile.labels.get(iri, {})
        order = ("en", "nb", "nn", "") if vocabulary else ("nb", "nn", "", "en")
        for language in order:
            if names.get(language):
                return names[language]
        if names:
            return next(iter(names.values()))
        return humanise(iri) if vocabulary or not local_href(iri, self.base) else curie(iri, self.base)

    def term(self, term, css: str = "", vocabulary: bool = False) -> str:
        """A value as words: a labelled link, a literal, or a blank node's short id."""
        if isinstance(term, ox.Literal):
            return literal_html(term, self.base)
        if isinstance(term, ox.BlankNode):
            return '<span class="bnode">(unnamed)</span>'
        vocabulary = vocabulary or CONCEPT in self.profile.types.get(term.value, set())
        kind = self.kind_of(term.value)
        tag = f' <span class="kind">{escape(kind)}</span>' if kind and not vocabulary else ""
        return link(term.value, self.label(term.value, vocabulary), self.base, css) + tag

    def kind_of(self, iri: str) -> str:
        """A short name for what a thing is: its genre (``dct:type``), else a labelled type, else ''."""
        genres = sorted(g for g in self.profile.types.get(GENRE + iri, set()) if g in self.profile.labels)
        if genres:
            return self.label(genres[0], True)
        types = sorted(self.profile.types.get(iri, set()))
        labelled = [t for t in types if t in self.profile.labels]
        return self.label(labelled[-1], True) if labelled else ""

    def predicate(self, iri: str) -> str:
        return escape(self.label(iri, vocabulary=True))


def evidence_html(spans: list[Span], profile: Profile, about: list[str], base: str) -> str:
    """One chip per source: the document and its lines; opening it shows the cited lines (profile.js)."""
    chips = []
    for span in spans:
        doc = profile.documents.get(span.document, {})
        title = doc.get("label") or curie(span.document, base)
        if span.first is None or span.iri is None or span.iri.startswith("_:"):
            chips.append(f'<span class="evidence doc-only">{link(span.document, title, base, "doc")}</span>')
            continue
        lines = f"line {span.first}" if span.first == span.last else f"lines {span.first}–{span.last}"
        query = urlencode([("span", span.iri)] + [("about", a) for a in about])
        chips.append(f"""<details class="evidence" data-src="/evidence?{escape(query)}">
<summary><span class="doc">{escape(title)}</span>, <span class="lines">{lines}</span></summary>
<div class="cited" aria-live="polite"><a href="/evidence?{escape(query)}">Show the cited lines</a></div></details>""")
    return f'<div class="sources-of">{"".join(chips)}</div>' if chips else ""


def _qualifiers(statement: Statement, words: Words, skip_date: bool = False) -> str:
    parts = [f'<span class="qualifier">{words.predicate(q.predicate)}: '
             f'<strong>{words.term(q.term, vocabulary=True)}</strong></span>' for q in statement.qualifiers]
    parts += [f'<span class="qualifier">{words.predicate(lit.predicate)}: {literal_html(lit.term, words.base)}</span>'
              for lit in statement.literals
              if isinstance(lit.term, ox.Literal) and not (skip_date and lit.term.value == statement.date)]
    return " ".join(parts)


def _peers(statement: Statement, words: Words) -> str:
    if not statement.peers:
        return ""
    items = []
    for peer in sorted(statement.peers, key=lambda p: words.label(p.party.value).casefold()):
        roles = ", ".join(words.label(q.term.value, True) for q in peer.qualifiers)
        items.append(f"<li>{words.term(peer.party)}" + (f' <span class="role">({escape(roles)})</span>' if roles else "")
                     + "</li>")
    summary = f"with {len(items)} other{'s' if len(items) != 1 else ''}"
    return f'<details class="peers"><summary>{summary}</summary><ul class="inline-list">{"".join(items)}</ul></details>'


def node_sentence(statement: Statement, words: Words, about: str, timeline: bool = False) -> str:
    """A statement node in words: the other parties, then its qualifiers (role, status …) and literals (in a
    timeline without the date it is placed by)."""
    parties = " · ".join(words.term(p.term) for p in statement.parties) or ""
    others = [p.term.value for p in statement.parties if isinstance(p.term, ox.NamedNode)]
    return (f'<div class="sentence">{parties} {_qualifiers(statement, words, timeline)}</div>{_peers(statement, words)}'
            + evidence_html(statement.evidence, words.profile, [about] + others[:2], words.base))


def _group_heading(statement: Statement, words: Words, name: str) -> str:
    """A group's heading: the linking predicate, with the direction spelt out when it points here."""
    label = words.predicate(statement.predicate)
    if statement.inverse:
        kinds = ", ".join(escape(words.label(k, True)) for k in statement.kinds if k in words.profile.labels)
        return f"{kinds or 'Statements'} naming {escape(name)} as “{label}”" if statement.node is not None \
            else f'<span class="muted">…</span> {label} → {escape(name)}'
    return label[:1].upper() + label[1:]


def _group_list(items: list[str], ident: str, heading: str, timeline: bool) -> str:
    tag = "ol" if timeline else "ul"
    listed = f'<{tag} class="statements{" timeline" if timeline else ""}">{"".join(items)}</{tag}>'
    if len(items) > COLLAPSE:
        listed = f"<details><summary>Show all {len(items)}</summary>{listed}</details>"
    return (f'<section class="group" aria-labelledby="{ident}"><h2 id="{ident}">{heading} '
            f'<span class="count">{len(items)}</span></h2>{listed}</section>')


def statement_groups(profile: Profile, words: Words, name: str) -> list[str]:
    """Sections of statements, one per way the entity is linked (predicate and direction)."""
    groups: dict[tuple, list[Statement]] = defaultdict(list)
    for statement in profile.statements:
        if statement.node is None and not statement.inverse and statement.predicate in HIDDEN:
            continue
        kind = "node" if statement.node is not None else ("in" if statement.inverse else "out")
        groups[(kind, statement.inverse, statement.predicate)].append(statement)
    order = {"out": 0, "node": 1, "in": 2}
    sections = []
    for index, key in enumerate(sorted(groups, key=lambda k: (order[k[0]], k[1], words.label(k[2], True)))):
        members = groups[key]
        timeline = key[0] == "node" and len(members) > 1 and all(s.date for s in members)
        if timeline:
            members = sorted(members, key=lambda s: s.date or "")  # every member has a date here
        else:
            members = sorted(members, key=lambda s: _sort_name(s, words))
        items = [_item(s, words, timeline) for s in members]
        sections.append(_group_list(items, f"g{index}", _group_heading(members[0], words, name), timeline))
    return sections


def _sort_name(statement: Statement, words: Words) -> str:
    term = statement.value if statement.node is None else (statement.parties[0].term if statement.parties else None)
    if term is None:
        return ""
    return term.value.casefold() if isinstance(term, ox.Literal) else words.label(term.value).casefold()


def _item(statement: Statement, words: Words, timeline: bool) -> str:
    about = words.profile.iri
    if statement.node is not None:
        date = f'<time class="when">{escape(statement.date)}</time>' if timeline and statement.date else ""
        return f"<li>{date}{node_sentence(statement, words, about, timeline)}</li>"
    others = [statement.value.value] if isinstance(statement.value, ox.NamedNode) else []
    return (f'<li><div class="sentence">{words.term(statement.value)}</div>'
            + evidence_html(statement.evidence, words.profile, [about] + others, words.base) + "</li>")


def partners(profile: Profile, words: Words) -> str:
    """Who the entity works with: the other parties of the same statements, with what they share."""
    shared: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    terms = {}
    for statement in profile.statements:
        for peer in statement.peers:
            if isinstance(peer.party, ox.NamedNode):
                terms[peer.party.value] = peer.party
                roles = {words.label(q.term.value, True) for q in peer.qualifiers}
                shared[peer.party.value][peer.anchor] |= roles
    if not shared:
        return ""
    ranked = sorted(shared, key=lambda p: (-len(shared[p]), words.label(p).casefold()))
    rows = []
    for party in ranked:
        on = ", ".join(link(a, words.label(a), words.base) for a in sorted(shared[party], key=lambda a: words.label(a)))
        rows.append(f'<tr><th scope="row">{words.term(terms[party])}</th><td>{on}</td>'
                    f'<td class="num">{len(shared[party])}</td></tr>')
    explore = "/explore?" + urlencode({"focus": profile.iri})
    return f"""<section class="group partners" aria-labelledby="partners">
<h2 id="partners">Works with <span class="count">{len(ranked)}</span></h2>
<p class="muted">Organisations in the same statements as {escape(words.label(profile.iri))} (the sources are on each
statement above and on the pages of what they share). <a href="{escape(explore)}">See them on the collaboration map</a>.</p>
<div class="wide"><table class="facts"><thead><tr><th scope="col">Partner</th><th scope="col">On what</th>
<th scope="col" class="num">Shared</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>"""


def profile_page(profile: Profile, base: str) -> str:
    """The whole profile page of ``profile.iri``."""
    words = Words(profile, base)
    iri = profile.iri
    name = words.label(iri)
    mine = [s for s in profile.statements if s.node is None and not s.inverse]
    types = sorted({s.value.value for s in mine if s.predicate in (DCT_TYPE, RDF_TYPE) and isinstance(s.value, ox.NamedNode)},
                   key=lambda t: (t not in profile.types.get(GENRE + iri, set()), t not in profile.labels,
                                  words.label(t, True)))
    others = sorted({s.value.value for s in mine if s.predicate in NAMES and isinstance(s.value, ox.Literal)
                     and s.value.value != name})
    descriptions = [s.value for s in mine if s.predicate in DESCRIPTIONS and isinstance(s.value, ox.Literal)]
    by_name: dict[str, str] = {}  # one pill per name: the first type (in the order above) that has it
    for t in types:
        by_name.setdefault(words.label(t, True), t)
    pills = " ".join(link(t, label, base, "type") for label, t in by_name.items())
    page = (local_href(iri, base) or "/").split("#")[0]
    formats = " · ".join(f'<a href="{escape(page)}?format={f.names[0]}">{escape(f.label)}</a>'
                         for f in map(by_key, ("turtle", "jsonld", "ntriples")))
    also = f'<p class="also">Also called {", ".join(escape(o) for o in others)}</p>' if others else ""
    about = "".join(f"<p class=\"description\">{literal_html(d, base)}</p>" for d in descriptions[:3])
    sources = "".join(f"<li>{link(s, profile.documents.get(s, {}).get('label') or curie(s, base), base, 'doc')}</li>"
                      for s in profile.sources)
    body = [f"""<nav class="crumbs" aria-label="Breadcrumb"><a href="/">Home</a> <span aria-hidden="true">›</span>
<span>{escape(words.kind_of(iri) or "resource")}</span></nav>
<header class="resource">
  {f'<p class="types">{pills}</p>' if pills else ''}
  <h1>{escape(name)}</h1>
  {also}{about}
  <p class="formats"><a href="{escape(page)}?view=triples">All triples</a> · as {formats} ·
  <code class="iri">{escape(iri)}</code></p>
</header>"""]
    body += statement_groups(profile, words, name)
    body.append(partners(profile, words))
    if sources:
        body.append(f'<section class="group" aria-labelledby="sources"><h2 id="sources">Source documents</h2>'
                    f'<ul class="sources">{sources}</ul></section>')
    alternates = "".join(f'<link rel="alternate" type="{f.media_type}" href="{escape(page)}?format={f.names[0]}">\n'
                         for f in map(by_key, ("turtle", "jsonld")))
    return layout(f"{name} · samkart", "\n".join(b for b in body if b), head=alternates,
                  scripts=("profile.js",))
