"""Where the graph lives: the backend interface and its embedded on-disk Oxigraph implementation.

A store is an RDF dataset: one named graph per document (``tkdoc:<id>``), plus the system graphs
``tkg:ontology``, ``tkg:gazetteer`` and ``tkg:meta``. Everything above this module (ingest, queries,
export) talks to a :class:`Backend`, so a SPARQL-endpoint backend (``store_remote.py``) can replace the
on-disk one without touching the callers.

Guarantees of the Oxigraph backend, checked in ``tests/test_store.py``:

- a document is written in ONE transaction: a new graph by one ``Store.extend`` (transactional in
  Oxigraph), an existing one by one SPARQL update (``DROP SILENT GRAPH g ; INSERT DATA { GRAPH g {...} }``),
  so readers see the old graph or the new one, never half;
- one writer at a time: RocksDB's lock file refuses a second read-write open, reported as
  :class:`~tradekg.errors.StoreBusyError`;
- readers open with ``Store.read_only``, which takes no lock: they run while a writer holds the store and
  see the committed state as of the moment they opened.

This module imports only pyoxigraph (not rdflib) so that read commands start fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tradekg.errors import InputError, StoreBusyError, TradekgError, UsageError
from tradekg.namespaces import GAZETTEER_GRAPH_IRI, META_GRAPH_IRI, ONTOLOGY_GRAPH_IRI, PREFIXES, TKG_IRI

DEFAULT_STORE = "tradekg-store"
SYSTEM_GRAPHS = (ONTOLOGY_GRAPH_IRI, GAZETTEER_GRAPH_IRI, META_GRAPH_IRI)
_FINGERPRINT = ox.NamedNode(TKG_IRI + "fingerprint")
_META = ox.NamedNode(META_GRAPH_IRI)

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class QueryTimeoutError(TradekgError):
    """A query that ran longer than its timeout and was stopped."""


@dataclass
class RawResult:
    """What a backend returns for a query, before formatting.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE). ``rows`` hold pyoxigraph terms
    (``None`` for an unbound variable); ``triples`` hold pyoxigraph triples; ``truncated`` says that
    ``limit`` cut the result.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False


def store_location(store: str | os.PathLike[str] | None = None) -> str:
    """The store to use: the argument, else ``$TRADEKG_STORE``, else ``./tradekg-store``.

    >>> store_location("/tmp/x")
    '/tmp/x'
    """
    if store:
        return os.fspath(store)
    return os.environ.get("TRADEKG_STORE") or DEFAULT_STORE


class Backend(ABC):
    """The operations tradekg needs from a store; the unit of atomicity is one named graph."""

    location: str

    @abstractmethod
    def query(
        self, sparql: str, *, limit: int | None = None, timeout: float | None = None, union: bool = True
    ) -> RawResult:
        """Run a read-only query (SELECT/ASK/CONSTRUCT/DESCRIBE) with the project prefixes declared."""

    @abstractmethod
    def replace_graph(self, graph: str, triples: list[ox.Triple], extra_update: str = "") -> bool:
        """Atomically make ``graph`` hold exactly ``triples``; False when it already did (nothing written).

        ``extra_update`` (SPARQL update operations) runs in the same transaction.
        """

    def write_triples(self, graph: str, triples: Sequence[tuple[Term, Term, Term]]) -> bool:
        """:meth:`replace_graph` from ``(s, p, o)`` tuples of pyoxigraph terms (a document's ``triples``).

        Blank nodes become fresh ones, so that two documents' ``_:b0`` stay apart. Backends may override
        this with a faster write.
        """
        return self.replace_graph(graph, [ox.Triple(s, p, o) for s, p, o in _fresh_bnodes(triples)])

    @abstractmethod
    def drop_graph(self, graph: str) -> bool:
        """Remove one named graph; False when it did not exist."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update as one transaction (only on a writable backend)."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        """The names of all named graphs, sorted."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """All quads, or those of one named graph."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in the store or in one graph."""

    def close(self) -> None:  # noqa: B027 - a backend without resources to release need not override it
        """Release the store (and its write lock)."""


_READ_RETRIES = 8


def _is_vanished_file(err: BaseException) -> bool:
    return "No such file or directory" in str(err)


def _is_lock_error(err: BaseException) -> bool:
    text = str(err)
    return "lock" in text.lower() and ("LOCK" in text or "Resource temporarily unavailable" in text)


class OxigraphBackend(Backend):
    """An on-disk pyoxigraph store, opened read-write (holds the lock) or read-only (no lock).

    >>> import tempfile
    >>> b = OxigraphBackend(tempfile.mkdtemp() + "/s", writable=True)
    >>> b.replace_graph("http://example.org/g", [ox.Triple(ox.NamedNode("http://example.org/a"),
    ...     ox.NamedNode("http://example.org/p"), ox.Literal("1"))])
    True
    >>> b.count()
    1
    """

    def __init__(self, path: str | os.PathLike[str], *, writable: bool) -> None:
        self.location = os.fspath(path)
        self.writable = writable
        self._store: ox.Store | None = None
        self._open()

    def _open(self) -> None:
        try:
            if self.writable:
                self._store = ox.Store(self.location)
            else:
                if not Path(self.location, "CURRENT").exists():
                    raise InputError(f"no tradekg store at {self.location} (ingest a document first)")
                self._store = self._retry(lambda: ox.Store.read_only(self.location), reopen=False)
        except OSError as err:
            if _is_lock_error(err):
                raise StoreBusyError(
                    f"store in use by another process: {self.location} (one writer at a time; try again "
                    "when the other ingest or remove has finished)"
                ) from None
            raise InputError(f"cannot open store {self.location}: {err}") from None

    def _retry(self, fn: Any, reopen: bool = True) -> Any:
        """Run a read, retrying when a concurrent writer removed a file under a read-only view.

        A read-only RocksDB view lists the store's files when it opens; a writer's compaction may delete
        one of them before the reader gets to it ("No such file"). The data is intact: opening again gives
        a fresh, consistent view. Writers never need this.
        """
        for attempt in range(_READ_RETRIES):
            try:
                return fn()
            except (OSError, RuntimeError, TradekgError) as err:
                if self.writable or not _is_vanished_file(err) or attempt == _READ_RETRIES - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
                if reopen:
                    self._store = None
                    self._store = ox.Store.read_only(self.location)
        raise AssertionError("unreachable")

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            raise UsageError("the store is closed")
        return self._store

    def close(self) -> None:
        """Drop the handle: RocksDB closes and releases its lock when pyoxigraph frees the store.

        A writer flushes first: otherwise every later read-only open replays the write-ahead log, which
        costs more the more was written (measured: 80-170 ms instead of 20 ms after one seed ingest).
        """
        if self.writable and self._store is not None:
            try:
                self._store.flush()
            except OSError:
                pass  # the data is safe in the log; only the readers' start-up is slower
        self._store = None

    def _need_writable(self) -> None:
        if not self.writable:
            raise UsageError("this store was opened read-only")

    def query(
        self, sparql: str, *, limit: int | None = None, timeout: float | None = None, union: bool = True
    ) -> RawResult:
        if timeout is not None:
            # A query cannot be interrupted inside pyoxigraph, so a bounded query runs in a child
            # process that is killed when the time is up.
            return run_in_worker(self.location, sparql, limit=limit, timeout=timeout, union=union)
        return self._retry(lambda: run_local(self.store, sparql, limit=limit, union=union))

    def update(self, sparql: str) -> None:
        self._need_writable()
        try:
            self.store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as err:
            raise InputError(f"SPARQL update syntax error: {err}") from None
        except OSError as err:
            raise TradekgError(f"store write failed: {err}") from None

    def replace_graph(self, graph: str, triples: list[ox.Triple], extra_update: str = "") -> bool:
        self._need_writable()
        g = ox.NamedNode(graph)
        if not extra_update and not any(_has_bnode(t) for t in triples):
            current = {str(q.triple) for q in self.store.quads_for_pattern(None, None, None, g)}
            if current and current == _canonical(triples):
                return False
        update = replace_graph_update(graph, triples)
        self.update(update + " ;\n" + extra_update if extra_update else update)
        return True

    def write_triples(self, graph: str, triples: Sequence[tuple[Term, Term, Term]]) -> bool:
        self._need_writable()
        g = ox.NamedNode(graph)
        store = self.store
        if store.contains_named_graph(g):
            # An existing graph (a re-ingest): compare, then drop and insert in one update.
            return self.replace_graph(graph, [ox.Triple(s, p, o) for s, p, o in _fresh_bnodes(triples)])
        # A new graph, the bulk-ingest case: one transactional extend, with no update text to write and
        # parse. We hold the store's write lock, so nobody creates the graph between the check and here.
        try:
            store.extend([ox.Quad(s, p, o, g) for s, p, o in _fresh_bnodes(triples)])
        except OSError as err:
            raise TradekgError(f"store write failed: {err}") from None
        return True

    def drop_graph(self, graph: str) -> bool:
        self._need_writable()
        g = ox.NamedNode(graph)
        if not self.store.contains_named_graph(g):
            return False
        self.update(f"DROP SILENT GRAPH {g}")
        return True

    def graph_names(self) -> list[str]:
        return self._retry(
            lambda: sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))
        )

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        g = ox.NamedNode(graph) if graph else None
        return iter(self._retry(lambda: list(self.store.quads_for_pattern(None, None, None, g))))

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return self._retry(lambda: len(self.store))
        return len(list(self.quads(graph)))


def _canonical(triples: list[ox.Triple]) -> set[str]:
    """The triples as the store would hold them: Oxigraph normalizes some literals ("10000.0" decimal
    becomes "10000"), so comparing with what is stored needs the same normalization."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return {str(q.triple) for q in scratch}


def _fresh_bnodes(triples: Sequence[tuple[Term, Term, Term]]) -> Sequence[tuple[Term, Term, Term]]:
    """The triples with each blank node replaced by a fresh one (the same one for the same label)."""
    bnode = ox.BlankNode
    if not any(isinstance(s, bnode) or isinstance(o, bnode) for s, _p, o in triples):
        return triples
    fresh: dict[ox.BlankNode, ox.BlankNode] = {}

    def swap(term: Any) -> Any:
        return fresh.setdefault(term, bnode()) if isinstance(term, bnode) else term

    return [(swap(s), p, swap(o)) for s, p, o in triples]


def _has_bnode(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def replace_graph_update(graph: str, triples: Iterable[ox.Triple]) -> str:
    """The SPARQL update that replaces one graph; terms are written by pyoxigraph, so they are escaped.

    >>> t = ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal('say "hi"'))
    >>> print(replace_graph_update("http://e/g", [t]))
    DROP SILENT GRAPH <http://e/g> ;
    INSERT DATA { GRAPH <http://e/g> {
    <http://e/a> <http://e/p> "say \\"hi\\"" .
    } }
    """
    g = ox.NamedNode(graph)
    body = "".join(f"{t} .\n" for t in triples)
    return f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}}} }}"


# --- queries -----------------------------------------------------------------------------------------


def run_local(store: ox.Store, sparql: str, *, limit: int | None = None, union: bool = True) -> RawResult:
    """Run a query in this process and collect at most ``limit`` rows or triples."""
    try:
        return _collect(store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union), limit)
    except SyntaxError as err:
        raise InputError(f"SPARQL syntax error: {err}") from None
    except (OSError, RuntimeError) as err:
        raise TradekgError(f"query failed: {err}") from None


def _collect(res: Any, limit: int | None) -> RawResult:
    if isinstance(res, ox.QueryBoolean):
        return RawResult("ask", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        out = RawResult("select", variables=names)
        for sol in res:
            if limit is not None and len(out.rows) >= limit:
                out.truncated = True
                break
            out.rows.append({n: sol[n] for n in names})
        return out
    out = RawResult("graph")
    for t in res:
        if limit is not None and len(out.triples) >= limit:
            out.truncated = True
            break
        out.triples.append(t)
    return out


def term_to_json(t: Term | None) -> dict[str, str] | None:
    """A term in the W3C SPARQL-JSON results encoding.

    >>> term_to_json(ox.Literal("hi", language="en"))
    {'type': 'literal', 'value': 'hi', 'xml:lang': 'en'}
    """
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        if t.language:
            return {"type": "literal", "value": t.value, "xml:lang": t.language}
        return {"type": "literal", "value": t.value, "datatype": t.datatype.value}
    return {"type": "literal", "value": str(t)}  # an RDF 1.2 triple term: shown as text


def term_from_json(d: dict[str, str] | None) -> Term | None:
    """Inverse of :func:`term_to_json`."""
    if d is None:
        return None
    if d["type"] == "uri":
        return ox.NamedNode(d["value"])
    if d["type"] == "bnode":
        return ox.BlankNode(d["value"])
    if "xml:lang" in d:
        return ox.Literal(d["value"], language=d["xml:lang"])
    return ox.Literal(d["value"], datatype=ox.NamedNode(d["datatype"]))


def run_in_worker(
    path: str, sparql: str, *, limit: int | None, timeout: float, union: bool = True
) -> RawResult:
    """Run a query in a child process on a read-only view of the store, killed after ``timeout`` s."""
    request = json.dumps({"path": path, "query": sparql, "limit": limit, "union": union})
    cmd = [sys.executable, "-c", "from tradekg.store import _worker_main; _worker_main()"]
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        encoding="utf-8",
    )
    try:
        out, err = proc.communicate(request, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise QueryTimeoutError(f"query stopped after {timeout:g} s (raise it with --timeout)") from None
    if proc.returncode != 0:
        try:
            info = json.loads(err.strip().splitlines()[-1])
        except (ValueError, IndexError):
            info = {"error": "TradekgError", "message": f"query process failed: {err.strip()[-500:]}"}
        cls = {"InputError": InputError, "UsageError": UsageError}.get(info["error"], TradekgError)
        raise cls(info["message"])
    msg = json.loads(out)
    res = RawResult(msg["kind"], variables=msg.get("variables", []), truncated=msg.get("truncated", False))
    if msg["kind"] == "ask":
        res.boolean = msg["boolean"]
    elif msg["kind"] == "select":
        res.rows = [{k: term_from_json(v) for k, v in row.items()} for row in msg["rows"]]
    else:
        data = "".join(f"{t}\n" for t in msg["triples"])
        res.triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return res


def _worker_main() -> None:
    """Entry of the query child process: a JSON request on stdin, a JSON result on stdout."""
    req = json.loads(sys.stdin.read())
    try:
        backend = OxigraphBackend(req["path"], writable=False)
        res = backend.query(req["query"], limit=req["limit"], union=req["union"])
    except TradekgError as err:
        sys.stderr.write(json.dumps({"error": type(err).__name__, "message": str(err)}) + "\n")
        sys.exit(2)
    msg: dict[str, Any] = {"kind": res.kind, "variables": res.variables, "truncated": res.truncated}
    if res.kind == "ask":
        msg["boolean"] = res.boolean
    elif res.kind == "select":
        msg["rows"] = [{k: term_to_json(v) for k, v in row.items()} for row in res.rows]
    else:
        msg["triples"] = [f"{t} ." for t in res.triples]
    sys.stdout.write(json.dumps(msg))


# --- system graphs -------------------------------------------------------------------------------------


def system_fingerprint(extra_gazetteers: Iterable[Path] = ()) -> str:
    """A digest of the packaged ontology and gazetteer files plus the user's gazetteer files."""
    from tradekg import resources

    h = hashlib.sha256()
    for p in [resources.ontology_path(), *resources.gazetteer_paths(), *extra_gazetteers]:
        h.update(str(p).encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def stored_fingerprint(backend: Backend) -> str | None:
    """The fingerprint recorded in ``tkg:meta`` when the system graphs were last loaded."""
    res = backend.query(f"SELECT ?f WHERE {{ GRAPH {_META} {{ {_META} {_FINGERPRINT} ?f }} }}", union=False)
    for row in res.rows:
        f = row.get("f")
        if isinstance(f, ox.Literal):
            return f.value
    return None


def _parse_turtle_file(path: Path) -> list[ox.Triple]:
    try:
        return [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    except (SyntaxError, OSError) as err:
        raise InputError(f"cannot read {path}: {err}", path=path) from None


def refresh_system_graphs(backend: Backend, extra_gazetteers: Iterable[Path] = ()) -> bool:
    """Load ontology and gazetteer into their graphs if the files changed since the last load.

    Returns True when it wrote. Ontology, gazetteer and the new fingerprint go in one transaction.
    """
    from tradekg import resources

    extra = [Path(p) for p in extra_gazetteers]
    fp = system_fingerprint(extra)
    if stored_fingerprint(backend) == fp:
        return False
    onto = _parse_turtle_file(resources.ontology_path())
    gaz = [t for p in [*resources.gazetteer_paths(), *extra] for t in _parse_turtle_file(p)]
    meta = ox.Literal(fp)
    update = (
        replace_graph_update(ONTOLOGY_GRAPH_IRI, onto)
        + " ;\n"
        + replace_graph_update(GAZETTEER_GRAPH_IRI, gaz)
        + f" ;\nDROP SILENT GRAPH {_META} ;\nINSERT DATA {{ GRAPH {_META} {{ {_META} {_FINGERPRINT} {meta} }} }}"
    )
    backend.update(update)
    return True
