"""Competency questions: each a question the documents answer, a SPARQL query, and its exact answer.

Expected answers were checked by hand against the source text (file and line in each comment).
"""

import pytest

ID = "https://w3id.org/samkart/id/"
ROLE = "https://w3id.org/samkart/def/scheme/role/"
RKIND = "https://w3id.org/samkart/def/scheme/responsibility-kind/"
NB = "FILTER(langMatches(lang(?l), 'nb'))"


def responsible(ministry: str) -> str:
    return f"""SELECT ?l WHERE {{ ?m a sk:Measure ; skos:prefLabel ?l ;
        cv:hasParticipation [ cv:role <{ROLE}responsible> ; cv:hasParticipant <{ID}org/{ministry}> ] }}"""


def responsibilities(org: str, kind: str) -> str:
    return f"""SELECT ?l WHERE {{ <{ID}org/{org}> sk:hasResponsibility ?r .
        ?r sk:responsibilityKind <{RKIND}{kind}> ; sk:responsibilityFor/skos:prefLabel ?l {NB} }}"""


def with_status(status: str) -> str:
    return f"SELECT ?l WHERE {{ ?m a sk:Measure ; skos:prefLabel ?l ; sk:hasStatusAssessment/sk:status/skos:prefLabel '{status}'@nb }}"


def participants(subject: str, role: str | None = None) -> str:
    role_filter = f"cv:role <{ROLE}{role}> ;" if role else ""
    return f"""SELECT DISTINCT ?l WHERE {{ <{ID}{subject}> cv:hasParticipation ?p .
        ?p {role_filter} cv:hasParticipant/skos:prefLabel ?l {NB} }}"""


def participants_with_roles(subject: str) -> str:
    return f"""SELECT DISTINCT ?l ?r WHERE {{ <{ID}{subject}> cv:hasParticipation ?p .
        ?p cv:hasParticipant/skos:prefLabel ?l ; cv:role/skos:notation ?r {NB} }}"""


def members(body: str) -> str:
    return f"""SELECT ?l ?r WHERE {{ ?m org:organization <{ID}{body}> ; org:member/skos:prefLabel ?l ;
        org:role/skos:notation ?r {NB} }}"""


def subordinates(parent: str) -> str:
    return f"SELECT ?l WHERE {{ ?o org:subOrganizationOf <{ID}org/{parent}> ; skos:prefLabel ?l {NB} }}"


def listed_in(sector: str, cls: str) -> str:
    return f"SELECT ?l WHERE {{ ?x sk:sector <{ID}sector/{sector}> ; a {cls} ; skos:prefLabel ?l {NB} }}"


QUESTIONS = [
    # 000 line 35: Digitalt dødsbo was developed by ten organisations together
    ("Which organisations developed Digitalt dødsbo?", participants("service/digitalt-dodsbo", "co-developer"),
     {"Bits AS", "Brønnøysundregistrene", "Digitaliseringsdirektoratet", "Domstoladministrasjonen", "Finans Norge",
      "Kartverket", "Landbruksdirektoratet", "Norsk Pensjon AS", "Skatteetaten", "Statens vegvesen"}),
    # 001 lines 445-458: Underliggende virksomheter + Selskaper/statsforetak
    ("Which agencies and companies sit under Samferdselsdepartementet?", subordinates("samferdselsdepartementet"),
     {"Jernbanedirektoratet", "Luftfartstilsynet", "Statens havarikommisjon", "Statens Jernbanetilsyn", "Statens vegvesen",
      "Vegtilsynet", "Avinor AS", "Bane Nor SF", "Entur AS", "Norske tog AS", "Nye Veier AS", "Vygruppen AS"}),
    # 001 lines 66-74
    ("Which agencies sit under Digitaliserings- og forvaltningsdepartementet?", subordinates("digitaliserings-og-forvaltningsdepartementet"),
     {"Datatilsynet", "Departementenes digitaliseringsorganisasjon", "Departementenes sikkerhets- og serviceorganisasjon",
      "Digitaliseringsdirektoratet", "Nasjonal kommunikasjonsmyndighet", "Statsbygg", "Statsforvalteren",
      "Statsforvalterens fellestjenester"}),
    # 001 lines 113-118
    ("Which agencies sit under Finansdepartementet?", subordinates("finansdepartementet"),
     {"Direktoratet for forvaltning og økonomistyring", "Finanstilsynet", "Skatteetaten", "Statistisk sentralbyrå",
      "Tolletaten", "Norges Bank", "Folketrygdfondet"}),
    # 001 lines 175 and 383: Mattilsynet is listed under two ministries
    ("Which ministries list Mattilsynet as theirs?",
     f"SELECT ?l WHERE {{ <{ID}org/mattilsynet> org:subOrganizationOf/skos:prefLabel ?l }}",
     {"Helse- og omsorgsdepartementet", "Landbruks- og matdepartementet"}),
    # 001 lines 204-222
    ("How many agencies sit under Justis- og beredskapsdepartementet?",
     f"SELECT (COUNT(?o) AS ?l) WHERE {{ ?o org:subOrganizationOf <{ID}org/justis-og-beredskapsdepartementet> }}", {"18"}),
    # 001 line 120: Norges Bank under the finance ministry
    ("Which ministry is Norges Bank listed under?", f"SELECT ?l WHERE {{ <{ID}org/norges-bank> org:subOrganizationOf/skos:prefLabel ?l }}",
     {"Finansdepartementet"}),
    # 001 lines 291-294: KS's members
    ("Who are members of KS?", f"SELECT ?l WHERE {{ ?m org:organization <{ID}org/ks> ; org:role <{ROLE}member> ; org:member/skos:prefLabel ?l }}",
     {"Alle landets kommuner", "Alle landets fylker"}),
    # 001 line 292
    ("Which company is listed under KS?", subordinates("ks"), {"KS Digitale fellestjenester AS"}),
    # 000 lines 25-27
    ("Which measures are 'Ikke startet'?", with_status("Ikke startet"),
     {"utrede en felles digital inngang til innbyggere og andre brukere til informasjon og til digitale offentlige tjenester",
      "etablere en utprøvingsarena for utforsking av regulatoriske og teknologiske utfordringer i arbeidet med sammenhengende tjenester",
      "vurdere om det skal stilles krav om at personellkonsekvenser skal være del av beslutningsgrunnlaget for offentlige digitaliseringstiltak"}),
    # 000 line 7
    ("Which measure is 'Fullført'?", with_status("Fullført"), {"styrke medfinansieringsordningen for samfunnsøkonomisk lønnsomme statlige tiltak"}),
    # 000 line 19
    ("Which measure is 'Uavklart'?", with_status("Uavklart"),
     {"gjennomføre en helhetlig vurdering av Norges deltakelse i EUs fremtidige langtidsprogrammer"}),
    # 000 lines 17 and 30
    ("Which measures are 'Løpende'?", with_status("Løpende"),
     {"delta aktivt i utformingen av EUs fremtidige langtidsprogrammer på digitaliseringsområdet",
      "videreføre arbeidet med å redusere næringslivets kostnader knyttet til pålagte regler og utfylling av offentlige skjemaer"}),
    # 000: 12 rows say Pågår
    ("How many measures are 'Pågår'?",
     "SELECT (COUNT(?m) AS ?l) WHERE { ?m a sk:Measure ; sk:hasStatusAssessment/sk:status/skos:prefLabel 'Pågår'@nb }", {"12"}),
    # 000 lines 18-19
    ("Which measures is Utenriksdepartementet responsible for?", responsible("utenriksdepartementet"),
     {"redusere etterslepet på gjennomføringen av vedtatt EØS-relevant EU-regelverk om digitalisering i norsk rett",
      "gjennomføre en helhetlig vurdering av Norges deltakelse i EUs fremtidige langtidsprogrammer"}),
    # 000 line 32
    ("Which measure is Kultur- og likestillingsdepartementet responsible for?", responsible("kultur-og-likestillingsdepartementet"),
     {"videreføre og styrke arbeidet med forenkling for frivillig sektor"}),
    # 000 lines 30-31
    ("Which measures is Nærings- og fiskeridepartementet responsible for?", responsible("naerings-og-fiskeridepartementet"),
     {"videreføre arbeidet med å redusere næringslivets kostnader knyttet til pålagte regler og utfylling av offentlige skjemaer",
      "videreutvikle den digitale løsningen «Én vei inn», som gir næringslivet en felles inngang til virkemiddelapparatet"}),
    # 000: 7 + 1 + 6 rows name DFD
    ("How many measures is Digitaliserings- og forvaltningsdepartementet responsible for?",
     responsible("digitaliserings-og-forvaltningsdepartementet").replace("SELECT ?l", "SELECT (COUNT(?m) AS ?l)").replace("; skos:prefLabel ?l", ""),
     {"14"}),
    # 000 lines 3, 15, 22: the three tables
    ("Which sections does the chapter 'Forsterke styring og samordning i offentlig sektor' have?",
     f"SELECT ?l WHERE {{ ?s dct:isPartOf <{ID}plan/forsterke-styring-og-samordning-i-offentlig-sektor> ; skos:prefLabel ?l }}",
     {"Forsterket styring av digitaliseringspolitikken", "Skape synergier mellom norsk og europeisk digitaliseringspolitikk",
      "En samordnet og innovativ offentlig sektor for innbyggere og næringsliv"}),
    # 000 line 9: a measure that is itself a collaboration with KS
    ("Who takes part in the measure to develop the collaboration with KS?",
     participants_with_roles("measure/videreutvikle-samarbeidet-med-ks-om-digitalisering-i-offentlig-sektor"),
     {("Digitaliserings- og forvaltningsdepartementet", "responsible"), ("Digitaliserings- og forvaltningsdepartementet", "partner"),
      ("KS", "partner")}),
    # 003 lines 13, 19-34: joint strategy of KMD and KS
    ("Who owns the strategy Én digital offentlig sektor, according to its foreword?",
     f"""SELECT ?l ?r WHERE {{ <{ID}plan/en-digital-offentlig-sektor> cv:hasParticipation ?p .
         ?p prov:wasDerivedFrom <{ID}doc/en-digital-offentlig-sektor-forord> ; cv:hasParticipant/skos:prefLabel ?l ; cv:role/skos:notation ?r
         FILTER(?r IN ('owner', 'co-owner')) }}""",
     {("Kommunal- og moderniseringsdepartementet", "owner"), ("KS", "co-owner")}),
    # 003 line 9 and the foreword date
    ("Which period does Én digital offentlig sektor cover?",
     f"SELECT ?l ?e WHERE {{ <{ID}plan/en-digital-offentlig-sektor> dct:temporal [ dcat:startDate ?l ; dcat:endDate ?e ] }}",
     {("2019", "2025")}),
    # 003 line 9: follows up the white paper Digital agenda
    ("Which white paper does Én digital offentlig sektor follow up?",
     f"SELECT ?l WHERE {{ <{ID}plan/en-digital-offentlig-sektor> sk:followsUp/skos:prefLabel ?l }}", {"Digital agenda for Norge"}),
    # 003 line 19
    ("When is the strategy foreword dated?", f"SELECT ?l WHERE {{ <{ID}doc/en-digital-offentlig-sektor-forord> dct:issued ?l }}", {"2019-06-11"}),
    # 003 lines 25-34, 004 line 11: persons in public roles
    ("Which persons hold public roles, in which organisation?",
     """SELECT ?l ?r ?o WHERE { ?m org:member ?p ; org:role/skos:notation ?r ; org:organization/skos:prefLabel ?o .
        ?p a foaf:Person ; foaf:name ?l }""",
     {("Nikolai Astrup", "minister", "Kommunal- og moderniseringsdepartementet"),
      ("Jan Tore Sanner", "minister", "Kommunal- og moderniseringsdepartementet"),
      ("Gunn Marit Helgesen", "board-chair", "KS")}),
    # 004 lines 23-27
    ("What are the five principles for digitalisation projects?", "SELECT ?l WHERE { ?x a sk:Principle ; skos:prefLabel ?l }",
     {"Start med behov", "Tenk stort – start smått", "Velg riktig samarbeidspartner",
      "Sørg for riktig kompetanse og god lederforståelse", "Lever hyppig - skap nytte hele veien"}),
    # 004 line 37 (Prosjektveiviseren, line 34, is a project model: an instrument, not a solution)
    ("Which national solutions did Difi administer in 2016?",
     f"""SELECT ?l WHERE {{ ?s a sk:CommonSolution ; skos:prefLabel ?l ; cv:hasParticipation ?p .
         ?p cv:hasParticipant <{ID}org/direktoratet-for-forvaltning-og-ikt> ; prov:wasDerivedFrom <{ID}doc/digital-agenda-pressemelding> }}""",
     {"ID-porten", "Digital postkasse til innbyggerne", "Register over digital kontaktinformasjon og reservasjon"}),
    # 004 line 32
    ("Which organisation hosted the secretariat of Digitaliseringsrådet?",
     f"SELECT ?l WHERE {{ ?m org:organization <{ID}org/digitaliseringsradet> ; org:role <{ROLE}secretariat> ; org:member/skos:prefLabel ?l }}",
     {"Direktoratet for forvaltning og IKT"}),
    # 004 line 33 (Difi, 2016) and 001 line 60 (Digdir, 2025): one row per source
    ("Who administers the co-financing scheme, according to which document?",
     f"""SELECT ?l ?d WHERE {{ <{ID}funding-scheme/medfinansieringsordningen> cv:hasParticipation ?p .
         ?p cv:role <{ROLE}administrator> ; cv:hasParticipant/skos:prefLabel ?l ; prov:wasDerivedFrom/dct:identifier ?d }}""",
     {("Direktoratet for forvaltning og IKT", "004_d271eb2bd6d33cb2.txt"), ("Digitaliseringsdirektoratet", "001_2b31bf2791802203.txt")}),
    # 002 line 1327 implies Difi became Digdir; they stay two IRIs, linked
    ("What did Difi become?", f"""SELECT ?l ?t WHERE {{ ?c org:originalOrganization <{ID}org/direktoratet-for-forvaltning-og-ikt> ;
         org:resultingOrganization/skos:prefLabel ?l ; dct:type/skos:notation ?t }}""", {("Digitaliseringsdirektoratet", "reorganisation")}),
    # 001 line 128
    ("Which body did Forsvarsdepartementets IKT-enhet become, and when?",
     f"""SELECT ?l ?d WHERE {{ ?c org:originalOrganization <{ID}org/forsvarsdepartementets-ikt-enhet> ;
         org:resultingOrganization/skos:prefLabel ?l ; dct:date ?d }}""", {("Statens graderte plattformtjenester", "2025-01-01")}),
    # 001 line 60: funding schemes listed with (Digdir)
    ("Which funding schemes does Digdir administer, according to the fact sheets?",
     f"""SELECT ?l WHERE {{ ?s a sk:FundingScheme ; skos:prefLabel ?l ; cv:hasParticipation ?p .
         ?p cv:role <{ROLE}administrator> ; cv:hasParticipant <{ID}org/digitaliseringsdirektoratet> ;
         prov:wasDerivedFrom <{ID}doc/faktaark-samordning-av-digitalisering> }}""",
     {"Medfinansieringsordningen", "Stimulab", "Tilskudd til etablering av kommunale opplæringstilbud i digital kompetanse til innbyggere"}),
    # 001 line 255 (Norge digitalt); the state agencies, counties and municipalities that take part are
    # groups that are members, not all municipalities and counties (see the groups question below)
    ("Who takes part in Norge digitalt, in what role?", participants_with_roles("org/norge-digitalt"),
     {("Kommunal- og distriktsdepartementet", "responsible"), ("Kartverket", "secretariat"), ("Kartverket", "coordinator")}),
    # 001 line 36: the foster-parent assignment
    ("Which agencies got the foster-parent assignment from BFD, FIN and HOD?",
     participants("initiative/digital-tilgang-for-fosterforeldre", "assignee"),
     {"Barne-, ungdoms- og familiedirektoratet", "Skatteetaten", "Helsedirektoratet", "Norsk helsenett SF"}),
    ("Which ministries gave that assignment?", participants("initiative/digital-tilgang-for-fosterforeldre", "assigning-ministry"),
     {"Barne- og familiedepartementet", "Finansdepartementet", "Helse- og omsorgsdepartementet"}),
    # 001 line 332
    ("Who sits in Samstyringsrådet for digitalisering i grunnopplæringen?",
     f"""SELECT ?l ?r WHERE {{ ?m org:organization ?b ; org:member/skos:prefLabel ?l ; org:role/skos:notation ?r .
         ?b skos:prefLabel 'Samstyringsrådet for digitalisering i grunnopplæringen'@nb {NB} }}""",
     {("Kunnskapsdepartementet", "chair"), ("Utdanningsdirektoratet", "member"), ("Sikt – Kunnskapssektorens tjenesteleverandør", "member"),
      ("Statped", "member"), ("KS", "member"), ("Representanter fra kommunal sektor", "member")}),
    # 002 lines 345-350
    ("Who takes part in DSOP?", members("org/dsop"),
     {("Bits AS", "member"), ("Skatteetaten", "member"), ("Brønnøysundregistrene", "member"), ("Arbeids- og velferdsetaten", "member"),
      ("Politiet", "member"), ("Kartverket", "member"), ("Finansnæringen", "member")}),
    # 002 lines 404-410: the information-security collaboration project led by Digdir
    ("Who are Digdir's partners in the information-security project?", participants("initiative/informasjonssikkerhet", "partner"),
     {"Direktoratet for forvaltning og økonomistyring", "Direktoratet for samfunnssikkerhet og beredskap",
      "Nasjonal sikkerhetsmyndighet", "Norsk senter for informasjonssikring"}),
    # 000 line 21
    ("Who carries out the mid-term evaluation of Norway's DIGITAL participation?",
     f"""SELECT ?l WHERE {{ ?s cv:hasParticipation [ cv:role <{ROLE}assignee> ; cv:hasParticipant/skos:prefLabel ?l ] .
         ?s skos:prefLabel ?t FILTER(CONTAINS(?t, 'Underveisevaluering')) }}""", {"Samfunnsøkonomisk Analyse"}),
    # 000 line 35, 001 line 38: services under the life event Dødsfall og arv
    ("Which services belong to the life event Dødsfall og arv?",
     f"SELECT ?l WHERE {{ ?s cv:isGroupedBy <{ID}life-event/dodsfall-og-arv> ; skos:prefLabel ?l }}",
     {"Digitalt dødsbo", "Digital Gravferdsmelding"}),
    # 001 headings
    ("How many sectors do the fact sheets cover?", "SELECT (COUNT(?s) AS ?l) WHERE { ?s a sk:Sector }", {"17"}),
    # 001 line 75 + 97
    ("Which sector is Sokkeldirektoratet listed in?", f"SELECT ?l WHERE {{ <{ID}org/sokkeldirektoratet> sk:sector/skos:prefLabel ?l }}",
     {"Energidepartementets område"}),
    # 001 line 71
    ("Which organisation is abbreviated Nkom?", "SELECT ?l WHERE { ?o skos:altLabel 'Nkom'@nb ; skos:prefLabel ?l }",
     {"Nasjonal kommunikasjonsmyndighet"}),
    # abbreviations are alternative labels of one organisation
    ("Which organisation is NAV?", "SELECT ?l WHERE { ?o skos:altLabel 'NAV'@nb ; skos:altLabel 'Nav'@nb ; skos:prefLabel ?l }",
     {"Arbeids- og velferdsetaten"}),
    # provenance: which document and lines say Skatteetaten co-developed Digitalt dødsbo (000 line 35)
    ("Which document and lines say that Skatteetaten collaborates on Digitalt dødsbo?",
     f"""SELECT ?l ?from ?to WHERE {{ <{ID}service/digitalt-dodsbo> cv:hasParticipation ?p .
         ?p cv:hasParticipant <{ID}org/skatteetaten> ; prov:wasDerivedFrom/dct:identifier ?l ;
            sk:locator [ sk:fromLine ?from ; sk:toLine ?to ] }}""", {("000_565fa4205577846f.txt", "35", "35")}),
    # provenance of a plain triple: 001 line 116 puts Skatteetaten under FIN
    ("Which lines say Skatteetaten is under Finansdepartementet?",
     f"""SELECT ?l ?to WHERE {{ ?st rdf:subject <{ID}org/skatteetaten> ; rdf:predicate org:subOrganizationOf ;
         rdf:object <{ID}org/finansdepartementet> ; sk:locator [ sk:fromLine ?l ; sk:toLine ?to ] }}""", {("116", "116")}),
    # 004 line 39: KMD has the overall coordination responsibility (press release) — documents KMD appears in
    ("Which documents name Kommunal- og moderniseringsdepartementet?",
     f"SELECT ?l WHERE {{ <{ID}org/kommunal-og-moderniseringsdepartementet> prov:wasDerivedFrom/dct:identifier ?l }}",
     {"001_2b31bf2791802203.txt", "002_ac6fb50bbfd4a145.txt", "003_035106832bd319fc.txt", "004_d271eb2bd6d33cb2.txt"}),
    # 002, the 2020 status of initiatives of the 2019 action plan
    ("Which initiatives had reached 'Fullført' by the 2020 report?",
     f"""SELECT ?l WHERE {{ ?i skos:prefLabel ?l ; sk:hasStatusAssessment [ sk:status/skos:notation 'fullfort' ;
         prov:wasDerivedFrom <{ID}doc/erfaringsrapport-2020> ] {NB} }}""",
     {"Endring i regler om studiebelastning", "Nasjonal strategi for kunstig intelligens", "Nytt mandat for Skate",
      "Prinsipper for kostnadsdeling"}),
    # 001 lines 123-139: strategies listed in the defence sector
    ("Which strategies are listed in the defence sector?", listed_in("forsvar", "prov:Plan"),
     {"Kap 4.4 Forsvarets virksomhet i det digitale rom", "Strategi for kunstig intelligens for Forsvarssektoren",
      "IKT-strategi for forsvarssektoren", "Langtidsplan for forsvarssektoren 2025–2036"}),
    # 000: statuses are as of the document's year
    ("As of when are the action plan statuses given?",
     "SELECT DISTINCT ?l WHERE { ?m a sk:Measure ; sk:hasStatusAssessment/dct:date ?l }", {"2025"}),
] + [
    # -- the kinds of statement added in issue 18 ---------------------------------------------
    # 001 line 229-232: the four main goals of the climate and environment sector's strategy
    ("What are the main goals of the climate and environment sector's digitalisation strategy?",
     f"SELECT ?l WHERE {{ <{ID}plan/digitaliseringsstrategi-for-klima-og-miljosektoren> sk:goal/skos:prefLabel ?l }}",
     {"Sikker og robust forvaltning", "Effektiv og samordnet sektor", "Økt datadeling og viderebruk av data",
      "Kompetanse og teknologianvendelse"}),
    # 001 line 112: Finansdepartementet's policy areas
    ("Which policy areas is Finansdepartementet responsible for?", responsibilities("finansdepartementet", "policy"),
     {"Økonomisk politikk", "Budsjettpolitikk", "Skatte- og avgiftspolitikk", "Regulering av finansmarkedene",
      "Statens pensjonsfond"}),
    # 001 lines 463-467: the foreign ministry's four priority areas
    ("Which priority areas does Utenriksdepartementet work on?", responsibilities("utenriksdepartementet", "priority"),
     {"En moderne digital arbeidshverdag", "Kompetanse for en digital tid",
      "Digital samhandling, kommunikasjon og tjenesteutvikling", "Informasjonsforvaltning"}),
    # 001 line 189: JD coordinates digital security for the civil side of society
    ("Who coordinates digital security on the civil side of society?",
     f"""SELECT ?l WHERE {{ ?r sk:responsibilityFor/skos:prefLabel 'Digital sikkerhet for sivil side av samfunnet'@nb ;
         sk:responsibilityKind <{RKIND}coordinating> ; sk:responsibleAgent/skos:prefLabel ?l {NB} }}""",
     {"Justis- og beredskapsdepartementet"}),
    # 001 line 149: Norsk helsenett's national responsibility
    ("What does Norsk helsenett SF have a national responsibility for?", responsibilities("norsk-helsenett-sf", "national"),
     {"Digital samhandling i helse- og omsorgstjenestene"}),
    # 002 line 8: Digdir is to be a driver of the strategy
    ("Who is to drive the strategy Én digital offentlig sektor forward?",
     f"""SELECT ?l WHERE {{ ?r sk:responsibilityFor <{ID}plan/en-digital-offentlig-sektor> ;
         sk:responsibilityKind <{RKIND}driver> ; sk:responsibleAgent/skos:prefLabel ?l {NB} }}""", {"Digitaliseringsdirektoratet"}),
    # 001 line 148: HOD sets requirements for Norsk helsenett through the yearly assignment documents
    ("Through which instrument, and from whom, does Norsk helsenett SF get its requirements?",
     f"""SELECT ?l ?by WHERE {{ ?a sk:assignedTo <{ID}org/norsk-helsenett-sf> ; sk:instrument/skos:prefLabel ?l ;
         sk:assignedBy/skos:prefLabel ?by }}""", {("Oppdragsdokument", "Helse- og omsorgsdepartementet")}),
    # 002 lines 1045-1080: the report's proposals for the action plan (none of them a measure)
    ("Which proposals does the 2020 report make for the action plan?",
     f"""SELECT ?l WHERE {{ ?p sk:proposedFor <{ID}plan/handlingsplan-for-en-digital-offentlig-sektor> ; skos:prefLabel ?l
         FILTER NOT EXISTS {{ ?p a sk:Measure }} }}""",
     {"Datafabrikken", "Omtale effekten av bærekraftsmålene i handlingsplanen",
      "Tiltak om kunstig intelligens fra den nasjonale KI-strategien",
      "Synliggjøre understøttende digitaliseringstiltak av nasjonal betydning i handlingsplanen",
      "Skates arbeidsutvalg følger opp initiativene i handlingsplanen"}),
    # 001 line 263: Viderebruksutvalget was set up by KMD on 6 October 2021
    ("Who set up Viderebruksutvalget, and when?",
     f"""SELECT ?l ?d WHERE {{ ?e org:resultingOrganization <{ID}org/viderebruksutvalget> ;
         dct:type <https://w3id.org/samkart/def/scheme/change-type/establish> ;
         prov:wasAssociatedWith/skos:prefLabel ?l ; dct:date ?d }}""",
     {("Kommunal- og moderniseringsdepartementet", "2021-10-06")}),
    # 002 lines 965-970: what the Government decided in spring 2020
    ("What did the Government decide in 2020?",
     f"""SELECT DISTINCT ?l WHERE {{ ?d a sk:Decision ; prov:wasAssociatedWith <{ID}org/regjeringen> ;
         dct:date ?date ; dct:subject/skos:prefLabel ?l FILTER(STR(?date) = '2020') }}""",
     {"Nasjonal handlingsplan for å nå FN-målene", "Krav om å omtale effekt på bærekraftsmålene"}),
    # 004 line 36: Difi co-finances service-design projects with five million a year
    ("How much does Difi co-fund service-design projects with, in what currency?",
     f"""SELECT ?l ?c WHERE {{ ?a schema:funder <{ID}org/direktoratet-for-forvaltning-og-ikt> ;
         schema:amount [ schema:value ?l ; schema:currency ?c ] }}""", {("5000000", "NOK")}),
    # 001 line 29: DigiUng won Digitaliseringsprisen in 2023
    ("Which award did DigiUng win, and when?",
     f"SELECT ?l ?y WHERE {{ ?c sk:awardedTo <{ID}initiative/digiung> ; sk:award/skos:prefLabel ?l ; dct:date ?y }}",
     {("Digitaliseringsprisen", "2023")}),
    # 001 line 130: Forsvarsmateriell provides the tactical information infrastructure to the armed forces
    ("Who supplies Forsvaret, and with what?",
     f"""SELECT ?l ?what WHERE {{ ?s sk:customer <{ID}org/forsvaret> ; sk:supplier/skos:prefLabel ?l ;
         sk:suppliedService/skos:prefLabel ?what }}""", {("Forsvarsmateriell", "Taktisk informasjonsinfrastruktur")}),
    # 001 line 255: the agreements of Norge digitalt bind state agencies, counties and municipalities taking part
    ("Which groups are parties to the agreements of Norge digitalt?",
     f"""SELECT ?l WHERE {{ <{ID}agreement/avtaleverket-for-norge-digitalt> cv:hasParticipation/cv:hasParticipant ?g .
         ?g a sk:ActorGroup ; skos:prefLabel ?l }}""",
     {"Statlige etater i Norge digitalt", "Fylkeskommuner i Norge digitalt", "Kommuner i Norge digitalt"}),
    # 001 line 159: the health registries have been gathered in FHI since 2024
    ("Since when has Folkehelseinstituttet administered the health registries?",
     f"""SELECT ?l WHERE {{ <{ID}service/helseregistrene> cv:hasParticipation ?p .
         ?p cv:hasParticipant <{ID}org/folkehelseinstituttet> ; dct:temporal/dcat:startDate ?l }}""", {"2024"}),
    # 001 line 262: the new grant portal is to be integrated with Fiks and Altinn
    ("Which common solutions will the grant portal be integrated with?",
     f"SELECT ?l WHERE {{ <{ID}service/tilskuddsportal> sk:integratesWith/skos:prefLabel ?l }}", {"FIKS", "Altinn"}),
]


def answer(store, query: str) -> set:
    rows = store.select(query)
    return {next(iter(row.values())) if len(row) == 1 else tuple(row.values()) for row in rows}


@pytest.mark.parametrize("question, query, expected", QUESTIONS, ids=[q for q, _, _ in QUESTIONS])
def test_competency_question(store, question, query, expected):
    assert answer(store, query) == expected


def test_there_are_at_least_forty_questions():
    assert len(QUESTIONS) >= 40
