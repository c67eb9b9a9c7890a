"""The page shell every HTML page shares (header, navigation, footer) and the friendly error page.

Pages load only the app's own files and carry no inline script or style (they work under the strict
Content-Security-Policy ``default-src 'self'``); data for a script travels in
``<script type="application/json">``, which is not executed.
"""

import json
from html import escape

from samkart import __version__

NAVIGATION = [("/", "Query"), ("/explore", "Collaboration map"), ("/def", "Ontology"), ("/catalog", "Catalogue"),
              ("/api/queries", "Named queries"), ("/search", "Search"), ("/openapi.json", "OpenAPI")]


def json_script(ident: str, data) -> str:
    """Data for a page script, in a non-executed ``application/json`` block (``</`` escaped)."""
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")
    return f'<script type="application/json" id="{escape(ident)}">{text}</script>'


def layout(title: str, body: str, head: str = "", scripts: tuple[str, ...] = (), styles: tuple[str, ...] = (),
           current: str = "") -> str:
    """A whole page: ``styles`` and ``scripts`` are names of files under /static/ (loaded after app.css)."""
    links = "".join(f'<link rel="stylesheet" href="/static/{escape(s)}">\n' for s in styles)
    js = "".join(f'<script src="/static/{escape(s)}" defer></script>\n' for s in scripts)
    nav = "".join(f'<li><a href="{href}"' + (' aria-current="page"' if href == current else "") + f">{name}</a></li>"
                  for href, name in NAVIGATION)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="stylesheet" href="/static/app.css">
{links}{head}{js}</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
  <a class="brand" href="/">samkart</a>
  <span class="tagline">Who does what in Norwegian public-sector digitalisation</span>
  <nav aria-label="Site"><ul>{nav}</ul></nav>
</header>
<main id="main">
{body}
</main>
<footer class="site">samkart {escape(__version__)} · data from five public government documents, each fact linked
to its source · <a href="/sparql?format=ttl">service description</a> · <a href="/void">dataset description</a></footer>
</body>
</html>
"""


HINTS = {404: "Check the address, or start from one of these pages:", 405: "This address takes other methods.",
         406: "Ask for one of the formats listed, or open the page in a browser."}


def error_page(status: int, title: str, message: str) -> str:
    """A friendly page for a 4xx/5xx answer to a browser: what went wrong and where to go next."""
    hint = HINTS.get(status, "You can go back, or start from one of these pages:")
    places = "".join(f'<li><a href="{href}">{name}</a></li>' for href, name in NAVIGATION[:5])
    body = f"""<section class="problem" aria-labelledby="problem-title">
<p class="status">Error {status}</p>
<h1 id="problem-title">{escape(title)}</h1>
<p class="message">{escape(message)}</p>
<p>{escape(hint)}</p>
<ul class="places">{places}</ul>
<form class="search" method="get" action="/search" role="search">
  <label for="find">Find an organisation, service or plan by name</label>
  <div class="inline"><input id="find" name="q" type="search" autocomplete="off" placeholder="e.g. Bits AS">
  <button type="submit">Search</button></div>
</form>
</section>"""
    return layout(f"{title} · samkart", body)
