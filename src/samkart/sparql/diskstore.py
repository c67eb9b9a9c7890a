"""A persistent on-disk pyoxigraph store per set of data files: loaded once, then opened read-only in milliseconds."""

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from samkart.errors import SamkartError

from .store import bulk_load, format_of

MARKER = "samkart-source.json"


def fingerprint(paths: list[Path]) -> dict:
    """What identifies the data: each file's absolute path, size and modification time (ns)."""
    files = []
    for path in paths:
        stat = path.resolve().stat()
        files.append({"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns})
    return {"files": files, "pyoxigraph": ox.__version__}


def data_version(paths: list[Path]) -> str:
    """A short digest of the files' fingerprint: names the store folder and versions ETags."""
    return hashlib.sha256(json.dumps(fingerprint(paths), sort_keys=True).encode()).hexdigest()[:16]


def store_path(paths: list[Path], root: Path) -> Path:
    """The folder under ``root`` that holds (or will hold) the store for these files."""
    return root / data_version(paths)


def prepare(paths: list[Path], root: Path) -> Path:
    """A ready on-disk store for ``paths`` under ``root``: reused when current, else bulk-loaded into a
    temporary folder and renamed into place (a crash leaves no half-loaded store). Processes preparing the
    same store at once (``--workers 2``, two servers over one folder) take turns: one loads it, the others
    wait and then open it."""
    for path in paths:  # clear errors before any work (a missing file cannot be fingerprinted)
        format_of(path)
    target = store_path(paths, root)
    if (target / MARKER).is_file():
        return target
    root.mkdir(parents=True, exist_ok=True)
    with _exclusive(root):
        if (target / MARKER).is_file():  # another process loaded it while this one waited
            return target
        return _load_in_place(paths, root, target)


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (no lock file is left behind; the operating system
    releases the lock if the process dies). Without ``fcntl`` (Windows), no lock."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _load_in_place(paths: list[Path], root: Path, target: Path) -> Path:
    """Load the store into a temporary folder, then rename it to ``target``."""
    temporary = root / f".{target.name}.loading"
    shutil.rmtree(temporary, ignore_errors=True)
    try:
        _load_into(temporary, paths)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    (temporary / MARKER).write_text(json.dumps(fingerprint(paths), indent=1), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    temporary.rename(target)
    prune_stale(root, keep=target)
    return target


def _load_into(folder: Path, paths: list[Path]) -> None:
    """Bulk-load ``paths`` into a new on-disk store at ``folder``, compact it and close it."""
    store = ox.Store(str(folder))
    try:
        bulk_load(store, paths)
        store.optimize()
        store.flush()
    except OSError as exc:
        raise SamkartError(f"cannot write the store in '{folder}': {exc}") from None
    finally:
        del store  # closed before the caller renames or removes the folder


def open_read_only(path: Path) -> ox.Store:
    """Open a prepared store read-only (many processes may do so at once)."""
    return ox.Store.read_only(str(path))


def prune_stale(root: Path, keep: Path) -> list[Path]:
    """Remove the stores under ``root`` whose data files are gone or changed since they were loaded (every
    build makes a new store, so without this they pile up). A store of files that are still as they were
    stays, whichever server uses it; ``keep`` always stays. Returns what was removed."""
    removed = []
    for child in sorted(root.iterdir()) if root.is_dir() else []:
        marker = child / MARKER
        if child == keep or not marker.is_file():
            continue
        try:
            recorded = json.loads(marker.read_text(encoding="utf-8"))
            current = fingerprint([Path(f["path"]) for f in recorded["files"]])
        except (OSError, ValueError, KeyError, TypeError):  # a file is gone, or the marker is unreadable
            current = None
        if current != recorded:
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed
