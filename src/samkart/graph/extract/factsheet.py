"""Extract the fact-sheet structure: sector headings, agency lists, strategy, portfolio and funding lists."""

import re
from typing import TypedDict

from samkart.errors import InputError
from samkart.graph.registry import Registry

from .common import BULLET, Extraction, Resolver

AGENCY_HEADINGS = re.compile(
    r"^(Etater|Virksomheter|Underliggende etater|Underliggende virksomheter|Selskaper/statsforetak"
    r"|Etater/[Vv]irksomheter|Vir[sk]{2}omheter/medlemmer|Virksomheter/medlemmer)$")
LIST_HEADINGS = {
    "Strategier": ("strategy", "plan"),
    "Strategier, porteføljer og oversikter over tiltak": ("strategy", "plan"),
    "Porteføljer/oversikter over tiltak": ("portfolio", "plan"),
    "Finansieringsmekanismer": ("funding-scheme", "funding-scheme"),
}
OTHER_HEADINGS = {"Koordinering og samhandlingsarenaer", "Tiltak", "Organisatoriske styringsmekanismer",
                  "Samstyringsmodeller:"}
SECTOR_LIKE = re.compile(r"^[A-ZÆØÅ][\w\- ,]{2,60}(område|sektoren|sektor)$")
ADMINISTRATORS = re.compile(r"^(?P<name>.*?)\s*\((?P<admins>[^()]+)\)$")


class Sector(TypedDict):
    """One entry of data/sectors.yaml: a fact-sheet heading, the sector's id and the body heading it."""

    heading: str
    id: str
    head: str


def looks_like_factsheet(lines: list[str]) -> bool:
    """True when the text has fact-sheet sub-headings."""
    return sum(line.strip() in LIST_HEADINGS or bool(AGENCY_HEADINGS.match(line)) for line in lines) >= 2


class FactSheetReader:
    """Walks a fact-sheet text line by line, keeping the current sector and list context."""

    def __init__(self, document: str, path: str, sectors: list[Sector], resolver: Resolver, skips: dict[int, str]):
        self.out = Extraction(document)
        self.path = path
        self.sectors = {s["heading"]: s for s in sectors}
        self.resolver = resolver
        self.skips = skips
        self.sector: Sector | None = None
        self.context: str | None = None

    def read(self, lines: list[str]) -> Extraction:
        """Extract everything; raises :class:`InputError` at the first line it cannot place."""
        self.lines = [raw.strip() for raw in lines]
        for number, text in enumerate(self.lines, 1):
            self.line(text, number)
        if not self.out.facts:
            raise InputError("no fact-sheet sector heading found; add the headings to data/sectors.yaml", self.path)
        self.out.minted = self.resolver.minted
        return self.out

    def line(self, text: str, number: int) -> None:
        """Place one line: a heading changes context, a bullet in a list context becomes facts."""
        if text in self.sectors:
            self.start_sector(self.sectors[text], number)
        elif AGENCY_HEADINGS.match(text):
            self.context = "agencies"
        elif text in LIST_HEADINGS:
            self.context = text
        elif text in OTHER_HEADINGS:
            self.context = None
        elif SECTOR_LIKE.match(text) and self.heads_a_sheet(number):
            raise InputError(f"'{text}' looks like a sector heading but is not in data/sectors.yaml", self.path, number)
        elif text.startswith(BULLET) and self.context and number not in self.skips:
            sector = self.require_sector(number)
            if self.context == "agencies":
                self.agency(sector, text[len(BULLET):].strip(), number)
            else:
                self.listed_item(sector, LIST_HEADINGS[self.context], text[len(BULLET):].strip(), number)

    def heads_a_sheet(self, number: int) -> bool:
        """True when a fact-sheet sub-heading follows within three lines (so the line heads a sheet)."""
        following = self.lines[number:number + 3]
        return any(t in LIST_HEADINGS or t in OTHER_HEADINGS or AGENCY_HEADINGS.match(t) for t in following)

    def require_sector(self, number: int) -> Sector:
        """The current sector; a list before any sector heading is an input error."""
        if self.sector is None:
            raise InputError("a list appears before any sector heading", self.path, number)
        return self.sector

    def start_sector(self, sector: Sector, number: int) -> None:
        self.sector, self.context = sector, None
        self.out.entities.append({"id": sector["id"], "type": "sector", "label": sector["heading"]})
        self.out.fact("relation", number, **{"from": sector["id"], "rel": "sector-ministry", "to": sector["head"]})

    def agency(self, sector: Sector, text: str, number: int) -> None:
        """An agency-list bullet: the agency is subordinate to (or, for municipalities, member of) the head."""
        variants = []
        paren = re.match(r"^(.*) \(([^)]+)\)$", text)
        if paren:
            variants.append(paren.group(1))
        dashed = re.match(r"^([A-ZÆØÅ][\w-]{1,6}) - (.*)$", text)
        if dashed:
            variants.append(dashed.group(2))
        org = self.resolver.require(text, "agency", "org", self.path, number, *variants)
        head = sector["head"]
        self.out.fact("sector", number, item=org, sector=sector["id"])
        registry: Registry = self.resolver.registry
        if org in registry and registry[org].type == "municipal":
            self.out.fact("membership", number, body=head, member=org, role="member")
        else:
            self.out.fact("subordinate", number, org=org, parent=head)

    def listed_item(self, sector: Sector, listing: tuple[str, str], text: str, number: int) -> None:
        """A strategy, portfolio or funding bullet (``listing``: its entity type and id kind): the item is listed
        in the sector."""
        etype, kind = listing
        name = text.split(": ", 1)[0].strip()
        admins: list[str] = []
        if etype == "funding-scheme":
            name = name.split(". ", 1)[0].strip().rstrip(".")
            found = ADMINISTRATORS.match(name)
            if found and not self.resolver.find(name):
                name, admins = found.group("name"), re.split(r", | og ", found.group("admins"))
        item = self.resolver.require(name, etype, kind, self.path, number)
        self.out.fact("sector", number, item=item, sector=sector["id"])
        for admin in admins:
            org = self.resolver.require(admin.strip(), "agency", "org", self.path, number)
            self.out.fact("participation", number, subject=item, org=org, role="administrator")
