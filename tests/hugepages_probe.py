"""What the kernel offers and gives in transparent huge pages, for the tests of the huge-page copy."""

import sys
from pathlib import Path

SETTING = Path("/sys/kernel/mm/transparent_hugepage/enabled")


def on_request() -> bool:
    """True when huge pages come on request only (THP ``madvise``): a process holds them because it asked."""
    return sys.platform.startswith("linux") and SETTING.is_file() and "[madvise]" in SETTING.read_text()


def available() -> bool:
    """True when the kernel can give a process huge pages (THP ``always`` or ``madvise``)."""
    return sys.platform.startswith("linux") and SETTING.is_file() and "[never]" not in SETTING.read_text()


def anon_huge_kb(pid: str | int = "self") -> int:
    """The AnonHugePages figure of a process, in kB."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("AnonHugePages:"):
            return int(line.split()[1])
    return 0
