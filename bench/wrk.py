"""Throughput with wrk: one request sent over N keep-alive connections for a few seconds, on any server.

wrk (C, event loop) rather than our Python load generator (:mod:`samkart_bench.load`): on this 2-core
machine the Python client saturates a core of its own near 1,500 requests per second, below what both
servers answer from memory, so it measured itself. A Lua script sets the request (method, headers, body)
and writes the summary as one JSON line: requests, errors by kind, latency percentiles in microseconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

THREADS = 2
"""wrk threads: one per core of the machine the benchmark was made for (wrk shares them with the server)."""
SCRIPT = """
wrk.method = {method}
wrk.body = {body}
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d}}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
"""


@dataclass
class Result:
    """What one wrk run measured: requests per second, errors (any kind, non-2xx/3xx answers included) and
    latency percentiles in ms; ``bound`` marks a figure computed instead of measured (see :func:`bound`)."""

    rps: float
    errors: int = 0
    latency_ms: dict[str, float] = field(default_factory=dict)
    bound: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _lua(text: str) -> str:
    """A Lua string literal of ``text``: its UTF-8 bytes, any but printable ASCII as decimal escapes
    (wrk's LuaJIT knows no ``\\u`` escapes)."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        out.append("\\" + char if char in '"\\' else char if 32 <= byte < 127 else f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def script(method: str, body: str | None, headers: dict[str, str]) -> str:
    """The Lua script for one request."""
    lines = "\n".join(f"wrk.headers[{_lua(k)}] = {_lua(v)}" for k, v in headers.items())
    return SCRIPT.format(method=_lua(method), body=_lua(body) if body else "nil", headers=lines)


def run(url: str, connections: int, seconds: float, method: str = "GET", body: str | None = None,
        headers: dict[str, str] | None = None, timeout: float = 60.0) -> Result:
    """Send one request over ``connections`` connections for ``seconds``; ``url`` includes any query string."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script(method, body, headers or {}))
    try:
        threads = min(THREADS, connections)
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                   f"--timeout={max(1, round(timeout))}s", "-s", lua.name, url]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout + 30)
    finally:
        os.unlink(lua.name)
    summary = _summary(done.stdout)
    if done.returncode != 0 or summary is None:
        raise RuntimeError(f"wrk failed on {urlsplit(url).path}: {(done.stderr or done.stdout).strip()[:300]}")
    errors = sum(summary[k] for k in ("connect", "read", "write", "status", "timeout"))
    seconds_run = summary["duration_us"] / 1e6
    return Result(round(summary["requests"] / seconds_run, 1) if seconds_run else 0.0, errors,
                  {p: summary[f"{p}_us"] / 1000 for p in ("p50", "p90", "p99")})


def _summary(stdout: str) -> dict | None:
    """The JSON line our Lua ``done`` wrote (wrk's own report comes first)."""
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return None


def bound(median_ms: float, cores: int) -> Result:
    """The most requests per second a server can answer when one request alone takes ``median_ms``: each
    core busy with one at a time. Used instead of a wrk run for a peer's queries so slow that a run of a
    few seconds would end with most requests unanswered and leave the peer busy with them afterwards."""
    return Result(round(cores * 1000 / median_ms, 3), bound=True)


def too_slow(median_ms: float, connections: int, seconds: float, cores: int) -> bool:
    """True when ``connections`` requests of ``median_ms`` each, shared by ``cores``, take more than a
    quarter of a run of ``seconds``: too few rounds would finish to measure (see :func:`bound`)."""
    return median_ms / 1000 * connections / cores > seconds / 4


def wait_idle(pid: int, limit: float = 120.0, quiet: float = 0.05) -> float:
    """Wait until process ``pid`` uses less than ``quiet`` of a core over 0.2 s (it finished the requests
    wrk left it with), at most ``limit`` seconds; the seconds waited."""
    started = time.monotonic()
    ticks = os.sysconf("SC_CLK_TCK")
    last = _cpu_ticks(pid)
    while time.monotonic() - started < limit:
        time.sleep(0.2)
        now = _cpu_ticks(pid)
        if now is None or last is None or (now - last) / ticks < quiet * 0.2:
            break
        last = now
    return time.monotonic() - started


def _cpu_ticks(pid: int) -> int | None:
    """User + system CPU ticks of a process and its threads (None when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])
