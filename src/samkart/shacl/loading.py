"""How validation loads a dataset file: large files leniently, with a strict syntax pass on another core.

pyoxigraph's lenient parser skips IRI and language-tag checks (a fifth less CPU for the load, 10M triples:
37 s against 44 s) but would accept a relative or malformed IRI that the strict one refuses. So for a large
file a second process parses the same file strictly, without storing anything, while this one loads it;
the checks start only once that pass has found nothing, and an error it finds is the very error the strict
load gives (same message, same line). The store pyoxigraph takes one writer at a time, so this is the one
way to use the second core while loading. Small files (the real graph) load strictly in one go: starting
a process would cost more than the lenient parser saves.
"""

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from samkart.errors import SamkartError
from samkart.settings import Settings
from samkart.sparql.store import bulk_load, format_of, short_parser_message

__all__ = ["LENIENT_FROM_BYTES", "load_for_validation"]

LENIENT_FROM_BYTES: int = Settings.model_fields["validate_lenient_from_bytes"].default
"""Files at least this large load leniently beside a strict pass (the setting's default)."""


def _unreadable(path: Path, message: str) -> SamkartError:
    return SamkartError(f"cannot read '{path}': {message}")


def _load_lenient_checked(store: ox.Store, path: Path, fmt: ox.RdfFormat) -> None:
    """Lenient load here, strict pass in a child process; the strict pass's error wins over any other."""
    command = [sys.executable, "-m", "samkart.shacl.syntaxpass", str(path), _format_name(fmt)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        try:
            lenient_error = None
            try:
                store.load(path=str(path), format=fmt, lenient=True)
            except (OSError, SyntaxError, ValueError) as exc:
                lenient_error = str(exc)
            out, err = child.communicate()
        finally:
            if child.poll() is None:  # interrupted while loading: the pass is of no more use
                child.kill()
    if child.returncode != 0:  # killed, out of memory …: nothing is proven about the file
        detail = short_parser_message(err.decode("utf-8", "replace")) or f"exit status {child.returncode}"
        raise _unreadable(path, f"the strict syntax check of the file did not finish ({detail})")
    strict_error = out.decode("utf-8", "replace")
    if strict_error or lenient_error:
        raise _unreadable(path, short_parser_message(strict_error or lenient_error or ""))


def _format_name(fmt: ox.RdfFormat) -> str:
    """The RdfFormat's attribute name, which the child process takes on its command line."""
    return next(name for name in dir(ox.RdfFormat) if name.isupper() and getattr(ox.RdfFormat, name) == fmt)


def load_for_validation(path: Path, lenient_from: int = LENIENT_FROM_BYTES) -> ox.Store:
    """A dataset file (format from its extension) in an in-memory store, refused exactly as a strict load
    would refuse it (SamkartError naming the file, the parser's message and position); files of at least
    ``lenient_from`` bytes load leniently beside a strict pass."""
    path = Path(path)
    fmt = format_of(path)
    store = ox.Store()
    if os.path.getsize(path) >= lenient_from:
        _load_lenient_checked(store, path, fmt)
    else:
        bulk_load(store, [path], in_memory=True)
    return store
