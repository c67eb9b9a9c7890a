"""Real servers for the tests: uvicorn running our app, and an Oxigraph server, on free loopback ports."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]

REFERENCE: list[str] = []
"""Lines tests report for the end of the run (reference figures, e.g. how Oxigraph server fares on the
same requests); tests/conftest.py prints them in the terminal summary, whatever the capture mode."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Poll ``url`` until it answers; fail with the server's output if it dies or never answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{process.stdout.read() if process.stdout else ''}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server at {url} did not come up in {seconds} s")


class ServerURL(str):
    """A server's base URL that also knows the server's process id (for signals)."""

    pid: int


@contextmanager
def app_server(env: dict[str, str] | None = None):
    """Our app under uvicorn with our server configuration (`samkart serve`'s) in a subprocess; yields its base
    URL (a str with ``.pid``)."""
    port = free_port()
    command = [sys.executable, "-m", "samkart_service.server", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = ServerURL(f"http://127.0.0.1:{port}")
    base.pid = process.pid
    try:
        wait_until_up(f"{base}/health", process)
        yield base
    finally:
        process.kill()
        process.wait()


def report(line: str) -> None:
    """Add a line to the run's reference summary (see :data:`REFERENCE`)."""
    REFERENCE.append(line)


@contextmanager
def oxigraph_server(location: Path | None = None):
    """`oxigraph serve` (from the `oxigraph` PyPI package) with a union default graph; yields its base URL."""
    port = free_port()
    command = ["oxigraph", "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    if location:
        command += ["--location", str(location)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/query?query=ASK%7B%7D", process)
        yield base
    finally:
        process.kill()
        process.wait()


@contextmanager
def grlc_server(endpoint: str, queries: Path, folder: Path):
    """grlc (PyPI ``grlc``) in its local-folder mode: the ``.rq`` files of ``queries`` as an API over
    ``endpoint``, under one gunicorn worker on loopback (``grlc-server`` would bind 0.0.0.0 with 20).
    grlc reads its settings from ``config.ini`` in its working folder, ``folder``; yields its base URL."""
    (folder / "config.ini").write_text(f"[defaults]\nsparql_endpoint = {endpoint}\n\n[local]\n"
                                       f"local_sparql_dir = {queries}\n", encoding="utf-8")
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
               "--timeout", "60", "grlc.server:app"]
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api-local/", process)
        yield base
    finally:
        process.kill()
        process.wait()
