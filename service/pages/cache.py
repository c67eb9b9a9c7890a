"""Generated pages kept per loaded dataset: rendered once (in a worker thread), served from memory after.

The key holds the service's data version, so a reload (a new service, a new version) gives fresh pages
and the old ones are never served again; the least recently used pages go first past ``limit``.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable


class PageCache:
    """HTML by (data version, page key); at most ``limit`` pages."""

    def __init__(self, limit: int = 512):
        self.limit = limit
        self.pages: OrderedDict[tuple, str] = OrderedDict()
        self.lock = threading.Lock()
        self.renders = 0

    def get(self, version: str, key: tuple) -> str | None:
        with self.lock:
            page = self.pages.get((version, *key))
            if page is not None:
                self.pages.move_to_end((version, *key))
            return page

    def get_or_render(self, version: str, key: tuple, render: Callable[[], str]) -> str:
        """The page, rendering it now when this data version has not got it yet (call off the event loop)."""
        page = self.get(version, key)
        if page is not None:
            return page
        page = render()
        with self.lock:
            self.renders += 1
            self.pages[(version, *key)] = page
            for stale in [k for k in self.pages if k[0] != version]:  # a reload: drop the old data's pages
                del self.pages[stale]
            while len(self.pages) > self.limit:
                self.pages.popitem(last=False)
        return page
