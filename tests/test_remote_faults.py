"""The SPARQL-endpoint backend on tiny local HTTP servers that fail, challenge or answer as a server would.

The real servers (``oxigraph serve`` and Virtuoso) are in test_remote.py; these cases need an answer no real
server gives on demand: a 500, a hang, a redirect, a Digest challenge that never accepts, a cut answer.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import free_port

from tradekg.errors import RemoteStoreError, UsageError
from tradekg.store import QueryTimeoutError
from tradekg.store_remote import RemoteBackend, is_remote

ROOT = Path(__file__).resolve().parents[1]
DOC = "https://w3id.org/tradekg/doc/us-japan-first-round-2025-04"
JSON = {"Content-Type": "application/sparql-results+json"}
Respond = Callable[[http.server.BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


class _Fake:
    """A local HTTP server whose every answer comes from ``respond(handler) -> (status, headers, body)``.

    ``server`` is its ``Server`` header, which the backend's probe reads (HEAD requests are answered 501
    and not recorded).
    """

    def __init__(self, respond: Respond, server: str = "BaseHTTP/0.6"):
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            server_version = server
            sys_version = ""

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

    def make(respond: Respond, server: str = "BaseHTTP/0.6") -> _Fake:
        made.append(_Fake(respond, server))
        return made[-1]

    yield make
    for f in made:
        f.close()


def seed_triples() -> list[ox.Triple]:
    a, p = ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p")
    return [ox.Triple(a, p, ox.Literal(str(i))) for i in range(5)]


def test_server_error_names_status_and_body_and_retries_only_idempotent(fake_factory: Callable[..., _Fake]) -> None:
    fake = fake_factory(lambda h: (500, {"Content-Type": "text/plain"}, b"storage exploded\n" + b"x" * 2000))
    b = RemoteBackend(fake.url, env={}, retries=2, backoff=0.01)
    with pytest.raises(RemoteStoreError) as err:
        b.query("SELECT * WHERE { ?s ?p ?o }")
    msg = str(err.value)
    assert "HTTP 500" in msg and "storage exploded" in msg and "after 3 attempts" in msg
    assert len(msg) < 600  # a short excerpt, not the whole body
    assert [r[0] for r in fake.requests] == ["GET"] * 3
    assert b.dialect.name == "generic"  # probed: an unknown server

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
        b.replace_graph(DOC, seed_triples())
    assert [r[0] for r in fake.requests] == ["GET", "PUT", "PUT"]


def test_slow_server_times_out(fake_factory: Callable[..., _Fake]) -> None:
    def slow(h: http.server.BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        time.sleep(1.5)
        return 200, JSON, b'{"boolean": true}'

    fake = fake_factory(slow)
    b = RemoteBackend(fake.url, env={"TRADEKG_DIALECT": "oxigraph"}, timeout=0.3, retries=1, backoff=0.01)
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


# --- credentials ------------------------------------------------------------------------------------------


def test_basic_is_sent_only_when_asked_then_up_front_and_never_shown(fake_factory: Callable[..., _Fake]) -> None:
    good = "Basic " + base64.b64encode(b"alice:s3cret-pw").decode()

    def respond(h: http.server.BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if h.headers.get("Authorization") == good:
            return 200, JSON, b'{"boolean": true}'
        return 401, {"WWW-Authenticate": 'Basic realm="sparql"'}, b"who are you"

    fake = fake_factory(respond)
    b = RemoteBackend(fake.url, env={"TRADEKG_USER": "alice", "TRADEKG_PASSWORD": "s3cret-pw"}, retries=0)
    assert b.query("ASK {}").boolean is True
    assert b.query("ASK {}").boolean is True
    sent = [r[2].get("Authorization") for r in fake.requests]
    assert sent == [None, good, good]  # asked once; afterwards sent up front

    wrong = RemoteBackend(fake.url, env={"TRADEKG_USER": "alice", "TRADEKG_PASSWORD": "nope"}, retries=0)
    fake.requests.clear()
    with pytest.raises(RemoteStoreError) as err:
        wrong.query("ASK {}")
    assert len(fake.requests) == 2  # the refused answer is not repeated
    msg = str(err.value)
    assert "HTTP 401" in msg and "TRADEKG_USER" in msg and "nope" not in msg


def _digest_expected(header: str, password: str, method: str) -> tuple[str, str]:
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header.removeprefix("Digest ")))
    ha1 = hashlib.md5(f"{fields['username']}:{fields['realm']}:{password}".encode()).hexdigest()
    ha2 = hashlib.md5(f"{method}:{fields['uri']}".encode()).hexdigest()
    want = hashlib.md5(
        f"{ha1}:{fields['nonce']}:{fields['nc']}:{fields['cnonce']}:{fields['qop']}:{ha2}".encode()
    ).hexdigest()
    return fields["response"], want


def test_digest_challenge_is_answered_without_sending_the_password(fake_factory: Callable[..., _Fake]) -> None:
    """Virtuoso's write endpoints take Digest and refuse Basic: the password itself never crosses the wire."""
    challenge = 'Digest realm="virtuoso_sparql_admin", nonce="n0nce", opaque="op", qop="auth", algorithm="MD5"'

    def respond(h: http.server.BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        auth = h.headers.get("Authorization") or ""
        if auth.startswith("Digest "):
            got, want = _digest_expected(auth, "dba-pw", h.command)
            if got == want:
                return 200, JSON, b'{"boolean": true}'
        return 401, {"WWW-Authenticate": challenge}, b"digest please"

    fake = fake_factory(respond)
    env = {"TRADEKG_USER": "dba", "TRADEKG_PASSWORD": "dba-pw", "TRADEKG_DIALECT": "generic"}
    b = RemoteBackend(fake.url, env=env, retries=0)
    b.update("CLEAR GRAPH <http://e/g>")
    assert [r[0] for r in fake.requests] == ["POST", "POST"]
    assert fake.requests[1][2]["Authorization"].startswith("Digest ")
    assert not any("dba-pw" in str(r[2]) or "Basic" in str(r[2]) for r in fake.requests)

    fake.requests.clear()
    wrong = RemoteBackend(fake.url, env={**env, "TRADEKG_PASSWORD": "guess"}, retries=0)
    with pytest.raises(RemoteStoreError, match=r"HTTP 401.*TRADEKG_USER") as err:
        wrong.update("CLEAR GRAPH <http://e/g>")
    assert len(fake.requests) == 2 and "guess" not in str(err.value)


def test_credentials_in_the_url_are_used_but_not_kept_in_the_location(fake_factory: Callable[..., _Fake]) -> None:
    good = "Basic " + base64.b64encode(b"bob:pa@ss").decode()

    def respond(h: http.server.BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if h.headers.get("Authorization") == good:
            return 200, JSON, b'{"boolean": true}'
        return 401, {"WWW-Authenticate": 'Basic realm="x"'}, b""

    fake = fake_factory(respond)
    host = fake.url.removeprefix("http://")
    b = RemoteBackend(f"http://bob:pa%40ss@{host}", env={})
    assert b.query("ASK {}").boolean is True
    assert "pa@ss" not in b.location and "bob" not in b.location


def test_bearer_token(fake_factory: Callable[..., _Fake]) -> None:
    fake = fake_factory(lambda h: (200, JSON, b'{"boolean": false}'))
    b = RemoteBackend(fake.url, env={"TRADEKG_TOKEN": "tok-123"})
    assert b.query("ASK {}").boolean is False
    assert fake.requests[0][2]["Authorization"] == "Bearer tok-123"


def test_redirects_are_not_followed(fake_factory: Callable[..., _Fake]) -> None:
    target = fake_factory(lambda h: (200, {}, b""))
    fake = fake_factory(lambda h: (302, {"Location": target.url + "/query"}, b""))
    b = RemoteBackend(fake.url, env={"TRADEKG_TOKEN": "tok-123", "TRADEKG_DIALECT": "oxigraph"}, retries=0)
    with pytest.raises(RemoteStoreError, match="redirects"):
        b.query("ASK {}")
    assert target.requests == []  # the token never reached the other server


# --- the dialect: probing, Virtuoso's answers and errors ---------------------------------------------------


def test_the_server_header_chooses_the_dialect(fake_factory: Callable[..., _Fake]) -> None:
    fake = fake_factory(lambda h: (200, JSON, b'{"boolean": true}'), server="Virtuoso/07.20.3229 (Linux)")
    b = RemoteBackend(fake.url + "/sparql", env={})
    assert b.dialect.name == "virtuoso"
    assert b.endpoints.update == fake.url + "/sparql-auth"
    assert b.query("ASK {}").boolean is True
    assert fake.requests[0][1].startswith("/sparql?query=")
    assert "union-default-graph" not in fake.requests[0][1]  # Virtuoso's default graph is the union already
    assert RemoteBackend(fake.url, env={"TRADEKG_DIALECT": "oxigraph"}).endpoints.query == fake.url + "/query"


def test_an_answer_the_server_cut_short_is_an_error(fake_factory: Callable[..., _Fake]) -> None:
    body = b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "http://e/a"}}]}}'
    fake = fake_factory(lambda h: (200, {**JSON, "X-SPARQL-MaxRows": "1"}, body))
    b = RemoteBackend(fake.url, env={"TRADEKG_DIALECT": "virtuoso"})
    with pytest.raises(RemoteStoreError, match="cut its answer at 1 rows.*ResultSetMaxRows"):
        b.query("SELECT ?s WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("body,tries,error", [
    (b"Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error", 1, RemoteStoreError),
    (b"Virtuoso 40001 Error SR172: Transaction deadlocked", 3, RemoteStoreError),
    (b"Virtuoso S1T00 Error SR171: Transaction timed out", 1, QueryTimeoutError),
])
def test_virtuoso_errors_are_retried_only_when_transient(fake_factory: Callable[..., _Fake], body: bytes, tries: int,
                                                         error: type[Exception]) -> None:
    fake = fake_factory(lambda h: (500, {"Content-Type": "text/plain"}, body))
    b = RemoteBackend(fake.url, env={"TRADEKG_DIALECT": "virtuoso"}, retries=2, backoff=0.01)
    with pytest.raises(error):
        b.query("SELECT * WHERE { ?s ?p ?o }")
    assert len(fake.requests) == tries


def test_blank_nodes_and_typed_literals_in_virtuoso_json(fake_factory: Callable[..., _Fake]) -> None:
    body = (b'{"head": {"vars": ["b", "d"]}, "results": {"bindings": [{"b": {"type": "bnode", "value": '
            b'"nodeID://b10001"}, "d": {"type": "typed-literal", "datatype": '
            b'"http://www.w3.org/2001/XMLSchema#date", "value": "2025-04-16"}}]}}')
    fake = fake_factory(lambda h: (200, JSON, body))
    row = RemoteBackend(fake.url, env={"TRADEKG_DIALECT": "virtuoso"}).query("SELECT ?b ?d {}").rows[0]
    assert isinstance(row["b"], ox.BlankNode)
    assert row["d"] == ox.Literal("2025-04-16", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))


def test_construct_asks_for_ntriples_and_select_for_json(fake_factory: Callable[..., _Fake]) -> None:
    nt = b'<http://e/a> <http://e/p> "1" .\n'
    fake = fake_factory(lambda h: (200, {"Content-Type": "application/n-triples"}, nt))
    b = RemoteBackend(fake.url, env={"TRADEKG_DIALECT": "virtuoso"})
    assert len(b.query("# a comment\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples) == 1
    assert fake.requests[-1][2]["Accept"] == "application/n-triples"
    b.query("SELECT * { ?s ?p ?o }")
    assert fake.requests[-1][2]["Accept"] == "application/sparql-results+json"


def test_endpoint_urls_and_options_from_the_environment() -> None:
    env = {"TRADEKG_QUERY_URL": "http://h/ds/sparql", "TRADEKG_UPDATE_URL": "http://h/ds/update",
           "TRADEKG_GSP_URL": "http://h/ds/data", "TRADEKG_DIALECT": "generic"}
    ends = RemoteBackend("http://h/ds", env=env).endpoints
    assert (ends.query, ends.update, ends.gsp, ends.gsp_write) == (
        "http://h/ds/sparql", "http://h/ds/update", "http://h/ds/data", "http://h/ds/data")
    assert is_remote("https://example.org/sparql") and not is_remote("./store")
    with pytest.raises(UsageError):
        RemoteBackend("http://h", env={"TRADEKG_TIMEOUT": "soon"})
    with pytest.raises(UsageError, match="TRADEKG_DIALECT"):
        RemoteBackend("http://h", env={"TRADEKG_DIALECT": "graphdb"})
    with pytest.raises(UsageError):
        RemoteBackend("ftp://h", env={})
