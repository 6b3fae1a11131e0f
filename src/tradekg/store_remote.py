"""A store on any SPARQL 1.1 endpoint, through the standard Query, Update and Graph Store protocols.

``--store http://host:7878`` selects it. The three service URLs default to Oxigraph's layout under the
base URL (``/query``, ``/update``, ``/store``) and can be set one by one for other servers (Fuseki,
GraphDB, Virtuoso, Neptune) with ``TRADEKG_QUERY_URL``, ``TRADEKG_UPDATE_URL`` and ``TRADEKG_GSP_URL``.

Guarantees:

- a document is written as ONE Graph Store ``PUT`` of its graph (N-Triples body), so the server replaces
  the graph atomically: a reader sees the old graph or the new one; a failed or cut request changes nothing;
- only idempotent requests (queries, ``PUT``, ``DELETE``, ``GET``) are retried, a bounded number of times
  with exponential backoff; a SPARQL update (``POST``) is sent once, since repeating it may not be harmless;
- every request has a timeout (``TRADEKG_TIMEOUT`` seconds, default 30);
- credentials come from the environment: ``TRADEKG_USER``/``TRADEKG_PASSWORD`` (HTTP Basic) or
  ``TRADEKG_TOKEN`` (Bearer). They never appear in a message, and redirects are not followed, so they are
  never sent to a host the user did not name.

Only the standard library is used (``urllib.request``).

The "default graph is the union of the named graphs" view that named queries rely on is asked of the
endpoint with Oxigraph's ``union-default-graph`` query parameter. For an endpoint configured that way on
its own side (Fuseki's ``unionDefaultGraph``), set ``TRADEKG_UNION_DEFAULT_GRAPH=server``.
"""

from __future__ import annotations

import base64
import decimal
import ipaddress
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tradekg.errors import RemoteStoreError, UsageError
from tradekg.namespaces import PREFIXES
from tradekg.store import Backend, QueryTimeoutError, RawResult, Term

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2
#: Longest encoded query sent as a GET; longer ones go as a POST form body (still a read-only query).
MAX_GET_URL = 4000
_EXCERPT = 300
_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
# The project prefixes on ONE line with no line break, so an endpoint's "error at line:column" still
# points at the user's line.
_PROLOGUE = "".join(f"PREFIX {p}: <{iri}> " for p, iri in PREFIXES.items())


def is_remote(location: str | os.PathLike[str] | None) -> bool:
    """True when a store location names an HTTP(S) endpoint rather than a folder.

    >>> is_remote("http://localhost:7878"), is_remote("tradekg-store")
    (True, False)
    """
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Endpoints:
    """The three service URLs of one SPARQL server (without credentials)."""

    query: str
    update: str
    gsp: str

    @classmethod
    def from_base(cls, base: str, env: dict[str, str] | None = None) -> Endpoints:
        """Oxigraph's layout under ``base``, each URL overridable from the environment.

        >>> Endpoints.from_base("http://h:7878/", env={}).gsp
        'http://h:7878/store'
        >>> Endpoints.from_base("http://h:7878", env={"TRADEKG_QUERY_URL": "http://h:3030/ds/sparql"}).query
        'http://h:3030/ds/sparql'
        """
        env = os.environ if env is None else env
        root = base.rstrip("/")
        return cls(
            query=env.get("TRADEKG_QUERY_URL") or f"{root}/query",
            update=env.get("TRADEKG_UPDATE_URL") or f"{root}/update",
            gsp=env.get("TRADEKG_GSP_URL") or f"{root}/store",
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would resend the Authorization header to wherever the server points, and urllib turns a
    # redirected POST into a GET. Refusing is safer; the error names the target so the user can fix --store.
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        return None


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _strip_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """The URL without ``user:password@``, and the user and password it carried."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    user = urllib.parse.unquote(parts.username or "")
    password = urllib.parse.unquote(parts.password or "")
    return clean, user, password


def _auth_header(env: dict[str, str], user: str | None, password: str | None) -> str | None:
    token = env.get("TRADEKG_TOKEN")
    if token:
        return f"Bearer {token}"
    user = env.get("TRADEKG_USER") or user
    password = env.get("TRADEKG_PASSWORD") if env.get("TRADEKG_USER") else password
    if user:
        raw = f"{user}:{password or ''}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")
    return None


def _float_env(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value <= 0:
        raise UsageError(f"{name} must be positive, not {raw!r}")
    return value


def _int_env(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) > 10:
        raise UsageError(f"{name} must be a whole number from 0 to 10, not {raw!r}")
    return int(raw)


def _excerpt(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return text[:_EXCERPT] + ("…" if len(text) > _EXCERPT else "")


class RemoteBackend(Backend):
    """A tradekg store on a SPARQL 1.1 endpoint.

    ``location`` is the base URL (credentials, if any, are taken out of it). ``timeout`` bounds every
    request; ``retries`` is how many times an idempotent request is repeated after a connection error,
    a timeout or a 5xx/429 answer, waiting ``backoff``, then twice as long, and so on.

    >>> b = RemoteBackend("http://127.0.0.1:7878", env={})
    >>> b.endpoints.update
    'http://127.0.0.1:7878/update'
    """

    writable = True

    def __init__(
        self,
        location: str,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float = 0.25,
        env: dict[str, str] | None = None,
    ) -> None:
        env = dict(os.environ) if env is None else env
        clean, user, password = _strip_userinfo(location)
        parts = urllib.parse.urlsplit(clean)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not an http(s) SPARQL endpoint: {clean!r}")
        self.location = clean
        self.endpoints = Endpoints.from_base(clean, env)
        self.timeout = timeout if timeout is not None else _float_env(env, "TRADEKG_TIMEOUT", DEFAULT_TIMEOUT)
        self.retries = retries if retries is not None else _int_env(env, "TRADEKG_RETRIES", DEFAULT_RETRIES)
        self.backoff = backoff
        self.union_mode = (env.get("TRADEKG_UNION_DEFAULT_GRAPH") or "param").lower()
        if self.union_mode not in ("param", "server"):
            raise UsageError("TRADEKG_UNION_DEFAULT_GRAPH must be 'param' or 'server'")
        self._auth = _auth_header(env, user, password)
        self._openers: dict[bool, urllib.request.OpenerDirector] = {}

    # --- HTTP -------------------------------------------------------------------------------------------

    def _opener(self, url: str) -> urllib.request.OpenerDirector:
        # Proxies from the environment apply to real hosts; a loopback server is always reached directly.
        direct = _is_loopback(urllib.parse.urlsplit(url).hostname)
        if direct not in self._openers:
            proxy = urllib.request.ProxyHandler({}) if direct else urllib.request.ProxyHandler()
            self._openers[direct] = urllib.request.build_opener(proxy, _NoRedirect())
        return self._openers[direct]

    def _request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        retry: bool,
        timeout: float | None = None,
        ok_missing: bool = False,
    ) -> tuple[int, str, bytes]:
        """Send one request; returns (status, content type, body). 404 is returned when ``ok_missing``."""
        timeout = timeout or self.timeout
        all_headers = dict(headers or {})
        if self._auth:
            all_headers["Authorization"] = self._auth
        attempts = 1 + (max(self.retries, 0) if retry else 0)
        what = f"{method} {url.split('?', 1)[0]}"
        is_query = url.startswith(self.endpoints.query)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            req = urllib.request.Request(url, data=body, method=method, headers=all_headers)
            try:
                with self._opener(url).open(req, timeout=timeout) as resp:
                    return resp.status, resp.headers.get("Content-Type", ""), resp.read()
            except urllib.error.HTTPError as err:
                payload = err.read() if err.fp is not None else b""
                if err.code == 404 and ok_missing:
                    return 404, "", payload
                transient = err.code >= 500 or err.code == 429
                if transient and not last:
                    self._sleep(attempt)
                    continue
                if 300 <= err.code < 400:
                    target = err.headers.get("Location", "?")
                    raise RemoteStoreError(
                        f"{what}: the endpoint redirects (HTTP {err.code}) to {target}; "
                        "give that URL with --store (redirects are not followed)"
                    ) from None
                hint = " (check TRADEKG_USER/TRADEKG_PASSWORD or TRADEKG_TOKEN)" if err.code in (401, 403) else ""
                tries = f" after {attempt + 1} attempts" if attempt else ""
                raise RemoteStoreError(
                    f"{what}: HTTP {err.code} {err.reason}{tries}{hint}: {_excerpt(payload)}"
                ) from None
            except TimeoutError:
                if not last:
                    self._sleep(attempt)
                    continue
                raise self._timeout_error(what, timeout, attempt + 1, query=is_query) from None
            except (urllib.error.URLError, OSError) as err:
                reason = getattr(err, "reason", err)
                if isinstance(reason, TimeoutError):
                    if not last:
                        self._sleep(attempt)
                        continue
                    raise self._timeout_error(what, timeout, attempt + 1, query=is_query) from None
                if not last:
                    self._sleep(attempt)
                    continue
                tries = f" after {attempt + 1} attempts" if attempt else ""
                raise RemoteStoreError(
                    f"cannot reach the SPARQL endpoint ({what}){tries}: {_reason_text(reason)}"
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _timeout_error(self, what: str, timeout: float, tries: int, *, query: bool) -> RemoteStoreError:
        tail = f" ({tries} attempts)" if tries > 1 else ""
        msg = f"{what}: no answer within {timeout:g} s{tail}; the server is slow or stuck (raise TRADEKG_TIMEOUT)"
        if query:
            return _RemoteTimeout(msg)
        return RemoteStoreError(msg)

    def _sleep(self, attempt: int) -> None:
        time.sleep(self.backoff * (2**attempt))

    # --- Backend ----------------------------------------------------------------------------------------

    def query(
        self, sparql: str, *, limit: int | None = None, timeout: float | None = None, union: bool = True
    ) -> RawResult:
        text = _PROLOGUE + sparql
        params: list[tuple[str, str]] = [("query", text)]
        if union and self.union_mode == "param":
            params.append(("union-default-graph", ""))
        accept = f"{_RESULTS_JSON}, {_NTRIPLES};q=0.9"
        encoded = urllib.parse.urlencode(params)
        if len(self.endpoints.query) + len(encoded) < MAX_GET_URL:
            status, ctype, body = self._request(
                "GET", f"{self.endpoints.query}?{encoded}", headers={"Accept": accept}, retry=True, timeout=timeout
            )
        else:
            # A query is read-only whatever the method, so repeating it is harmless: POST queries retry too.
            status, ctype, body = self._request(
                "POST", self.endpoints.query, body=encoded.encode("utf-8"), retry=True, timeout=timeout,
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            )
        return _parse_result(ctype, body, limit)

    def update(self, sparql: str) -> None:
        body = (_PROLOGUE + sparql).encode("utf-8")
        self._request(
            "POST", self.endpoints.update, body=body, retry=False,
            headers={"Content-Type": "application/sparql-update"},
        )

    def _graph_url(self, graph: str) -> str:
        ox.NamedNode(graph)  # refuses a malformed IRI before anything is sent
        return f"{self.endpoints.gsp}?{urllib.parse.urlencode({'graph': graph})}"

    def replace_graph(self, graph: str, triples: list[ox.Triple], extra_update: str = "") -> bool:
        if not any(_has_bnode(t) for t in triples):
            current = self._graph_triples(graph)
            if current is not None and current == {canonical(t) for t in triples}:
                if extra_update:
                    self.update(extra_update)
                return False
        body = "".join(f"{t} .\n" for t in triples).encode("utf-8")
        self._request(
            "PUT", self._graph_url(graph), body=body, retry=True,
            headers={"Content-Type": f"{_NTRIPLES}; charset=utf-8"},
        )
        if extra_update:
            # The graph PUT is the atomic unit; bookkeeping the caller asks for follows it in its own
            # request (Graph Store and Update protocols share no transaction).
            self.update(extra_update)
        return True

    def _graph_triples(self, graph: str) -> set[str] | None:
        """The triples of one graph as N-Triples lines, or None when the graph does not exist."""
        status, _ctype, body = self._request(
            "GET", self._graph_url(graph), headers={"Accept": _NTRIPLES}, retry=True, ok_missing=True
        )
        if status == 404:
            return None
        return {canonical(q.triple) for q in _parse_ntriples(body)}

    def drop_graph(self, graph: str) -> bool:
        status, _ctype, _body = self._request("DELETE", self._graph_url(graph), retry=True, ok_missing=True)
        return status != 404

    def graph_names(self) -> list[str]:
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union=False)
        return sorted(r["g"].value for r in res.rows if isinstance(r.get("g"), ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        names = [graph] if graph else self.graph_names()
        for name in names:
            status, _ctype, body = self._request(
                "GET", self._graph_url(name), headers={"Accept": _NTRIPLES}, retry=True, ok_missing=True
            )
            if status == 404:
                continue
            g = ox.NamedNode(name)
            for q in _parse_ntriples(body):
                yield ox.Quad(q.subject, q.predicate, q.object, g)

    def count(self, graph: str | None = None) -> int:
        # tradekg writes only named graphs, so the store's size is the size of its named graphs.
        target = str(ox.NamedNode(graph)) if graph else "?g"
        res = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {target} {{ ?s ?p ?o }} }}", union=False)
        n = res.rows[0].get("n") if res.rows else None
        return int(n.value) if isinstance(n, ox.Literal) else 0

    def ping(self) -> None:
        """Check that the endpoint answers a trivial query; raises :class:`RemoteStoreError` if not."""
        self.query("ASK { }", union=False)

    def load_file(self, path: Path, *, jobs: int = 1, lenient: bool = False) -> None:
        """POST the file to the Graph Store URL in one request (``jobs`` and ``lenient`` do not apply)."""
        media = {".trig": "application/trig", ".nq": "application/n-quads"}[path.suffix.lower()]
        self.load_dataset(path.read_bytes(), media)

    def load_dataset(self, data: bytes, content_type: str) -> None:
        """POST a whole dataset (TriG or N-Quads) to the Graph Store URL; sent once, never retried."""
        self._request("POST", self.endpoints.gsp, body=data, retry=False, headers={"Content-Type": content_type})


class _RemoteTimeout(RemoteStoreError, QueryTimeoutError):
    """A remote query that did not answer in time: both a remote-store and a timeout error."""


def _reason_text(reason: Any) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    text = str(reason) or type(reason).__name__
    return text[:_EXCERPT]


_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def canonical(t: ox.Triple) -> str:
    """A triple as N-Triples with xsd:decimal values in one canonical spelling.

    Servers store numbers by value (Oxigraph answers "14900000000" for "14900000000.0"), so comparing
    what a graph holds with what would be written must not depend on the spelling.

    >>> a = ox.NamedNode("http://e/a")
    >>> canonical(ox.Triple(a, a, ox.Literal("10.50", datatype=ox.NamedNode(_DECIMAL))))
    '<http://e/a> <http://e/a> "10.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    o = t.object
    if isinstance(o, ox.Literal) and o.datatype.value == _DECIMAL:
        try:
            value = decimal.Decimal(o.value)
        except decimal.InvalidOperation:
            return str(t)
        if value.is_finite():
            text = format(value.normalize(), "f")
            return str(ox.Triple(t.subject, t.predicate, ox.Literal(text, datatype=o.datatype)))
    return str(t)


def _has_bnode(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def _parse_ntriples(body: bytes) -> list[ox.Quad]:
    try:
        return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as err:
        raise RemoteStoreError(f"the endpoint sent N-Triples that do not parse: {err}") from None


def _parse_result(ctype: str, body: bytes, limit: int | None) -> RawResult:
    mime = ctype.split(";", 1)[0].strip().lower()
    if mime in ("application/n-triples", "text/plain", "application/n-quads"):
        out = RawResult("graph")
        for q in _parse_ntriples(body):
            if limit is not None and len(out.triples) >= limit:
                out.truncated = True
                break
            out.triples.append(q.triple)
        return out
    if mime in ("text/turtle", "application/rdf+xml", "application/ld+json"):
        fmt = ox.RdfFormat.from_media_type(mime)
        try:
            triples = [q.triple for q in ox.parse(body, format=fmt)] if fmt else []
        except SyntaxError as err:
            raise RemoteStoreError(f"the endpoint sent {mime} that does not parse: {err}") from None
        cut = limit is not None and len(triples) > limit
        return RawResult("graph", triples=triples[:limit] if cut else triples, truncated=cut)
    try:
        doc = json.loads(body)
    except ValueError:
        raise RemoteStoreError(
            f"the endpoint answered {mime or 'no content type'}, not SPARQL results: {_excerpt(body)}"
        ) from None
    if not isinstance(doc, dict):
        raise RemoteStoreError(f"the endpoint answered JSON that is not SPARQL results: {_excerpt(body)}")
    if "boolean" in doc:
        return RawResult("ask", boolean=bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    out = RawResult("select", variables=names)
    for binding in doc.get("results", {}).get("bindings", []):
        if limit is not None and len(out.rows) >= limit:
            out.truncated = True
            break
        out.rows.append({n: _term(binding.get(n)) for n in names})
    return out


def _term(d: dict[str, Any] | None) -> Term | None:
    """A term from the SPARQL-JSON encoding, tolerant of what real endpoints send."""
    if d is None:
        return None
    kind = d.get("type")
    value = d.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value) if value else ox.BlankNode()
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in d:
            return ox.Literal(value, language=d["xml:lang"])
        if d.get("datatype"):
            return ox.Literal(value, datatype=ox.NamedNode(d["datatype"]))
        return ox.Literal(value)
    # An RDF 1.2 triple term or an unknown kind: keep its text so a row never fails to print.
    return ox.Literal(json.dumps(value) if not isinstance(value, str) else value)
