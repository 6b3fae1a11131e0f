"""``tradekg serve``: Oxigraph's server on a real store, queried over HTTP."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import free_port, oxigraph_exe, wait_ready

from tradekg import serve
from tradekg.errors import RemoteStoreError, StoreBusyError, UsageError
from tradekg.store import OxigraphBackend
from tradekg.store_remote import RemoteBackend

pytestmark = pytest.mark.skipif(oxigraph_exe() is None, reason="the oxigraph server is not installed")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"
DOC = "https://w3id.org/tradekg/doc/us-japan-first-round-2025-04"
US_REQUESTS = (
    "SELECT ?e WHERE { ?e a tk:Request ; tk:requester tkid:united-states ; tk:addressee tkid:japan }"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tradekg.annotation import load_document

    path = tmp_path_factory.mktemp("serve") / "store"
    nt = load_document(SEED).graph.serialize(format="nt")
    backend = OxigraphBackend(path, writable=True)
    backend.replace_graph(DOC, [q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)])
    backend.close()
    return path


@pytest.fixture()
def running(store: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    proc = serve.start(store, port=port)
    yield proc, f"http://127.0.0.1:{port}"
    serve.stop(proc)


def test_served_store_answers_queries_and_takes_updates(running: tuple[subprocess.Popen[bytes], str]) -> None:
    _proc, url = running
    remote = RemoteBackend(url, env={})
    assert len(remote.query(US_REQUESTS).rows) == 4
    # The server's default graph is already the union of the documents: plain SPARQL tools see them too.
    assert len(remote.query(US_REQUESTS, union=False).rows) == 4
    assert DOC in remote.graph_names()
    remote.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> rdfs:label 'x' } }")
    assert remote.drop_graph("http://example.org/g") is True


def test_read_write_server_holds_the_write_lock(running: tuple[subprocess.Popen[bytes], str], store: Path) -> None:
    with pytest.raises(StoreBusyError):
        OxigraphBackend(store, writable=True)


def test_read_only_server_refuses_updates(store: Path) -> None:
    port = free_port()
    proc = serve.start(store, port=port, read_only=True)
    try:
        remote = RemoteBackend(f"http://127.0.0.1:{port}", env={})
        assert len(remote.query(US_REQUESTS).rows) == 4
        with pytest.raises(RemoteStoreError, match="HTTP 403"):
            remote.update("CLEAR ALL")
        with pytest.raises(RemoteStoreError, match="HTTP 403"):
            remote.drop_graph(DOC)
        assert DOC in remote.graph_names()
    finally:
        serve.stop(proc)


def test_non_loopback_host_is_refused_unless_allowed(store: Path) -> None:
    with pytest.raises(UsageError, match="no authentication"):
        serve.server_command(store, host="0.0.0.0")
    cmd = serve.server_command(store, host="0.0.0.0", port=9999, allow_remote=True, read_only=True)
    assert cmd[1:] == ["serve-read-only", "--location", str(store), "--bind", "0.0.0.0:9999", "--union-default-graph"]
    assert serve.server_command(store, host="::1", port=9999)[5] == "[::1]:9999"


def test_bad_port_and_missing_store(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="port"):
        serve.server_command(tmp_path, port=70000)
    with pytest.raises(Exception, match="no tradekg store"):
        serve.server_command(tmp_path / "nothing", read_only=True)


def test_port_in_use_is_a_clear_error(running: tuple[subprocess.Popen[bytes], str], tmp_path: Path) -> None:
    _proc, url = running
    port = int(url.rsplit(":", 1)[1])
    with pytest.raises(UsageError, match=f"127.0.0.1:{port}"):
        serve.start(tmp_path / "other", port=port)


def test_serve_runs_in_the_foreground_and_stops_on_sigterm(store: Path) -> None:
    port = free_port()
    code = f"import sys; from tradekg.serve import serve; sys.exit(serve({str(store)!r}, port={port}, read_only=True))"
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)
    try:
        wait_ready(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc)
        assert proc.stderr is not None
        banner = proc.stderr.readline().decode() + proc.stderr.readline().decode()
        assert "read-only" in banner and f"http://127.0.0.1:{port}/query" in banner
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.1)
    serve._check_port_free("127.0.0.1", port)  # the Oxigraph child is gone too
