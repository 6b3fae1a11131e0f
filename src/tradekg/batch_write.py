"""Writing the documents of an ingest in batches: new documents through Oxigraph's bulk path, many per commit.

A new document (its graph not yet in the store) waits in a batch; the batch is written by ONE
``Store.bulk_extend`` call (:meth:`~tradekg.store.OxigraphBackend.write_new_graphs`) when it holds
``max_documents`` documents or ``max_quads`` quads, when its oldest document has waited ``max_seconds`` (a
slow trickle of articles is not held back), and at the end of the ingest. A document that replaces a
stored one keeps the transactional path (:func:`tradekg.identity.write_outcome`: compare, then drop and
insert in one update), and so does every write to a SPARQL endpoint, which has no bulk path.

Why this is safe: a bulk batch is all-or-nothing. ``tests/test_batch_crash.py`` SIGKILLs writers at random
moments while they write batches with ``bulk_extend`` and ``bulk_load`` (up to 200k quads a batch), and
reads the store while they write: no document was ever partial, no batch was cut, and no reader saw part
of a batch. What a kill costs is the batch not yet committed; running the ingest again writes it.

Why it is worth it: ``Store.extend`` costs about 15 µs per quad whatever the batch, ``bulk_extend`` in
batches of hundreds of documents about a third of that (``benchmarks/bench_batch_ingest.py``).

After an ingest that wrote at least ``compact_after_quads`` quads through the bulk path, the store is
compacted (``Store.optimize()``): each bulk batch adds its own sorted files, and reads over many of them
cost more until they are merged.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tradekg.store import OxigraphBackend

if TYPE_CHECKING:
    from tradekg.annotation import Document
    from tradekg.backend import Backend
    from tradekg.results import BatchResult, DocumentOutcome

MAX_DOCUMENTS = 500
MAX_QUADS = 200_000
MAX_SECONDS = 2.0
COMPACT_AFTER_QUADS = 200_000


@dataclass
class _Pending:
    outcome: DocumentOutcome
    iri: str
    triples: Sequence[tuple[Any, Any, Any]]


@dataclass
class BatchWriter:
    """Writes valid documents for one ingest on ``backend`` (the single writer); :meth:`close` writes the rest.

    >>> import tempfile, pyoxigraph as ox
    >>> from tradekg.results import DocumentOutcome
    >>> backend = OxigraphBackend(tempfile.mkdtemp() + "/s", writable=True)
    >>> batch = BatchWriter(backend, max_documents=2)
    >>> triple = (ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("1"))
    >>> outcomes = [DocumentOutcome(f"{n}.ttl", "valid", n) for n in "abc"]
    >>> for o in outcomes: batch.add(o, f"http://e/{o.document_id}", [triple])
    >>> [o.status for o in outcomes], batch.bulk_batches       # two in one batch; the third waits
    (['ingested', 'ingested', 'valid'], 1)
    >>> batch.close(); [o.status for o in outcomes], batch.bulk_batches, backend.count()
    (['ingested', 'ingested', 'ingested'], 2, 3)
    """

    backend: Backend
    replace: bool = False
    max_documents: int = MAX_DOCUMENTS
    max_quads: int = MAX_QUADS
    max_seconds: float = MAX_SECONDS
    compact_after_quads: int = COMPACT_AFTER_QUADS
    clock: Callable[[], float] = time.monotonic
    bulk_batches: int = 0
    bulk_quads: int = 0
    compacted: bool = False
    _pending: list[_Pending] = field(default_factory=list)
    _pending_quads: int = 0
    _oldest: float = 0.0

    @property
    def bulk(self) -> bool:
        """Whether the backend has the bulk path (a local Oxigraph store)."""
        return isinstance(self.backend, OxigraphBackend)

    def add(self, outcome: DocumentOutcome, iri: str, triples: Sequence[tuple[Any, Any, Any]]) -> None:
        """Write one valid document: now if it replaces a stored one, else in the current batch.

        Its ``outcome.status`` becomes ``ingested`` (or ``unchanged``, or ``refused`` for a different
        document under the same id) once it is written.
        """
        from tradekg.identity import write_outcome

        if not self.bulk or self._stored(iri):
            write_outcome(self.backend, outcome, iri, triples, self.replace)
            return
        if not self._pending:
            self._oldest = self.clock()
        self._pending.append(_Pending(outcome, iri, triples))
        self._pending_quads += len(triples)
        if len(self._pending) >= self.max_documents or self._pending_quads >= self.max_quads:
            self.flush()
        else:
            self.poll()

    def _stored(self, iri: str) -> bool:
        assert isinstance(self.backend, OxigraphBackend)
        return bool(self.backend.graph_exists(iri))

    def due(self) -> float | None:
        """Seconds until the waiting batch is due on the timer; None when nothing waits."""
        if not self._pending:
            return None
        return max(0.0, self._oldest + self.max_seconds - self.clock())

    def poll(self) -> None:
        """Write the waiting batch if its oldest document has waited ``max_seconds``."""
        if self.due() == 0.0:
            self.flush()

    def flush(self) -> None:
        """Write the waiting documents in one bulk batch (all or none of them)."""
        if not self._pending:
            return
        assert isinstance(self.backend, OxigraphBackend)
        self.backend.write_new_graphs([(p.iri, p.triples) for p in self._pending])
        for p in self._pending:
            p.outcome.status = "ingested"
        self.bulk_batches += 1
        self.bulk_quads += self._pending_quads
        self._pending, self._pending_quads = [], 0

    def close(self) -> None:
        """Write what waits, then compact the store if this ingest bulk-wrote a large share."""
        self.flush()
        if self.bulk and self.bulk_quads >= self.compact_after_quads:
            assert isinstance(self.backend, OxigraphBackend)
            self.backend.optimize()
            self.compacted = True


def write_all(backend: Backend, checked: Iterable[tuple[DocumentOutcome, Document | None]], *,
              replace: bool = False) -> BatchResult:
    """The single writer of a sequential ingest: each checked document in order, the valid ones written
    through a :class:`BatchWriter` (``Intake.check`` gives the pairs)."""
    from tradekg.results import BatchResult

    result = BatchResult()
    batch = BatchWriter(backend, replace=replace)
    for outcome, doc in checked:
        if doc is not None:
            batch.add(outcome, str(doc.iri), doc.triples)
        else:
            batch.poll()
        result.outcomes.append(outcome)
    batch.close()
    return result
