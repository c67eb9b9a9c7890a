"""The synthetic world (entity counters, skewed picks) and one builder per kind of block a document holds."""

import random
from collections import Counter

from .emit import Emitter, P

NAMES: dict[str, tuple[str, str]] = {
    # entity type: (id prefix, nb label stem); ids are {prefix}-{n}, labels "{stem} {n}"
    "government": ("org/syn-regjering", "Syntetisk regjering"),
    "ministry": ("org/syn-departement", "Syntetisk departement"),
    "agency": ("org/syn-etat", "Syntetisk etat"),
    "public-company": ("org/syn-statsforetak", "Syntetisk statsforetak"),
    "unit": ("org/syn-enhet", "Syntetisk enhet"),
    "municipal": ("org/syn-kommune", "Syntetisk kommune"),
    "company": ("org/syn-selskap", "Syntetisk selskap AS"),
    "interest-organisation": ("org/syn-forening", "Syntetisk interesseorganisasjon"),
    "coordination-body": ("org/syn-rad", "Syntetisk samordningsråd"),
    "sector": ("sector/syn-sektor", "Syntetisk sektor"),
    "service": ("service/syn-tjeneste", "Syntetisk tjeneste"),
    "common-solution": ("service/syn-felleslosning", "Syntetisk fellesløsning"),
    "strategy": ("plan/syn-strategi", "Syntetisk strategi"),
    "action-plan": ("plan/syn-handlingsplan", "Syntetisk handlingsplan"),
    "plan-section": ("plan/syn-kapittel", "Syntetisk kapittel"),
    "white-paper": ("plan/syn-melding", "Syntetisk stortingsmelding"),
    "roadmap": ("plan/syn-veikart", "Syntetisk veikart"),
    "portfolio": ("plan/syn-portefolje", "Syntetisk portefølje"),
    "measure": ("measure/syn-tiltak", "syntetisk tiltak"),
    "project": ("initiative/syn-prosjekt", "Syntetisk prosjekt"),
    "programme": ("initiative/syn-program", "Syntetisk program"),
    "funding-scheme": ("funding-scheme/syn-ordning", "Syntetisk tilskuddsordning"),
    "agreement": ("agreement/syn-avtale", "Syntetisk samarbeidsavtale"),
    "person": ("person/syn-person", "Syntetisk person"),
    "life-event": ("life-event/syn-livshendelse", "Syntetisk livshendelse"),
    "focus-area": ("focus-area/syn-innsatsomrade", "Syntetisk innsatsområde"),
}
SKEW = 3.0
"""Popularity: pick n = 1 + int(count * u**SKEW), so the first entities of a kind become hubs (Zipf-like tail)."""

SERVICE_PARTNERS = {"agency": 50, "ministry": 12, "public-company": 10, "municipal": 8, "interest-organisation": 6,
                    "coordination-body": 5, "company": 6, "unit": 2, "government": 1}
"""Who takes part in services and projects (the real participant mix, agencies first)."""
COLLABORATION = {"co-developer", "partner", "participant", "co-owner"}
"""Roles that make a subject a collaboration, which the shapes say needs two distinct organisations."""
STATUSES = {"pagar": 45, "fullfort": 12, "lopende": 14, "ikke-startet": 13, "uavklart": 4}


def eid(etype: str, n: int) -> str:
    """The entity id of the ``n``-th entity of a type."""
    return f"{NAMES[etype][0]}-{n}"


def label(etype: str, n: int) -> str:
    """The nb label of the ``n``-th entity of a type."""
    return f"{NAMES[etype][1]} {n}"


class Doc:
    """One synthetic document being written: the emitter, the world, its line cursor and date."""

    def __init__(self, em: Emitter, world: "World", rng: random.Random, issued: str):
        self.em, self.w, self.rng, self.issued = em, world, rng, issued
        self.line = 1
        self.last: tuple[int, int] | None = None
        self.home = 0  # the ministry this document is about
        self.assessed: set[str] = set()
        self.builders: dict = {}  # entity type -> block builder, for ensure()

    def span(self) -> tuple[int, int]:
        """The next line span: mostly one line, sometimes a few; often the last span again (a line states several facts)."""
        if self.last and self.rng.random() < 0.35:
            return self.last
        length = 1 if self.rng.random() < 0.8 else self.rng.randint(2, 4)
        first, self.line = self.line, self.line + length
        self.last = (first, first + length - 1)
        return self.last

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self.rng.random() < p

    def note(self, p: float = 0.25) -> str | None:
        """A generated editor's note on some facts (the real data notes about a quarter)."""
        return f"synthetic note {self.rng.randint(1, 999)}" if self.chance(p) else None


class World:
    """How many entities of each type exist; entities are numbered, so no id lists are kept."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.count: Counter[str] = Counter()
        self.measures_before = 0

    def new(self, etype: str) -> int:
        """Number the next entity of a type."""
        self.count[etype] += 1
        return self.count[etype]

    def pick(self, etype: str, below: int | None = None) -> int:
        """An existing entity of a type, skewed toward the first ones (hubs)."""
        n = below if below is not None else self.count[etype]
        return 1 + int(n * self.rng.random() ** SKEW)

    def orgs(self, weights: dict[str, int], k: int, exclude: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        """Up to ``k`` distinct existing organisations (type, id), types drawn by ``weights``."""
        types = [t for t in weights if self.count[t]]
        found: list[tuple[str, str]] = []
        for _ in range(k * 20):
            if len(found) == k or not types:
                break
            etype = self.rng.choices(types, [weights[t] for t in types])[0]
            key = (etype, eid(etype, self.pick(etype)))
            if key not in found and key[1] not in exclude:
                found.append(key)
        return found


def create(d: Doc, etype: str, alt: float = 0.0, description: float = 0.0, descriptive: float = 0.0) -> str:
    """A new entity of ``etype`` in the registry; returns its id."""
    n = d.w.new(etype)
    entity_id = eid(etype, n)
    initials = "".join(word[0] for word in NAMES[etype][1].split()).upper()
    d.em.entity(etype, entity_id, label(etype, n), alt=f"{initials}{n}" if d.chance(alt) else None,
                description=f"Synthetic {etype.replace('-', ' ')} number {n}, generated for benchmarks."
                if d.chance(description) else None, descriptive=d.chance(descriptive))
    return entity_id


def participants(d: Doc, subject: tuple[str, str], roles: list[str], weights: dict[str, int]) -> list[str]:
    """Distinct popular organisations taking part in ``subject``, one per role; returns their ids."""
    orgs = d.w.orgs(weights, len(roles), exclude=(subject[1],))
    if len(orgs) < 2:  # a collaboration role needs two distinct organisations: one lead instead
        orgs, roles = orgs[:1], [roles[0] if roles[0] not in COLLABORATION else "lead"]
    lines = d.span()
    for org, role in zip(orgs, roles, strict=False):  # orgs may be fewer: their roles stay unfilled
        d.em.participation(subject, org, role, lines if d.chance(0.5) else d.span(), d.note())
    return [oid for _, oid in orgs]


def ensure(d: Doc, etype: str) -> None:
    """Make sure at least one entity of a type exists (only the first document ever needs this)."""
    if not d.w.count[etype]:
        d.builders[etype](d)


def ministry_of(d: Doc) -> int:
    """The document's own ministry most of the time, another (popular) one otherwise."""
    return d.home if d.home and d.chance(0.7) else d.w.pick("ministry")


# -- organisations ----------------------------------------------------------------------------
def government(d: Doc) -> None:
    create(d, "government", description=1.0)


def ministry(d: Doc) -> None:
    """A ministry and its sector concept, linked by a stated sk:sectorMinistry."""
    mid = create(d, "ministry", alt=0.95)
    d.home = d.w.count["ministry"]
    sid = create(d, "sector")
    d.em.in_scheme(sid, "sector", "Sektorer i faktaarkene")
    d.em.relation(sid, P["sector-ministry"], mid, d.span())


def subordinate(d: Doc, etype: str, alt: float) -> str:
    """An agency or state company under a ministry and listed in its sector (one fact-sheet line)."""
    oid = create(d, etype, alt=alt, description=0.03)
    parent = ministry_of(d)
    lines = d.span()
    d.em.relation(oid, P["subOrganizationOf"], eid("ministry", parent), lines)
    d.em.relation(oid, P["sector"], eid("sector", parent), lines)
    return oid


def agency(d: Doc) -> None:
    subordinate(d, "agency", alt=0.3)


def public_company(d: Doc) -> None:
    subordinate(d, "public-company", alt=0.2)


def unit(d: Doc) -> None:
    ensure(d, "agency")
    uid = create(d, "unit", description=0.9)
    parent = eid("ministry", d.w.pick("ministry")) if d.chance(0.15) else eid("agency", d.w.pick("agency"))
    d.em.relation(uid, P["subOrganizationOf"], parent, d.span())


def municipal(d: Doc) -> None:
    """A municipality, a member of an interest organisation (as the municipalities are of KS)."""
    ensure(d, "interest-organisation")
    mid = create(d, "municipal")
    d.em.membership(eid("interest-organisation", d.w.pick("interest-organisation")), mid, "member", d.span())


def interest(d: Doc) -> None:
    create(d, "interest-organisation", alt=0.6, description=0.6)


def company(d: Doc) -> None:
    cid = create(d, "company", alt=0.25, description=0.25)
    if d.w.count["interest-organisation"] and d.chance(0.15):
        d.em.relation(cid, P["subOrganizationOf"], eid("interest-organisation", d.w.pick("interest-organisation")), d.span())


def body(d: Doc) -> None:
    """A coordination body with 1–3 memberships, sometimes participants, sometimes part of another body."""
    ensure(d, "agency")
    bid = create(d, "coordination-body", alt=0.15, description=1.0, descriptive=0.05)
    weights = {"agency": 40, "coordination-body": 30, "ministry": 10, "interest-organisation": 6, "company": 3, "unit": 4}
    members = d.w.orgs(weights, 1 + int(3 * d.rng.random() ** 2), exclude=(bid,))
    for i, (etype, member) in enumerate(members):
        role = "member"
        if i == 0 and etype == "ministry":
            role = "chair"
        elif etype in ("agency", "unit") and d.chance(0.1):
            role = "secretariat"
        d.em.membership(bid, member, role, d.span(), d.note(0.2))
    if d.chance(0.3):
        participants(d, ("coordination-body", bid), ["participant"] * d.rng.randint(2, 4), SERVICE_PARTNERS)
    if d.w.count["coordination-body"] > 1 and d.chance(0.05):
        other = eid("coordination-body", d.w.pick("coordination-body", d.w.count["coordination-body"] - 1))
        d.em.relation(bid, P["isPartOf"], other, d.span())


def person(d: Doc) -> None:
    """A person in a public role: a minister, or the chair of an interest organisation's board."""
    pid = create(d, "person", description=0.3)
    if d.w.count["interest-organisation"] and d.chance(0.3):
        d.em.membership(eid("interest-organisation", d.w.pick("interest-organisation")), pid, "board-chair", d.span())
    else:
        d.em.membership(eid("ministry", ministry_of(d)), pid, "minister", d.span(), d.note(0.5))


def change(d: Doc) -> None:
    """An agency renamed: the old agency, a new one, and the change event between them."""
    ensure(d, "agency")
    old = eid("agency", d.w.pick("agency"))
    new = subordinate(d, "agency", alt=0.3)
    d.em.change("rename", [old], [new], d.issued if d.chance(0.5) else None, d.span())
