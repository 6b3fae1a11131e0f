"""Keeping the answer index true to Oxigraph: writing a document's rows after each commit, and checking
and repairing the index when a store is opened.

Oxigraph is the truth; the index is derived from it. The single writer (the process holding Oxigraph's
lock) does every index write, in this order for each document: mark it *pending* in the index, commit to
Oxigraph, then write its rows and clear the mark in one SQLite transaction. So whatever is killed when,
the index either matches Oxigraph or names what may not match:

- a pending document is re-read from Oxigraph and re-indexed (or removed, if Oxigraph no longer has it);
- a document graph Oxigraph holds and the index lacks (or the reverse: a write that bypassed tradekg, a bulk
  ``load``) is indexed (removed);
- a store whose system graphs changed (another gazetteer), a raw SPARQL update, or an index of another
  schema version, is rebuilt from scratch, as ``tradekg reindex`` does.

A reader never repairs: it reads the index only when :meth:`AnswerIndex.is_fresh` holds, and otherwise asks
for the writer (which repairs) or, if another process holds it, answers from SPARQL.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tradekg.index.db import GAZETTEER, SCHEMA_VERSION, IndexDB, index_file
from tradekg.index.rows import LABEL_PROPS, Context, document_rows, gazetteer_context
from tradekg.index.terms import encode
from tradekg.namespaces import GAZETTEER_GRAPH_IRI, TK_IRI
from tradekg.store import SYSTEM_GRAPHS

Triple = tuple[Any, Any, Any]


@functools.cache
def role_properties() -> dict[str, str]:
    """Every role property of the ontology (IRI) with its side, ``agent`` or ``addressee``."""
    from tradekg.queries import _super_maps

    supers = _super_maps()["http://www.w3.org/2000/01/rdf-schema#subPropertyOf"]
    out: dict[str, str] = {}
    for side in ("agent", "addressee"):
        found = {TK_IRI + side}
        changed = True
        while changed:
            more = {p for p, ups in supers.items() if ups & found} - found
            found |= more
            changed = bool(more)
        for p in found:
            out.setdefault(p, side)
    return dict(sorted(out.items()))


@functools.cache
def directed_roles() -> dict[str, tuple[set[str], set[str]]]:
    """For each directed kind (from the ontology): its agent and addressee role properties (local names)."""
    from tradekg.kinds import event_kinds

    roles = role_properties()
    agents = {p[len(TK_IRI):] for p, side in roles.items() if side == "agent"}
    addressees = {p[len(TK_IRI):] for p, side in roles.items() if side == "addressee"}
    return {k.name: (agents, addressees) for k in event_kinds().values() if k.directed}


def files_signature(location: str | Path) -> str:
    """A digest of the Oxigraph files of a store (names, sizes, modification times): every committed write
    appends to RocksDB's log or adds a file, and a read-only open changes none. Equal to the one recorded
    when the writer last closed with the index in line, it spares a reader listing every document graph."""
    from tradekg.index.db import FILENAME

    h = hashlib.sha256()
    try:
        entries = sorted(os.scandir(location), key=lambda e: e.name)
    except OSError:
        return ""
    for e in entries:
        if e.name.startswith(FILENAME) or e.name.startswith("LOG") or not e.is_file():
            continue
        st = e.stat()
        h.update(f"{e.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def document_graphs(store: ox.Store) -> set[str]:
    """The names of the document graphs Oxigraph holds (every named graph but the system ones)."""
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in SYSTEM_GRAPHS}


class AnswerIndex:
    """The answer index of one local store (see the module docstring)."""

    def __init__(self, location: str | Path, fingerprint: str, *, create: bool = True) -> None:
        self.location = str(location)
        self.fingerprint = fingerprint
        self.db = IndexDB(index_file(location), create=create)
        self._ctx: Context | None = None

    @classmethod
    def existing(cls, location: str | Path, fingerprint: str) -> AnswerIndex | None:
        """The store's index if its file exists (a reader never creates one)."""
        try:
            return cls(location, fingerprint, create=False)
        except FileNotFoundError:
            return None

    def close(self) -> None:
        self.db.close()

    # -- state ------------------------------------------------------------------------------------------
    def _needs_rebuild(self) -> bool:
        return (self.db.meta("schema") != SCHEMA_VERSION or self.db.meta("fingerprint") != self.fingerprint
                or self.db.meta("dirty") is not None)

    def is_current(self) -> bool:
        """True when the index is known to match Oxigraph without reading Oxigraph: built for these system
        graphs, nothing pending, and Oxigraph's files as the writer left them when it recorded them."""
        try:
            return (not self._needs_rebuild() and not self.db.pending()
                    and self.db.meta("files") == files_signature(self.location))
        except Exception:  # noqa: BLE001 - an unreadable index is only a stale one
            return False

    def is_fresh(self, store: ox.Store) -> bool:
        """True when the index can answer for ``store`` as it is: built for these system graphs, nothing
        pending, and the same documents as Oxigraph."""
        try:
            if self._needs_rebuild() or self.db.pending():
                return False
            if self.db.meta("files") == files_signature(self.location):
                return True  # Oxigraph's files are as the writer left them, in line with the index
            return set(self.db.hashes()) == document_graphs(store)
        except Exception:  # noqa: BLE001 - an unreadable index is only a stale one: SPARQL answers instead
            return False

    def record_files(self) -> None:
        """Record the Oxigraph files' signature, once the writer has closed Oxigraph with the index in line."""
        if not self._needs_rebuild() and not self.db.pending():
            self.db.set_meta("files", files_signature(self.location))

    def mark_pending(self, docs: Sequence[str]) -> None:
        self.db.set_meta("files", None)
        self.db.mark_pending(docs)

    def mark_dirty(self) -> None:
        """Something changed Oxigraph that the index cannot follow per document: rebuild it next time."""
        self.db.set_meta("dirty", "1")
        self.db.set_meta("files", None)

    # -- writing ----------------------------------------------------------------------------------------
    def context(self, store: ox.Store) -> Context:
        """The gazetteer and ontology facts rows are computed with (read once per writer)."""
        if self._ctx is None:
            from tradekg.kinds import event_kinds

            quads = store.quads_for_pattern(None, None, None, ox.NamedNode(GAZETTEER_GRAPH_IRI))
            self._ctx = gazetteer_context(quads, event_kinds(), role_properties())
        return self._ctx

    def put(self, store: ox.Store, doc: str, triples: Sequence[Triple]) -> None:
        """Index one document Oxigraph has just committed (replacing its old rows), clearing its mark."""
        rows = document_rows(doc, triples, self.context(store))
        with self.db.transaction():
            self.db.delete_document(doc)
            self.db.insert_document(rows, directed_roles())

    def remove(self, doc: str) -> None:
        """Remove one document Oxigraph has just dropped."""
        with self.db.transaction():
            self.db.delete_document(doc)

    def clear_pending(self, doc: str) -> None:
        self.db.conn.execute("DELETE FROM pending WHERE doc = ?", (doc,))

    # -- repair -----------------------------------------------------------------------------------------
    def has(self, doc: str) -> bool:
        """Whether the index holds rows of this document."""
        return self.db.conn.execute("SELECT 1 FROM documents WHERE doc = ?", (doc,)).fetchone() is not None

    def reconcile(self, store: ox.Store, *, full: bool = True) -> dict[str, Any]:
        """Bring the index in line with Oxigraph (see the module docstring); what was done, counted.

        ``full=False`` only handles what this index itself recorded (pending documents, a rebuild asked
        for), without listing Oxigraph's graphs: what a writer does as it closes.
        """
        if self._needs_rebuild():
            return self.rebuild(store)
        if not full and not self.db.pending():
            return {"indexed": 0, "removed": 0}
        held = document_graphs(store)
        hashes = self.db.hashes()
        todo = (set(self.db.pending()) | (held - set(hashes))) & held
        gone = (set(hashes) | set(self.db.pending())) - held
        for doc in sorted(todo):
            triples = _graph_triples(store, doc)
            self.put(store, doc, triples)
        for doc in sorted(gone):
            self.remove(doc)
        return {"indexed": len(todo), "removed": len(gone)}

    def rebuild(self, store: ox.Store) -> dict[str, Any]:
        """Index every document of ``store`` from scratch (``tradekg reindex``)."""
        start = time.perf_counter()
        self._ctx = None
        ctx = self.context(store)
        docs = sorted(document_graphs(store))
        directed = directed_roles()
        self.db.clear()
        with self.db.transaction():
            subjects = {q.subject.value for g in SYSTEM_GRAPHS
                        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))
                        if isinstance(q.subject, ox.NamedNode)}
            self.db.insert_system(_gazetteer_labels(store), sorted(subjects),
                                  {k: sorted(v) for k, v in ctx.metonyms.items()})
        batch = 200  # documents per SQLite transaction: few commits, bounded memory
        for i in range(0, len(docs), batch):
            with self.db.transaction():
                for doc in docs[i:i + batch]:
                    self.db.insert_document(document_rows(doc, _graph_triples(store, doc), ctx), directed)
        with self.db.transaction():
            self.db.set_meta("schema", SCHEMA_VERSION)
            self.db.set_meta("fingerprint", self.fingerprint)
            self.db.set_meta("dirty", None)
        self.db.conn.execute("PRAGMA optimize")
        try:  # give back the pages of the old tables, and empty the log: the file is then its real size
            self.db.conn.execute("VACUUM")
            self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError:
            pass  # a reader holds the file open: the space is reused by later writes instead
        return {"documents": len(docs), "seconds": round(time.perf_counter() - start, 3)}


def _graph_triples(store: ox.Store, doc: str) -> list[Triple]:
    return [(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(doc))]


def _gazetteer_labels(store: ox.Store) -> list[tuple[str, str, str]]:
    g = ox.NamedNode(GAZETTEER_GRAPH_IRI)
    out = []
    for prop in LABEL_PROPS:
        for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, g):
            if isinstance(q.subject, ox.NamedNode):
                out.append((q.subject.value, prop.rsplit("#", 1)[-1], encode(q.object)))
    return out


__all__ = ["AnswerIndex", "GAZETTEER", "document_graphs", "role_properties", "directed_roles"]
