"""Parameters of named queries: a label works like the IRI it names, hostile values never widen a result,
and wrong parameters get a clear 400 — on the core library and over HTTP."""

import pytest

from named import CONTRACT, ID, STATUS, run
from samkart.errors import QueryError
from samkart.sparql.terms import ParameterError

LABEL_CASES = [
    ("collaborators", "subject", ID + "service/digitalt-dodsbo", ["Digitalt dødsbo", "  digitalt DØDSBO ", "DIGITALT DØDSBO"]),
    ("collaborations", "org", ID + "org/digitaliseringsdirektoratet", ["Digdir", "digdir", " Digitaliseringsdirektoratet "]),
    ("subordinates", "parent", ID + "org/samferdselsdepartementet", ["Samferdselsdepartementet", "SD", "samferdselsdepartementet\t"]),
    ("measures", "ministry", ID + "org/utenriksdepartementet", ["Utenriksdepartementet", "UD", "ud"]),
    ("measures", "status", STATUS + "ikke-startet", ["Ikke startet", "ikke startet", " IKKE STARTET ", "Not started"]),
    ("measures", "status", STATUS + "pagar", ["Pågår", "pågår", "In progress"]),
    ("strategies", "owner", ID + "org/ks", ["KS", "ks", "Kommunesektorens organisasjon"]),
    ("members", "body", ID + "org/samstyringsradet-for-digitalisering-i-grunnopplaeringen",
     ["Samstyringsrådet for digitalisering i grunnopplæringen", "SAMSTYRINGSRÅDET FOR DIGITALISERING I GRUNNOPPLÆRINGEN"]),
    ("funding", "administrator", ID + "org/digitaliseringsdirektoratet", ["Digdir", "DIGDIR ", "Digitaliseringsdirektoratet"]),
    ("organisation_history", "org", ID + "org/direktoratet-for-forvaltning-og-ikt", ["Difi", "difi"]),
    ("sources_of", "entity", ID + "org/skatteetaten", ["Skatteetaten", "skatteetaten"]),
]


@pytest.mark.parametrize("name, param, iri, labels", LABEL_CASES, ids=[f"{c[0]}-{c[1]}-{c[2].rsplit('/', 1)[1]}" for c in LABEL_CASES])
def test_labels_give_the_same_rows_as_the_iri(service, name, param, iri, labels):
    expected = run(service, name, **{param: iri})
    assert expected
    for label in labels:
        assert run(service, name, **{param: label}) == expected, label


def test_an_ambiguous_name_is_refused(service):
    # the chapter's document and its plan share a title
    with pytest.raises(ParameterError, match="names 2 things"):
        run(service, "strategy_measures", plan="Forsterke styring og samordning i offentlig sektor")


def test_an_empty_optional_parameter_means_no_filter(service):
    assert run(service, "measures", status="", ministry="  ") == run(service, "measures")


# -- hostile values ----------------------------------------------------------------------------

PAYLOADS = ['"', "'", ">", "}", "\n", "#", "\u202e", "../", '" } UNION { ?s ?p ?o } #', "> } UNION { ?s ?p ?o } #",
            "') } UNION { ?org ?p ?o } #", '"""', "\\", "\nLIMIT 1", "\u202eesatettaksS", "%3E", "<", "\u0000",
            "a" * 5000]

HONEST = [  # (query, parameter, honest value, other parameters)
    ("collaborators", "subject", ID + "service/digitalt-dodsbo", {}),
    ("collaborations", "org", ID + "org/norsk-pensjon-as", {}),
    ("subordinates", "parent", ID + "org/samferdselsdepartementet", {}),
    ("measures", "status", STATUS + "ikke-startet", {}),
    ("measures", "ministry", ID + "org/utenriksdepartementet", {"status": STATUS + "pagar"}),
    ("strategies", "owner", ID + "org/ks", {}),
    ("members", "body", ID + "org/samstyringsradet-for-digitalisering-i-grunnopplaeringen", {}),
    ("funding", "administrator", ID + "org/digitaliseringsdirektoratet", {}),
    ("search", "q", "dødsbo", {}),
    ("strategy_measures", "plan", ID + "plan/skape-synergier-mellom-norsk-og-europeisk-digitaliseringspolitikk", {}),
    ("life_event_services", "event", ID + "life-event/dodsfall-og-arv", {}),
    ("organisation_history", "org", ID + "org/direktoratet-for-forvaltning-og-ikt", {}),
    ("sources_of", "entity", ID + "org/norsk-pensjon-as", {}),
    ("current_status", "status", STATUS + "uavklart", {}),
]


def _attempt(service, name, params):
    """Rows, or None when the value was refused with a 400-class error."""
    try:
        return run(service, name, **params)
    except (ParameterError, QueryError) as exc:
        assert exc.status == 400
        return None


@pytest.mark.parametrize("name, param, honest, others", HONEST, ids=[f"{h[0]}-{h[1]}" for h in HONEST])
def test_hostile_values_never_widen_a_result(service, name, param, honest, others):
    honest_rows = run(service, name, **{param: honest}, **others)
    assert honest_rows
    labels = [honest]
    if honest.startswith("http"):
        labels.append(service.labels_of({honest})[honest])
    for payload in PAYLOADS:
        for value in [base + payload for base in labels] + [payload, payload + honest]:
            if not value.strip():
                continue
            rows = _attempt(service, name, {param: value, **others})
            if rows is None:
                continue
            assert len(rows) <= len(honest_rows), repr(value)
            if name == "search":  # a plain string: it matches labels that contain it, nothing else
                assert all(value.strip().lower() in _names(service, r[0]) for r in rows), repr(value)
            else:
                assert set(rows) <= set(honest_rows), repr(value)


def _names(service, iri):
    table = service.run(f"SELECT ?l WHERE {{ <{iri}> skos:prefLabel|skos:altLabel ?l }}")
    return " | ".join(row[0].value.lower() for row in table.rows)


def test_a_long_value_is_refused(service):
    with pytest.raises(ParameterError, match="longer than"):
        run(service, "search", q="a" * 5000)
    with pytest.raises(ParameterError):
        run(service, "collaborators", subject=ID + "x" * 5000)


def test_an_iri_cannot_break_out_of_its_brackets(service):
    for value in [ID + 'org/ks> } UNION { ?node ?p ?o } #', ID + "org/ks>", ID + 'org/ks"', ID + "org/ks}",
                  ID + "org/ks\n}", "https://a b"]:
        with pytest.raises(ParameterError):
            run(service, "collaborators", subject=value)


def test_iri_lookalikes_give_nothing(service):
    for value in [ID + "org/ks#x", ID + "org/../org/ks", ID + "org/ks\u202e", ID + "org/%6Bs", "urn:x"]:
        assert _attempt(service, "members", {"body": value}) in (None, [])


# -- parameter errors --------------------------------------------------------------------------

def test_unknown_parameter(service):
    with pytest.raises(ParameterError, match="has no parameter 'colour'"):
        service.run_named("collaborators", {"subject": [ID + "service/digitalt-dodsbo"], "colour": ["red"]})
    with pytest.raises(ParameterError, match="has no parameter"):
        service.run_named("network", {"a": [ID + "org/ks"]})


@pytest.mark.parametrize("name", [n for n, (params, _) in CONTRACT.items() if any(params.values())])
def test_missing_required_parameter(service, name):
    with pytest.raises(ParameterError, match="needs parameter|is required"):
        service.run_named(name, {})
    required = next(p for p, req in CONTRACT[name][0].items() if req)
    with pytest.raises(ParameterError, match="is required"):
        service.run_named(name, {required: ["   "]})


def test_a_parameter_given_twice_is_refused(service):
    with pytest.raises(ParameterError, match="given 2 times"):
        service.run_named("search", {"q": ["a", "b"]})


def test_an_unknown_name_is_refused(service):
    with pytest.raises(ParameterError, match="nothing is called"):
        run(service, "collaborators", subject="No such thing at all")
