"""The embedded default store: an on-disk Oxigraph dataset, behind the :class:`~tradekg.backend.Backend` interface.

Guarantees, checked in ``tests/test_store.py``:

- a document is written in ONE transaction: a new graph by one ``Store.extend`` (transactional in
  Oxigraph), an existing one by one SPARQL update (``DROP SILENT GRAPH g ; INSERT DATA { GRAPH g {...} }``),
  so readers see the old graph or the new one, never half;
- one writer at a time: RocksDB's lock file refuses a second read-write open, reported as
  :class:`~tradekg.errors.StoreBusyError`;
- readers open with ``Store.read_only``, which takes no lock: they run while a writer holds the store and
  see the committed state as of the moment they opened.

Restoring an export (:meth:`OxigraphBackend.load_file`) uses Oxigraph's bulk loader. An N-Quads file is cut
at line boundaries into one slice per job, each bulk-loaded by its own thread into the same store
(pyoxigraph releases the GIL while it loads). Measured on 2 cores: on 1.66M quads, 76k quads/s in one piece
and 92k in two slices; on 4.1M quads, 90k and 96k (Oxigraph's loader already works on a large file's
batches in parallel, so slicing helps a small file most). TriG cannot be cut without parsing it, so it
loads in one piece.

The interface and its plain data live in :mod:`tradekg.backend`, the system graphs in
:mod:`tradekg.system_graphs`; both are re-exported here for the callers that import them from ``store``.
This module imports only pyoxigraph (not rdflib) so that read commands start fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from tradekg.backend import (
    DEFAULT_STORE,
    LOAD_FORMATS,
    SYSTEM_GRAPHS,
    Backend,
    QueryTimeoutError,
    RawResult,
    Subject,
    Term,
    as_triple,
    fresh_bnodes,
    replace_graph_update,
    store_location,
    term_from_json,
    term_to_json,
)
from tradekg.errors import InputError, StoreBusyError, TradekgError, UsageError
from tradekg.file_slices import FileSlice, line_slices
from tradekg.namespaces import PREFIXES
from tradekg.system_graphs import refresh_system_graphs, stored_fingerprint, system_fingerprint

__all__ = [
    "DEFAULT_STORE", "LOAD_FORMATS", "SYSTEM_GRAPHS", "Backend", "OxigraphBackend", "QueryTimeoutError", "RawResult",
    "Term", "line_slices", "refresh_system_graphs", "replace_graph_update", "run_in_worker", "run_local",
    "store_location", "stored_fingerprint", "system_fingerprint", "term_from_json", "term_to_json",
]

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
            return self.replace_graph(graph, [as_triple(t) for t in fresh_bnodes(triples)])
        # A new graph, the bulk-ingest case: one transactional extend, with no update text to write and
        # parse. We hold the store's write lock, so nobody creates the graph between the check and here.
        try:
            store.extend([ox.Quad(tr.subject, tr.predicate, tr.object, g)
                          for tr in map(as_triple, fresh_bnodes(triples))])
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

    def quads_for_pattern(self, subject: Subject | None = None, predicate: ox.NamedNode | None = None,
                          object: Term | None = None, graph: ox.NamedNode | None = None,  # noqa: A002
                          ) -> Iterator[ox.Quad]:
        # One index scan; only named graphs, as the SPARQL default of the interface reads them.
        found = self._retry(lambda: list(self.store.quads_for_pattern(subject, predicate, object, graph)))
        return (q for q in found if isinstance(q.graph_name, ox.NamedNode))

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return self._retry(lambda: len(self.store))
        return len(list(self.quads(graph)))

    def load_file(self, path: Path, *, jobs: int = 1, lenient: bool = False) -> None:
        """Oxigraph's bulk loader over the file; an N-Quads file in ``jobs`` slices loaded in parallel threads.

        Raises the first error a thread met, after all of them have ended.
        """
        self._need_writable()
        fmt = LOAD_FORMATS[path.suffix.lower()]
        if fmt != ox.RdfFormat.N_QUADS or jobs <= 1:
            self.store.bulk_load(path=str(path), format=fmt, lenient=lenient)
            return
        errors: list[BaseException] = []

        def work(start: int, end: int) -> None:
            part = FileSlice(path, start, end)
            try:
                # A raw stream of bytes is all the loader reads (typeshed's IO[bytes] asks for more).
                self.store.bulk_load(input=cast("IO[bytes]", part), format=fmt, lenient=lenient)
            except BaseException as err:  # noqa: BLE001 - handed to the calling thread
                errors.append(err)
            finally:
                part.close()

        threads = [threading.Thread(target=work, args=cut) for cut in line_slices(path, jobs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]


def _canonical(triples: list[ox.Triple]) -> set[str]:
    """The triples as the store would hold them: Oxigraph normalizes some literals ("10000.0" decimal
    becomes "10000"), so comparing with what is stored needs the same normalization."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return {str(q.triple) for q in scratch}


def _has_bnode(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


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
