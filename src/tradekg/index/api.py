"""What :class:`~tradekg.kg.KnowledgeGraph` asks of the answer index: an answer to a named query, the
current index of a store (repaired first if need be), a rebuild, a search. Kept here so that the API class
stays a list of one-line calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tradekg.errors import StoreBusyError, UsageError

if TYPE_CHECKING:
    from tradekg.backend import Backend
    from tradekg.index.answers import Answer
    from tradekg.index.maintain import AnswerIndex
    from tradekg.kg import KnowledgeGraph
    from tradekg.output import QueryResult
    from tradekg.queries import NamedQuery


def paged_query(kg: KnowledgeGraph, nq: NamedQuery, params: dict[str, Any], *, limit: int | None,
                offset: int, timeout: float | None, use_index: bool) -> QueryResult:
    """:meth:`KnowledgeGraph.query`: from the index where it answers (first without opening Oxigraph), else
    through SPARQL; a page of ``limit`` rows from ``offset``, with the total."""
    from tradekg.output import QueryResult
    from tradekg.queries import check_params, run

    if offset < 0:
        raise UsageError(f"--offset must be 0 or more, not {offset}")
    check_params(nq, params)
    answer = index_answer(kg, None, nq, params, limit, offset) if use_index else None
    if answer is None:
        with kg.reader() as b:
            answer = index_answer(kg, b, nq, params, limit, offset) if use_index else None
            if answer is None:
                raw = run(b, nq, params, timeout=timeout)
                total = len(raw.rows)
                end = None if limit is None else offset + limit
                return QueryResult(raw.variables, list(raw.rows)[offset:end], raw.boolean,
                                   end is not None and end < total, limit, total)
    raw = answer.result
    return QueryResult(raw.variables, list(raw.rows), raw.boolean, raw.truncated, limit, answer.total)


def index_answer(kg: KnowledgeGraph, backend: Backend | None, nq: NamedQuery, params: dict[str, Any],
                 limit: int | None, offset: int) -> Answer | None:
    """The answer from the answer index, or None where SPARQL answers: a remote store, a query the index
    does not answer, or an index that is not current and cannot be repaired now (another writer).

    Without ``backend``: only from an index known current without opening Oxigraph, whose tables resolve
    every parameter (:mod:`tradekg.index.resolve`). With it: the index repaired first if need be, the
    parameters resolved by SPARQL."""
    from tradekg.index.answers import answers_from_index
    from tradekg.index.answers import run as run_index
    from tradekg.index.maintain import AnswerIndex
    from tradekg.index.resolve import NeedsStore

    if kg._remote or not answers_from_index(nq.name):
        return None
    index: AnswerIndex | None
    if backend is None:
        index = AnswerIndex.existing(kg.location, kg._opener.fingerprint)
        if index is not None and not index.is_current():
            index.close()
            index = None
    else:
        index = current_index(kg, backend)
    if index is None:
        return None
    try:
        return run_index(index.db, backend, nq.name, params, limit=limit, offset=offset)
    except NeedsStore:
        return None
    finally:
        index.close()


def current_index(kg: KnowledgeGraph, backend: Backend) -> AnswerIndex | None:
    """The store's answer index if it matches ``backend``'s view of Oxigraph, repaired first if need be;
    None when it cannot be now (another process holds the writer)."""
    from tradekg.index.maintain import AnswerIndex
    from tradekg.store import OxigraphBackend

    if not isinstance(backend, OxigraphBackend):
        return None
    for attempt in range(2):
        index = AnswerIndex.existing(kg.location, kg._opener.fingerprint)
        if index is not None:
            if index.is_fresh(backend.store):
                return index
            index.close()
        if attempt:
            return None
        try:
            with kg.writer():
                pass  # the writer repairs the index as it opens
        except StoreBusyError:
            return None
    return None


def reindex(kg: KnowledgeGraph) -> dict[str, Any]:
    """Rebuild a local store's answer index from scratch; documents indexed and seconds taken."""
    from pathlib import Path

    from tradekg.index.maintain import AnswerIndex

    if kg._remote:
        raise UsageError("the answer index belongs to a local store; a SPARQL endpoint has none")
    if Path(kg.location, "CURRENT").exists():
        index = AnswerIndex(kg.location, kg._opener.fingerprint)
        try:
            index.mark_dirty()  # the writer rebuilds it as it opens, and says what it did
        finally:
            index.close()
    with kg.writer() as backend:
        done: dict[str, Any] = getattr(backend, "last_reconcile", {})
    return done if "seconds" in done else {"documents": 0, "seconds": 0.0, **done}


def search(kg: KnowledgeGraph, text: str, limit: int | None, offset: int) -> tuple[list[dict[str, Any]], int]:
    """The events whose evidence matches ``text`` (:func:`tradekg.index.search.search`) and their number."""
    from tradekg.index.search import search as search_index

    if kg._remote:
        raise UsageError("search reads the answer index of a local store; a SPARQL endpoint has none")
    with kg.reader() as b:
        index = current_index(kg, b)
        if index is None:
            raise StoreBusyError(f"the answer index of {kg.location} is being updated; try again")
        try:
            return search_index(index.db, text, limit=limit, offset=offset)
        finally:
            index.close()


class IndexMethods:
    """The methods of :class:`~tradekg.kg.KnowledgeGraph` that page, search and rebuild the answer index."""

    location: str

    def iter_query(self, name: str, *, page: int = 500, **params: Any) -> Iterator[dict[str, Any]]:
        """Every row of a named query, newest first, read ``page`` rows at a time (plain Python values).

        >>> from tradekg import KnowledgeGraph; import tempfile
        >>> kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> len(list(kg.iter_query("meetings", page=1)))
        2
        """
        offset = 0
        while True:
            result = self.query(name, limit=page, offset=offset, **params)  # type: ignore[attr-defined]
            yield from result.rows
            offset += len(result)
            if len(result) < page or offset >= (result.total or 0):
                return

    def reindex(self) -> dict[str, Any]:
        """Rebuild the answer index of a local store from scratch: documents indexed and seconds taken.

        >>> from tradekg import KnowledgeGraph; import tempfile
        >>> kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> kg.reindex()["documents"]
        1
        """
        return reindex(self)  # type: ignore[arg-type]

    def search(self, text: str, *, limit: int | None = None, offset: int = 0) -> QueryResult:
        """Events whose evidence sentence matches ``text`` (SQLite FTS5 query syntax), with their sources.

        >>> from tradekg import KnowledgeGraph; import tempfile
        >>> kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> kg.search("rice").rows[0]["kind"]
        'Request'
        """
        from tradekg.output import QueryResult

        rows, total = search(self, text, limit, offset)  # type: ignore[arg-type]
        result = QueryResult.from_dicts(rows, ["event", "kind", "date", "summary", "evidence", "article",
                                               "title", "published"])
        result.limit, result.total = limit, total
        result.truncated = limit is not None and offset + len(rows) < total
        return result

