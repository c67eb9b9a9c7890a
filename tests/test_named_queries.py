"""Named queries (queries/*.rq): the header convention, the public contract and exact answers on the
real data (label parameters and hostile values: test_query_parameters.py).

Expected rows were checked by hand against the source documents (file and line in each comment;
000 = 000_565fa4205577846f.txt and so on, in ../shared/sources/).
"""

import re
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery

from named import CONTRACT, CPSV, DOC_000, DOC_001, DOC_002, DOC_003, DOC_004, ETYPE, EXTRA, ID, ROLE, SK, STATUS, column, run
from samkart.sparql.queries import parse_query_file, split_header

QUERIES_DIR = Path(__file__).parents[1] / "queries"

# -- the files and the header convention -------------------------------------------------------

def test_the_contract_and_the_extra_queries_exist(service):
    assert set(CONTRACT) | EXTRA <= set(service.queries)


@pytest.mark.parametrize("name", sorted(set(CONTRACT) | EXTRA))
def test_query_file_follows_the_header_convention(service, name):
    query = parse_query_file(service.named(name).path)
    header_text, body = split_header(query.text)
    import yaml

    header = yaml.safe_load(header_text)
    assert query.summary and len(query.summary) < 120 and "\n" not in query.summary
    assert len(query.description) > 80, "the description says what each row is"
    assert query.tags and all(isinstance(t, str) for t in query.tags)
    documented = header.get("x-parameters") or {}
    names = {p.name for p in query.parameters}
    assert set(documented) == names, "every parameter, and only parameters, in x-parameters"
    assert all(p.description.strip() for p in query.parameters)
    assert set(query.defaults) <= names and set(query.enumerate) <= names
    assert set(header.get("x-example") or {}) <= names
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9]*", n) for n in names)
    assert query.variables and not any(v.startswith("_") for v in query.variables), "parameters are never projected"
    assert re.search(r"\bORDER\s+BY\b", body, re.I) and not re.search(r"\bLIMIT\b", body, re.I)
    for p in query.parameters:
        if p.kind != "literal":
            assert p.kind == "iri", "entity parameters are IRI parameters"


@pytest.mark.parametrize("name", sorted(set(CONTRACT) | EXTRA))
def test_query_runs_in_a_stock_engine_with_its_own_prefixes(service, store, name):
    """The body parses with rdflib (what grlc uses) and runs in pyoxigraph with no predeclared prefixes."""
    query = service.named(name)
    _, body = split_header(query.text)
    prepareQuery(body)
    used = set(re.findall(r"(?<![\w?$])([a-z][a-z0-9]*):[A-Za-z_-]", re.sub(r"<[^>\s]*>|\"[^\"]*\"", " ", body)))
    declared = set(re.findall(r"^PREFIX\s+(\w+):", body, re.M))
    assert used <= declared, f"undeclared prefixes {used - declared}"
    if all(not p.required for p in query.parameters):
        # grlc leaves omitted optional parameters as unbound variables: the raw body must give the same rows
        raw = store.store.query(body, use_default_graph_as_union=True)
        assert len(list(raw)) == len(service.run_named(name, {}).rows)


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_parameters_and_variables(service, name):
    params, variables = CONTRACT[name]
    query = service.named(name)
    assert query.variables == variables
    assert {p.name: p.required for p in query.parameters} == params
    assert all(p.kind in ("iri", "literal") for p in query.parameters)
    assert [p.kind for p in query.parameters if p.name == "q"] in ([], ["literal"])


@pytest.mark.parametrize("name", sorted(set(CONTRACT) | EXTRA))
def test_examples_give_rows(service, name):
    import yaml

    header = yaml.safe_load(split_header(service.named(name).text)[0])
    example = {k: str(v) for k, v in (header.get("x-example") or {}).items()}
    assert run(service, name, **example), f"x-example of {name} gives no rows"


# -- exact answers on the real data ------------------------------------------------------------

DODSBO_DEVELOPERS = {  # 000 line 35
    "bits-as": "Bits AS", "bronnoysundregistrene": "Brønnøysundregistrene",
    "digitaliseringsdirektoratet": "Digitaliseringsdirektoratet", "domstoladministrasjonen": "Domstoladministrasjonen",
    "finans-norge": "Finans Norge", "kartverket": "Kartverket", "landbruksdirektoratet": "Landbruksdirektoratet",
    "norsk-pensjon-as": "Norsk Pensjon AS", "skatteetaten": "Skatteetaten", "statens-vegvesen": "Statens vegvesen",
}


def test_collaborators_of_digitalt_dodsbo(service):
    rows = run(service, "collaborators", subject=ID + "service/digitalt-dodsbo")
    expected = [(ID + "org/" + slug, label, ROLE + "co-developer", "utvikler i samarbeid", DOC_000)
                for slug, label in DODSBO_DEVELOPERS.items()]
    assert rows == sorted(expected, key=lambda r: r[1])


def test_collaborators_of_a_body_are_its_members(service):
    # 001 line 332: KD chairs the council; Udir, Sikt, Statped and KS take part
    rows = run(service, "collaborators", subject="Samstyringsrådet for digitalisering i grunnopplæringen")
    assert set(rows) == set(run(service, "members", body="Samstyringsrådet for digitalisering i grunnopplæringen"))
    # 001 line 255: Norge digitalt, a body described through participations, with the state agencies,
    # counties and municipalities that take part as groups (not all municipalities and counties)
    assert {(r[1], r[3]) for r in run(service, "collaborators", subject="Norge digitalt")} == {
        ("Kommunal- og distriktsdepartementet", "ansvarlig"), ("Kartverket", "sekretariat"), ("Kartverket", "koordinator"),
        ("Statlige etater i Norge digitalt", "medlem"), ("Fylkeskommuner i Norge digitalt", "medlem"),
        ("Kommuner i Norge digitalt", "medlem")}


def test_collaborators_one_row_per_source(service):
    # 004 line 33 (Difi, 2016) and 001 line 60 (Digdir, 2025) both name an administrator of the scheme
    rows = run(service, "collaborators", subject="Medfinansieringsordningen")
    admins = {(r[1], r[4]) for r in rows if r[2] == ROLE + "administrator"}
    assert admins == {("Direktoratet for forvaltning og IKT", DOC_004), ("Digitaliseringsdirektoratet", DOC_001)}
    assert len(rows) == len(set(rows))


def test_collaborations_of_norsk_pensjon(service):
    # 000 line 35 is the only place Norsk Pensjon AS is named: one subject, nine partners
    rows = run(service, "collaborations", org="Norsk Pensjon AS")
    expected = [(ID + "service/digitalt-dodsbo", "Digitalt dødsbo", CPSV + "PublicService", ROLE + "co-developer",
                 ID + "org/" + slug, label, DOC_000)
                for slug, label in sorted(DODSBO_DEVELOPERS.items(), key=lambda kv: kv[1]) if slug != "norsk-pensjon-as"]
    assert rows == expected


def test_collaborations_partner_is_unbound_when_alone(service):
    rows = run(service, "collaborations", org="Digdir")
    alone = [r for r in rows if r[0] == ID + "service/digdirs-felleslosninger"]
    assert alone == [(ID + "service/digdirs-felleslosninger", "Digdirs fellesløsninger", SK + "CommonSolution",
                      ROLE + "responsible", None, None, DOC_002)]
    assert ID + "org/digitaliseringsdirektoratet" not in column(rows, service, "collaborations", "partner")


def test_collaborations_and_collaborators_agree(service, store):
    """Every (subject, role, source) of an organisation's collaborations lists it among the subject's collaborators,
    and subjectType is one of the subject's classes."""
    for org in ("org/digitaliseringsdirektoratet", "org/ks", "org/skatteetaten", "org/kartverket"):
        for subject, _, subject_type, role, _, _, source in run(service, "collaborations", org=ID + org):
            assert store.store.query(f"ASK {{ <{subject}> a <{subject_type}> }}", use_default_graph_as_union=True)
            collaborators = run(service, "collaborators", subject=subject)
            assert (ID + org, role, source) in {(r[0], r[2], r[4]) for r in collaborators}


def test_subordinates_of_samferdselsdepartementet(service):
    # 001 lines 445-458: six agencies and six companies
    rows = run(service, "subordinates", parent=ID + "org/samferdselsdepartementet")
    assert [label for _, label in rows] == sorted([
        "Jernbanedirektoratet", "Luftfartstilsynet", "Statens havarikommisjon", "Statens Jernbanetilsyn",
        "Statens vegvesen", "Vegtilsynet", "Avinor AS", "Bane Nor SF", "Entur AS", "Norske tog AS", "Nye Veier AS",
        "Vygruppen AS"])
    assert all(iri.startswith(ID + "org/") for iri, _ in rows)


DFD = ID + "org/digitaliserings-og-forvaltningsdepartementet"


def test_measures_not_started(service):
    # 000 lines 25-27
    rows = run(service, "measures", status=STATUS + "ikke-startet")
    titles = {
        "etablere-en-utprovingsarena-for-utforsking-av-regulatoriske-og-teknologiske-utfo":
            "etablere en utprøvingsarena for utforsking av regulatoriske og teknologiske utfordringer i arbeidet med "
            "sammenhengende tjenester",
        "utrede-en-felles-digital-inngang-til-innbyggere-og-andre-brukere-til-informasjon":
            "utrede en felles digital inngang til innbyggere og andre brukere til informasjon og til digitale offentlige "
            "tjenester",
        "vurdere-om-det-skal-stilles-krav-om-at-personellkonsekvenser-skal-vaere-del-av-b":
            "vurdere om det skal stilles krav om at personellkonsekvenser skal være del av beslutningsgrunnlaget for "
            "offentlige digitaliseringstiltak",
    }
    assert rows == [(ID + "measure/" + slug, title, DFD, "Digitaliserings- og forvaltningsdepartementet",
                     STATUS + "ikke-startet", "Ikke startet", "2025", DOC_000) for slug, title in sorted(titles.items(), key=lambda kv: kv[1])]


def test_measures_of_utenriksdepartementet(service):
    # 000 lines 18-19
    rows = run(service, "measures", ministry="UD")
    assert {(r[1], r[5]) for r in rows} == {
        ("redusere etterslepet på gjennomføringen av vedtatt EØS-relevant EU-regelverk om digitalisering i norsk rett", "Pågår"),
        ("gjennomføre en helhetlig vurdering av Norges deltakelse i EUs fremtidige langtidsprogrammer", "Uavklart")}
    both = run(service, "measures", ministry="Utenriksdepartementet", status="Uavklart")
    assert [r[1] for r in both] == ["gjennomføre en helhetlig vurdering av Norges deltakelse i EUs fremtidige langtidsprogrammer"]


def test_measures_unfiltered(service):
    rows = run(service, "measures")
    assert len(rows) == 19 and len({r[0] for r in rows}) == 19  # 000: 19 table rows, one status each
    assert Counter(r[5] for r in rows) == {"Pågår": 12, "Ikke startet": 3, "Løpende": 2, "Fullført": 1, "Uavklart": 1}
    assert Counter(r[2] for r in rows)[DFD] == 14


def test_strategies_owned_by_ks(service):
    # 003 lines 13, 19-34 (co-owner of the 2019 strategy); 001 line 9 (NAV offices); 001 line 334 (kindergarten/school)
    rows = run(service, "strategies", owner="KS")
    assert rows == [
        (ID + "plan/strategi-for-digital-kompetanse-og-infrastruktur-i-barnehage-og-skole",
         "Strategi for digital kompetanse og infrastruktur i barnehage og skole", ID + "org/ks", "KS", ROLE + "co-owner",
         "2023", "2030", DOC_001),
        (ID + "plan/strategi-for-digitalisering-av-nav-kontor", "Strategi for digitalisering av NAV-kontor", ID + "org/ks",
         "KS", ROLE + "co-owner", "2024", "2030", DOC_001),
        (ID + "plan/en-digital-offentlig-sektor", "Én digital offentlig sektor", ID + "org/ks", "KS", ROLE + "co-owner",
         "2019", "2025", DOC_003),
    ]


def test_strategies_unfiltered_lists_every_plan_once_or_per_owner(service, store):
    rows = run(service, "strategies")
    plans = {r["p"] for r in store.select("""SELECT ?p WHERE { VALUES ?c { sk:Strategy sk:ActionPlan sk:WhitePaper sk:Roadmap }
                                               ?p a ?c }""")}
    assert {r[0] for r in rows} == plans
    assert all(r[4] in (ROLE + "owner", ROLE + "co-owner", None) for r in rows)
    # a strategy without an owner appears once, owner unbound
    ownerless = [r for r in rows if r[0] == ID + "plan/veikart-for-helsenaeringen"]
    assert ownerless == [(ID + "plan/veikart-for-helsenaeringen", "Veikart for helsenæringen", None, None, None, None, None, None)]
    # 003: KMD owner, KS co-owner; 002: the Government as owner
    edos = {(r[3], r[4], r[7]) for r in rows if r[0] == ID + "plan/en-digital-offentlig-sektor"}
    assert edos == {("Kommunal- og moderniseringsdepartementet", ROLE + "owner", DOC_003), ("KS", ROLE + "co-owner", DOC_003),
                    ("Regjeringen", ROLE + "owner", DOC_002)}


def test_members_of_samstyringsradet(service):
    # 001 line 332: KD leads the council, with Udir, Sikt, Statped and KS, and representatives of the municipal sector
    rows = run(service, "members", body="Samstyringsrådet for digitalisering i grunnopplæringen")
    member, chair = (ROLE + "member", "medlem"), (ROLE + "chair", "leder")
    assert rows == [
        (ID + "org/ks", "KS", *member, DOC_001),
        (ID + "org/kunnskapsdepartementet", "Kunnskapsdepartementet", *chair, DOC_001),
        (ID + "group/representanter-fra-kommunal-sektor", "Representanter fra kommunal sektor", *member, DOC_001),
        (ID + "org/sikt", "Sikt – Kunnskapssektorens tjenesteleverandør", *member, DOC_001),
        (ID + "org/statped", "Statped", *member, DOC_001),
        (ID + "org/utdanningsdirektoratet", "Utdanningsdirektoratet", *member, DOC_001),
    ]


def test_members_include_secretariat_and_persons(service):
    # 004 line 32: Difi hosted the secretariat of Digitaliseringsrådet
    assert run(service, "members", body="Digitaliseringsrådet") == [
        (ID + "org/direktoratet-for-forvaltning-og-ikt", "Direktoratet for forvaltning og IKT", ROLE + "secretariat",
         "sekretariat", DOC_004)]
    # 001 lines 291-294 (municipalities and counties) and 003 lines 33-34 (the board chair)
    assert {(r[1], r[3], r[4]) for r in run(service, "members", body="KS")} == {
        ("Alle landets kommuner", "medlem", DOC_001), ("Alle landets fylker", "medlem", DOC_001),
        ("Gunn Marit Helgesen", "styreleder", DOC_003)}
    # collaborators are organisations only
    assert {r[1] for r in run(service, "collaborators", subject="KS")} == {"Alle landets kommuner", "Alle landets fylker"}


def test_funding_administered_by_digdir(service):
    # 001 lines 60-62: three schemes listed with "(Digdir)"
    rows = run(service, "funding", administrator="Digdir")
    digdir = (ID + "org/digitaliseringsdirektoratet", "Digitaliseringsdirektoratet", DOC_001)
    assert rows == [
        (ID + "funding-scheme/medfinansieringsordningen", "Medfinansieringsordningen", *digdir),
        (ID + "funding-scheme/stimulab", "Stimulab", *digdir),
        (ID + "funding-scheme/tilskudd-til-etablering-av-kommunale-opplaeringstilbud-i-digital-kompetanse-til",
         "Tilskudd til etablering av kommunale opplæringstilbud i digital kompetanse til innbyggere", *digdir),
    ]


def test_funding_unfiltered(service, store):
    rows = run(service, "funding")
    schemes = {r["s"] for r in store.select("SELECT ?s WHERE { ?s a sk:FundingScheme }")}
    assert {r[0] for r in rows} == schemes and len(schemes) == 19
    medfin = {(r[3], r[4]) for r in rows if r[0] == ID + "funding-scheme/medfinansieringsordningen"}
    assert medfin == {("Direktoratet for forvaltning og IKT", DOC_004), ("Digitaliseringsdirektoratet", DOC_001)}


def test_network(service, store):
    rows = run(service, "network")
    pairs = {(a, b): int(shared) for a, _, b, _, shared in rows}
    assert len(pairs) == len(rows) and all(a < b and n >= 1 for (a, b), n in pairs.items())
    assert [(-int(r[4]), r[0], r[2]) for r in rows] == sorted((-int(r[4]), r[0], r[2]) for r in rows)
    # 000 line 35 + 002 lines 345-350: Bits AS and Skatteetaten share Digitalt dødsbo and DSOP
    assert pairs[(ID + "org/bits-as", ID + "org/skatteetaten")] == 2
    # Norsk Pensjon AS is named once (000 line 35): nine pairs, one shared subject each
    pension = {k: v for k, v in pairs.items() if ID + "org/norsk-pensjon-as" in k}
    assert len(pension) == 9 and set(pension.values()) == {1}
    # the same counts, computed here from the participations and memberships
    found = store.select("""SELECT DISTINCT ?s ?o WHERE {
        { ?s cv:hasParticipation/cv:hasParticipant ?o } UNION { ?m org:organization ?s ; org:member ?o }
        ?o a org:Organization }""")
    by_subject: dict[str, set[str]] = {}
    for row in found:
        by_subject.setdefault(row["s"], set()).add(row["o"])
    expected = Counter(pair for orgs in by_subject.values() for pair in combinations(sorted(orgs), 2))
    assert pairs == dict(expected)
    assert all(label for r in rows for label in (r[1], r[3]))


def test_search(service):
    assert run(service, "search", q="dødsbo") == [
        (ID + "service/digitalt-dodsbo", "Digitalt dødsbo", ETYPE + "service", "offentlig tjeneste")]
    assert run(service, "search", q="DIGDIR") == [
        (ID + "service/digdirs-felleslosninger", "Digdirs fellesløsninger", ETYPE + "common-solution", "nasjonal fellesløsning"),
        (ID + "org/digitaliseringsdirektoratet", "Digitaliseringsdirektoratet", ETYPE + "agency", "statlig virksomhet")]
    # alternative labels and English labels count; role concepts are not entities
    assert (ID + "org/arbeids-og-velferdsetaten") in {r[0] for r in run(service, "search", q="nav")}
    assert run(service, "search", q="utvikler i samarbeid") == []


def test_search_matches_what_python_finds(service, store):
    labels = store.select("SELECT ?i ?l WHERE { ?i skos:prefLabel|skos:altLabel ?l ; dct:type ?t }")
    for text in ("digital", "Strategi", "as", "ø", "–"):
        expected = {r["i"] for r in labels if text.lower() in r["l"].lower()}
        rows = run(service, "search", q=text)
        assert {r[0] for r in rows} == expected and len(rows) == len(expected)
        assert all(r[1] and r[3] for r in rows)


# -- the extra queries ---------------------------------------------------------------------------

def test_sector_overview(service):
    rows = {r[1]: r for r in run(service, "sector_overview")}
    assert len(rows) == 17  # 001: 17 sector headings
    justice = rows["Justis- og beredskapssektoren"]
    assert justice[2] == ID + "org/justis-og-beredskapsdepartementet" and justice[4] == "18"  # 001 lines 204-222
    assert rows["Forsvarssektoren"][5] == "4"  # 001 lines 123-139, the long-term plan (line 124) among them
    assert rows["Digitaliserings- og forvaltningsdepartementets område"][7] == "6"


def test_strategy_measures(service):
    rows = run(service, "strategy_measures", plan=ID + "plan/forsterke-styring-og-samordning-i-offentlig-sektor")
    assert len(rows) == 19 and {r[2] for r in rows} == {ETYPE + "measure"}  # 000: three tables, 19 rows
    assert len({r[4] for r in rows}) == 3
    section = run(service, "strategy_measures",
                  plan=ID + "plan/skape-synergier-mellom-norsk-og-europeisk-digitaliseringspolitikk")
    assert len(section) == 3  # 000 lines 17-19


def test_life_event_services(service):
    # 000 line 35 and 001 line 38
    assert run(service, "life_event_services", event="Dødsfall og arv") == [
        (ID + "life-event/dodsfall-og-arv", "Dødsfall og arv", ID + "service/digital-gravferdsmelding",
         "Digital Gravferdsmelding", DOC_001),
        (ID + "life-event/dodsfall-og-arv", "Dødsfall og arv", ID + "service/digitalt-dodsbo", "Digitalt dødsbo", DOC_000)]
    everything = run(service, "life_event_services")
    assert {r[0] for r in everything} == {ID + "life-event/dodsfall-og-arv", ID + "life-event/alvorlig-sykt-barn",
                                          ID + "life-event/starte-og-drive-en-frivillig-organisasjon"}


def test_organisation_history(service):
    # 002 line 1327: Difi became Digdir; 001 line 128: the defence ICT unit set up as an agency on 2025-01-01
    assert [(r[2], r[5], r[7], r[8]) for r in run(service, "organisation_history", org="Difi")] == [
        ("omorganisering", "Direktoratet for forvaltning og IKT", "Digitaliseringsdirektoratet", DOC_002)]
    renamed = run(service, "organisation_history", org="Statens graderte plattformtjenester")
    assert [(r[2], r[3], r[5]) for r in renamed] == [("opprettelse", "2025-01-01", "Forsvarsdepartementets IKT-enhet")]
    assert len(run(service, "organisation_history")) == 2  # no line supports a split of KMD (issue 18)


def test_sources_of(service):
    # 000 line 35 says Skatteetaten co-developed Digitalt dødsbo; 001 line 116 puts it under FIN
    rows = run(service, "sources_of", entity="Skatteetaten")
    spans = {(r[2], r[3], r[6], r[7], r[8]) for r in rows}
    assert (ROLE + "co-developer", ID + "service/digitalt-dodsbo", "000_565fa4205577846f.txt", "35", "35") in spans
    assert ("http://www.w3.org/ns/org#subOrganizationOf", ID + "org/finansdepartementet", "001_2b31bf2791802203.txt",
            "116", "116") in spans
    assert (ROLE + "member", ID + "org/dsop", "002_ac6fb50bbfd4a145.txt", "347", "350") in spans
    assert all(r[5] and r[7] and r[8] for r in rows)
    status = run(service, "sources_of", entity=ID + "measure/styrke-medfinansieringsordningen-for-samfunnsokonomisk-lonnsomme-statlige-tiltak")
    assert (SK + "StatusAssessment", STATUS + "fullfort", "7") in {(r[1], r[3], r[7]) for r in status}  # 000 line 7


def test_current_status(service, store):
    rows = run(service, "current_status")
    assessed = {r["i"] for r in store.select("SELECT DISTINCT ?i WHERE { ?i sk:hasStatusAssessment ?a }")}
    assert {r[0] for r in rows} == assessed and len(rows) == len(assessed)
    done = run(service, "current_status", status="Fullført")
    # 000 line 7 and the 2020 report
    assert {r[1] for r in done} == {"styrke medfinansieringsordningen for samfunnsøkonomisk lønnsomme statlige tiltak",
                                    "Endring i regler om studiebelastning", "Nasjonal strategi for kunstig intelligens",
                                    "Nytt mandat for Skate", "Prinsipper for kostnadsdeling"}


# -- labels as parameter values ----------------------------------------------------------------
# -- the network queries behind samkart.explore ------------------------------------------------

def test_organisations_sector_from_fact_sheet_ministry_or_parent(service):
    rows = {r[0]: r for r in run(service, "organisations")}
    assert len(rows) == len(set(rows)) > 200, "one row per organisation"
    assert rows[ID + "org/skatteetaten"][1:] == ("Skatteetaten", "agency", ID + "sector/finans", "Finansdepartementets område")
    assert rows[ID + "org/samferdselsdepartementet"][3] == ID + "sector/samferdsel"  # the sector's ministry
    assert rows[ID + "org/ks"][3] == ID + "sector/kommunal-sektor"
    assert rows[ID + "org/bits-as"][3:] == (None, None)  # no document places it in a sector


def test_governance_links(service):
    rows = run(service, "governance")
    under = {r[3] for r in rows if r[0] == ID + "org/samferdselsdepartementet"}
    assert ID + "org/statens-vegvesen" in under and len(under) == 12  # 001: Samferdselssektoren lists 12
    assert {r[0] for r in rows if r[3] == ID + "org/mattilsynet"} == {
        ID + "org/helse-og-omsorgsdepartementet", ID + "org/landbruks-og-matdepartementet"}


def test_participations_cover_collaborators(service):
    rows = run(service, "participations")
    dodsbo = {r[0].removeprefix(ID + "org/") for r in rows if r[1] == ID + "service/digitalt-dodsbo"}
    assert dodsbo == set(DODSBO_DEVELOPERS)
    assert {r[3] for r in rows if r[1] == ID + "service/digitalt-dodsbo"} == {"service"}


def test_plan_structure_links_measures_to_the_action_plan(service):
    rows = run(service, "plan_structure")
    measures = {r[3] for r in rows if r[5] == "measure"}
    assert len(measures) == 19


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.glob("*.rq")), ids=lambda p: p.stem)
def test_a_parameter_is_used_in_a_pattern_before_it_is_copied(path):
    """`BIND(?__x AS ?y)` before any pattern on ?__x leaves ?y unbound-yet-bound for Virtuoso, which then drops
    every row; a parameter is used as a term first and copied after (queries/README.md)."""
    body = path.read_text(encoding="utf-8").split("WHERE", 1)[1]
    for match in re.finditer(r"BIND\((\?__\w+) AS \?(\w+)\)", body):
        parameter, variable = match.groups()
        if variable.startswith("wanted"):
            continue  # the FILTER form: the BIND only names the value the FILTER compares with
        assert parameter in body[: match.start()], f"{parameter} is copied to ?{variable} before any pattern uses it"
