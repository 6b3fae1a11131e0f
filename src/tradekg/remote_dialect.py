"""What differs between SPARQL servers, in one place: a small dialect object per server.

The remote store (:mod:`tradekg.store_remote`) speaks the standard protocols; everything a server does
its own way is decided here, and only here. The dialect is chosen by ``TRADEKG_DIALECT``
(``oxigraph``, ``virtuoso`` or ``generic``), else by one probe: the ``Server`` header of a GET on the
store URL. docs/remote-stores.md says what works on which server and what differs.

What differs, and how each is handled:

- **Service URLs.** Oxigraph: ``/query``, ``/update``, ``/store`` under the base URL. Virtuoso: ``/sparql``
  for queries and Graph Store reads (``/sparql-graph-crud``); writes go to ``/sparql-auth`` and
  ``/sparql-graph-crud-auth``, which take HTTP Digest (see :mod:`tradekg.remote_auth`).
- **The union default graph.** Oxigraph's default graph is its own (empty) graph unless the query asks
  for the union with ``union-default-graph``; Virtuoso's default graph is always the union of every graph,
  so there is nothing to ask and ``union=False`` cannot be had (queries that need one graph say GRAPH).
- **The server's own graphs.** Virtuoso keeps its schemas and its service description as named graphs;
  they are hidden from the graph list, the counts and the export.
- **Listing graphs.** Oxigraph lists empty graphs with ``GRAPH ?g { }``; Virtuoso answers that with one
  empty row, so it is asked for graphs that hold a triple.
- **Content negotiation.** Virtuoso ignores ``q=`` weights, so the Accept header names one format, chosen
  by the query form: SPARQL JSON results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE (Virtuoso would
  otherwise send a CONSTRUCT as its own JSON, or a SELECT as an RDF description of the result set).
- **Silent truncation.** Virtuoso cuts answers at ``ResultSetMaxRows`` (10,000 in Debian's ini) and says so
  only in an ``X-SPARQL-MaxRows`` header: that is an error here, never a short answer.
- **Sorting.** Virtuoso sorts long strings and IRIs by internal ids, and refuses aggregates in ORDER BY:
  :func:`order_outside` moves a SELECT's ORDER BY outside a sub-select and sorts by text.
- **MIN.** Virtuoso 7.2 loses whole groups under ``(MIN(?x) AS ?y)`` over strings (the seed's requests by
  the United States of Japan: 2 of 4 rows); with SAMPLE they stay. :func:`min_as_sample` writes SAMPLE for
  it, so on Virtuoso a column with several values shows one of them, not necessarily the least (the named
  queries take MIN so that the answer index and Oxigraph give one answer; see ``tradekg.index.answers``).
- **Errors.** Virtuoso answers most errors with HTTP 500 and a body ``Virtuoso SQLSTATE Error ...``; only a
  deadlock (40001) is worth retrying, and S1T00 is a timeout.
- **Loading a dataset.** Oxigraph takes TriG/N-Quads in one POST; Virtuoso's Graph Store takes one graph
  per request, so a dataset is sent as one PUT per graph.
- **Literal spellings** (numbers stored by value, language tags in lower case) are compared through
  :func:`tradekg.store_remote.canonical`, which every server needs.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from tradekg.errors import UsageError
from tradekg.remote_rewrite import min_as_sample, order_outside

_SD_SERVICE = "http://www.w3.org/ns/sparql-service-description#Service"
_VIRTUOSO_ERROR = re.compile(r"^\s*Virtuoso\s+(\w{5})\s+Error")


@dataclass(frozen=True)
class Endpoints:
    """The service URLs of one SPARQL server (without credentials). Graph Store writes may differ from reads."""

    query: str
    update: str
    gsp: str
    gsp_write: str = ""

    def __post_init__(self) -> None:
        if not self.gsp_write:
            object.__setattr__(self, "gsp_write", self.gsp)


class Dialect:
    """Oxigraph's behaviour, which is also what an unknown server is assumed to do."""

    name = "generic"
    #: how the union of the named graphs becomes the default graph: "param" (asked per query) or "server"
    union = "param"
    #: True when, without the union, the default graph is the server's own (empty) graph
    isolated_default_graph = True
    #: the query that lists graph names (as ?g)
    list_graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
    #: a whole dataset (TriG, N-Quads) can be POSTed to the Graph Store URL in one request
    loads_datasets = True

    def endpoints(self, base: str) -> Endpoints:
        root = base.rstrip("/")
        return Endpoints(f"{root}/query", f"{root}/update", f"{root}/store")

    def is_server_graph(self, iri: str) -> bool:
        """True for a graph the server keeps for itself (never tradekg's, never exported)."""
        return False

    def visible_graphs(self, rows: list[dict[str, Any]]) -> list[str]:
        """The graph names in the rows of :attr:`list_graphs`, less the server's own, sorted."""
        names = {r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode)}
        hidden = {r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode) and r.get("service") is not None}
        return sorted(g for g in names - hidden if not self.is_server_graph(g))

    def error_kind(self, status: int, body: bytes) -> str:
        """'transient' (worth repeating an idempotent request), 'timeout' or 'final'."""
        return "transient" if status >= 500 or status == 429 else "final"

    def truncated_at(self, headers: dict[str, str]) -> int | None:
        """The row count the server cut its answer at, when it says so."""
        return None

    def rewrite(self, query: str) -> str:
        """The query text as this server needs it to give the standard answer."""
        return query

    def __repr__(self) -> str:
        return f"<{self.name} dialect>"


class OxigraphDialect(Dialect):
    """``oxigraph serve`` (and ``tradekg serve``)."""

    name = "oxigraph"


class VirtuosoDialect(Dialect):
    """Virtuoso Open Source 7.2 (tested with Debian's 7.2.5)."""

    name = "virtuoso"
    union = "server"
    isolated_default_graph = False
    # Its service description graph is named after the endpoint and describes itself as an sd:Service.
    list_graphs = (
        "SELECT DISTINCT ?g ?service WHERE { { GRAPH ?g { ?s ?p ?o } } UNION "
        f"{{ GRAPH ?g {{ ?g a <{_SD_SERVICE}> }} BIND(true AS ?service) }} }}"
    )
    loads_datasets = False
    server_graph_prefixes = ("http://www.openlinksw.com/schemas/", "http://www.w3.org/ns/ldp#")

    def endpoints(self, base: str) -> Endpoints:
        # The user may name the query service (".../sparql") or the server; the services are its siblings.
        root = base.rstrip("/").removesuffix("/sparql")
        return Endpoints(f"{root}/sparql", f"{root}/sparql-auth", f"{root}/sparql-graph-crud",
                         f"{root}/sparql-graph-crud-auth")

    def is_server_graph(self, iri: str) -> bool:
        return iri.startswith(self.server_graph_prefixes)

    def error_kind(self, status: int, body: bytes) -> str:
        m = _VIRTUOSO_ERROR.match(body[:200].decode("utf-8", "replace"))
        if m is None:
            return super().error_kind(status, body)
        state = m.group(1)
        if state == "S1T00":
            return "timeout"
        return "transient" if state == "40001" else "final"

    def rewrite(self, query: str) -> str:
        return order_outside(min_as_sample(query))

    def truncated_at(self, headers: dict[str, str]) -> int | None:
        raw = headers.get("X-SPARQL-MaxRows")
        return int(raw) if raw and raw.strip().isdigit() else None


DIALECTS: dict[str, type[Dialect]] = {"generic": Dialect, "oxigraph": OxigraphDialect, "virtuoso": VirtuosoDialect}


def named(name: str) -> Dialect:
    """The dialect called ``name`` (``TRADEKG_DIALECT``).

    >>> named("virtuoso").endpoints("http://h:8890/sparql").gsp_write
    'http://h:8890/sparql-graph-crud-auth'
    >>> named("oxigraph").endpoints("http://h:7878").update
    'http://h:7878/update'
    """
    try:
        return DIALECTS[name.strip().lower()]()
    except KeyError:
        raise UsageError(f"TRADEKG_DIALECT must be one of {', '.join(DIALECTS)}, not {name!r}") from None


def from_server_header(server: str) -> Dialect:
    """The dialect a ``Server`` response header names; an unknown server gets the generic one.

    >>> from_server_header("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu").name
    'virtuoso'
    >>> from_server_header("Oxigraph/0.5.13").name, from_server_header("Jetty(12)").name
    ('oxigraph', 'generic')
    """
    product = server.strip().split("/", 1)[0].lower()
    return named(product) if product in DIALECTS else Dialect()


def endpoints_for(dialect: Dialect, base: str, env: dict[str, str]) -> Endpoints:
    """The dialect's service URLs, each overridable from the environment.

    >>> env = {"TRADEKG_QUERY_URL": "http://h:3030/ds/sparql"}
    >>> endpoints_for(Dialect(), "http://h:3030/ds", env).query
    'http://h:3030/ds/sparql'
    """
    own = dialect.endpoints(base)
    gsp = env.get("TRADEKG_GSP_URL")
    return Endpoints(
        query=env.get("TRADEKG_QUERY_URL") or own.query,
        update=env.get("TRADEKG_UPDATE_URL") or own.update,
        gsp=gsp or own.gsp,
        gsp_write=gsp or own.gsp_write,
    )


def graph_param(url: str, graph: str) -> str:
    """The Graph Store URL of one graph (the standard ``graph`` parameter; Virtuoso accepts it too)."""
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{sep}{urllib.parse.urlencode({'graph': graph})}"


# --- the query form decides the Accept header -------------------------------------------------------------

_PROLOGUE_ITEM = re.compile(
    r"\s+|#[^\n]*|(?i:PREFIX)\s*[A-Za-z0-9_.\-\u00B7-\uFFFF]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>"
)
_FORM = re.compile(r"(?i:SELECT|ASK|CONSTRUCT|DESCRIBE)\b")
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first word after the prologue (None if unrecognised).

    >>> query_form("PREFIX ex: <http://e/#> # a comment\\n construct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    pos = 0
    while m := _PROLOGUE_ITEM.match(text, pos):
        if m.end() == pos:
            break
        pos = m.end()
    form = _FORM.match(text, pos)
    return form.group(0).upper() if form else None


def accept_for(text: str) -> str:
    """One result format per query form: servers that ignore ``q=`` weights (Virtuoso) then agree.

    >>> accept_for("SELECT * { ?s ?p ?o }"), accept_for("DESCRIBE <http://e/a>")
    ('application/sparql-results+json', 'application/n-triples')
    """
    form = query_form(text)
    if form in ("SELECT", "ASK"):
        return RESULTS_JSON
    if form in ("CONSTRUCT", "DESCRIBE"):
        return NTRIPLES
    return f"{RESULTS_JSON}, {NTRIPLES};q=0.9"


# --- Virtuoso's ORDER BY ------------------------------------------------------------------------------------
# Virtuoso 7.2 compares long strings and IRIs by their internal ids, not by their text, when it sorts, and
# refuses aggregates (SP030) and expressions over aggregated values (SP031) in ORDER BY. So a SELECT with an
# ORDER BY is sent as a sub-select without it, ordered outside: aggregate keys become hidden columns of the
# sub-select, and a plain variable key sorts by its text (ISO dates sort as text; a numeric column would
# not, and isNumeric, DATATYPE and casts fail on Virtuoso's long-string boxes, so none can be told apart).
