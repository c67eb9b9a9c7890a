"""A persistent on-disk pyoxigraph store per set of data files: loaded once, then opened read-only in milliseconds."""

import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox

from .errors import SamkartError

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
    temporary folder and renamed into place (a crash leaves no half-loaded store)."""
    from .backends import _format_of

    target = store_path(paths, root)
    if (target / MARKER).is_file():
        return target
    formats = [_format_of(path) for path in paths]  # clear errors before any work
    root.mkdir(parents=True, exist_ok=True)
    temporary = root / f".{target.name}.loading"
    shutil.rmtree(temporary, ignore_errors=True)
    store = ox.Store(str(temporary))
    try:
        for path, fmt in zip(paths, formats):
            store.bulk_load(path=str(path), format=fmt)
        store.optimize()
        store.flush()
    except (OSError, SyntaxError, ValueError) as exc:
        del store
        shutil.rmtree(temporary, ignore_errors=True)
        raise SamkartError(f"cannot load {', '.join(p.name for p in paths)}: {exc}") from None
    del store
    (temporary / MARKER).write_text(json.dumps(fingerprint(paths), indent=1), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    temporary.rename(target)
    return target


def open_read_only(path: Path) -> ox.Store:
    """Open a prepared store read-only (many processes may do so at once)."""
    return ox.Store.read_only(str(path))


def prune(root: Path, keep: set[Path]) -> None:
    """Remove stores under ``root`` other than ``keep`` (old data after a reload)."""
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.is_dir() and child not in keep and (child / MARKER).is_file():
            shutil.rmtree(child, ignore_errors=True)
