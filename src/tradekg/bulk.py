"""Bulk work on big batches: validation in parallel worker processes, and restoring an export.

``ingest_parallel`` is ``tradekg ingest --jobs N``: N worker processes each prepare one
:class:`~tradekg.validate.Validator` (shapes, ontology, gazetteer) and then load and validate the files
they are sent; a validated document comes back as N-Triples text with its report, and the parent process,
the single writer, commits each one as one atomic graph replace, in input order. Validation stays per
document: a refused document writes nothing, exactly as in a sequential ingest.

``load`` is ``tradekg load FILE.trig|.nq``: it restores an export through the backend's bulk path
(:meth:`~tradekg.backend.Backend.load_file`: Oxigraph's bulk loader on disk, one Graph Store POST on an
endpoint), without per-document validation (the export was validated when it was ingested), and reports
triples per second.

This module works on a :class:`StoreAccess` (anything with an ``intake`` and a ``writer()``, such as a
:class:`~tradekg.kg.KnowledgeGraph`); it never imports ``kg``, so the two do not import each other.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox

from tradekg.backend import LOAD_FORMATS, SYSTEM_GRAPHS, Backend
from tradekg.errors import InputError, TradekgError, UsageError
from tradekg.file_slices import line_slices as line_slices  # where a file is cut for parallel loading
from tradekg.intake import Intake
from tradekg.namespaces import META_GRAPH
from tradekg.results import BatchResult, DocumentOutcome, DuplicateIds, Progress

if TYPE_CHECKING:
    from tradekg.gazetteer import Gazetteer
    from tradekg.validate import ValidationReport, Validator


class StoreAccess(Protocol):
    """What bulk work needs from a knowledge graph: its intake, and the store opened for writing."""

    @property
    def intake(self) -> Intake: ...

    def writer(self) -> AbstractContextManager[Backend]: ...


# --- parallel validation ----------------------------------------------------------------------------------


@dataclass
class _Worker:
    intake: Intake
    gazetteer: Gazetteer
    validator: Validator


_worker: list[_Worker] = []  # the one per worker process, set by _init_worker


def _init_worker(intake: Intake) -> None:
    """Runs once per worker process: everything costly to prepare is prepared here, once."""
    from tradekg.validate import Validator

    gazetteer = intake.gazetteer()
    _worker[:] = [_Worker(intake, gazetteer, Validator(gazetteer))]


@dataclass
class _Checked:
    path: str
    document_id: str | None
    iri: str | None
    report: ValidationReport | None
    error: str | None
    ntriples: str | None  # the document graph, only when it conforms
    notes: list[str]


def _check_one(path: str) -> _Checked:
    """Load and validate one file in a worker; the graph travels back as N-Triples text."""
    w = _worker[0]
    try:
        doc, notes = w.intake.load_noted(Path(path), w.gazetteer, w.validator)
    except TradekgError as err:
        return _Checked(path, None, None, None, str(err), None, [])
    except Exception as err:  # a bug in one document's loading must not kill the whole batch
        return _Checked(path, None, None, None, f"{path}: could not be loaded: {type(err).__name__}: {err}",
                        None, [])
    report = w.validator.validate(doc)
    # pyoxigraph writes each term in N-Triples syntax, escaped; no rdflib graph is built or serialized.
    nt = "".join(f"{s} {p} {o} .\n" for s, p, o in doc.triples) if report.conforms else None
    return _Checked(path, doc.id, str(doc.iri), report, None, nt, notes)


def default_jobs() -> int:
    """The number of CPUs this process may use (at least 1).

    >>> default_jobs() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def ingest_parallel(
    kg: StoreAccess,
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int,
    dry_run: bool = False,
    progress: Progress | None = None,
    replace: bool = False,
    intake: Intake | None = None,
) -> BatchResult:
    """Validate in ``jobs`` worker processes while this process alone writes; same result as ``kg.ingest``.

    Outcomes come back in input order, and a document id seen twice is refused the second time, as in a
    sequential ingest; so is a document that would replace a different one, unless ``replace``.
    ``progress(done, total, path)`` is called as documents complete. ``intake`` (default: the knowledge
    graph's) may carry the plain-text article options of this call (:meth:`Intake.for_articles`).
    """
    from tradekg.article_options import check_article_options

    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {jobs}")
    intake = intake or kg.intake
    found = intake.paths(paths)
    check_article_options(found, intake.article)
    files = [str(p) for p in found]
    result = BatchResult()
    # Workers are forked before the store is opened, so no child inherits an open RocksDB handle; the
    # write lock is then taken before any validation result is waited for, so a busy store fails fast.
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    chunk = max(1, min(16, len(files) // (jobs * 8)))
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(intake,)) as pool:
        results = pool.imap(_check_one, files, chunksize=chunk)
        if dry_run:
            _collect(results, files, result, progress, writer=None)
        else:
            with kg.writer() as backend:
                _collect(results, files, result, progress, writer=backend, replace=replace)
    return result


def _collect(results: Iterator[_Checked], files: list[str], into: BatchResult, progress: Progress | None,
             writer: Backend | None, replace: bool = False) -> None:
    from tradekg.identity import write_outcome

    seen = DuplicateIds()
    total = len(files)
    if progress:
        progress(0, total, files[0] if files else "")
    for i, checked in enumerate(results, 1):
        duplicate = seen.check(checked.path, checked.document_id) if checked.document_id else None
        if checked.error is not None or checked.report is None:
            into.outcomes.append(DocumentOutcome(checked.path, "unreadable", error=checked.error))
        elif duplicate:
            into.outcomes.append(DocumentOutcome(checked.path, "refused", checked.document_id, error=duplicate,
                                                 notes=checked.notes))
        else:
            outcome = DocumentOutcome(checked.path, "valid" if checked.report.conforms else "refused",
                                      checked.document_id, checked.report, notes=checked.notes)
            if writer is not None and checked.ntriples is not None and checked.iri is not None:
                triples = [(q.subject, q.predicate, q.object)
                           for q in ox.parse(checked.ntriples, format=ox.RdfFormat.N_TRIPLES)]
                write_outcome(writer, outcome, checked.iri, triples, replace)
            into.outcomes.append(outcome)
        if progress:
            progress(i, total, checked.path)


# --- restoring an export ----------------------------------------------------------------------------------


@dataclass
class LoadResult:
    """What ``load`` restored: quads added, document graphs in the store, and how fast.

    >>> LoadResult("x.nq", quads=300, documents=1, seconds=2.0).per_second
    150.0
    """

    path: str
    quads: int
    documents: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Quads (triples in their graphs) loaded per second."""
        return self.quads / self.seconds if self.seconds > 0 else float("inf")

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data, for ``--format json``."""
        return {"path": self.path, "triples": self.quads, "documents": self.documents,
                "seconds": round(self.seconds, 3), "triples_per_s": round(self.per_second)}


def _format_of(path: Path) -> ox.RdfFormat:
    fmt = LOAD_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"{path}: load restores a TriG (.trig) or N-Quads (.nq) export, which keeps each document's graph; "
            "use ingest for other files"
        )
    if not path.is_file():
        raise InputError("file not found", path=path)
    return fmt


def _graphs_in(path: Path, fmt: ox.RdfFormat) -> set[str]:
    names: set[str] = set()
    try:
        for q in ox.parse(path=str(path), format=fmt):
            if isinstance(q.graph_name, ox.NamedNode):
                names.add(q.graph_name.value)
    except SyntaxError as err:
        raise InputError(f"not valid {path.suffix[1:]}: {err}", path=path) from None
    return names


def _drop(backend: Backend, graphs: Iterable[str]) -> None:
    names = list(graphs)
    if names:
        backend.update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in names))


def load(kg: StoreAccess, path: str | os.PathLike[str], *, jobs: int = 1) -> LoadResult:
    """Restore a ``.trig``/``.nq`` export into the store through the backend's bulk path (no validation).

    A document graph the store already holds is replaced by the file's, not merged with it; the ontology
    and gazetteer graphs are rewritten from the installed files afterwards, whatever the file carried.
    ``jobs`` > 1 loads an N-Quads file in that many parallel slices on disk. A file that is not valid
    changes nothing. On a SPARQL endpoint the file is POSTed to the Graph Store URL in one request.
    """
    p = Path(path)
    fmt = _format_of(p)
    start = time.perf_counter()
    with kg.writer() as backend:
        before = backend.count()
        existing = [g for g in backend.graph_names() if g not in SYSTEM_GRAPHS]
        if existing:
            # Only a store that already holds documents pays for reading the file twice; that reading
            # also checks the whole file before anything is dropped, so the load itself can be lenient.
            clash = sorted(set(existing) & _graphs_in(p, fmt))
            if clash:
                _drop(backend, clash)
                before = backend.count()
        try:
            backend.load_file(p, jobs=jobs, lenient=bool(existing))
        except (SyntaxError, OSError) as err:
            # Only an empty store gets here with a bad file (see above); what parallel slices loaded is
            # dropped, so it is left as it was.
            _drop(backend, [g for g in backend.graph_names() if g not in SYSTEM_GRAPHS])
            if isinstance(err, SyntaxError) and jobs > 1:
                _graphs_in(p, fmt)  # a slice counts its own lines: parse the whole file for the position
            what = f"not valid {p.suffix[1:]}" if isinstance(err, SyntaxError) else "cannot load"
            raise InputError(f"{what}: {err}", path=p) from None
        # The file may carry system graphs of another version: drop the fingerprint so they are rewritten.
        _drop(backend, [str(META_GRAPH)])
        added = backend.count() - before
        documents = sum(1 for g in backend.graph_names() if g not in SYSTEM_GRAPHS)
    seconds = time.perf_counter() - start
    with kg.writer():
        pass  # rewrites ontology, gazetteer and fingerprint
    return LoadResult(str(p), added, documents, seconds)
