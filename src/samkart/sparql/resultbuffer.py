"""A memory region a query worker shares with the service, through which a result's bytes pass without the pipe.

Sending a result over the worker's pipe costs ~1.7 ms per MB at 1M triples (pickling a copy, the 64 KB pipe
refilled in turns, reading and unpickling another); through shared memory it is one copy on each side.
The region is an anonymous memory file (``os.memfd_create``): it needs no name, no clean-up and no
``/dev/shm`` space, is handed to the worker as an inherited file descriptor, and vanishes with the last
process that maps it. Its pages are allocated only as results touch them. Python's
``multiprocessing.shared_memory`` is not used: it names a ``/dev/shm`` file that a killed worker's resource
tracker would warn about or unlink, and workers here are killed by design. Where ``memfd_create`` is
missing (not Linux), results travel over the pipe as before.
"""

from __future__ import annotations

import mmap
import os

DEFAULT_SIZE = 64 * 1024 * 1024
"""Bytes a result may take to pass through the region (larger ones take the pipe). Address space only:
memory is used as results fill it."""
KEEP = 4 * 1024 * 1024
"""Bytes of the region kept in memory between results; the pages a larger result used are given back."""


class ResultBuffer:
    """One worker's region: the worker writes a result's bytes, the service copies them out before the
    worker is given its next query (so the two never touch it at once)."""

    def __init__(self, fd: int, size: int, keep: int = KEEP):
        self.fd, self.size, self.keep = fd, size, keep
        self._map = mmap.mmap(fd, size)

    @classmethod
    def create(cls, size: int = DEFAULT_SIZE) -> ResultBuffer | None:
        """A new region of ``size`` bytes whose descriptor a worker can inherit; None where the system has no
        anonymous memory files."""
        if not hasattr(os, "memfd_create") or size <= 0:
            return None
        fd = os.memfd_create("samkart-results")  # close-on-exec: only the worker given it (pass_fds) inherits it
        os.ftruncate(fd, size)
        return cls(fd, size)

    def put(self, body: bytes) -> bool:
        """Write ``body`` at the start of the region; False (nothing written) when it does not fit."""
        if len(body) > self.size:
            return False
        self._map[: len(body)] = body
        return True

    def take(self, length: int) -> bytes:
        """A copy of the first ``length`` bytes (what the worker last put there). Past ``keep`` bytes, the
        pages are then given back to the system (for both processes), so a worker that once answered with
        a large result does not hold its memory."""
        body = self._map[:length]
        start = -(-self.keep // mmap.PAGESIZE) * mmap.PAGESIZE
        if length > start and hasattr(mmap, "MADV_REMOVE"):
            self._map.madvise(mmap.MADV_REMOVE, start, length - start)
        return body

    def close(self) -> None:
        """Unmap the region and close its descriptor (the worker's own mapping keeps it alive until it exits)."""
        self._map.close()
        os.close(self.fd)
