"""Block builders for what organisations take part in: services, plans, measures, initiatives, funding."""

from .blocks import SERVICE_PARTNERS, STATUSES, Doc, create, eid, ensure, label, ministry_of, participants
from .emit import P

OWNERS = {"ministry": 70, "agency": 25, "interest-organisation": 5}
LEADS = {"agency": 60, "ministry": 10, "public-company": 10, "municipal": 10, "unit": 5, "interest-organisation": 5}


def latest(d: Doc, etype: str, window: int = 3) -> str:
    """One of the last few entities of a type (the plan a measure or section stands in)."""
    n = d.w.count[etype]
    return eid(etype, n - d.rng.randrange(min(n, window)))


def maybe(d: Doc, etype: str, p: float) -> str | None:
    """A popular existing entity of a type with probability ``p`` (None when there is none yet)."""
    return eid(etype, d.w.pick(etype)) if d.w.count[etype] and d.chance(p) else None


def owner(d: Doc, subject: tuple[str, str], role: str = "owner") -> str:
    """The document's ministry (or another) as owner or responsible of ``subject``."""
    ministry = ("ministry", eid("ministry", ministry_of(d)))
    d.em.participation(subject, ministry, role, d.span(), d.note(0.1))
    return ministry[1]


def period(d: Doc, item: str, p: float) -> None:
    """A start–end period in years around the document's year, with probability ``p``."""
    if d.chance(p):
        start = int(d.issued[:4]) - d.rng.randint(0, 2)
        end = str(start + d.rng.randint(2, 10)) if d.chance(0.8) else None
        d.em.period(item, str(start), end, d.span())


def sector(d: Doc, item: str, p: float) -> None:
    """The item listed under the document's sector, with probability ``p``."""
    if d.home and d.chance(p):
        d.em.relation(item, P["sector"], eid("sector", d.home), d.span())


# -- services ---------------------------------------------------------------------------------
def service_block(d: Doc, etype: str) -> None:
    """A service or common solution with 2–12 participants (skewed to few), the first one running it."""
    sid = create(d, etype, alt=0.1, description=1.0 if etype == "common-solution" else 0.5)
    k = min(12, 2 + int(11 * d.rng.random() ** 2.2))
    first = d.rng.choice(["administrator", "operator", "owner"]) if etype == "common-solution" else "owner"
    others = ["partner", "participant", "co-developer"] if etype == "common-solution" else ["co-developer", "partner"]
    roles = [first] + [d.rng.choice(others) for _ in range(k - 1)]
    participants(d, (etype, sid), roles, SERVICE_PARTNERS)
    funder = maybe(d, "funding-scheme", 0.25)
    if funder:
        d.em.relation(sid, P["funded-by"], funder, d.span())
    if etype == "common-solution" and d.w.count[etype] > 1 and d.chance(0.12):
        other = eid(etype, d.w.pick(etype, d.w.count[etype] - 1))
        d.em.relation(sid, P["integrates-with" if d.chance(0.6) else "isPartOf"], other, d.span())
    event = maybe(d, "life-event", 0.2) if etype == "service" else None
    if event:
        d.em.relation(sid, P["isGroupedBy"], event, d.span())
    period(d, sid, 0.05)


def common_solution(d: Doc) -> None:
    service_block(d, "common-solution")


def service(d: Doc) -> None:
    service_block(d, "service")


# -- plans ------------------------------------------------------------------------------------
def strategy(d: Doc) -> None:
    """A strategy: owner (sometimes with co-owners), sector, period, follow-up and focus areas."""
    sid = create(d, "strategy", alt=0.1, description=0.35)
    if d.chance(0.12):
        participants(d, ("strategy", sid), ["owner", "co-owner", "co-owner"][: d.rng.randint(2, 3)], OWNERS)
    else:
        owner(d, ("strategy", sid))
    sector(d, sid, 0.6)
    period(d, sid, 0.35)
    if d.w.count["strategy"] > 1 and d.chance(0.08):
        d.em.relation(sid, P["follows-up"], eid("strategy", d.w.pick("strategy", d.w.count["strategy"] - 1)), d.span())
    if d.chance(0.08):
        focus_areas(d, sid)


def focus_areas(d: Doc, plan: str) -> None:
    """Two to four focus areas of a strategy, each a concept in the strategy's own scheme."""
    scheme_label = f"Innsatsområder: {label('strategy', int(plan.rsplit('-', 1)[1]))}"
    for _ in range(d.rng.randint(2, 4)):
        fid = create(d, "focus-area")
        d.em.in_scheme(fid, f"{plan}/focus-areas", scheme_label, source=plan)
    d.em.relation(plan, P["focusArea"], fid, d.span())


def action_plan(d: Doc) -> None:
    """An action plan of a strategy, with two to four numbered sections."""
    ensure(d, "strategy")
    aid = create(d, "action-plan", description=0.5)
    d.em.relation(aid, P["isPartOf"], latest(d, "strategy"), d.span())
    owner(d, ("action-plan", aid))
    for _ in range(d.rng.randint(2, 4)):
        section = create(d, "plan-section")
        d.em.relation(section, P["isPartOf"], aid, d.span())


def measure(d: Doc) -> None:
    """A measure in an action-plan table: its section, one responsible ministry, maybe a partner, a status."""
    ensure(d, "plan-section")
    mid = create(d, "measure")
    lines = d.span()
    d.em.relation(mid, P["isPartOf"], latest(d, "plan-section"), lines)
    responsible = owner(d, ("measure", mid), "responsible")
    if d.chance(0.2):
        for org in d.w.orgs({"agency": 5, "ministry": 3, "interest-organisation": 2}, 1, exclude=(responsible,)):
            d.em.participation(("measure", mid), org, "partner", lines)
    assess(d, mid, lines)


def assess(d: Doc, item: str, lines: tuple[int, int]) -> None:
    """A status assessment of ``item`` dated as the document, at most one per item and document."""
    if item not in d.assessed:
        d.assessed.add(item)
        status = d.rng.choices(list(STATUSES), list(STATUSES.values()))[0]
        d.em.status(item, status, d.issued, lines, d.note(0.5))


def reassess(d: Doc) -> None:
    """A later document's status for a measure an earlier document listed."""
    if d.w.measures_before:
        assess(d, eid("measure", d.rng.randint(1, d.w.measures_before)), d.span())


def plan_like(d: Doc, etype: str, owners: dict[str, int], follows: float) -> None:
    """A white paper, roadmap or portfolio: owner, sector, period, and what it follows up."""
    if etype == "white-paper":
        ensure(d, "government")
    pid = create(d, etype, alt=0.5 if etype == "white-paper" else 0.0, description=0.5)
    participants(d, (etype, pid), [d.rng.choice(["owner", "lead"]) if etype == "roadmap" else "owner"], owners)
    sector(d, pid, 0.5)
    period(d, pid, 0.3 if etype == "white-paper" else 0.1)
    target = maybe(d, "strategy", follows)
    if target:
        d.em.relation(pid, P["follows-up"], target, d.span())


def white_paper(d: Doc) -> None:
    plan_like(d, "white-paper", {"government": 1}, 0.0)


def roadmap(d: Doc) -> None:
    plan_like(d, "roadmap", OWNERS, 0.5)


def portfolio(d: Doc) -> None:
    plan_like(d, "portfolio", {"agency": 60, "ministry": 30, "interest-organisation": 10}, 0.15)


# -- initiatives, funding, agreements, life events -------------------------------------------
def initiative(d: Doc, etype: str) -> None:
    """A project or programme: lead, an assignment, partners, and what it is part of, funded by, assessed."""
    iid = create(d, etype, alt=0.1, description=1.0, descriptive=0.4 if etype == "project" else 0.15)
    roles = ["lead"]
    if d.chance(0.3):
        roles += ["assignee", "assigning-ministry"]
    roles += ["partner"] * d.rng.choice([0, 0, 1, 2]) + ["advisor"] * d.chance(0.15) + ["respondent"] * d.chance(0.15)
    participants(d, (etype, iid), roles, LEADS)
    for key, etype_to, p in (("isPartOf", "action-plan", 0.2), ("focusArea", "focus-area", 0.35),
                             ("funded-by", "funding-scheme", 0.1), ("based-on", "common-solution", 0.05),
                             ("governs", "common-solution", 0.03)):
        target = maybe(d, etype_to, p)
        if target:
            d.em.relation(iid, P[key], target, d.span())
    if d.chance(0.35):
        assess(d, iid, d.span())
    period(d, iid, 0.1)


def project(d: Doc) -> None:
    initiative(d, "project")


def programme(d: Doc) -> None:
    initiative(d, "programme")


def funding(d: Doc) -> None:
    """A funding scheme: administrator, sometimes a funder, grant recipients or partners; its sector."""
    ensure(d, "agency")
    fid = create(d, "funding-scheme", alt=0.1, description=0.8, descriptive=0.15)
    roles = ["administrator"] + ["funder"] * d.chance(0.35) + ["grant-recipient"] * d.chance(0.3)
    if d.chance(0.1):
        roles += ["participant", "partner"]
    participants(d, ("funding-scheme", fid), roles, {"agency": 60, "ministry": 25, "municipal": 10, "company": 5})
    sector(d, fid, 0.6)


def agreement(d: Doc) -> None:
    """An agreement between two parties."""
    aid = create(d, "agreement", description=1.0, descriptive=0.5)
    participants(d, ("agreement", aid), ["partner", "partner"],
                 {"ministry": 50, "interest-organisation": 30, "municipal": 10, "agency": 10})
    target = maybe(d, "focus-area", 0.25)
    if target:
        d.em.relation(aid, P["focusArea"], target, d.span())


def life_event(d: Doc) -> None:
    """A life event, funded by a scheme or given a focus area, with a respondent organisation."""
    lid = create(d, "life-event", description=0.6)
    participants(d, ("life-event", lid), ["respondent"], {"agency": 1})
    for key, etype_to, p in (("funded-by", "funding-scheme", 0.5), ("focusArea", "focus-area", 0.4)):
        target = maybe(d, etype_to, p)
        if target:
            d.em.relation(lid, P[key], target, d.span())
