"""An HTML page documenting the ontology: classes, properties, concept schemes and the Mermaid diagram."""

from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS as DCT
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from samkart.namespaces import ONTOLOGY_GRAPH, SCHEME_BASE
from samkart.reports.diagram import curie, mermaid

LANGUAGES = ("nb", "en")
LANGUAGE_NAMES = {"nb": "Norsk bokmål", "en": "English"}

CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
h1, h2, h3 { line-height: 1.2; }
section.term { border-top: 1px solid #ddd; padding: .5rem 0; }
code, pre { font-family: ui-monospace, monospace; font-size: .9em; }
pre { background: #f6f6f6; padding: 1rem; overflow-x: auto; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
nav ul { columns: 3; }
.lang { color: #666; font-size: .8em; }
""".strip()


def local_name(term: URIRef | str) -> str:
    """The anchor of a term: the part after ``#`` for our ontology, the path under the scheme base for concepts."""
    text = str(term)
    if text.startswith(SCHEME_BASE):
        return text[len(SCHEME_BASE):]
    if "#" in text:
        return text.rsplit("#", 1)[1]
    return text.rstrip("/").rsplit("/", 1)[-1]


def _texts(graph: Graph, term, prop) -> dict[str, str]:
    """One value of ``prop`` per language (the smallest, if a term has several)."""
    found: dict[str, list[str]] = {}
    for value in graph.objects(term, prop):
        if isinstance(value, Literal) and value.language:
            found.setdefault(value.language, []).append(str(value))
    return {lang: min(values) for lang, values in found.items()}


def _label(graph: Graph, term) -> dict[str, str]:
    return _texts(graph, term, RDFS.label) or _texts(graph, term, SKOS.prefLabel)


def _ref(term, anchors: dict[str, str]) -> str:
    """A link to a term documented on this page, else its CURIE (or IRI) as code."""
    name = escape(curie(term))
    if str(term) in anchors:
        return f'<a href="#{escape(anchors[str(term)])}"><code>{name}</code></a>'
    return f"<code>{name}</code>"


def _lang_rows(graph: Graph, term) -> list[str]:
    rows = []
    labels, definitions = _label(graph, term), _texts(graph, term, SKOS.definition)
    for lang in LANGUAGES:
        if lang in labels:
            rows.append(f'<dt>label <span class="lang">{lang}</span></dt><dd lang="{lang}">{escape(labels[lang])}</dd>')
    for lang in LANGUAGES:
        if lang in definitions:
            rows.append(f'<dt>definition <span class="lang">{lang}</span></dt>'
                        f'<dd lang="{lang}">{escape(definitions[lang])}</dd>')
    return rows


def _term_section(graph: Graph, term, anchors: dict[str, str], extra: list[tuple[str, list]], level: int = 3) -> str:
    heading = _label(graph, term).get("en") or local_name(term)
    rows = [f"<dt>IRI</dt><dd><code>{escape(str(term))}</code></dd>"]
    for name, values in extra:
        if values:
            rows.append(f"<dt>{escape(name)}</dt><dd>{', '.join(_ref(v, anchors) for v in values)}</dd>")
    rows += _lang_rows(graph, term)
    return (f'<section class="term" id="{escape(anchors[str(term)])}">\n'
            f"<h{level}>{escape(heading)} <code>{escape(curie(term))}</code></h{level}>\n"
            f"<dl>\n" + "\n".join(rows) + "\n</dl>\n</section>")


def _sorted(terms) -> list[URIRef]:
    return sorted({t for t in terms if isinstance(t, URIRef)}, key=str)


def _concepts_of(ontology: Graph, scheme: URIRef) -> list[URIRef]:
    members = set(ontology.subjects(SKOS.inScheme, scheme)) | set(ontology.subjects(SKOS.topConceptOf, scheme))
    members |= set(ontology.objects(scheme, SKOS.hasTopConcept))
    return _sorted(members)


def ontology_html(ontology: Graph, stylesheet: str | None = None) -> str:
    """The ontology documented as one self-contained HTML page (no external scripts or styles); with
    ``stylesheet``, the page links to that URL for its style (:data:`CSS`) instead of holding it (a server
    whose Content-Security-Policy allows no inline style)."""
    onto = URIRef(ONTOLOGY_GRAPH)
    classes = _sorted(ontology.subjects(RDF.type, OWL.Class))
    object_props = _sorted(ontology.subjects(RDF.type, OWL.ObjectProperty))
    datatype_props = _sorted(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    schemes = _sorted(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = {scheme: _concepts_of(ontology, scheme) for scheme in schemes}

    anchors: dict[str, str] = {}
    for term in [*classes, *object_props, *datatype_props, *schemes, *(c for cs in concepts.values() for c in cs)]:
        anchor = local_name(term)
        while anchor in anchors.values():  # never two sections with one id
            anchor += "_"
        anchors.setdefault(str(term), anchor)

    titles, descriptions = _texts(ontology, onto, DCT.title), _texts(ontology, onto, DCT.description)
    title = titles.get("en") or titles.get("nb") or "Ontology"
    version = ontology.value(onto, OWL.versionInfo)

    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{escape(title)}</title>",
             f'<link rel="stylesheet" href="{escape(stylesheet)}">' if stylesheet else f"<style>\n{CSS}\n</style>",
             "</head>", "<body>",
             f"<h1>{escape(title)}</h1>",
             f"<p>IRI: <code>{escape(ONTOLOGY_GRAPH)}</code>"
             + (f" · version {escape(str(version))}" if version else "") + "</p>"]
    for lang in LANGUAGES:
        if lang in titles or lang in descriptions:
            parts.append(f'<div lang="{lang}"><h2>{escape(titles.get(lang, title))} '
                         f'<span class="lang">{escape(LANGUAGE_NAMES[lang])}</span></h2>'
                         f"<p>{escape(descriptions.get(lang, ''))}</p></div>")

    parts.append("<nav><h2>Contents</h2><ul>"
                 '<li><a href="#classes">Classes</a></li>'
                 '<li><a href="#object-properties">Object properties</a></li>'
                 '<li><a href="#datatype-properties">Datatype properties</a></li>'
                 '<li><a href="#concept-schemes">Concept schemes</a></li>'
                 '<li><a href="#diagram">Diagram</a></li></ul></nav>')

    parts.append('<h2 id="classes">Classes</h2>')
    for cls in classes:
        parts.append(_term_section(ontology, cls, anchors, [
            ("superclasses", _sorted(ontology.objects(cls, RDFS.subClassOf))),
            ("subclasses", _sorted(ontology.subjects(RDFS.subClassOf, cls))),
        ]))

    for heading, anchor, props in (("Object properties", "object-properties", object_props),
                                   ("Datatype properties", "datatype-properties", datatype_props)):
        parts.append(f'<h2 id="{anchor}">{heading}</h2>')
        for prop in props:
            parts.append(_term_section(ontology, prop, anchors, [
                ("domain", _sorted(ontology.objects(prop, RDFS.domain))),
                ("range", _sorted(ontology.objects(prop, RDFS.range))),
                ("types", [t for t in _sorted(ontology.objects(prop, RDF.type))
                           if t not in (OWL.ObjectProperty, OWL.DatatypeProperty)]),
            ]))

    parts.append('<h2 id="concept-schemes">Concept schemes</h2>')
    for scheme in schemes:
        parts.append(_term_section(ontology, scheme, anchors, [], level=3))
        for concept in concepts[scheme]:
            parts.append(_term_section(ontology, concept, anchors, [
                ("broader", _sorted(ontology.objects(concept, SKOS.broader))),
                ("close match", _sorted(ontology.objects(concept, SKOS.closeMatch))),
            ], level=4))

    parts.append('<h2 id="diagram">Diagram</h2>')
    parts.append("<p>Mermaid source: paste it into any Mermaid renderer.</p>")
    parts.append(f'<pre class="mermaid">\n{escape(mermaid(ontology))}\n</pre>')
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
