"""The HTML pages in a real headless Chromium, driven over the DevTools protocol against the app under uvicorn."""

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
import websocket  # the websocket-client package

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--disable-breakpad",
         "--disable-crash-reporter", "--mute-audio", "--hide-scrollbars",
         "--window-size=1280,900", "--remote-debugging-port=0"]
QUERY = """PREFIX cv: <http://data.europa.eu/m8g/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?org ?label WHERE {
  <https://w3id.org/samkart/id/service/digitalt-dodsbo> cv:hasParticipation/cv:hasParticipant ?org .
  ?org skos:prefLabel ?label
} ORDER BY ?label"""
ERROR_TEXT = "document.getElementById('error').textContent"
ASSET = re.compile(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)="([^"]*)"', re.I)


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    """Chromium, installed from the Debian archive when missing (skipped only if that install fails)."""
    found = shutil.which("chromium")
    if found is None:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        try:
            subprocess.run(["apt-get", "update"], check=True, capture_output=True, timeout=900, env=env)
            subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"], check=True,
                           capture_output=True, timeout=1800, env=env)
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.skip(f"Chromium is missing and 'apt-get install -y chromium' failed: {exc}")
        found = shutil.which("chromium")
        if found is None:
            pytest.skip("'apt-get install chromium' ran but no chromium binary is on PATH")
    return found


class Browser:
    """One headless Chromium page over the DevTools protocol: navigate, evaluate, click, type, screenshot."""

    def __init__(self, binary: str):
        self.profile = tempfile.mkdtemp(prefix="samkart-chromium-")
        self.process = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port = port_file.read_text().splitlines()[0]
        targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")

    def send(self, method: str, **params) -> dict:
        """Send a command and return its result (events arriving meanwhile are kept in ``events``)."""
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, seconds: float = 30):
        """Poll until the expression is truthy; its value."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def open(self, url: str, seconds: float = 30) -> None:
        """Navigate and wait for the new page's load event."""
        since = len(self.events)
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + seconds
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events[since:]):
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not load in {seconds} s")
            self.events.append(json.loads(self.ws.recv()))

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element, once it has stopped moving (smooth scrolling)."""
        where = f"""(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null;
            const r = e.getBoundingClientRect(); return r.width ? [r.x + r.width / 2, r.y + r.height / 2] : null; }})()"""
        self.wait_for(f"!!document.querySelector({json.dumps(selector)})")
        self.evaluate(f"document.querySelector({json.dumps(selector)}).scrollIntoView({{block: 'center'}})")
        box, previous = None, None
        while box is None or box != previous:
            previous, box = box, self.wait_for(where)
            time.sleep(0.05)
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def type_into(self, selector: str, text: str) -> None:
        """Click the field, select what is in it, and type ``text`` over it (real input events)."""
        self.click(selector)
        self.evaluate(f"(e => {{ e.focus(); e.select(); }})(document.querySelector({json.dumps(selector)}))")
        self.send("Input.insertText", text=text)

    def screenshot(self, path: Path) -> None:
        """A full-page PNG."""
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1}
        data = self.send("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        if getattr(self, "ws", None):
            self.ws.close()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # Chromium and the helpers it started (its own group)
        except ProcessLookupError:
            pass
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(chromium_binary):
    page = Browser(chromium_binary)
    yield page
    page.close()


ROWS = "document.querySelectorAll('#results tbody tr').length"
STATUS = "document.getElementById('status')"


def test_query_page_runs_sparql_and_named_queries(server, browser):
    browser.open(f"{server}/")
    assert browser.evaluate("document.title").startswith("samkart")
    browser.type_into("#query", QUERY)
    browser.click("#run")
    browser.wait_for(f"{ROWS} > 0 || !document.getElementById('error').hidden")
    assert browser.evaluate("document.getElementById('error').hidden"), browser.evaluate(ERROR_TEXT)
    assert browser.evaluate(ROWS) == 10
    links = browser.evaluate("""[...document.querySelectorAll('#results a')]
        .filter(a => a.textContent === 'Skatteetaten').map(a => a.getAttribute('href'))""")
    assert links and set(links) == {"/id/org/skatteetaten"}
    downloads = browser.evaluate("[...document.querySelectorAll('#downloads a')].map(a => a.dataset.format)")
    assert downloads == ["json", "xml", "csv", "tsv"]
    csv = browser.evaluate("document.querySelector('#downloads a[data-format=csv]').getAttribute('href')")
    assert "Skatteetaten" in httpx.get(server + csv).raise_for_status().text
    browser.screenshot(SCREENSHOTS / "query-page.png")

    # a named query through its own form, giving a name where the API takes an IRI
    browser.evaluate(f"{STATUS}.textContent = ''")
    browser.click("details:has(form[data-name=collaborators]) summary")
    browser.type_into("form[data-name=collaborators] input[name=subject]", "Digitalt dødsbo")
    browser.click("form[data-name=collaborators] button[type=submit]")
    browser.wait_for(f"/ rows? |failed/.test({STATUS}.textContent)")
    assert browser.evaluate("document.getElementById('error').hidden"), browser.evaluate(ERROR_TEXT)
    assert browser.evaluate(ROWS) >= 10
    heads = browser.evaluate("[...document.querySelectorAll('#results thead th')].map(t => t.textContent)")
    assert heads[:2] == ["?org", "?orgLabel"]
    first = browser.evaluate("document.querySelector('#downloads a').getAttribute('href')")
    assert first.startswith("/api/queries/collaborators?subject=")

    # a broken query shows the service's error message
    browser.type_into("#query", "SELECT * WHERE {")
    browser.click("#run")
    message = browser.wait_for(f"!document.getElementById('error').hidden && {ERROR_TEXT}")
    assert message.startswith("Error:") and len(message) > 10


def test_resource_page(server, browser):
    browser.open(f"{server}/id/org/digitaliseringsdirektoratet")
    assert browser.evaluate("document.querySelector('h1').textContent") == "Digitaliseringsdirektoratet"
    sources = browser.evaluate("[...document.querySelectorAll('.sources a')].map(a => a.getAttribute('href'))")
    assert sources and all(s.startswith("/id/doc/") for s in sources)
    formats = browser.evaluate("[...document.querySelectorAll('.formats a[type]')].map(a => a.getAttribute('href'))")
    assert formats == [f"/id/org/digitaliseringsdirektoratet?format={f}" for f in ("ttl", "jsonld", "nt")]
    assert browser.evaluate("document.querySelectorAll('table.facts tbody tr').length") > 5
    browser.screenshot(SCREENSHOTS / "resource-page.png")
    browser.click(".sources a")
    browser.wait_for("location.pathname.startsWith('/id/doc/') && document.readyState === 'complete'")
    assert browser.evaluate("document.querySelector('h1').textContent")


def test_results_link_to_resource_pages(server, browser):
    browser.open(f"{server}/?query={quote(QUERY)}")  # the page runs a query given in its URL
    browser.wait_for(f"{ROWS} === 10")
    browser.click("#results a[href='/id/org/skatteetaten']")
    browser.wait_for("location.pathname === '/id/org/skatteetaten' && document.readyState === 'complete'")
    assert browser.evaluate("document.querySelector('h1').textContent") == "Skatteetaten"


def test_nothing_is_loaded_from_outside_the_app(server, browser):
    for path in ("/", "/id/org/digitaliseringsdirektoratet", "/def"):
        browser.open(server + path)
    urls = browser.requested_urls()
    assert any(u.endswith("/static/app.js") for u in urls) and any(u.endswith("/static/app.css") for u in urls)
    outside = [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    for path in ("/", "/sparql", "/id/org/digitaliseringsdirektoratet", "/def/scheme/role/lead"):
        page = httpx.get(server + path, headers={"Accept": "text/html"}).text
        assets = ASSET.findall(page)
        assert "/static/app.css" in assets
        assert [a for a in assets if not a.startswith("/") or a.startswith("//")] == [], path
