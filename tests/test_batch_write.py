"""Batched writes at ingest: new documents in bulk batches (count, size, timer), replacements transactional."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from tradekg import bulk
from tradekg.batch_write import BatchWriter
from tradekg.kg import KnowledgeGraph
from tradekg.results import DocumentOutcome
from tradekg.store import OxigraphBackend

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"
SEED_ID = "us-japan-first-round-2025-04"
P = ox.NamedNode("http://example.org/p")


def _doc(n: int, size: int = 1) -> list[tuple[Any, Any, Any]]:
    return [(ox.NamedNode(f"http://example.org/s{n}"), P, ox.Literal(f"{n}-{i}")) for i in range(size)]


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def backend(tmp_path: Path) -> OxigraphBackend:
    b = OxigraphBackend(tmp_path / "s", writable=True)
    yield b
    b.close()


def _add(batch: BatchWriter, n: int, size: int = 1) -> DocumentOutcome:
    outcome = DocumentOutcome(f"{n}.ttl", "valid", str(n))
    batch.add(outcome, f"http://example.org/doc/{n}", _doc(n, size))
    return outcome


def test_batches_flush_on_count_size_and_timer(backend: OxigraphBackend) -> None:
    clock = _Clock()
    batch = BatchWriter(backend, max_documents=3, max_quads=10, max_seconds=5.0, clock=clock)
    first = [_add(batch, n) for n in range(3)]  # the third fills the batch: written
    assert [o.status for o in first] == ["ingested"] * 3 and batch.bulk_batches == 1
    assert backend.graph_names() == [f"http://example.org/doc/{n}" for n in range(3)]
    big = _add(batch, 3, size=10)  # 10 quads: the size limit
    assert big.status == "ingested" and batch.bulk_batches == 2
    slow = _add(batch, 4)
    assert slow.status == "valid" and batch.due() == 5.0 and not backend.graph_exists("http://example.org/doc/4")
    clock.now = 4.9
    batch.poll()
    assert slow.status == "valid"
    clock.now = 5.0
    batch.poll()  # the oldest waited max_seconds: written although the batch is small
    assert slow.status == "ingested" and backend.graph_exists("http://example.org/doc/4") and batch.due() is None
    batch.close()
    assert batch.bulk_batches == 3 and batch.bulk_quads == 14 and not batch.compacted


def test_a_stored_document_keeps_the_transactional_path(backend: OxigraphBackend) -> None:
    batch = BatchWriter(backend, max_documents=100)
    _add(batch, 1)
    batch.close()
    calls: list[int] = []
    original = backend.write_new_graphs
    backend.write_new_graphs = lambda graphs: (calls.append(len(graphs)), original(graphs))[1]  # type: ignore[method-assign]
    batch = BatchWriter(backend, max_documents=100)
    same, new = _add(batch, 1), _add(batch, 2)
    assert same.status == "unchanged"  # compared with the stored graph at once, not batched
    assert new.status == "valid"
    batch.close()
    assert new.status == "ingested" and calls == [1]


def test_compacts_after_a_large_bulk_write(backend: OxigraphBackend) -> None:
    batch = BatchWriter(backend, max_documents=10, compact_after_quads=50)
    for n in range(30):
        _add(batch, n, size=2)
    batch.close()
    assert batch.compacted and batch.bulk_batches == 3 and backend.count() == 60


def test_each_document_has_its_own_blank_nodes(backend: OxigraphBackend) -> None:
    b = ox.BlankNode("x")
    backend.write_new_graphs([("http://example.org/g1", [(b, P, ox.Literal("1"))]),
                              ("http://example.org/g2", [(b, P, ox.Literal("2"))])])
    subjects = {q.subject for q in backend.quads()}
    assert len(subjects) == 2


def test_the_timer_flushes_while_waiting_for_workers(backend: OxigraphBackend) -> None:
    """A slow worker: the batch waiting in the writer goes in before the next document arrives."""
    clock = _Clock()
    batch = BatchWriter(backend, max_seconds=5.0, clock=clock)
    waiting = _add(batch, 1)
    clock.now = 5.0  # it has waited its time, and no document has arrived since

    class SlowResults:
        def __init__(self) -> None:
            self.calls: list[float | None] = []

        def next(self, timeout: float | None = None) -> Any:
            self.calls.append(timeout)
            if len(self.calls) == 1:
                raise multiprocessing.TimeoutError
            if len(self.calls) == 2:
                return []  # an empty chunk
            raise StopIteration

    results = SlowResults()
    assert list(bulk._arriving(results, batch)) == []  # noqa: SLF001
    assert results.calls == [0.0, None, None]  # after the flush, nothing waits
    assert waiting.status == "ingested" and backend.graph_exists("http://example.org/doc/1")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("docs")
    # Each copy with its article beside it, named alike (so the folder's documents are the annotations).
    text = SEED.read_text(encoding="utf-8")
    for n in range(4):
        shutil.copy(SEED.with_suffix(".txt"), d / f"copy-{n}.txt")
        (d / f"copy-{n}.yaml").write_text(text.replace(f"id: {SEED_ID}", f"id: copy-{n}", 1).replace(
            f"text_file: {SEED_ID}.txt", f"text_file: copy-{n}.txt", 1), encoding="utf-8")
    return d


@pytest.mark.parametrize("jobs", [1, 2])
def test_ingest_writes_new_documents_in_one_bulk_batch(folder: Path, tmp_path: Path, jobs: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    batches: list[list[str]] = []
    original = OxigraphBackend.write_new_graphs

    def spy(self: OxigraphBackend, graphs: Any) -> None:
        batches.append([g for g, _ in graphs])
        original(self, graphs)

    monkeypatch.setattr(OxigraphBackend, "write_new_graphs", spy)
    kg = KnowledgeGraph(tmp_path / "store")
    first = kg.ingest([folder], jobs=jobs)
    assert [o.status for o in first] == ["ingested"] * 4, first.outcomes[0].error
    assert [len(b) for b in batches] == [4]  # four new documents: one batch
    assert sorted(d["id"] for d in kg.documents()) == [f"copy-{n}" for n in range(4)]
    # A second folder with one changed document and one new: the new one batched, the changed one not.
    second = tmp_path / "second"
    shutil.copytree(folder, second)
    changed = (second / "copy-0.yaml").read_text(encoding="utf-8").replace(
        "summary: Akazawa met", "summary: Minister Akazawa met", 1)
    (second / "copy-0.yaml").write_text(changed, encoding="utf-8")
    shutil.copy(folder / "copy-1.txt", second / "copy-9.txt")
    (second / "copy-9.yaml").write_text((folder / "copy-1.yaml").read_text(encoding="utf-8")
                                        .replace("copy-1", "copy-9"), encoding="utf-8")
    again = kg.ingest([second], jobs=jobs)
    assert {Path(o.path).name: o.status for o in again} == {
        "copy-0.yaml": "ingested", "copy-1.yaml": "unchanged", "copy-2.yaml": "unchanged",
        "copy-3.yaml": "unchanged", "copy-9.yaml": "ingested"}
    assert batches[1:] == [["https://w3id.org/tradekg/doc/copy-9"]]


def test_parallel_ingest_of_many_documents_in_chunks(tmp_path: Path) -> None:
    """Enough documents that each worker task is a chunk of several (the writer reads them in order)."""
    text = SEED.read_text(encoding="utf-8")
    for n in range(40):
        shutil.copy(SEED.with_suffix(".txt"), tmp_path / f"d{n:02d}.txt")
        (tmp_path / f"d{n:02d}.yaml").write_text(text.replace(f"id: {SEED_ID}", f"id: d{n:02d}", 1).replace(
            f"text_file: {SEED_ID}.txt", f"text_file: d{n:02d}.txt", 1), encoding="utf-8")
    result = KnowledgeGraph(tmp_path / "store").ingest([tmp_path], jobs=2)
    assert [(Path(o.path).stem, o.status) for o in result] == [(f"d{n:02d}", "ingested") for n in range(40)]
    assert len(KnowledgeGraph(tmp_path / "store").documents()) == 40


def test_the_answer_index_follows_every_document_of_a_batch(folder: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer indexes each document of a committed batch itself, as for a single write: closing, it
    has nothing of its own to repair (no full comparison with Oxigraph), and the index answers for all."""
    from tradekg.index.backend import IndexedOxigraphBackend
    from tradekg.index.maintain import AnswerIndex

    calls: list[tuple[str, Any]] = []
    original_reconcile, original_write = AnswerIndex.reconcile, IndexedOxigraphBackend.write_new_graphs

    def reconcile(self: AnswerIndex, store: ox.Store, *, full: bool = True) -> dict[str, Any]:
        done = original_reconcile(self, store, full=full)
        calls.append(("reconcile", (full, done)))
        return done

    def write(self: IndexedOxigraphBackend, graphs: Any) -> None:
        original_write(self, graphs)
        calls.append(("batch", [self.index.has(g) for g, _ in graphs]))

    monkeypatch.setattr(AnswerIndex, "reconcile", reconcile)
    monkeypatch.setattr(IndexedOxigraphBackend, "write_new_graphs", write)
    kg = KnowledgeGraph(tmp_path / "store")
    assert [o.status for o in kg.ingest([folder])] == ["ingested"] * 4
    batches = [v for k, v in calls if k == "batch"]
    assert batches == [[True] * 4]  # every document of the batch indexed as soon as it committed
    full, _done = [v for k, v in calls if k == "reconcile"][-1]
    assert full is False  # the writer never used the store behind the index's back
    from_index = kg.query("gifts", by="Akazawa")
    from_sparql = kg.query("gifts", by="Akazawa", use_index=False)
    assert len(from_index.rows) == 4 and from_index.rows == from_sparql.rows
