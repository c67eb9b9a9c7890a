"""Extract measures from action-plan tables: `Regjeringen vil: | Ansvarlig departement: | Status: |`."""

import re

from samkart.errors import InputError
from samkart.slugs import slugify

from .common import Extraction, Resolver

HEADER = re.compile(r"^Regjeringen vil:\s*\|\s*Ansvarlig departement:\s*\|\s*Status:\s*\|\s*$")
STATUS_CODES = {"pågår": "pagar", "fullført": "fullfort", "løpende": "lopende",
                "uavklart": "uavklart", "ikke startet": "ikke-startet"}


def looks_like_table(lines: list[str]) -> bool:
    """True when the text has at least one action-plan table header."""
    return any(HEADER.match(line) for line in lines)


def _row_cells(line: str, path: str, number: int) -> list[str]:
    cells = [c.strip() for c in line.rstrip().rstrip("|").split("|")]
    if len(cells) != 3 or not all(cells):
        raise InputError(f"a table row needs 3 non-empty cells (measure | ministry | status |), got {len(cells)}", path, number)
    return cells


def extract_tables(lines: list[str], document: str, path: str, resolver: Resolver) -> Extraction:
    """Measures, their sections, responsible ministries and statuses, from every table in ``lines``."""
    out = Extraction(document)
    chapter_title = lines[0].strip()
    chapter = f"plan/{slugify(chapter_title)}"
    out.entities.append({"id": chapter, "type": "plan-section", "label": chapter_title})
    section, in_table = None, False
    for number, line in enumerate(lines, 1):
        if HEADER.match(line):
            title = lines[number - 2].strip() if number > 1 else ""
            if not title or "|" in title:
                raise InputError("a table header must follow its section heading line", path, number)
            section = f"plan/{slugify(title)}"
            out.entities.append({"id": section, "type": "plan-section", "label": title})
            out.fact("part-of", number - 1, part=section, whole=chapter)
            in_table = True
        elif in_table and section is not None and "|" in line:  # a header sets both
            _add_measure(out, _row_cells(line, path, number), section, path, number, resolver)
        else:
            in_table = False
    if section is None:
        raise InputError("no action-plan table found (header 'Regjeringen vil: | Ansvarlig departement: | Status: |')", path)
    return out


def _add_measure(out: Extraction, cells: list[str], section: str, path: str, number: int, resolver: Resolver) -> None:
    title, ministry_name, status_text = cells
    status = STATUS_CODES.get(status_text.casefold())
    if status is None:
        raise InputError(f"unknown status '{status_text}'; expected one of {sorted(STATUS_CODES)}", path, number)
    ministry = resolver.require(ministry_name, "ministry", "org", path, number)
    measure = f"measure/{slugify(title)}"
    out.entities.append({"id": measure, "type": "measure", "label": title})
    out.fact("part-of", number, part=measure, whole=section)
    out.fact("participation", number, subject=measure, org=ministry, role="responsible")
    out.fact("status", number, item=measure, status=status)
