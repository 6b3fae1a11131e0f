"""The answer index against SPARQL, on synthetic stores of 1k and 10k documents.

    python benchmarks/bench_index.py --docs 1000,10000 --work /tmp/ixbench [--runs 5]

For each size: the store is built once (``bench_queries.build``: N-Quads made by the real loader, then
Oxigraph's bulk loader) and compacted (``Store.optimize``), so SPARQL is measured on a compacted store. Then
the index is rebuilt from scratch (``KnowledgeGraph.reindex``: ``index_build_s``), its size is compared with
the Oxigraph files', and every named query the index answers runs with the benchmark's parameters and with
others (listings, selective pairs) four ways, each the median of ``--runs`` runs through
``KnowledgeGraph.query`` (reader open, index check, parameter resolution included):

- ``index_page``: the first page of 50 rows from the index; ``index_all``: every row from the index;
- ``sparql_page`` and ``sparql_all``: the same through SPARQL (``use_index=False``); a SPARQL first page
  costs the whole answer, since the order is only known at the end.

Times are this process's CPU time by default (``--clock wall`` for elapsed time): on a shared machine the
elapsed time mostly measures the other processes. Each answer's rows are checked equal both ways (joined
lists compared as sets). One line per query, then a ``key=value`` line per size. No target is asserted:
the figures are the output.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_queries import build, log  # noqa: E402
from run import QUERIES  # noqa: E402

from tradekg.index import index_file  # noqa: E402
from tradekg.index.answers import SPECS  # noqa: E402
from tradekg.kg import KnowledgeGraph  # noqa: E402

OTHERS: list[tuple[str, dict[str, str]]] = [
    ("requests", {"by": "China", "of": "United States"}),
    ("requests", {"by": "United States", "of": "Japan", "topic": "automobiles"}),
    ("meetings", {"actor": "United States"}),
    ("meetings", {}),
    ("claims", {}),
    ("complaints", {}),
    ("gifts", {"by": "United States"}),
    ("gifts", {}),
    ("invitations", {"by": "United States"}),
    ("invitations", {}),
    ("notifications", {"to": "Japan"}),
    ("notifications", {}),
    ("announcements", {"by": "Japan"}),
    ("announcements", {}),
]
PAGE = 50
CLOCK = time.process_time
CONCAT = {"topics": ", ", "participants": ", ", "about": " | ", "inResponseTo": " | "}


def _normal(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: sorted(v.split(CONCAT[k])) if k in CONCAT and isinstance(v, str) else v for k, v in r.items()}
            for r in rows]


def _median_ms(fn: Any, runs: int) -> tuple[float, Any]:
    """Median milliseconds of ``fn``: CPU time of this process (``--clock cpu``: what the work costs, less
    disturbed by other processes on a shared machine) or wall-clock time (``--clock wall``)."""
    out = fn()  # warm-up
    times = []
    for _ in range(runs):
        t = CLOCK()
        out = fn()
        times.append(CLOCK() - t)
    return 1000 * statistics.median(times), out


def _size(path: Path, *, index: bool) -> int:
    name = index_file(path).name
    return sum(p.stat().st_size for p in path.iterdir()
               if p.is_file() and p.name.startswith(name) == index)


def measure(store: Path, gazetteer: Path, runs: int) -> dict[str, Any]:
    kg = KnowledgeGraph(store, gazetteer=[gazetteer])
    marker = Path(str(store) + ".optimized")
    if not marker.exists():
        t = time.perf_counter()
        with kg.writer() as backend:
            backend.store.optimize()
        marker.write_text("1")
        log(f"compacted in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    info = kg.reindex()
    build_s = time.perf_counter() - t
    log(f"index built: {info}")
    from tradekg.index import AnswerIndex
    from tradekg.index.api import current_index

    t = time.perf_counter()
    quick = AnswerIndex.existing(store, kg._opener.fingerprint)
    assert quick is not None and quick.is_current(), "the index is current after a rebuild"
    quick.close()
    check_ms = 1000 * (time.perf_counter() - t)  # what a query pays: the files' signature, not Oxigraph
    from tradekg.index.maintain import document_graphs

    with kg.reader() as b:
        index = current_index(kg, b)
        assert index is not None
        t = time.perf_counter()  # what opening a store costs when the files changed: Oxigraph's graph list
        assert set(index.db.hashes()) == document_graphs(b.store)  # type: ignore[attr-defined]
        full_ms = 1000 * (time.perf_counter() - t)
        index.close()
    figures: dict[str, Any] = {"index_build_s": round(build_s, 2), "index_check_ms": round(check_ms, 1),
                               "index_full_check_ms": round(full_ms, 1),
                               "index_mb": round(_size(store, index=True) / 1e6, 1),
                               "store_mb": round(_size(store, index=False) / 1e6, 1)}
    figures["index_share"] = round(figures["index_mb"] / figures["store_mb"], 3)
    queries = [(n, p) for n, p in [*QUERIES, *OTHERS] if n in SPECS]
    page_max = sparql_page_max = 0.0
    rate_min = float("inf")
    for name, params in queries:
        label = f"{name} {' '.join(f'{k}={v!r}' for k, v in params.items())}".strip()
        ip, page = _median_ms(lambda n=name, p=params: kg.query(n, limit=PAGE, **p), runs)
        ia, whole = _median_ms(lambda n=name, p=params: kg.query(n, **p), runs)
        sruns = runs if ia < 1000 else 1
        sp, _ = _median_ms(lambda n=name, p=params: kg.query(n, limit=PAGE, use_index=False, **p), sruns)
        sa, sparql = _median_ms(lambda n=name, p=params: kg.query(n, use_index=False, **p), sruns)
        same = _normal(whole.rows) == _normal(sparql.rows)
        rows = len(whole)
        page_max, sparql_page_max = max(page_max, ip), max(sparql_page_max, sp)
        if rows >= 1000:
            rate_min = min(rate_min, rows / (ia / 1000))
        sys.stdout.write(f"  {label:<58} rows={rows:<6} index_page_ms={ip:.1f} index_all_ms={ia:.1f} "
                         f"sparql_page_ms={sp:.1f} sparql_all_ms={sa:.1f} same={'yes' if same else 'NO'}\n")
        sys.stdout.flush()
    figures.update(query_first_page_ms_max=round(page_max, 1), sparql_first_page_ms_max=round(sparql_page_max, 1),
                   query_rows_per_s_min=round(rate_min) if rate_min != float("inf") else None)
    return figures


def _plain_writer(kg: KnowledgeGraph) -> Any:
    """The store's writer as it was before the index: Oxigraph and its system graphs, no hook."""
    from contextlib import contextmanager

    from tradekg.store import OxigraphBackend
    from tradekg.system_graphs import refresh_system_graphs

    @contextmanager
    def writer() -> Any:
        backend = OxigraphBackend(kg.location, writable=True)
        try:
            refresh_system_graphs(backend, kg._opener.gazetteers)
            yield backend
        finally:
            backend.close()

    return writer


def measure_ingest(work: Path, docs: int) -> dict[str, Any]:
    """CPU ms per document of a validated ingest into a fresh store, with the index hook and with the plain
    Oxigraph writer: what keeping the index costs a write."""
    import shutil

    from corpus import EXTENSION, generate

    from tradekg.validate import Validator

    folder = work / "ingest-corpus"
    paths = generate(folder, docs, seed=99, prefix="ingest")
    out: dict[str, Any] = {}
    for label, plain in (("with_index", False), ("without_index", True)):
        store = work / f"ingest-{label}"
        shutil.rmtree(store, ignore_errors=True)
        kg = KnowledgeGraph(store, gazetteer=[folder / EXTENSION])
        if plain:  # the writer without the hook, as before the index
            kg._opener.writer = _plain_writer(kg)  # type: ignore[method-assign]
        validator = Validator(kg.intake.gazetteer())
        kg.ingest(paths[:5], validator=validator)  # warm-up: the store, system graphs, caches
        t = time.process_time()
        kg.ingest(paths[5:], validator=validator)
        out[f"ingest_cpu_ms_per_doc_{label}"] = round(1000 * (time.process_time() - t) / (len(paths) - 5), 2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="the answer index against SPARQL")
    ap.add_argument("--docs", default="1000,10000", help="comma-separated store sizes (multiples of 100)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/tradekg-index-bench"), help="stores and corpus")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for the fill")
    ap.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                    help="cpu: this process's CPU time (default); wall: elapsed time")
    ap.add_argument("--ingest", type=int, default=300, help="documents for the ingest cost (0: skip)")
    args = ap.parse_args(argv)
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    for docs in (int(d) for d in args.docs.split(",")):
        store = args.work / f"store-{docs}"
        gazetteer = build(store, args.work / "corpus", docs, args.jobs)
        sys.stdout.write(f"\n{docs} documents (compacted store), median {args.clock} ms of {args.runs} runs\n")
        figures = measure(store, gazetteer, args.runs)
        sys.stdout.write(f"docs={docs} " + " ".join(f"{k}={v}" for k, v in figures.items()) + "\n")
        sys.stdout.flush()
    if args.ingest:
        figures = measure_ingest(args.work, args.ingest)
        sys.stdout.write(" ".join(f"{k}={v}" for k, v in figures.items()) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
