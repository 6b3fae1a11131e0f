"""Named-query latency on a synthetic store of N documents: the median ms and row count of every query.

    python benchmarks/bench_queries.py --docs 1000 --store /tmp/qstore-1k --corpus /tmp/qcorpus
    python benchmarks/bench_queries.py --docs 10000 --store /tmp/qstore-10k --corpus /tmp/qcorpus --runs 9

The store is built once with ``benchmarks/run.py``'s functions (``write_corpus``, then ``write_chunks``:
N-Quads made by the real loader in worker processes, then ``build_store``: Oxigraph's bulk loader; no
validation) and reused when its marker says it holds the documents: a 10k build takes minutes on two
cores. Stores of different sizes from one corpus share their first documents.

Each named query runs with the benchmark's parameters (``QUERIES`` of ``run.py``), then with other
realistic parameters and with none (the listings): one warm-up, then the median of ``--runs`` runs of
``tradekg.queries.run`` on the store opened read-only, parameter resolution included (as the CLI and
``KnowledgeGraph.query`` do). A query over ``--budget`` seconds in its warm-up is reported as stopped.
One line per query goes to stdout, then a ``key=value`` line (``max_ms`` over the benchmark's queries).
With ``--save FILE`` every answer is written as JSON (rows as N-Triples-style strings), so two versions
of the queries can be compared with ``--compare FILE``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import EXTENSION, World  # noqa: E402
from run import QUERIES, build_store, write_chunks, write_corpus  # noqa: E402

from tradekg.kg import KnowledgeGraph  # noqa: E402
from tradekg.store import OxigraphBackend  # noqa: E402

# Beyond the benchmark's list: other parameters a user would give (selective and not), and the listings.
EXTRA: list[tuple[str, dict[str, str]]] = [
    ("requests", {"by": "China", "of": "United States"}),
    ("requests", {"by": "United States", "of": "Japan", "topic": "automobiles"}),
    ("meetings", {"actor": "United States"}),
    ("meetings", {}),
    ("claims", {}),
    ("complaints", {}),
    ("complaints", {"by": "China"}),
    ("gifts", {}),
    ("gifts", {"by": "United States"}),
    ("timeline", {"actor": "Japan"}),
    ("timeline", {"from": "2025-04-01", "to": "2025-04-07"}),
    ("timeline", {}),
    ("sources", {}),
    ("sources", {"source": "Japan"}),
    ("actors", {}),
    ("actors", {"actor": "Japan"}),
    ("announcements", {"by": "Japan"}),
    ("announcements", {}),
    ("invitations", {"by": "United States"}),
    ("invitations", {}),
    ("notifications", {"to": "Japan"}),
    ("notifications", {}),
    ("responses", {"by": "Japan"}),
    ("responses", {}),
]


CHUNK = 100  # documents per N-Quads chunk of the fill


def log(msg: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


def build(store: Path, corpus: Path, docs: int, jobs: int, seed: int = 0) -> Path:
    """The store of the first ``docs`` documents of the corpus, built once (run.py's N-Quads chunks made by
    the real loader, then Oxigraph's bulk loader) and reused while its marker says it is complete."""
    corpus.mkdir(parents=True, exist_ok=True)
    gazetteer = corpus / EXTENSION
    if not gazetteer.exists():
        gazetteer.write_text(World(seed).extension_turtle(), encoding="utf-8")
    marker = store / "bench-docs.txt"  # how many corpus documents the store holds (an earlier layout)
    done = Path(str(store) + ".complete")  # run.build_store's marker: chunks of CHUNK documents loaded
    if marker.exists() and int(marker.read_text()) == docs:
        return gazetteer
    if done.exists() and int(done.read_text()) * CHUNK == docs:
        return gazetteer
    if docs % CHUNK:
        raise SystemExit(f"--docs must be a multiple of {CHUNK}")
    paths = write_corpus(corpus / "fill", docs, seed, "synth", jobs)
    log(f"building {store} with {docs} documents")
    t = time.perf_counter()
    chunks = write_chunks(corpus, paths, CHUNK, gazetteer, jobs)
    build_store(KnowledgeGraph(store, gazetteer=[gazetteer]), chunks, None)
    log(f"built in {time.perf_counter() - t:.0f} s")
    return gazetteer


def _plain(value: Any) -> Any:
    return None if value is None else str(value)


def time_queries(store: Path, gazetteer: Path, queries: list[tuple[str, dict[str, str]]], runs: int,
                 budget: float) -> list[dict[str, Any]]:
    """Median ms and rows of each named query, run end to end through ``tradekg.queries.run``."""
    from tradekg.queries import load_queries, run
    from tradekg.store import QueryTimeoutError

    named = load_queries()
    kg = KnowledgeGraph(store, gazetteer=[gazetteer])
    with kg.reader():
        pass  # system graphs up to date before the store is opened read-only
    backend = OxigraphBackend(store, writable=False)
    out = []
    for name, params in queries:
        label = f"{name} {' '.join(f'{k}={v!r}' for k, v in params.items())}".strip()
        t = time.perf_counter()
        try:
            # The warm-up runs in a child process killed after ``budget`` s (the store's bounded path).
            result = run(backend, named[name], params, timeout=budget)
        except QueryTimeoutError:
            result = None
        first = time.perf_counter() - t
        if result is None:
            out.append({"query": label, "name": name, "params": params, "ms": None, "rows": None})
            log(f"  {label}: over {budget:g} s, stopped")
            continue
        times = []
        n = runs if first < 1 else max(1, min(runs, int(10 / first)))
        for _ in range(n):
            t = time.perf_counter()
            result = run(backend, named[name], params)
            times.append(time.perf_counter() - t)
        assert result is not None
        rows = [{k: _plain(r.get(k)) for k in result.variables} for r in result.rows]
        out.append({"query": label, "name": name, "params": params, "ms": 1000 * statistics.median(times),
                    "rows": len(rows), "variables": result.variables, "answer": rows})
        log(f"  {label}: {out[-1]['ms']:.1f} ms, {len(rows)} rows")
    backend.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="named-query latency on a synthetic store")
    ap.add_argument("--docs", type=int, default=1000, help="documents in the store")
    ap.add_argument("--store", type=Path, required=True, help="store folder (built once, then reused)")
    ap.add_argument("--corpus", type=Path, required=True, help="corpus folder (written once, then reused)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for the fill")
    ap.add_argument("--runs", type=int, default=7, help="runs per query (median)")
    ap.add_argument("--budget", type=float, default=30.0, help="seconds before a query's warm-up is stopped")
    ap.add_argument("--only", help="comma-separated query names")
    ap.add_argument("--bench-only", action="store_true", help="only the benchmark's queries (run.py QUERIES)")
    ap.add_argument("--build-only", action="store_true", help="build the store and stop")
    ap.add_argument("--save", type=Path, help="write every answer as JSON")
    ap.add_argument("--compare", type=Path, help="compare every answer with a saved JSON file")
    args = ap.parse_args(argv)

    gazetteer = build(args.store, args.corpus, args.docs, args.jobs)
    if args.build_only:
        return 0
    queries = list(QUERIES) + ([] if args.bench_only else EXTRA)
    if args.only:
        wanted = set(args.only.split(","))
        queries = [q for q in queries if q[0] in wanted]
    results = time_queries(args.store, gazetteer, queries, args.runs, args.budget)

    out = sys.stdout
    out.write(f"\nNamed queries on {args.docs} documents, median ms of {args.runs} runs (rows)\n")
    for r in results:
        shown = "stopped" if r["ms"] is None else f"{r['ms']:9.1f} ms ({r['rows']})"
        out.write(f"  {r['query']:<62} {shown}\n")
    bench = [r for r in results[: len(QUERIES)] if (r["name"], r["params"]) in QUERIES]
    worst = max((args.budget * 1000 if r["ms"] is None else r["ms"]) for r in bench) if bench else 0.0
    code = 0
    if args.save:
        args.save.write_text(json.dumps(
            [{k: r.get(k) for k in ("query", "variables", "answer")} for r in results], indent=1))
    if args.compare:
        saved = {r["query"]: r for r in json.loads(args.compare.read_text())}
        same = differ = 0
        for r in results:
            before = saved.get(r["query"])
            if before is None or before.get("answer") is None or r["ms"] is None:
                continue
            if before["variables"] == r["variables"] and before["answer"] == r["answer"]:
                same += 1
            else:
                differ += 1
                code = 1
                out.write(f"  ANSWER DIFFERS: {r['query']} ({len(before['answer'])} rows before, "
                          f"{len(r['answer'])} now)\n")
        out.write(f"  answers compared with {args.compare}: {same} same, {differ} differ\n")
    out.write(f"docs={args.docs} max_bench_ms={worst:.1f}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
