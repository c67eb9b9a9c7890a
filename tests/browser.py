"""Headless Chromium over the DevTools protocol for the page tests: the Browser helper and its fixtures."""

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest
import websocket  # the websocket-client package

from system import require

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--disable-breakpad",
         "--disable-crash-reporter", "--mute-audio", "--hide-scrollbars",
         "--window-size=1280,900", "--remote-debugging-port=0"]


AXE = ROOT / "tests" / "vendor" / "axe" / "axe.min.js"
"""axe-core, vendored by scripts/refresh-axe.sh (MPL-2.0); injected into pages for the accessibility check."""
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
  `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample || ''}`));"""
"""Run in every new document: records Content-Security-Policy violations for the tests to read."""


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    """Chromium (Debian package chromium, installed by scripts/system-packages.sh)."""
    return require("chromium", package="chromium")


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
        self.send("Page.addScriptToEvaluateOnNewDocument", source=WATCH)

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

    def outside_requests(self) -> list[str]:
        """Every request so far that went anywhere but loopback (data: and blob: stay in the page)."""
        from urllib.parse import urlsplit

        return [u for u in self.requested_urls() if urlsplit(u).scheme not in ("data", "blob", "about")
                and urlsplit(u).hostname not in ("127.0.0.1", "localhost", "::1")]

    def csp_violations(self) -> list[str]:
        """Content-Security-Policy violations the current page reported (see WATCH)."""
        return self.evaluate("window.__violations || []")

    def script_errors(self) -> list[str]:
        """Uncaught exceptions thrown in any page so far."""
        return [e["params"]["exceptionDetails"].get("exception", {}).get("description", e["params"]["exceptionDetails"]["text"])
                for e in self.events if e.get("method") == "Runtime.exceptionThrown"]

    def accessibility_problems(self, impacts=("serious", "critical")) -> list[str]:
        """axe-core's WCAG 2 A/AA violations of the current page with one of ``impacts``, in words."""
        if not self.evaluate("typeof axe !== 'undefined'"):
            self.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
        found = self.evaluate("""axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } })
            .then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))""")
        return [f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in found if v["impact"] in impacts]

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
