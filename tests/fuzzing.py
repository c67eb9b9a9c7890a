"""Hypothesis strategies and settings shared by the fuzz tests: the CI budget, hostile parameter values,
and SPARQL text that hides an update or a ``SERVICE`` clause behind casing, spacing, comments and prologues."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from named import ID, STATUS


def bounded(examples: int) -> settings:
    """A CI budget: fixed examples, no deadline (the first call builds caches), same inputs every run."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


# -- values ------------------------------------------------------------------------------------

NASTY = ['"', "'", '"""', "'''", ">", "<", "}", "{", ")", "(", "\n", "\r", "\t", " ", "#", "\u202e", "\x00", "\\",
         " } UNION { ?s ?p ?o } #", '" ) } UNION { ?s ?p ?o } #', "> } UNION { ?s ?p ?o } #", "') } #",
         "\nLIMIT 1", "%3E", "%22", "../", "?s", "$o", "^^<http://www.w3.org/2001/XMLSchema#string>", "@en",
         " . ", ";", ",", "*", "|", "^", "`", "\u00a0", "\u2028", "\ufeff", "\U0001F600", "ø", "Å"]
CODEPOINT_ESCAPES = ["\\u0022", "\\u003E", "\\u000A", "\\U0000007D", "\\u0061"]  # text, not escapes (gap 4)
HONEST = [ID + "service/digitalt-dodsbo", ID + "org/norsk-pensjon-as", ID + "org/samferdselsdepartementet",
          ID + "org/skatteetaten", ID + "org/ks", ID + "org/utenriksdepartementet",
          ID + "org/samstyringsradet-for-digitalisering-i-grunnopplaeringen", ID + "org/digitaliseringsdirektoratet",
          ID + "plan/skape-synergier-mellom-norsk-og-europeisk-digitaliseringspolitikk",
          ID + "life-event/dodsfall-og-arv", ID + "org/direktoratet-for-forvaltning-og-ikt", STATUS + "ikke-startet",
          STATUS + "pagar", "Skatteetaten", "Digdir", "Ikke startet", "Pågår", "dødsbo", "KS", "Difi", "digital"]
STARTS = HONEST + ["", "", "", "http://", "https://", "urn:", ID, "HTTP://", " https://"]
# any code point but surrogates (impossible in a str anyway); every unicode category, controls included
ANY_CHAR = st.characters(exclude_categories=("Cs",))


def values(escapes: bool = False) -> st.SearchStrategy[str]:
    """Parameter values: an honest start (or none), hostile pieces and arbitrary text, sometimes very long."""
    piece = st.one_of(st.sampled_from(NASTY + (CODEPOINT_ESCAPES if escapes else [])), st.text(ANY_CHAR, max_size=12))
    hostile = st.builds(lambda start, pieces, pad: start + "".join(pieces) + "a" * pad, st.sampled_from(STARTS),
                        st.lists(piece, max_size=8), st.sampled_from([0, 0, 0, 0, 0, 0, 1990, 2001, 4990]))
    return st.one_of(hostile, st.text(ANY_CHAR, max_size=40), st.text(ANY_CHAR, min_size=1990, max_size=5000))


# -- SPARQL text hiding an update or a SERVICE clause --------------------------------------------

SPACE = ["  ", "\n", "\t", "\r\n", " # a comment with SERVICE <http://x/> and INSERT DATA { } \n",
         "\n#\n", " #'\"\n "]
KNOWN_GAP = ""  # no space where SPARQL needs none (once a gap of the guard, now fixed)


def casing(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda upper: "".join(c.upper() if u else c.lower() for c, u in zip(word, upper, strict=True)))


def space(required: bool, gaps: bool = False) -> st.SearchStrategy[str]:
    """Whitespace and comments; none only where the guard expects none (or, with ``gaps``, where it misses it)."""
    return st.sampled_from(SPACE + [" "] + ([""] if not required else []) + ([KNOWN_GAP] if gaps else []))


@st.composite
def prologue(draw, gaps: bool = False):
    items = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["prefix", "base", "comment"]))
        if kind == "comment":
            items.append("# " + draw(st.sampled_from(["INSERT DATA { }", "SERVICE <http://127.0.0.1:1/>", "", "'", '"']))
                         + "\n")
        elif kind == "base":
            items.append(draw(casing("BASE")) + draw(space(True, gaps))
                         + "<http://example.org/base/>")
        else:
            name = draw(st.sampled_from(["", "ex", "a1", "a-b", "a.b", "insert", "service", "drop"]
                                        + (["a\u00b7b", "e\u0301"] if gaps else [])))
            items.append(draw(casing("PREFIX")) + draw(space(True, False)) + name + ":" + draw(space(False, False))
                         + "<http://example.org/" + draw(st.sampled_from(["", "#", "a#b", "x'y", "%7D"])) + ">")
        items.append(draw(space(False, False)))
    return "".join(items)


@st.composite
def service_query(draw, gaps: bool = False):
    target = draw(st.sampled_from(["<http://127.0.0.1:1/>", "<http://127.0.0.1:1/sparql?x=1#y>", "ex:endpoint",
                                   ":endpoint", "?endpoint", "$endpoint"]))
    silent = draw(st.sampled_from(["", draw(casing("SILENT")) + draw(space(True, gaps))]))
    before = draw(st.sampled_from(["{" + draw(space(False)), "{ ?s ?p ?o . ", "{ { ?s ?p ?o } ", "{ FILTER(true) "]
                                  + (["{ ?s ?p ?o ."] if gaps else [])))
    keyword = draw(casing("SERVICE")) + draw(space(True, gaps))
    return (f"SELECT * WHERE {before}{keyword}{silent}{target}{draw(space(False, False))}"
            "{ ?s ?p ?o } }")


@st.composite
def update_request(draw, gaps: bool = False):
    ws = lambda: draw(space(True, False))  # noqa: E731
    return draw(st.sampled_from([
        f"{draw(casing('INSERT'))}{ws()}{draw(casing('DATA'))}{draw(space(False, False))}"
        "{ <http://a/s> <http://a/p> \"x\" }",
        f"{draw(casing('LOAD'))}{draw(space(False, False))}<http://127.0.0.1:1/data.ttl>",
        f"{draw(casing('DROP'))}{ws()}{draw(casing('ALL'))}",
        f"{draw(casing('DROP'))}{ws()}{draw(casing('SILENT'))}{ws()}{draw(casing('GRAPH'))}{draw(space(False, False))}<g:x>",
        f"{draw(casing('CLEAR'))}{ws()}{draw(casing('DEFAULT'))}",
        f"{draw(casing('DELETE'))}{ws()}{draw(casing('WHERE'))}{draw(space(False, False))}{{ ?s ?p ?o }}",
    ]))


@st.composite
def hidden_query(draw, gaps: bool = False):
    statement = draw(st.one_of(service_query(gaps), update_request(gaps)))
    return draw(prologue(gaps)) + draw(space(False, False)) + statement
