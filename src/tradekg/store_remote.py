"""A store on any SPARQL 1.1 endpoint, through the standard Query, Update and Graph Store protocols.

``--store http://host:7878`` (Oxigraph) or ``--store http://host:8890/sparql`` (Virtuoso) selects it.
What differs between servers (service URLs, the union default graph, the server's own graphs, result
formats, errors) is decided by a dialect (:mod:`tradekg.remote_dialect`), chosen by ``TRADEKG_DIALECT``
or by probing the server once. Each service URL can still be set on its own with ``TRADEKG_QUERY_URL``,
``TRADEKG_UPDATE_URL`` and ``TRADEKG_GSP_URL`` (Fuseki, GraphDB, Neptune; see docs/remote-stores.md).

Guarantees:

- a document is written as ONE Graph Store ``PUT`` of its graph (N-Triples body), so the server replaces
  the graph in one request: a failed or cut request changes nothing;
- only idempotent requests (queries, ``PUT``, ``DELETE``, ``GET``) are retried, a bounded number of times
  with exponential backoff; a SPARQL update (``POST``) is sent once, since repeating it may not be harmless;
- every request has a timeout (``TRADEKG_TIMEOUT`` seconds, default 30);
- credentials come from the environment: ``TRADEKG_USER``/``TRADEKG_PASSWORD`` (HTTP Digest or Basic,
  whichever the server asks for) or ``TRADEKG_TOKEN`` (Bearer); see :mod:`tradekg.remote_auth`. They
  never appear in a message, and redirects are not followed, so they are never sent to a host the user
  did not name;
- an answer the server cut short (Virtuoso's ``ResultSetMaxRows``) is an error, never a short answer.

Only the standard library is used (``urllib.request``).

For an endpoint whose default graph is the union of the named graphs by its own configuration (Fuseki's
``unionDefaultGraph``), set ``TRADEKG_UNION_DEFAULT_GRAPH=server``.
"""

from __future__ import annotations

import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tradekg import remote_dialect
from tradekg.errors import RemoteStoreError, UsageError
from tradekg.namespaces import PREFIXES
from tradekg.remote_auth import bearer_header, build_opener, credentials_from, is_loopback, strip_userinfo
from tradekg.remote_dialect import NTRIPLES as _NTRIPLES
from tradekg.remote_dialect import Dialect, Endpoints, accept_for, endpoints_for, graph_param
from tradekg.remote_results import canonical, excerpt, has_bnode, parse_ntriples, parse_result
from tradekg.store import Backend, QueryTimeoutError, RawResult

__all__ = ["Endpoints", "RemoteBackend", "canonical", "is_remote"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2
#: Longest encoded query sent as a GET; longer ones go as a POST form body (still a read-only query).
MAX_GET_URL = 4000
_EXCERPT = 300
# The project prefixes on ONE line with no line break, so an endpoint's "error at line:column" still
# points at the user's line.
_PROLOGUE = "".join(f"PREFIX {p}: <{iri}> " for p, iri in PREFIXES.items())
#: The dialect each server URL was found to speak, probed once per process.
_PROBED: dict[str, str] = {}


def is_remote(location: str | os.PathLike[str] | None) -> bool:
    """True when a store location names an HTTP(S) endpoint rather than a folder.

    >>> is_remote("http://localhost:7878"), is_remote("tradekg-store")
    (True, False)
    """
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


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


class RemoteBackend(Backend):
    """A tradekg store on a SPARQL 1.1 endpoint.

    ``location`` is the base URL (credentials, if any, are taken out of it). ``timeout`` bounds every
    request; ``retries`` is how many times an idempotent request is repeated after a connection error,
    a timeout or a transient error (5xx, 429; the dialect decides), waiting ``backoff``, then twice as long,
    and so on. ``dialect`` (or ``TRADEKG_DIALECT``) names the server's dialect; without it, the server is
    probed once per process.

    >>> b = RemoteBackend("http://127.0.0.1:8890/sparql", env={"TRADEKG_DIALECT": "virtuoso"})
    >>> b.endpoints.update, b.dialect.union
    ('http://127.0.0.1:8890/sparql-auth', 'server')
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
        dialect: str | None = None,
    ) -> None:
        env = dict(os.environ) if env is None else env
        clean, user, password = strip_userinfo(location)
        parts = urllib.parse.urlsplit(clean)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not an http(s) SPARQL endpoint: {clean!r}")
        self.location = clean
        self.timeout = timeout if timeout is not None else _float_env(env, "TRADEKG_TIMEOUT", DEFAULT_TIMEOUT)
        self.retries = retries if retries is not None else _int_env(env, "TRADEKG_RETRIES", DEFAULT_RETRIES)
        self.backoff = backoff
        union = (env.get("TRADEKG_UNION_DEFAULT_GRAPH") or "").lower()
        if union not in ("", "param", "server"):
            raise UsageError("TRADEKG_UNION_DEFAULT_GRAPH must be 'param' or 'server'")
        self._union_override = union or None
        name = dialect or env.get("TRADEKG_DIALECT")
        self._dialect: Dialect | None = remote_dialect.named(name) if name else None
        self._env = env
        self._credentials = credentials_from(env, user, password)
        self._headers = bearer_header(self._credentials)
        self._openers: dict[bool, urllib.request.OpenerDirector] = {}

    # --- the server's dialect ---------------------------------------------------------------------------

    @property
    def dialect(self) -> Dialect:
        """The server's dialect: named, else probed once (the ``Server`` header of a HEAD on the URL)."""
        if self._dialect is None:
            if self.location not in _PROBED:
                _status, headers, _body = self._request("HEAD", self.location, retry=True, any_status=True)
                _PROBED[self.location] = remote_dialect.from_server_header(headers.get("Server", "")).name
            self._dialect = remote_dialect.named(_PROBED[self.location])
        return self._dialect

    @property
    def endpoints(self) -> Endpoints:
        """The service URLs: the dialect's layout under the store URL, each overridable from the environment."""
        return endpoints_for(self.dialect, self.location, self._env)

    @property
    def union_mode(self) -> str:
        """How the default graph becomes the union of the named graphs: 'param' (asked) or 'server'."""
        return self._union_override or self.dialect.union

    # --- HTTP -------------------------------------------------------------------------------------------

    def _opener(self, url: str) -> urllib.request.OpenerDirector:
        # Proxies from the environment apply to real hosts; a loopback server is always reached directly.
        direct = is_loopback(urllib.parse.urlsplit(url).hostname)
        if direct not in self._openers:
            origins = {self.location, *(self._env.get(k, "") for k in
                                        ("TRADEKG_QUERY_URL", "TRADEKG_UPDATE_URL", "TRADEKG_GSP_URL"))}
            origins = {f"{p.scheme}://{p.netloc}/" for p in map(urllib.parse.urlsplit, origins) if p.netloc}
            self._openers[direct] = build_opener(self._credentials, sorted(origins), direct=direct)
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
        any_status: bool = False,
        query: bool = False,
    ) -> tuple[int, Any, bytes]:
        """Send one request; returns (status, response headers, body).

        A 404 is returned, not raised, when ``ok_missing``; any HTTP answer is returned when ``any_status``.
        ``query`` marks a read-only query, whose timeout is a :class:`QueryTimeoutError`.
        """
        timeout = timeout or self.timeout
        all_headers = {**(headers or {}), **self._headers}
        attempts = 1 + (max(self.retries, 0) if retry else 0)
        what = f"{method} {url.split('?', 1)[0]}"
        for attempt in range(attempts):
            last = attempt == attempts - 1
            req = urllib.request.Request(url, data=body, method=method, headers=all_headers)
            try:
                with self._opener(url).open(req, timeout=timeout) as resp:
                    return resp.status, resp.headers, resp.read()
            except urllib.error.HTTPError as err:
                payload = err.read() if err.fp is not None else b""
                if any_status or (err.code == 404 and ok_missing):
                    return err.code, err.headers, payload
                kind = (self._dialect or Dialect()).error_kind(err.code, payload)
                if kind == "transient" and not last:
                    self._sleep(attempt)
                    continue
                if kind == "timeout":
                    raise self._timeout_error(what, None, attempt + 1, query=query) from None
                if 300 <= err.code < 400:
                    target = err.headers.get("Location", "?")
                    raise RemoteStoreError(
                        f"{what}: the endpoint redirects (HTTP {err.code}) to {target}; "
                        "give that URL with --store (redirects are not followed)"
                    ) from None
                hint = " (check TRADEKG_USER/TRADEKG_PASSWORD or TRADEKG_TOKEN)" if err.code in (401, 403) else ""
                tries = f" after {attempt + 1} attempts" if attempt else ""
                body_text = f": {excerpt(payload)}" if payload.strip() else ""
                raise RemoteStoreError(f"{what}: HTTP {err.code} {err.reason}{tries}{hint}{body_text}") from None
            except (urllib.error.URLError, OSError) as err:
                reason = getattr(err, "reason", err)
                if not last:
                    self._sleep(attempt)
                    continue
                if isinstance(reason, TimeoutError):
                    raise self._timeout_error(what, timeout, attempt + 1, query=query) from None
                tries = f" after {attempt + 1} attempts" if attempt else ""
                raise RemoteStoreError(
                    f"cannot reach the SPARQL endpoint ({what}){tries}: {_reason_text(reason)}"
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _timeout_error(self, what: str, timeout: float | None, tries: int, *, query: bool) -> RemoteStoreError:
        tail = f" ({tries} attempts)" if tries > 1 else ""
        if timeout is None:
            msg = f"{what}: the server stopped the query at its own time limit{tail}"
        else:
            msg = (f"{what}: no answer within {timeout:g} s{tail}; the server is slow or stuck "
                   "(raise TRADEKG_TIMEOUT)")
        return _RemoteTimeout(msg) if query else RemoteStoreError(msg)

    def _sleep(self, attempt: int) -> None:
        time.sleep(self.backoff * (2**attempt))

    # --- Backend ----------------------------------------------------------------------------------------

    def query(
        self, sparql: str, *, limit: int | None = None, timeout: float | None = None, union: bool = True
    ) -> RawResult:
        text = self.dialect.rewrite(_PROLOGUE + sparql)
        params: list[tuple[str, str]] = [("query", text)]
        if union and self.union_mode == "param":
            params.append(("union-default-graph", ""))
        accept = accept_for(text)
        encoded = urllib.parse.urlencode(params)
        url = self.endpoints.query
        if len(url) + len(encoded) < MAX_GET_URL:
            _status, headers, body = self._request(
                "GET", f"{url}?{encoded}", headers={"Accept": accept}, retry=True, timeout=timeout, query=True
            )
        else:
            # A query is read-only whatever the method, so repeating it is harmless: POST queries retry too.
            _status, headers, body = self._request(
                "POST", url, body=encoded.encode("utf-8"), retry=True, timeout=timeout, query=True,
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            )
        cut = self.dialect.truncated_at(headers)
        if cut is not None:
            raise RemoteStoreError(
                f"POST/GET {url}: the server cut its answer at {cut} rows ({self.dialect.name}'s result limit,"
                " ResultSetMaxRows in virtuoso.ini); raise that limit or ask a narrower question"
            )
        return parse_result(headers.get("Content-Type", ""), body, limit)

    def update(self, sparql: str) -> None:
        body = (_PROLOGUE + sparql).encode("utf-8")
        self._request(
            "POST", self.endpoints.update, body=body, retry=False,
            headers={"Content-Type": "application/sparql-update"},
        )

    def _graph_url(self, graph: str, *, write: bool = False) -> str:
        ox.NamedNode(graph)  # refuses a malformed IRI before anything is sent
        ends = self.endpoints
        return graph_param(ends.gsp_write if write else ends.gsp, graph)

    def _put_graph(self, graph: str, triples: Iterator[ox.Triple] | list[ox.Triple]) -> None:
        body = "".join(f"{t} .\n" for t in triples).encode("utf-8")
        self._request(
            "PUT", self._graph_url(graph, write=True), body=body, retry=True,
            headers={"Content-Type": f"{_NTRIPLES}; charset=utf-8"},
        )

    def replace_graph(self, graph: str, triples: list[ox.Triple], extra_update: str = "") -> bool:
        if not any(has_bnode(t) for t in triples):
            current = self._graph_triples(graph)
            if current is not None and current == {canonical(t) for t in triples}:
                if extra_update:
                    self.update(extra_update)
                return False
        self._put_graph(graph, triples)
        if extra_update:
            # The graph PUT is the atomic unit; bookkeeping the caller asks for follows it in its own
            # request (Graph Store and Update protocols share no transaction).
            self.update(extra_update)
        return True

    def _graph_triples(self, graph: str) -> set[str] | None:
        """The triples of one graph as N-Triples lines, or None when the graph does not exist."""
        status, _headers, body = self._request(
            "GET", self._graph_url(graph), headers={"Accept": _NTRIPLES}, retry=True, ok_missing=True
        )
        if status == 404:
            return None
        return {canonical(q.triple) for q in parse_ntriples(body)}

    def drop_graph(self, graph: str) -> bool:
        status, _headers, _body = self._request(
            "DELETE", self._graph_url(graph, write=True), retry=True, ok_missing=True
        )
        return status != 404

    def graph_names(self) -> list[str]:
        """The named graphs, less those the server keeps for itself (the dialect knows which)."""
        return self.dialect.visible_graphs(self.query(self.dialect.list_graphs, union=False).rows)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        names = [graph] if graph else self.graph_names()
        for name in names:
            status, _headers, body = self._request(
                "GET", self._graph_url(name), headers={"Accept": _NTRIPLES}, retry=True, ok_missing=True
            )
            if status == 404:
                continue
            g = ox.NamedNode(name)
            for q in parse_ntriples(body):
                yield ox.Quad(q.subject, q.predicate, q.object, g)

    def count(self, graph: str | None = None) -> int:
        # tradekg writes only named graphs, so the store's size is the size of its named graphs (less the
        # server's own, which are counted per graph so that they can be left out).
        if graph:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"
            n = next(iter(self.query(q, union=False).rows), {}).get("n")
            return int(n.value) if isinstance(n, ox.Literal) else 0
        res = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", union=False)
        ours = set(self.graph_names())
        total = 0
        for r in res.rows:
            g, n = r.get("g"), r.get("n")
            if isinstance(g, ox.NamedNode) and isinstance(n, ox.Literal) and g.value in ours:
                total += int(n.value)
        return total

    def load_file(self, path: Path, *, jobs: int = 1, lenient: bool = False) -> None:
        """POST the file to the Graph Store URL in one request (``jobs`` and ``lenient`` do not apply)."""
        media = {".trig": "application/trig", ".nq": "application/n-quads"}[path.suffix.lower()]
        self.load_dataset(path.read_bytes(), media)

    def load_dataset(self, data: bytes, content_type: str) -> None:
        """Send a whole dataset (TriG or N-Quads) to the Graph Store.

        In one POST, sent once and never retried, where the server takes datasets (Oxigraph); else as
        one PUT per graph (Virtuoso), the file parsed here first so a bad file sends nothing.
        """
        if self.dialect.loads_datasets:
            self._request("POST", self.endpoints.gsp_write, body=data, retry=False,
                          headers={"Content-Type": content_type})
            return
        fmt = ox.RdfFormat.from_media_type(content_type.split(";", 1)[0])
        graphs: dict[str, list[ox.Triple]] = defaultdict(list)
        try:
            for q in ox.parse(data, format=fmt or ox.RdfFormat.N_QUADS):
                if not isinstance(q.graph_name, ox.NamedNode):
                    raise RemoteStoreError(
                        f"line {q}: triples in the default graph cannot be loaded into {self.dialect.name}"
                    )
                graphs[q.graph_name.value].append(q.triple)
        except SyntaxError as err:
            raise RemoteStoreError(f"the dataset does not parse: {err}") from None
        for name, triples in graphs.items():
            self._put_graph(name, triples)


class _RemoteTimeout(RemoteStoreError, QueryTimeoutError):
    """A remote query that did not answer in time: both a remote-store and a timeout error."""


def _reason_text(reason: Any) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    text = str(reason) or type(reason).__name__
    return text[:_EXCERPT]
