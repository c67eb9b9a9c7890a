"""Debian binaries some tests need: found on PATH, else skipped (or failed under CI) with a reason naming the script."""

import os
import shutil

import pytest

SCRIPT = "scripts/system-packages.sh"


def require(*names: str, package: str) -> str:
    """The path of the first of ``names`` on PATH; when none is there, skip the test with a reason naming
    the install script, or fail it when CI=true (CI runs the script, so a missing binary is a real fault)."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = f"{' or '.join(names)} is not installed (Debian package {package}): run {SCRIPT} as root"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} — CI runs it before the tests, so this is a fault", pytrace=False)
    pytest.skip(reason)
