"""``tradekg serve``: the store as a SPARQL endpoint, through Oxigraph's own server (with its query UI).

The server is the ``oxigraph`` program from PyPI (``pip install oxigraph``), run on the store folder:
``oxigraph serve --location DIR --bind HOST:PORT`` (or ``serve-read-only``). It answers the standard
SPARQL 1.1 protocols at ``/query``, ``/update`` and ``/store``, which is exactly what ``--store http://…``
(``store_remote.py``) speaks, and shows a query editor at ``/``. The default graph is the union of the
document graphs, as in ``tradekg sparql``.

Oxigraph's server has no authentication, so it binds to the loopback interface unless the caller says
``allow_remote=True``; the read-write server holds the store's write lock while it runs.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tradekg.errors import InputError, UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


def oxigraph_executable() -> str:
    """The ``oxigraph`` server program: the one installed next to this Python, else one on PATH.

    Raises :class:`UsageError` with the install command when there is none.
    """
    sibling = Path(sys.executable).with_name("oxigraph")
    if sibling.exists():
        return str(sibling)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise UsageError("the Oxigraph server is not installed; install it with: pip install oxigraph")


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.1``, ``::1``).

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0"), is_loopback("localhost")
    (True, True, False, True)
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_command(
    store_path: str | os.PathLike[str],
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    read_only: bool = False,
    allow_remote: bool = False,
) -> list[str]:
    """The command line that serves ``store_path``; checks host, port and store first.

    >>> server_command("seeds", port=8000)[1:]
    ['serve', '--location', 'seeds', '--bind', '127.0.0.1:8000', '--union-default-graph']
    """
    if not allow_remote and not is_loopback(host):
        raise UsageError(
            f"refusing to serve on {host}: the SPARQL endpoint has no authentication, so tradekg binds to "
            "127.0.0.1 only; to expose it to the network on purpose, pass --allow-remote (and prefer "
            "--read-only)"
        )
    if not 0 < port < 65536:
        raise UsageError(f"port must be between 1 and 65535, not {port}")
    location = Path(store_path)
    if location.exists() and not location.is_dir():
        raise InputError(f"not a store folder: {location}", path=location)
    if read_only and not (location / "CURRENT").exists():
        raise InputError(f"no tradekg store at {location} (ingest a document first)", path=location)
    bind = f"[{host.strip('[]')}]:{port}" if ":" in host.strip("[]") else f"{host}:{port}"
    mode = "serve-read-only" if read_only else "serve"
    return [oxigraph_executable(), mode, "--location", str(location), "--bind", bind, "--union-default-graph"]


class Server:
    """A server running in the background: ``url`` to query it, ``stop()`` (or a ``with`` block) to end it."""

    def __init__(self, process: subprocess.Popen[bytes], url: str) -> None:
        self.process = process
        self.url = url

    def stop(self) -> None:
        """Terminate the server and wait for it."""
        stop(self.process)  # the module's function of that name

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # The process's own methods, for callers that treat the server as the process it runs in.
    def terminate(self) -> None:
        self.process.terminate()

    def wait(self, timeout: float | None = None) -> int:
        return self.process.wait(timeout)

    def poll(self) -> int | None:
        return self.process.poll()


def start(
    store_path: str | os.PathLike[str],
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    read_only: bool = False,
    allow_remote: bool = False,
    wait: float = 15.0,
) -> Server:
    """Start the server in the background and return once it answers (or raise if it could not start).

    The caller stops it with ``server.stop()``. Errors from Oxigraph (port in use, store locked by an
    ingest) come back as :class:`UsageError` with Oxigraph's own words.
    """
    cmd = server_command(store_path, host, port, read_only, allow_remote)
    _check_port_free(host, port)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    probe_host = "127.0.0.1" if host in ("0.0.0.0", "localhost") else host
    probe_host = "[::1]" if probe_host in ("::", "[::]") else probe_host
    if ":" in probe_host and not probe_host.startswith("["):
        probe_host = f"[{probe_host}]"
    try:
        _wait_ready(f"http://{probe_host}:{port}/query?query=ASK%7B%7D", proc, wait)
    except BaseException:
        stop(proc)
        raise
    return Server(proc, f"http://{probe_host}:{port}")


def serve(
    store_path: str | os.PathLike[str],
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    read_only: bool = False,
    allow_remote: bool = False,
    announce: bool = True,
) -> int:
    """Serve the store until interrupted (Ctrl-C or SIGTERM); returns the server's exit code.

    Prints where the endpoint and the query UI are (on stderr, so stdout stays clean).
    """
    # SIGTERM behaves like Ctrl-C from the start, so a stop that arrives while Oxigraph is starting still
    # takes the child down with us.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    server: Server | None = None
    try:
        server = start(store_path, host, port, read_only, allow_remote)
        if announce:
            _announce(str(store_path), host, port, read_only)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.stop()
        signal.signal(signal.SIGTERM, previous)
    if server is None:
        return 0
    code = server.process.returncode
    return 0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _announce(store_path: str, host: str, port: int, read_only: bool) -> None:
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    mode = "read-only" if read_only else "read-write"
    sys.stderr.write(
        f"serving {store_path} ({mode}) at {base}\n"
        f"  query UI: {base}/   SPARQL query: {base}/query"
        + ("" if read_only else f"   update: {base}/update   graph store: {base}/store")
        + f"\n  use it from tradekg with --store {base}\n  stop with Ctrl-C\n"
    )
    sys.stderr.flush()


def _check_port_free(host: str, port: int) -> None:
    # Probing for readiness would otherwise get its answer from whatever already listens on the port.
    bare = host.strip("[]")
    family = socket.AF_INET6 if ":" in bare else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Oxigraph's own bind does
        try:
            s.bind((bare, port))
        except OSError as err:
            raise UsageError(f"cannot serve on {host}:{port}: {err.strerror or err}") from None


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
            raise UsageError(f"the Oxigraph server stopped at once: {_first_error(err)}")
        try:
            with opener.open(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer: it is up
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise UsageError(f"the Oxigraph server did not answer within {timeout:g} s")


def _first_error(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return "no message"
    for ln in lines:
        if "lock" in ln.lower():
            return "the store is in use by another process (one writer at a time): " + ln.strip()[:300]
        if "address" in ln.lower() and "in use" in ln.lower():
            return "the port is already in use: " + ln.strip()[:300]
    return lines[-1].strip()[:300]


def stop(proc: subprocess.Popen[bytes] | Server) -> None:
    """Terminate a server process and reap it (killed if it does not stop within 5 s)."""
    if isinstance(proc, Server):
        proc = proc.process
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stderr is not None:
        proc.stderr.close()
