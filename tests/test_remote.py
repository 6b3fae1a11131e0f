"""The SPARQL-endpoint backend against a real ``oxigraph serve``, plus fault cases on tiny local servers."""

from __future__ import annotations

import base64
import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import OxigraphServer, free_port

from tradekg.errors import RemoteStoreError, UsageError
from tradekg.store import QueryTimeoutError, refresh_system_graphs, stored_fingerprint
from tradekg.store_remote import Endpoints, RemoteBackend, canonical, is_remote

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"
DOC = "https://w3id.org/tradekg/doc/us-japan-first-round-2025-04"


def seed_triples() -> list[ox.Triple]:
    from tradekg.annotation import load_document

    graph = load_document(SEED).graph
    return [q.triple for q in ox.parse(graph.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    with OxigraphServer(tmp_path_factory.mktemp("oxi") / "db") as srv:
        yield srv


@pytest.fixture()
def remote(server: OxigraphServer) -> Iterator[RemoteBackend]:
    backend = RemoteBackend(server.url, env={}, backoff=0.01)
    yield backend
    for g in backend.graph_names():
        backend.drop_graph(g)


# --- against the real server --------------------------------------------------------------------------


def test_seed_written_queried_exported_and_removed(remote: RemoteBackend) -> None:
    triples = seed_triples()
    assert remote.replace_graph(DOC, triples) is True
    assert remote.replace_graph(DOC, triples) is False  # same content: nothing written
    assert remote.graph_names() == [DOC]
    assert remote.count(DOC) == len(triples) == remote.count()

    res = remote.query(
        "SELECT ?e ?quote WHERE { ?e a tk:Request ; tk:requester tkid:united-states ; tk:addressee tkid:japan ;"
        " tk:evidence/tk:quote ?quote }"
    )
    assert len(res.rows) == 4
    assert any("safety standards" in r["quote"].value for r in res.rows)
    # Without the union view the default graph is empty: the document lives in its own named graph.
    assert remote.query("ASK { ?s a tk:Request }", union=False).boolean is False
    assert remote.query("ASK { GRAPH ?g { ?s a tk:Request } }", union=False).boolean is True

    # The server keeps numbers by value, so "14900000000.0" comes back as "14900000000".
    exported = {canonical(q.triple) for q in remote.quads(DOC)}
    assert exported == {canonical(t) for t in triples}
    assert {q.graph_name.value for q in remote.quads()} == {DOC}

    built = remote.query("CONSTRUCT { ?e tk:requester ?who } WHERE { ?e tk:requester ?who }")
    assert built.kind == "graph" and len(built.triples) == 5

    assert remote.drop_graph(DOC) is True
    assert remote.drop_graph(DOC) is False
    assert remote.graph_names() == [] and remote.count() == 0


def test_replacing_a_document_replaces_the_whole_graph(remote: RemoteBackend) -> None:
    a, p = ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p")
    remote.replace_graph(DOC, [ox.Triple(a, p, ox.Literal("old")), ox.Triple(a, p, ox.Literal("both"))])
    remote.replace_graph(DOC, [ox.Triple(a, p, ox.Literal("new")), ox.Triple(a, p, ox.Literal("both"))])
    assert {q.object.value for q in remote.quads(DOC)} == {"new", "both"}


def test_text_with_quotes_and_unicode_survives(remote: RemoteBackend) -> None:
    tricky = 'He said "no" — \\ } ; GRAPH <x> { } \n日本'
    t = ox.Triple(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal(tricky))
    remote.replace_graph(DOC, [t])
    assert [q.object.value for q in remote.quads(DOC)] == [tricky]


def test_system_graphs_load_once_through_update_and_query(remote: RemoteBackend) -> None:
    assert refresh_system_graphs(remote) is True
    assert stored_fingerprint(remote) is not None
    assert refresh_system_graphs(remote) is False
    assert "https://w3id.org/tradekg/graph/ontology" in remote.graph_names()


def test_long_query_goes_by_post(remote: RemoteBackend) -> None:
    filler = "x" * 6000
    res = remote.query(f"SELECT ?s WHERE {{ ?s ?p ?o FILTER(STR(?o) = '{filler}') }}")
    assert res.kind == "select" and res.rows == []


def test_bad_query_is_a_clear_error(remote: RemoteBackend) -> None:
    with pytest.raises(RemoteStoreError, match=r"HTTP 400.*"):
        remote.query("SELECT WHERE nonsense")
    with pytest.raises(RemoteStoreError, match=r"POST .*/update: HTTP 400"):
        remote.update("INSERT nonsense")


def test_limit_truncates(remote: RemoteBackend) -> None:
    remote.replace_graph(DOC, seed_triples())
    res = remote.query("SELECT ?s WHERE { ?s ?p ?o }", limit=3)
    assert len(res.rows) == 3 and res.truncated


# --- a connection cut in the middle of the upload ------------------------------------------------------


class _CuttingProxy:
    """Forwards to the real server, but sends only half of a PUT body and then hangs up on both sides."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.puts = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        with client:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = client.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(body) < length:
                body += client.recv(65536)
            with socket.create_connection(("127.0.0.1", self.target_port)) as upstream:
                if head.startswith(b"PUT "):
                    self.puts += 1
                    upstream.sendall(head + b"\r\n\r\n" + body[: len(body) // 2])
                    return  # both connections close with the body half sent
                upstream.sendall(head + b"\r\n\r\n" + body)
                upstream.shutdown(socket.SHUT_WR)
                while chunk := upstream.recv(65536):
                    client.sendall(chunk)

    def close(self) -> None:
        self.sock.close()


def test_cut_upload_leaves_the_previous_document_intact(remote: RemoteBackend, server: OxigraphServer) -> None:
    old = seed_triples()
    remote.replace_graph(DOC, old)
    proxy = _CuttingProxy(server.port)
    try:
        through = RemoteBackend(proxy.url, env={}, backoff=0.01, retries=1, timeout=5)
        a = ox.NamedNode("http://example.org/a")
        new = [ox.Triple(a, ox.NamedNode("http://example.org/p"), ox.Literal(str(i))) for i in range(2000)]
        with pytest.raises(RemoteStoreError, match="PUT"):
            through.replace_graph(DOC, new)
        assert proxy.puts == 2  # a PUT is idempotent: retried once, cut again
    finally:
        proxy.close()
    time.sleep(0.2)
    assert {canonical(q.triple) for q in remote.quads(DOC)} == {canonical(t) for t in old}


def test_cut_upload_of_a_new_document_leaves_nothing(remote: RemoteBackend, server: OxigraphServer) -> None:
    proxy = _CuttingProxy(server.port)
    try:
        through = RemoteBackend(proxy.url, env={}, backoff=0.01, retries=0, timeout=5)
        with pytest.raises(RemoteStoreError):
            through.replace_graph(DOC, seed_triples())
    finally:
        proxy.close()
    time.sleep(0.2)
    assert remote.graph_names() == []


# --- tiny fake servers for failures ---------------------------------------------------------------------


class _Fake:
    """A local HTTP server whose every answer comes from ``respond(handler) -> (status, headers, body)``."""

    def __init__(self, respond: Callable[[http.server.BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]):
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                fake.requests.append((self.command, self.path, dict(self.headers)))
                status, headers, body = respond(self)
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (timeout tests)

            do_GET = do_POST = do_PUT = do_DELETE = _any

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def fake_factory() -> Iterator[Callable[..., _Fake]]:
    made: list[_Fake] = []

    def make(respond: Callable[..., tuple[int, dict[str, str], bytes]]) -> _Fake:
        made.append(_Fake(respond))
        return made[-1]

    yield make
    for f in made:
        f.close()


def test_server_error_names_status_and_body_and_retries_only_idempotent(fake_factory: Callable[..., _Fake]) -> None:
    fake = fake_factory(lambda h: (500, {"Content-Type": "text/plain"}, b"storage exploded\n" + b"x" * 2000))
    b = RemoteBackend(fake.url, env={}, retries=2, backoff=0.01)
    with pytest.raises(RemoteStoreError) as err:
        b.query("SELECT * WHERE { ?s ?p ?o }")
    msg = str(err.value)
    assert "HTTP 500" in msg and "storage exploded" in msg and "after 3 attempts" in msg
    assert len(msg) < 600  # a short excerpt, not the whole body
    assert [r[0] for r in fake.requests] == ["GET"] * 3

    fake.requests.clear()
    with pytest.raises(RemoteStoreError, match="HTTP 500"):
        b.update("INSERT DATA { <http://e/a> <http://e/p> 1 }")
    assert [r[0] for r in fake.requests] == ["POST"]  # an update is never repeated

    fake.requests.clear()
    with pytest.raises(RemoteStoreError, match="HTTP 500"):
        b.drop_graph(DOC)
    assert [r[0] for r in fake.requests] == ["DELETE"] * 3


def test_failed_put_is_an_error_not_a_success(fake_factory: Callable[..., _Fake]) -> None:
    def respond(h: http.server.BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if h.command == "GET":
            return 404, {}, b""
        return 503, {}, b"read-only replica"

    fake = fake_factory(respond)
    b = RemoteBackend(fake.url, env={}, retries=1, backoff=0.01)
    with pytest.raises(RemoteStoreError, match="PUT .*HTTP 503.*read-only replica"):
        b.replace_graph(DOC, seed_triples()[:5])
    assert [r[0] for r in fake.requests] == ["GET", "PUT", "PUT"]


def test_slow_server_times_out(fake_factory: Callable[..., _Fake]) -> None:
    def slow(h: http.server.BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        time.sleep(1.5)
        return 200, {"Content-Type": "application/sparql-results+json"}, b'{"boolean": true}'

    fake = fake_factory(slow)
    b = RemoteBackend(fake.url, env={}, timeout=0.3, retries=1, backoff=0.01)
    start = time.monotonic()
    with pytest.raises(QueryTimeoutError) as err:
        b.query("ASK {}")
    assert isinstance(err.value, RemoteStoreError)
    assert "no answer within 0.3 s" in str(err.value)
    assert time.monotonic() - start < 1.4
    with pytest.raises(RemoteStoreError, match="no answer within 0.3 s"):
        b.update("CLEAR ALL")


def test_connection_refused() -> None:
    b = RemoteBackend(f"http://127.0.0.1:{free_port()}", env={}, retries=1, backoff=0.01)
    with pytest.raises(RemoteStoreError, match="connection refused"):
        b.graph_names()


def test_basic_credentials_are_sent_and_never_shown(fake_factory: Callable[..., _Fake]) -> None:
    fake = fake_factory(lambda h: (401, {"WWW-Authenticate": "Basic"}, b"who are you"))
    env = {"TRADEKG_USER": "alice", "TRADEKG_PASSWORD": "s3cret-pw"}
    b = RemoteBackend(fake.url, env=env, retries=0)
    with pytest.raises(RemoteStoreError) as err:
        b.query("ASK {}")
    expected = "Basic " + base64.b64encode(b"alice:s3cret-pw").decode()
    assert fake.requests[0][2]["Authorization"] == expected
    msg = str(err.value)
    assert "HTTP 401" in msg and "TRADEKG_USER" in msg
    assert "s3cret" not in msg and expected.split()[1] not in msg


def test_credentials_in_the_url_are_used_but_not_kept_in_the_location(fake_factory: Callable[..., _Fake]) -> None:
    fake = fake_factory(lambda h: (200, {"Content-Type": "application/sparql-results+json"}, b'{"boolean": true}'))
    host = fake.url.removeprefix("http://")
    b = RemoteBackend(f"http://bob:pa%40ss@{host}", env={})
    assert b.query("ASK {}").boolean is True
    assert "pa@ss" not in b.location and "bob" not in b.location
    assert fake.requests[0][2]["Authorization"] == "Basic " + base64.b64encode(b"bob:pa@ss").decode()


def test_bearer_token(fake_factory: Callable[..., _Fake]) -> None:
    fake = fake_factory(lambda h: (200, {"Content-Type": "application/sparql-results+json"}, b'{"boolean": false}'))
    b = RemoteBackend(fake.url, env={"TRADEKG_TOKEN": "tok-123"})
    assert b.query("ASK {}").boolean is False
    assert fake.requests[0][2]["Authorization"] == "Bearer tok-123"


def test_redirects_are_not_followed(fake_factory: Callable[..., _Fake]) -> None:
    target = fake_factory(lambda h: (200, {}, b""))
    fake = fake_factory(lambda h: (302, {"Location": target.url + "/query"}, b""))
    b = RemoteBackend(fake.url, env={"TRADEKG_TOKEN": "tok-123"}, retries=0)
    with pytest.raises(RemoteStoreError, match="redirects"):
        b.query("ASK {}")
    assert target.requests == []  # the token never reached the other server


def test_endpoint_urls_from_the_environment() -> None:
    env = {"TRADEKG_QUERY_URL": "http://h/ds/sparql", "TRADEKG_UPDATE_URL": "http://h/ds/update",
           "TRADEKG_GSP_URL": "http://h/ds/data"}
    assert Endpoints.from_base("http://h/ds", env) == Endpoints("http://h/ds/sparql", "http://h/ds/update",
                                                                "http://h/ds/data")
    assert is_remote("https://example.org/sparql") and not is_remote("./store")
    with pytest.raises(UsageError):
        RemoteBackend("http://h", env={"TRADEKG_TIMEOUT": "soon"})
    with pytest.raises(UsageError):
        RemoteBackend("ftp://h", env={})


def test_knowledge_graph_on_the_endpoint(server: OxigraphServer, remote: RemoteBackend) -> None:
    """The whole API on --store http://…: ingest, named query, documents, export, remove."""
    from tradekg.kg import KnowledgeGraph

    kg = KnowledgeGraph.open(server.url)
    result = kg.ingest([SEED])
    assert [o.status for o in result] == ["ingested"]
    assert [o.status for o in kg.ingest([SEED])] == ["unchanged"]
    rows = kg.query("requests", by="United States", of="Japan").rows
    assert len(rows) == 4 and all(r["evidence"] for r in rows)
    assert [d["id"] for d in kg.documents()] == ["us-japan-first-round-2025-04"]
    assert "tk:Request" in kg.export("turtle", document="us-japan-first-round-2025-04")
    kg.remove("us-japan-first-round-2025-04")
    assert kg.documents() == []
