"""Measure what refusing to replace a different document costs an ingest (``tradekg.identity``).

Run: ``.venv/bin/python benchmarks/bench_replace_check.py [N]``. Ingests N copies of the seed annotation
(different ids, the same text) into a fresh store with the check (the default) and without it
(``replace=True``), then times the check alone against a stored document and an absent one.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pyoxigraph as ox  # noqa: E402

from tradekg import KnowledgeGraph  # noqa: E402
from tradekg.annotation import load_document  # noqa: E402
from tradekg.identity import replace_conflict  # noqa: E402
from tradekg.namespaces import TK, TKDOC_IRI  # noqa: E402

SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"


def main(n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="tradekg-bench-replace-"))
    (work / SEED.with_suffix(".txt").name).write_bytes(SEED.with_suffix(".txt").read_bytes())
    text = SEED.read_text(encoding="utf-8")
    files = []
    for i in range(n):
        p = work / f"d{i:04}.yaml"
        p.write_text(text.replace("id: us-japan-first-round-2025-04", f"id: bench-{i:04}", 1), encoding="utf-8")
        files.append(p)
    for replace in (False, True, False, True):
        kg = KnowledgeGraph.open(work / f"store-{replace}-{time.time_ns()}")
        t = time.perf_counter()
        result = kg.ingest(files, replace=replace)
        took = time.perf_counter() - t
        assert result.exit_code == 0
        print(f"ingest of {n} documents, {'without' if replace else 'with'} the check: {n / took:.1f} docs/s")
    doc = load_document(files[0])
    absent = TKDOC_IRI + "absent"
    absent_triples = [(ox.NamedNode(absent), ox.NamedNode(f"{TK}fullText"), ox.Literal("x"))]
    with kg.writer() as backend:
        runs = 2000
        t = time.perf_counter()
        for _ in range(runs):
            replace_conflict(backend, str(doc.iri), doc.triples)
        print(f"check against a stored document: {(time.perf_counter() - t) / runs * 1000:.3f} ms")
        t = time.perf_counter()
        for _ in range(runs):
            replace_conflict(backend, absent, absent_triples)
        print(f"check against an absent document: {(time.perf_counter() - t) / runs * 1000:.3f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
