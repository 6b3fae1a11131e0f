"""Start a real ``oxigraph serve`` for tests, wait until it answers, and stop it.

Used by the remote-store and serve tests: they talk HTTP to the same server a user would run, not to a mock.

    with OxigraphServer(tmp_path / "db") as server:
        server.url   # "http://127.0.0.1:<port>"
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tradekg.serve import stop


def oxigraph_exe() -> str | None:
    """The ``oxigraph`` CLI of this virtual environment, else one on PATH."""
    sibling = Path(sys.executable).with_name("oxigraph")
    if sibling.exists():
        return str(sibling)
    return shutil.which("oxigraph")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 15.0) -> None:
    """Poll ``url`` until an HTTP answer comes back; fail early if ``proc`` died."""
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            raise RuntimeError(f"oxigraph exited with {proc.returncode}: {err[-2000:]}")
        try:
            with opener.open(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer means the server is up
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"oxigraph did not answer at {url} within {timeout} s")


class OxigraphServer:
    """A read-write ``oxigraph serve`` on a fresh port, its data in ``location``."""

    def __init__(self, location: Path, *, union_default_graph: bool = False) -> None:
        exe = oxigraph_exe()
        if exe is None:
            pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
        self.location = location
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"]
        if union_default_graph:
            cmd.append("--union-default-graph")
        self.cmd = cmd
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> OxigraphServer:
        """Start the server and wait until it answers."""
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_ready(self.url + "/query?query=ASK%7B%7D", self.proc)
        except RuntimeError:
            stop(self.proc)
            raise
        return self

    def stop(self) -> None:
        """Stop the server."""
        if self.proc is not None:
            stop(self.proc)

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
