"""The local store's writer with the index hook: every document write or removal that commits in Oxigraph
is followed, in the same process and call, by the index's (see :mod:`.maintain` for the order and why)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tradekg.index.maintain import AnswerIndex
from tradekg.store import SYSTEM_GRAPHS, OxigraphBackend


def _own(method: Callable[..., Any]) -> Callable[..., Any]:
    """A method of this class that uses the store knowingly (its writes are followed by the index's)."""

    @functools.wraps(method)
    def inner(self: IndexedOxigraphBackend, *args: Any, **kwargs: Any) -> Any:
        self._inside += 1
        try:
            return method(self, *args, **kwargs)
        finally:
            self._inside -= 1

    return inner


class IndexedOxigraphBackend(OxigraphBackend):
    """An :class:`~tradekg.store.OxigraphBackend` opened read-write that keeps the answer index beside it.

    Document writes (``write_triples``, ``replace_graph``, ``drop_graph``) mark the document pending, commit
    to Oxigraph, then index it. Any other update (a raw SPARQL update, the system graphs) marks the index
    for a rebuild, done by :meth:`reconcile_index` when the writer closes. A caller that takes the
    pyoxigraph ``store`` itself (a bulk load) may write behind the index's back: then the writer compares
    the index with Oxigraph's document list as it closes.
    """

    def __init__(self, path: str | Path, fingerprint: str) -> None:
        self._inside = 1  # opening: super().__init__ reads the store
        self._outside_access = False
        super().__init__(path, writable=True)
        self._inside = 0
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

    @property
    def store(self) -> ox.Store:
        if not self._inside:
            self._outside_access = True
        return OxigraphBackend.store.fget(self)  # type: ignore[attr-defined]

    @_own
    def query(self, sparql: str, *, limit: int | None = None, timeout: float | None = None,
              union: bool = True) -> Any:
        return super().query(sparql, limit=limit, timeout=timeout, union=union)

    @_own
    def graph_names(self) -> list[str]:
        return super().graph_names()

    @_own
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        return super().quads(graph)

    @_own
    def count(self, graph: str | None = None) -> int:
        return super().count(graph)

    @_own
    def quads_for_pattern(self, *args: Any, **kwargs: Any) -> Any:
        return super().quads_for_pattern(*args, **kwargs)

    @_own
    def reconcile_index(self) -> dict[str, Any]:
        """Repair the index against Oxigraph (see :meth:`AnswerIndex.reconcile`)."""
        self.last_reconcile = self.index.reconcile(self.store)
        return self.last_reconcile

    def _document(self, graph: str) -> bool:
        return graph not in SYSTEM_GRAPHS and not self._hooked

    @_own
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

    @_own
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

    @_own
    def _after_write(self, graph: str, changed: bool) -> None:
        if changed or not self.index.has(graph):
            g = ox.NamedNode(graph)
            self.index.put(self.store, graph, [(q.subject, q.predicate, q.object)
                                               for q in self.store.quads_for_pattern(None, None, None, g)])
        else:
            self.index.clear_pending(graph)

    @_own
    def write_new_graphs(self, graphs: Sequence[tuple[str, Sequence[tuple[Any, Any, Any]]]]) -> None:
        """One bulk batch of new documents (:mod:`tradekg.batch_write`): all marked pending, the batch
        committed to Oxigraph, then each document indexed, as for a single write."""
        names = [g for g, _ in graphs if self._document(g)]
        self.index.mark_pending(names)
        self._hooked = True
        try:
            super().write_new_graphs(graphs)
        finally:
            self._hooked = False
        for g in names:
            self._after_write(g, True)

    @_own
    def graph_exists(self, graph: str) -> bool:
        return super().graph_exists(graph)

    @_own
    def optimize(self) -> None:
        super().optimize()  # rewrites files, not data: the index stays in line

    @_own
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

    @_own
    def update(self, sparql: str) -> None:
        if not self._hooked:
            self.index.mark_dirty()
        super().update(sparql)

    def close(self) -> None:
        try:
            if self._store is not None:
                self.index.reconcile(self._store, full=self._outside_access)
            super().close()
            self.index.record_files()  # after Oxigraph's last flush: what readers compare with
        finally:
            self.index.close()
            super().close()
