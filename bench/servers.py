"""The servers a benchmark compares, started on loopback: samkart, Oxigraph (memory, disk), rdflib-endpoint.
(httpx, of the `bench` extra, is imported where it is used, so `samkart bench --help` works without it.)"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (0 when it is gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def wait_for(url: str, process: subprocess.Popen, seconds: float) -> float | None:
    """Seconds until ``url`` answers below 500, or None when the process dies or time runs out."""
    import httpx

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if process.poll() is not None:
            return None
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return time.monotonic() - started
        except httpx.HTTPError:
            time.sleep(0.05)
    return None


class Server:
    """A started server: base URL, query URL, process, start-up seconds (None: did not come up)."""

    def __init__(self, name: str, base: str, query_url: str, process: subprocess.Popen, startup: float | None):
        self.name, self.base, self.query_url, self.process, self.startup = name, base, query_url, process, startup

    @property
    def up(self) -> bool:
        return self.startup is not None and self.process.poll() is None

    def memory(self) -> float:
        return rss_mb(self.process.pid)

    def wait_in_memory(self, seconds: float = 900) -> float | None:
        """Seconds until every query worker and the in-process lane answer from their in-memory copies
        (samkart's /health says so), counted from now; None when it does not happen within ``seconds``."""
        import httpx

        started_at = time.monotonic()
        while time.monotonic() - started_at < seconds and self.process.poll() is None:
            health = httpx.get(f"{self.base}/health", timeout=10).json()
            workers, lane = health.get("workers") or {}, health.get("inprocess") or {}
            workers_ready = workers.get("in_memory") is None or workers["in_memory"] >= workers["workers"]
            if workers_ready and lane.get("in_memory") is not False:
                return time.monotonic() - started_at
            time.sleep(0.1)
        return None


@contextmanager
def started(name: str, command: list[str], base: str, query_url: str, probe: str, seconds: float, env=None):
    """Run ``command`` until the block ends; yields a :class:`Server` (check ``.up``)."""
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield Server(name, base, query_url, process, wait_for(probe, process, seconds))
    finally:  # the whole process group: `uvicorn --workers N` children would outlive their parent
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def samkart(data: Path, store_dir: Path, workers: int = 1, endpoint: str | None = None, timeout: float = 120,
            memory_copy: bool = True):
    """Our service under uvicorn over ``data`` (embedded, on-disk store; its workers keep in-memory copies
    unless ``memory_copy`` is false) or in front of ``endpoint``."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"SAMKART_STORE_DIR": str(store_dir), "SAMKART_QUERY_TIMEOUT": str(timeout), "SAMKART_MAX_ROWS": "2000000",
           "SAMKART_MEMORY_COPY": str(memory_copy).lower()}
    env.update({"SAMKART_ENDPOINT": endpoint} if endpoint else {"SAMKART_DATA": f'["{data}"]'})
    command = [sys.executable, "-m", "samkart_service.server", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]  # `samkart serve`'s server configuration (HTTP limits)
    name = f"samkart remote ({workers} workers)" if endpoint else "samkart"
    return started(name, command, base, f"{base}/sparql", f"{base}/health", 600, env)


def oxigraph(location: Path | None):
    """`oxigraph serve` with a union default graph, in memory or on disk at ``location``."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = ["oxigraph", "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    if location:
        command += ["--location", str(location)]
    name = "Oxigraph server (disk)" if location else "Oxigraph server (memory)"
    return started(name, command, base, f"{base}/query", f"{base}/query?query=ASK%7B%7D", 60)


def rdflib_endpoint(triples_file: Path, seconds: float):
    """rdflib-endpoint (the Python peer) serving an N-Triples file; may not come up within ``seconds``."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = ["rdflib-endpoint", "serve", str(triples_file), "--host", "127.0.0.1", "--port", str(port)]
    return started("rdflib-endpoint", command, base, f"{base}/", f"{base}/?query=ASK%7B%7D", seconds)


def load_oxigraph(server: Server, data: Path) -> float:
    """Seconds to POST an N-Quads file into an Oxigraph server's store."""
    import httpx

    started_at = time.monotonic()
    with data.open("rb") as body:
        httpx.post(f"{server.base}/store", content=body, headers={"Content-Type": "application/n-quads"},
                   timeout=3600).raise_for_status()
    return time.monotonic() - started_at


def load_oxigraph_disk(location: Path, data: Path) -> float:
    """Seconds for `oxigraph load` to bulk-load an N-Quads file into an on-disk store."""
    started_at = time.monotonic()
    subprocess.run(["oxigraph", "load", "--location", str(location), "--file", str(data)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started_at
