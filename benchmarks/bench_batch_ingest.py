"""Validated ingest of new documents, documents per second: batched bulk writes against one transaction each.

    python benchmarks/bench_batch_ingest.py [--docs 1000] [--jobs 1 2] [--corpus DIR] [--repeat 1]

A synthetic corpus (``benchmarks/corpus.py``, seed 0) is ingested into an empty store through
``KnowledgeGraph.ingest`` with validation, as ``tradekg ingest DIR [--jobs N]`` does, twice per job count:

- ``transactional``: every document written as its own transaction (the path before batching; forced here
  by telling the batch writer the store has no bulk path);
- ``batched``: new documents in bulk batches of 500 documents / 200k quads (:mod:`tradekg.batch_write`),
  then the store compacted if the ingest wrote 200k quads or more (the compaction is inside the timing).

Each run reports wall-clock documents per second and the CPU seconds of the process and its worker
processes (the machine is shared: wall time includes other people's work, CPU time less so). The last
line is ``key=value`` figures.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from tradekg import batch_write
from tradekg.kg import KnowledgeGraph

HERE = Path(__file__).resolve().parent


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_once(corpus: Path, store: Path, jobs: int, batched: bool) -> tuple[float, float, int, bool]:
    """(wall seconds, CPU seconds, documents ingested, compacted) of one ingest into an empty store."""
    kg = KnowledgeGraph(store, gazetteer=[corpus / "gazetteer-extension.ttl"])
    with kg.writer():
        pass  # the store and its system graphs exist before the clock starts, as for any ingest after the first
    compacted: list[bool] = []
    original_close = batch_write.BatchWriter.close

    def close(self: batch_write.BatchWriter) -> None:
        original_close(self)
        compacted.append(self.compacted)

    patches = [mock.patch.object(batch_write.BatchWriter, "close", close)]
    if not batched:
        patches.append(mock.patch.object(batch_write.BatchWriter, "bulk", property(lambda self: False)))
    for p in patches:
        p.start()
    try:
        start, cpu = time.perf_counter(), _cpu()
        result = kg.ingest([corpus / "docs"], jobs=jobs)
        wall, cpu = time.perf_counter() - start, _cpu() - cpu
    finally:
        for p in patches:
            p.stop()
    bad = [o for o in result if o.status != "ingested"]
    if bad:
        raise SystemExit(f"not ingested: {bad[0].path}: {bad[0].status} {bad[0].error or ''}")
    return wall, cpu, len(result), any(compacted)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--corpus", type=Path, help="a corpus folder of corpus.py (default: generated, then removed)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each kind; the best is reported")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        corpus = args.corpus or tmp / "corpus"
        if not (corpus / "docs").is_dir():
            subprocess.run([sys.executable, str(HERE / "corpus.py"), str(corpus), "--docs", str(args.docs)],
                           check=True)
        figures: dict[str, str] = {"docs": str(args.docs)}
        for jobs in args.jobs:
            for batched in (False, True):
                name = f"{'batched' if batched else 'transactional'}_jobs{jobs}"
                best: tuple[float, float, int, bool] | None = None
                for r in range(args.repeat):
                    store = tmp / f"store-{name}-{r}"
                    run = run_once(corpus, store, jobs, batched)
                    shutil.rmtree(store, ignore_errors=True)
                    best = run if best is None or run[0] < best[0] else best
                assert best is not None
                wall, cpu, n, compacted = best
                print(f"{name:<22} {n} documents in {wall:6.1f} s: {n / wall:6.1f} docs/s wall, "
                      f"{1000 * cpu / n:5.2f} ms CPU/doc{' (compacted after)' if compacted else ''}", flush=True)
                figures[f"{name}_docs_per_s"] = f"{n / wall:.1f}"
                figures[f"{name}_cpu_ms_per_doc"] = f"{1000 * cpu / n:.2f}"
        for jobs in args.jobs:
            t, b = figures[f"transactional_jobs{jobs}_docs_per_s"], figures[f"batched_jobs{jobs}_docs_per_s"]
            figures[f"speedup_jobs{jobs}"] = f"{float(b) / float(t):.2f}"
        print(" ".join(f"{k}={v}" for k, v in figures.items()))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
