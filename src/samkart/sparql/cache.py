"""Query results kept in memory between reloads: an LRU map with an entry and a byte budget.

The data is read-only between reloads, so a result is valid until the service is reloaded (a reload
builds a new service with an empty cache). Hand-written rather than functools.lru_cache or cachetools
because entries are filled in two steps (the result, then each format's body) and sized in bytes.
"""

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .results import Result, Table


@dataclass
class Entry:
    """One query's materialised result and its bodies, per media type, as they are asked for."""

    result: Result
    size: int
    bodies: dict[str, bytes] = field(default_factory=dict)
    kept: bool = False
    responses: dict[str, Any] = field(default_factory=dict)  # per media type, what a web layer prepared to send (headers)
    source: tuple[Any, ...] | None = None  # (query text with bindings, dataset options, asked formats), to run it again


def result_size(result: object) -> int:
    """A rough byte size of a materialised result (for the budget), without parsing rows held as bytes."""
    if isinstance(result, Table):
        if result.body is not None:
            return 64 + len(result.body)
        return 64 + sum(48 + sum(len(t.value) + 48 for t in row if t is not None) for row in result.rows)
    if isinstance(result, list):
        return 64 + sum(len(str(t)) + 64 for t in result)
    return 64


class ResultCache:
    """Thread-safe LRU of :class:`Entry` by key, within ``max_entries`` and ``max_bytes``."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Entry | None:
        """The entry for ``key`` (now the most recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def peek(self, key: Hashable) -> Entry | None:
        """The entry for ``key`` without counting a hit or marking it used (see :meth:`touch`)."""
        return self._entries.get(key)

    def touch(self, key: Hashable) -> None:
        """Count a hit on ``key`` and mark it the most recently used (after :meth:`peek` found it)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1

    def put(self, key: Hashable, result: Result) -> Entry:
        """Keep ``result`` under ``key`` (when the cache is on and it fits) and return its entry."""
        entry = Entry(result, result_size(result))
        if self.max_entries == 0 or entry.size > self.max_bytes:
            return entry
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes -= old.size if old else 0
            self._entries[key] = entry
            entry.kept = True
            self._bytes += entry.size
            self._evict()
        return entry

    def add_body(self, entry: Entry, media_type: str, body: bytes) -> None:
        """Remember ``entry``'s body in one format (counted in the byte budget, unless it is the very bytes
        the result already holds: a SPARQL JSON body is sent as pyoxigraph wrote it)."""
        with self._lock:
            if media_type in entry.bodies:
                return
            entry.bodies[media_type] = body
            if body is getattr(entry.result, "body", None):
                return
            entry.size += len(body)
            if entry.kept:
                self._bytes += len(body)
                self._evict()

    def _evict(self) -> None:
        while self._entries and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
            _, entry = self._entries.popitem(last=False)
            entry.kept = False
            self._bytes -= entry.size

    def stats(self) -> dict[str, int]:
        """Entries, bytes, hits and misses so far."""
        with self._lock:
            return {"entries": len(self._entries), "bytes": self._bytes, "hits": self.hits, "misses": self.misses}


def etag(version: str, key: object, media_type: str) -> str:
    """A strong ETag for one result body: the data version and a digest of the request key and format."""
    digest = hashlib.sha256(repr((key, media_type)).encode("utf-8")).hexdigest()[:20]
    return f'"{version}-{digest}"'


def file_etag(path: Path) -> str:
    """A strong ETag for a published file: its SHA-256 (the checksum the catalogue gives), computed once per
    path, size and modification time (the last few kept)."""
    stat = path.stat()
    return _file_digest(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    with open(path, "rb") as file:
        return '"' + hashlib.file_digest(file, "sha256").hexdigest() + '"'


def not_modified(if_none_match: str | None, tag: str) -> bool:
    """True when an If-None-Match header lists ``tag`` (the client's copy is current: answer 304)."""
    return tag in [t.strip() for t in (if_none_match or "").split(",")]
