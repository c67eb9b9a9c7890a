"""The strict syntax pass validation runs beside a lenient load: parse a file, store nothing, print the first error.

    python -m samkart.shacl.syntaxpass FILE FORMAT    (FORMAT: a pyoxigraph RdfFormat name, e.g. N_QUADS)

Prints the strict parser's message for the first error (nothing if the file parses) and exits 0; any other
exit means the pass did not finish. Imports pyoxigraph only, so the process starts in a few hundredths of
a second (see :mod:`samkart.shacl.loading`).
"""

import sys

import pyoxigraph as ox


def strict_syntax_error(path: str, format_name: str) -> str | None:
    """The strict parser's message for the first error in a file (None: it parses), storing nothing."""
    try:
        for _ in ox.parse(path=path, format=getattr(ox.RdfFormat, format_name)):
            pass
    except (OSError, SyntaxError, ValueError) as exc:
        return str(exc)
    return None


if __name__ == "__main__":
    sys.stdout.write(strict_syntax_error(sys.argv[1], sys.argv[2]) or "")
