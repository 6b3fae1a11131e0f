"""CPU cost of ``KnowledgeGraph.ingest`` with validation, per document, split into its stages.

    python benchmarks/bench_ingest.py CORPUS [--docs 200] [--fill 0] [--store DIR] [--profile]

``CORPUS`` is a folder written by ``benchmarks/corpus.py`` (``docs/`` and ``gazetteer-extension.ttl``).
The first ``--fill`` documents are written without validation (the store's size, as in ``run.py``) and the
store is compacted; the next ``--docs`` are ingested through ``KnowledgeGraph.ingest`` with validation on,
in this process. The stages are timed by wrapping the functions ingest calls, with ``time.thread_time``
(CPU time of the ingesting thread: another job on the machine does not inflate it, and neither do
RocksDB's background threads, which run in parallel with the stages). The total is given both ways: the
ingesting thread's CPU, and the whole process's (``time.process_time``, RocksDB's flushes and compactions
included):

- parse: reading the YAML (``yamlsafe.read_yaml``);
- build: turning the parsed YAML into the document's triples (the annotation builder);
- validate: the SHACL shapes (``Validator.validate``);
- write: the store writes (``write_triples``, or ``replace_graph`` before it existed) and the flush of
  RocksDB's memtable when the writer closes;
- other: the rest of ingest (file walk, reading files, bookkeeping).

The last line is ``key=value`` figures. ``--profile`` prints the top of a cProfile of the same run
instead (the profiler's overhead distorts the split, so figures and profile are separate runs).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tradekg import KnowledgeGraph, annotation, store
from tradekg.gazetteer import Gazetteer
from tradekg.validate import Validator

STAGES = ("parse", "build", "validate", "write")


def _timed(owner: Any, name: str, stage: str, spent: dict[str, float], nested: set[str]) -> None:
    """Replace ``owner.name`` by a wrapper adding its CPU time to ``spent[stage]``.

    ``nested`` names the stages timed inside this one (parse runs inside load): their time is taken off.
    """
    original = getattr(owner, name, None)
    if original is None:
        return

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        inner_before = sum(spent[s] for s in nested)
        start = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            inner = sum(spent[s] for s in nested) - inner_before
            spent[stage] += time.thread_time() - start - inner

    setattr(owner, name, wrapper)


def instrument() -> dict[str, float]:
    """Wrap the stage functions ingest calls; returns the dict the wrappers add CPU seconds to."""
    spent = dict.fromkeys(STAGES, 0.0)
    _timed(annotation, "read_yaml", "parse", spent, set())
    _timed(annotation, "load_annotation", "build", spent, {"parse"})
    _timed(Validator, "validate", "validate", spent, set())
    write = "write_triples" if hasattr(store.OxigraphBackend, "write_triples") else "replace_graph"
    _timed(store.OxigraphBackend, write, "write", spent, set())
    # Closing a writer flushes RocksDB's memtable to disk: the rest of the cost of the writes.
    _timed(store.OxigraphBackend, "close", "write", spent, set())
    return spent


def fill(location: Path, gazetteer: Path, paths: list[Path]) -> None:
    """Grow the store to ``len(paths)`` documents without validating them (what is measured is the batch)."""
    kg = KnowledgeGraph(location, gazetteer=[gazetteer])
    gaz = Gazetteer.load([gazetteer])
    with kg.writer() as backend:
        for path in paths:
            doc = kg.intake.load(path, gaz)
            if hasattr(backend, "write_triples"):
                backend.write_triples(str(doc.iri), doc.triples)
            else:
                from tradekg.kg import graph_triples

                backend.replace_graph(str(doc.iri), graph_triples(doc.graph))
        backend.store.optimize()  # compact now, so the measured batch is not charged for the fill


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--docs", type=int, default=200, help="documents ingested with validation")
    ap.add_argument("--fill", type=int, default=0, help="documents in the store before the measured batch")
    ap.add_argument("--store", type=Path, help="store folder (default: a temporary one, removed after)")
    ap.add_argument("--profile", action="store_true", help="print a cProfile instead of the split")
    args = ap.parse_args(argv)

    gazetteer = args.corpus / "gazetteer-extension.ttl"
    docs = sorted((args.corpus / "docs").glob("*.yaml"))
    if len(docs) < args.fill + args.docs:
        raise SystemExit(f"{args.corpus} has {len(docs)} documents; --fill + --docs needs {args.fill + args.docs}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    location = args.store or tmp / "store"
    try:
        if args.fill:
            fill(location, gazetteer, docs[: args.fill])
        batch = docs[args.fill : args.fill + args.docs]
        kg = KnowledgeGraph(location, gazetteer=[gazetteer])
        validator = Validator(Gazetteer.load([gazetteer]))  # prepared once, as a bulk ingest does
        kg.ingest(batch[:1], validator=validator)  # warm-up: the store's system graphs, caches, imports
        batch = batch[1:]
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            kg.ingest(batch, validator=validator)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
            pstats.Stats(prof).sort_stats("tottime").print_stats(30)
            return
        spent = instrument()
        start, start_thread = time.process_time(), time.thread_time()
        result = kg.ingest(batch, validator=validator)
        total, thread = time.process_time() - start, time.thread_time() - start_thread
    finally:
        if args.store is None:
            shutil.rmtree(tmp, ignore_errors=True)
    bad = [o for o in result if o.status != "ingested"]
    if bad:
        raise SystemExit(f"not ingested: {bad[0].path}: {bad[0].status} {bad[0].error or ''}")
    n = len(batch)
    triples = sum(o.triples for o in result)
    ms = {stage: 1000 * spent[stage] / n for stage in STAGES}
    ms["other"] = 1000 * thread / n - sum(ms.values())
    print(f"{n} documents, {triples / n:.0f} triples each, store of {args.fill} documents before the batch")
    for stage, value in ms.items():
        print(f"  {stage:<9}{value:7.2f} ms/doc")
    print(f"  {'thread':<9}{1000 * thread / n:7.2f} ms/doc CPU of the ingesting thread")
    print(f"  {'process':<9}{1000 * total / n:7.2f} ms/doc CPU of the process (RocksDB's threads included)")
    figures = {"ms_per_doc": f"{1000 * total / n:.2f}", "docs_per_s": f"{n / total:.1f}",
               "thread_ms_per_doc": f"{1000 * thread / n:.2f}",
               **{f"{k}_ms": f"{v:.2f}" for k, v in ms.items()}, "fill": args.fill}
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    sys.exit(main())
