"""Fuzz tests for the parameter layer (hypothesis), bounded for CI: every property is derandomised (the
same examples on every run, no example database) with a fixed ``max_examples`` (see tests/fuzzing.py).

Arbitrary text as a named-query parameter gives a result no wider than the query with the parameter left
open, or a 400/404 ``SamkartError``, never anything else; and ``terms.substitute`` never changes the shape
of the query (same algebra, value in place). The guards: test_fuzz_guards.py; the HTTP API: test_fuzz_api.py.

The gaps the fuzzers found (a \\u escape in an IRI hiding a '#', substitution re-reading inserted text,
a \\u in a literal) are fixed; their tests stay here.
"""

import re
from functools import lru_cache

import pyoxigraph as ox
from hypothesis import event, given
from hypothesis import strategies as st
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import BNode, Literal, URIRef

from fuzzing import ANY_CHAR, CODEPOINT_ESCAPES, HONEST, NASTY, bounded, values
from named import ID, STATUS
from samkart.errors import ParameterError, SamkartError
from samkart.sparql.service import SparqlService
from samkart.sparql.store import DEFAULT_PREFIXES
from samkart.sparql.terms import iri_term, literal_term, substitute

# values that answer, per (query, parameter): the fuzzer bends them (case, space, suffixes) so results are not all empty
ANSWERING = {
    ("collaborators", "subject"): [ID + "service/digitalt-dodsbo", "Digitalt dødsbo"],
    ("collaborations", "org"): [ID + "org/norsk-pensjon-as", "Skatteetaten"],
    ("subordinates", "parent"): [ID + "org/samferdselsdepartementet", "SD"],
    ("measures", "status"): [STATUS + "ikke-startet", "Pågår", "Ikke startet"],
    ("measures", "ministry"): [ID + "org/utenriksdepartementet", "UD"],
    ("strategies", "owner"): [ID + "org/ks", "KS"],
    ("members", "body"): [ID + "org/samstyringsradet-for-digitalisering-i-grunnopplaeringen"],
    ("funding", "administrator"): [ID + "org/digitaliseringsdirektoratet", "Digdir"],
    ("search", "q"): ["dødsbo", "digital", "a", "ø", "–", "Strategi"],
    ("strategy_measures", "plan"): [ID + "plan/skape-synergier-mellom-norsk-og-europeisk-digitaliseringspolitikk"],
    ("life_event_services", "event"): [ID + "life-event/dodsfall-og-arv", "Dødsfall og arv"],
    ("organisation_history", "org"): [ID + "org/direktoratet-for-forvaltning-og-ikt", "Difi"],
    ("sources_of", "entity"): [ID + "org/norsk-pensjon-as", "Skatteetaten"],
    ("current_status", "status"): [STATUS + "uavklart", "Fullført"],
}


def near_honest(name: str, param: str) -> st.SearchStrategy[str]:
    honest = ANSWERING.get((name, param)) or HONEST
    bend = st.sampled_from([str, str.upper, str.lower, lambda v: f"  {v}\t", lambda v: v[:-1], lambda v: v + "/"])
    suffix = st.one_of(st.just(""), st.just(""), st.sampled_from(NASTY), st.text(ANY_CHAR, max_size=3))
    return st.builds(lambda v, f, s: f(v) + s, st.sampled_from(honest), bend, suffix)


def has_codepoint_escape(value: str) -> bool:
    return re.search(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})", value) is not None


# -- a. the core: run_named with arbitrary values ------------------------------------------------

def open_reference(service: SparqlService, name: str, variables: frozenset[str]) -> set[tuple]:
    """The rows of query ``name`` with each fuzzed parameter left open: no value can give more.

    An IRI parameter becomes a fresh unbound variable (any entity); a literal one, the search text,
    becomes the empty string (contained in every name). Cached per (query, parameters).
    """
    key = (name, variables)
    cache = service.__dict__.setdefault("_fuzz_references", {})
    if key not in cache:
        query = service.named(name)
        text = query.text
        for param in query.parameters:
            if param.variable not in variables:
                continue
            if param.kind == "iri":
                text = re.sub(rf"[?$]{re.escape(param.variable)}(?![A-Za-z0-9_])", f"?fuzzOpen{param.name}", text)
            else:
                text = substitute(text, {param.variable: literal_term("")})
        cache[key] = rows_of(service.run(text))
    return cache[key]


def rows_of(table) -> set[tuple]:
    return {tuple(None if t is None else str(t) for t in row) for row in table.rows}


@bounded(400)
@given(data=st.data())
def test_any_value_gives_a_narrower_result_or_a_400(core_service, data):
    parameterised = sorted(name for name, q in core_service.queries.items() if q.parameters)
    name = data.draw(st.sampled_from(parameterised), label="query")
    query = core_service.named(name)
    required = [p for p in query.parameters if p.required]
    optional = [p for p in query.parameters if not p.required]
    chosen = required + data.draw(st.lists(st.sampled_from(optional), unique=True, min_size=0 if required else 1),
                                  label="optional") if optional else required
    params = {p.name: [data.draw(st.one_of(values(escapes=True), near_honest(name, p.name)), label=p.name)]
              for p in chosen}
    try:
        table = core_service.run_named(name, params)
    except SamkartError as exc:
        assert exc.status in (400, 404), (type(exc).__name__, exc.status, exc.message)
        event(f"refused: {type(exc).__name__} {exc.status}")
        return
    event("answered" + (" (no rows)" if not table.rows else ""))
    # an empty optional value means "no filter": the parameter is then not bound at all
    bound = frozenset(p.variable for p in chosen if params[p.name][0].strip())
    assert table.variables == query.variables
    reference = open_reference(core_service, name, bound)
    rows = rows_of(table)
    assert len(table.rows) <= len(reference) and rows <= reference, (name, params)


def test_the_open_reference_contains_every_honest_answer(core_service):
    """The bound the fuzzer checks against is sound: honest values give subsets of it."""
    cases = [("collaborators", {"subject": ID + "service/digitalt-dodsbo"}),
             ("collaborations", {"org": ID + "org/norsk-pensjon-as"}), ("search", {"q": "dødsbo"}),
             ("measures", {"ministry": ID + "org/utenriksdepartementet", "status": STATUS + "pagar"}),
             ("sources_of", {"entity": ID + "org/skatteetaten"}), ("strategies", {"owner": ID + "org/ks"}),
             ("organisation_history", {"org": "Difi"}), ("current_status", {"status": "Pågår"})]
    for name, params in cases:
        query = core_service.named(name)
        rows = rows_of(core_service.run_named(name, {k: [v] for k, v in params.items()}))
        variables = frozenset(p.variable for p in query.parameters if p.name in params)
        assert rows and rows <= open_reference(core_service, name, variables), name


# -- a. the core: substitute never changes the query's shape -------------------------------------

IRI_CHARS = st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))


def iri_values(tokens: list[str]) -> st.SearchStrategy[str]:
    """Mostly IRIs the term layer accepts (so the substitution is exercised), some it refuses."""
    tail = st.lists(st.one_of(st.text(IRI_CHARS, max_size=10), st.sampled_from(
        ["#", "?", "&", "=", "'", "(", ")", ";", "$", "%20", "/../", "\u202e", "ø", "#x>", "}"] + tokens)), max_size=6)
    return st.one_of(st.builds(lambda s, t: s + "".join(t), st.sampled_from(["http://x/", "https://w3id.org/", ID, "urn:a:"]),
                               tail), values())


def literal_values(tokens: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(NASTY + CODEPOINT_ESCAPES + tokens), st.text(ANY_CHAR, max_size=10))
    return st.one_of(st.builds("".join, st.lists(piece, max_size=8)), st.text(ANY_CHAR, max_size=60))


PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in DEFAULT_PREFIXES.items())


@lru_cache(maxsize=256)
def algebra(text: str):
    """rdflib's algebra of a query (with the prefixes the service declares for every query)."""
    return translateQuery(parseQuery(PROLOGUE + text)).algebra


def shape(node):
    """The algebra as plain nested tuples (rdflib terms kept; blank nodes and internal keys dropped)."""
    if isinstance(node, CompValue):
        return ("C", node.name, tuple((k, shape(v)) for k, v in node.items() if not k.startswith("_")))
    if isinstance(node, dict):
        return ("D", tuple(sorted((str(k), shape(v)) for k, v in node.items())))
    if isinstance(node, (list, tuple)):
        return ("L", tuple(shape(v) for v in node))
    if isinstance(node, (set, frozenset)):
        return ("S", tuple(sorted((shape(v) for v in node), key=repr)))
    if isinstance(node, BNode):
        return ("B",)
    return node


def same_shape(template, actual, holes: dict, seen: dict) -> bool:
    """``actual`` is ``template`` with each placeholder term (a hole) replaced by one term of the same kind."""
    if isinstance(template, (URIRef, Literal)) and template in holes:
        if type(actual) is not type(template):
            return False
        seen.setdefault(template, set()).add(actual)
        return True
    if isinstance(template, tuple) and isinstance(actual, tuple):
        return len(template) == len(actual) and all(same_shape(t, a, holes, seen) for t, a in zip(template, actual, strict=True))
    return template == actual


def placeholder(param):
    return (ox.NamedNode(f"urn:fuzz:placeholder:{param.name}") if param.kind == "iri"
            else ox.Literal(f"fuzz placeholder {param.name}"))


def substitution_case(service, data, escapes: bool = False, tokens: bool = False):
    """A named query, a value per parameter, and their terms (None when the term layer refuses one)."""
    parameterised = sorted(name for name, q in service.queries.items() if q.parameters)
    query = service.named(data.draw(st.sampled_from(parameterised), label="query"))
    names = [f"?{p.variable}" for p in query.parameters] + [f"${p.variable}" for p in query.parameters]
    extra = names if tokens else []
    terms, raw = {}, {}
    for param in query.parameters:
        value = data.draw(iri_values(extra) if param.kind == "iri" else literal_values(extra), label=param.name)
        if not escapes and has_codepoint_escape(value):
            value = value.replace("\\", "/")
        raw[param.variable] = value
        try:
            terms[param.variable] = iri_term(value) if param.kind == "iri" else param.term(value)
        except ParameterError:
            terms[param.variable] = None
    return query, terms, raw


def check_substitution(query, terms, raw):
    bound = {v: t for v, t in terms.items() if t is not None}
    if not bound:
        return
    text = substitute(query.text, bound)
    list(ox.Store().query(text, prefixes=DEFAULT_PREFIXES))  # pyoxigraph (the embedded engine) parses and runs it
    holes = {}
    for param in query.parameters:
        if param.variable in bound:
            term = placeholder(param)
            holes[URIRef(term.value) if isinstance(term, ox.NamedNode) else Literal(term.value)] = param.variable
    template = substitute(query.text, {p.variable: placeholder(p) for p in query.parameters if p.variable in bound})
    seen: dict = {}
    assert same_shape(shape(algebra(template)), shape(algebra(text)), holes, seen), text
    assert projected(template) == projected(text)
    for hole, found in seen.items():  # and the value arrives whole, as one term
        assert {str(t) for t in found} == {bound[holes[hole]].value}, (holes[hole], found)


def projected(text: str) -> list[str]:
    return [str(v) for v in algebra(text).get("PV", [])]


@bounded(150)
@given(data=st.data())
def test_substitution_keeps_the_query_shape(core_service, data):
    query, terms, raw = substitution_case(core_service, data)
    event(f"{sum(t is not None for t in terms.values())} of {len(terms)} values became terms")
    check_substitution(query, terms, raw)


def test_an_iri_holding_another_parameters_name_keeps_the_shape(core_service):
    query = core_service.named("measures")
    check_substitution(query, {"__ministry_iri": iri_term("http://x/?__status_iri"),
                               "__status_iri": iri_term(STATUS + "pagar")}, {})


def test_a_value_cannot_smuggle_a_later_parameter():
    text = 'SELECT ?x WHERE { VALUES ?x { "a" "b" } FILTER(?x = ?_first || ?x = ?_second) }'
    bound = {"_first": literal_term("x ?_second x"), "_second": literal_term(" || true || ")}
    substituted = substitute(text, bound)
    # FILTER(?x = "x " || true || " x" || ?x = " || true || ") — the second value is now SPARQL code
    assert len(list(ox.Store().query(substituted))) == 0, substituted


def test_codepoint_escape_text_survives_a_spec_parser():
    text = substitute('SELECT ?x WHERE { BIND(?_q AS ?x) }', {"_q": literal_term("\\u000A")})
    assert str(algebra(text)["p"]["p"]["expr"]) == "\\u000A"  # Project → Extend (the BIND)
