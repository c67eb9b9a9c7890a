"""The HTML pages: profiles of entities, the query page (YASGUI), readable catalogue pages, the named-query
index, error pages, and the shell they share. Only local assets; no inline script or style."""

from .cache import PageCache
from .html import DEF_HASH, DEF_PATH, curie, local_href, safe_href, term_html, web_href
from .layout import error_page, json_script, layout

__all__ = ["DEF_HASH", "DEF_PATH", "PageCache", "curie", "error_page", "json_script", "layout", "local_href",
           "safe_href", "term_html", "web_href"]
