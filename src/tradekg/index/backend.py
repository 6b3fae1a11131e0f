"""The local store's writer with the index hook: every document write or removal that commits in Oxigraph
is followed, in the same process and call, by the index's (see :mod:`.maintain` for the order and why)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tradekg.index.maintain import AnswerIndex
from tradekg.store import SYSTEM_GRAPHS, OxigraphBackend


class IndexedOxigraphBackend(OxigraphBackend):
    """An :class:`~tradekg.store.OxigraphBackend` opened read-write that keeps the answer index beside it.

    Document writes (``write_triples``, ``replace_graph``, ``drop_graph``) mark the document pending, commit
    to Oxigraph, then index it. Any other update (a raw SPARQL update, the system graphs) marks the index
    for a rebuild, done by :meth:`reconcile_index` when the writer closes.
    """

    def __init__(self, path: str | Path, fingerprint: str) -> None:
        super().__init__(path, writable=True)
        self.index = AnswerIndex(self.location, fingerprint)
        self._hooked = False  # inside a document write: its own update is not a raw one
        self.last_reconcile: dict[str, Any] = {}

    @contextmanager
    def system_updates(self) -> Iterator[None]:
        """Updates of the system graphs only (ontology, gazetteer, fingerprint): no rebuild is asked for, as
        the index records the fingerprint it was built for and rebuilds itself when that changes."""
        self._hooked = True
        try:
            yield
        finally:
            self._hooked = False

    def reconcile_index(self) -> dict[str, Any]:
        """Repair the index against Oxigraph (see :meth:`AnswerIndex.reconcile`)."""
        self.last_reconcile = self.index.reconcile(self.store)
        return self.last_reconcile

    def _document(self, graph: str) -> bool:
        return graph not in SYSTEM_GRAPHS and not self._hooked

    def write_triples(self, graph: str, triples: Sequence[tuple[Any, Any, Any]]) -> bool:
        if not self._document(graph):
            return super().write_triples(graph, triples)
        self.index.mark_pending([graph])
        self._hooked = True
        try:
            changed = super().write_triples(graph, triples)
        finally:
            self._hooked = False
        self._after_write(graph, changed)
        return changed

    def replace_graph(self, graph: str, triples: list[ox.Triple], extra_update: str = "") -> bool:
        if not self._document(graph) or extra_update:
            if extra_update and not self._hooked:
                self.index.mark_dirty()
            return super().replace_graph(graph, triples, extra_update)
        self.index.mark_pending([graph])
        self._hooked = True
        try:
            changed = super().replace_graph(graph, triples)
        finally:
            self._hooked = False
        self._after_write(graph, changed)
        return changed

    def _after_write(self, graph: str, changed: bool) -> None:
        if changed or not self.index.has(graph):
            g = ox.NamedNode(graph)
            self.index.put(self.store, graph, [(q.subject, q.predicate, q.object)
                                               for q in self.store.quads_for_pattern(None, None, None, g)])
        else:
            self.index.clear_pending(graph)

    def drop_graph(self, graph: str) -> bool:
        if not self._document(graph):
            return super().drop_graph(graph)
        self.index.mark_pending([graph])
        self._hooked = True
        try:
            dropped = super().drop_graph(graph)
        finally:
            self._hooked = False
        self.index.remove(graph)
        return dropped

    def update(self, sparql: str) -> None:
        if not self._hooked:
            self.index.mark_dirty()
        super().update(sparql)

    def close(self) -> None:
        try:
            if self._store is not None:
                self.index.reconcile(self._store, full=False)
            super().close()
            self.index.record_files()  # after Oxigraph's last flush: what readers compare with
        finally:
            self.index.close()
            super().close()
