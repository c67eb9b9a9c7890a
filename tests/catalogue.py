"""The test publisher's settings and a `samkart` command runner, shared by the publishing, catalogue and page tests."""

import os
import subprocess
import sys

TEST_CATALOGUE = {  # a test publisher: settings a deployment must supply; nothing like this ships as data
    "SAMKART_PUBLIC_BASE_URL": "https://data.example.org/samkart/", "SAMKART_PUBLISHER_NAME": "Eksempelpublisist",
    "SAMKART_PUBLISHER_IRI": "https://data.example.org/org/eksempel", "SAMKART_CONTACT_NAME": "Eksempel kontakt",
    "SAMKART_CONTACT_EMAIL": "post@example.org",
    "SAMKART_LICENCE": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
}


def samkart(*args: str, env: dict[str, str] | None = None, cwd=None, clean: bool = False) -> subprocess.CompletedProcess:
    """`samkart ARGS` in a subprocess, as a user runs it; ``clean`` drops every SAMKART_* setting of this environment."""
    base = {k: v for k, v in os.environ.items() if not (clean and k.startswith("SAMKART_"))}
    return subprocess.run([sys.executable, "-m", "samkart.cli", *args], capture_output=True, text=True,
                          env={**base, **(env or {})}, cwd=cwd)
