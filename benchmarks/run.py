"""The scale harness: everything measured in one run, on the same synthetic data.

    python benchmarks/run.py [--quick] [--work DIR] [--batch N] [--jobs N]

1. A corpus (``benchmarks/corpus.py``) of seed-like annotation documents and its gazetteer extension.
2. A store at each size (1k, 10k, 100k documents; ``--quick``: 1k, 5k). Reaching a size is a *fill*:
   the real YAML loader turns documents into N-Quads in worker processes (kept in the work folder), and
   Oxigraph's bulk loader writes them, without validation, so that reaching 100k documents does not take a
   day; each size starts from a copy of the next smaller store. At each size a fixed *batch* of documents
   (the same content at every size, only the ids differ) is then ingested the way a user does it:
   ``KnowledgeGraph.ingest`` with validation on, in one process, one core, and removed again. Its
   per-document cost at the largest size over the smallest is ``ingest_cost_growth``.
3. Named queries at each size: the median of several runs of the prepared SPARQL on the store, and of
   the same text on rdflib's in-memory ``Dataset`` loaded with the same quads (up to ``--rdflib-max``
   documents: beyond that rdflib needs more memory than the machine has).
4. On the largest store: ``tradekg query requests …`` (and ``tradekg ask …`` when the command exists)
   end to end, process start included, with peak RSS; and ``load`` of the N-Quads of ``--load-docs``
   documents into an empty store, in triples per second.

Everything made along the way (corpus, N-Quads, stores) is kept in ``--work`` and reused by the next run
with the same folder; ``--build-only`` stops once the stores are there.

A table goes to stdout, then one last line of ``key=value`` figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import multiprocessing
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import EXTENSION, World, make_document  # noqa: E402

from tradekg import bulk  # noqa: E402
from tradekg.kg import KnowledgeGraph  # noqa: E402
from tradekg.store import OxigraphBackend  # noqa: E402

QUERIES: list[tuple[str, dict[str, str]]] = [
    ("requests", {"by": "United States", "of": "Japan"}),
    ("meetings", {"actor": "Japan"}),
    ("claims", {"by": "United States"}),
    ("complaints", {"by": "United States", "about": "Japan"}),
    ("gifts", {"to": "Japan"}),
    ("timeline", {"actor": "Japan", "from": "2025-04-01", "to": "2025-04-30"}),
]
CLI_QUERY = ["query", "requests", "--param", "by", "United States", "--param", "of", "Japan"]
CLI_ASK = ["ask", "what did the US request of Japan?"]


def log(msg: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


# --- corpus -------------------------------------------------------------------------------------------


def _write_docs(args: tuple[Path, int, int, int, str]) -> None:
    out, start, stop, seed, prefix = args
    world = World(seed)
    for i in range(start, stop):
        text, doc_id = make_document(world, i, seed, prefix)
        (out / f"{doc_id}.yaml").write_text(text, encoding="utf-8")


def write_corpus(out: Path, n: int, seed: int, prefix: str, jobs: int) -> list[Path]:
    """Documents 0..n-1 under ``out`` (kept between runs: generation is deterministic)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{prefix}-{i:07d}.yaml" for i in range(n)]
    if all(p.exists() for p in paths):
        return paths
    step = 2000
    parts = [(out, s, min(n, s + step), seed, prefix) for s in range(0, n, step)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(_write_docs, parts)
    return paths


# --- fill: the stores at each size ---------------------------------------------------------------------
#
# A store of N documents is the N-Quads of documents 0..N-1, made by the real YAML loader in worker
# processes (chunks of CHUNK documents, kept in the work folder), then written with Oxigraph's bulk loader.
# Reaching 100k documents through validated ingest would take most of a day and is not what is measured;
# the validated ingest is measured separately, by a batch at each size.

_fill: dict[str, Any] = {}


def _fill_init(gazetteer: str) -> None:
    from tradekg.gazetteer import Gazetteer

    _fill["gaz"] = Gazetteer.load([Path(gazetteer)])


def _fill_chunk(args: tuple[list[str], str]) -> int:
    """Write the N-Quads of some documents to ``out`` (via a temporary name: a killed run leaves no
    half chunk); returns the number of quads."""
    from tradekg.annotation import load_document

    paths, out = args
    quads = 0
    tmp = out + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        for path in paths:
            doc = load_document(path, gazetteer=_fill["gaz"])
            graph = f" <{doc.iri}> .\n"
            for line in doc.graph.serialize(format="nt").splitlines():
                if line:  # an N-Triples line "s p o ." becomes the N-Quads line "s p o g ."
                    f.write(line[:-2] + graph)
                    quads += 1
    os.replace(tmp, out)
    return quads


def write_chunks(work: Path, paths: list[Path], chunk: int, gazetteer: Path, jobs: int) -> list[tuple[Path, int]]:
    """The N-Quads chunks of ``paths`` (``chunk`` documents each), made once and kept, with their quad counts."""
    folder = work / f"nq-{chunk}"
    folder.mkdir(exist_ok=True)
    chunks = [(folder / f"chunk-{i // chunk:05d}.nq", paths[i:i + chunk]) for i in range(0, len(paths), chunk)]
    counts_file = folder / "counts.txt"
    counts = dict(line.split() for line in counts_file.read_text().splitlines()) if counts_file.exists() else {}
    todo = [(list(map(str, ps)), str(c)) for c, ps in chunks if not c.exists() or c.name not in counts]
    if todo:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs, initializer=_fill_init, initargs=(str(gazetteer),)) as pool:
            for k, ((_, out), n) in enumerate(zip(todo, pool.imap(_fill_chunk, todo), strict=True), 1):
                counts[Path(out).name] = str(n)
                counts_file.write_text("".join(f"{a} {b}\n" for a, b in sorted(counts.items())))
                log(f"  N-Quads chunk {k}/{len(todo)}")
    return [(c, int(counts[c.name])) for c, _ in chunks]


def build_store(kg: KnowledgeGraph, chunks: list[tuple[Path, int]], base: Path | None) -> None:
    """The store of every chunk's documents: a copy of ``base`` (the next smaller size) plus the rest."""
    done = kg.location + ".complete"
    if Path(done).exists():
        return
    shutil.rmtree(kg.location, ignore_errors=True)
    have = 0
    if base is not None:
        shutil.copytree(base, kg.location)
        have = int(Path(str(base) + ".complete").read_text())
    with kg.writer() as backend:
        for k, (chunk, _n) in enumerate(chunks[have:], have + 1):
            backend.store.bulk_load(path=str(chunk), format=ox.RdfFormat.N_QUADS)
            if k % 10 == 0:
                log(f"  loaded {k} of {len(chunks)} chunks")
    Path(done).write_text(str(len(chunks)))


# --- measurements ----------------------------------------------------------------------------------------


def measure_ingest(kg: KnowledgeGraph, paths: list[Path], validator: Any) -> dict[str, float]:
    start = time.perf_counter()
    result = kg.ingest(paths, validator=validator)
    seconds = time.perf_counter() - start
    bad = [o for o in result if o.status != "ingested"]
    if bad:
        raise SystemExit(f"batch document not ingested: {bad[0].path}: {bad[0].status} {bad[0].error or ''}")
    triples = sum(o.triples for o in result)
    return {"docs_per_s": len(paths) / seconds, "triples_per_s": triples / seconds,
            "ms_per_doc": 1000 * seconds / len(paths)}


def profile_ingest(kg: KnowledgeGraph, paths: list[Path], validator: Any) -> dict[str, float]:
    """Where one document's ingest time goes: loading YAML, SHACL validation, writing."""
    prof = cProfile.Profile()
    prof.enable()
    kg.ingest(paths, validator=validator)
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO())
    total = 0.0
    parts = {"load": 0.0, "validate": 0.0, "write": 0.0, "pyshacl": 0.0}
    wanted = {
        ("loading.py", "load_document"): "load",  # tradekg/annotation/loading.py
        ("validate.py", "validate"): "validate",
        ("store.py", "write_triples"): "write",
        ("validator.py", "run"): "pyshacl",
    }
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        key = wanted.get((Path(file).name, func))
        if key and ("tradekg" in file or key == "pyshacl"):
            parts[key] += ct
        if func == "ingest" and file.endswith("kg.py"):
            total = max(total, ct)
    return {k: 1000 * v / len(paths) for k, v in parts.items()} | {"total": 1000 * total / len(paths)}


def prepared_queries(backend: OxigraphBackend, kg: KnowledgeGraph) -> dict[str, str]:
    """Each benchmark query with its parameters resolved and bound: what ``tradekg.queries.run_bound``
    runs (in one or two phases) after resolving them, the same text for Oxigraph and for rdflib."""
    from tradekg.queries import prepare

    return {name: prepare(backend, kg.named_query(name), params) for name, params in QUERIES}


def time_store_queries(
    backend: OxigraphBackend, texts: dict[str, str], runs: int, budget: float
) -> dict[str, tuple[float, int]]:
    """Median time of each query on the store. The warm-up run goes through the store's own bounded path
    (a child process killed after ``budget`` s); a query that does not finish in time is recorded as
    ``budget`` with -1 rows and not run again."""
    from tradekg.queries import run_bound
    from tradekg.store import QueryTimeoutError

    out = {}
    for name, text in texts.items():
        t = time.perf_counter()
        try:
            run_bound(backend, text, timeout=budget)  # also warms the page cache, as a running server would be
        except QueryTimeoutError:
            out[name] = (budget, -1)
            log(f"  {name}: over {budget:g} s, stopped")
            continue
        first = time.perf_counter() - t
        times, rows = [], 0
        # A query that takes seconds gets fewer runs: its median is clear enough, and the run must end.
        for _ in range(runs if first < 1 else max(1, min(runs, int(10 / first)))):
            t = time.perf_counter()
            rows = len(run_bound(backend, text).rows)  # what `tradekg query` runs after resolving
            times.append(time.perf_counter() - t)
        out[name] = (statistics.median(times), rows)
        log(f"  {name}: {1000 * out[name][0]:.1f} ms, {rows} rows")
    return out


class _Budget(Exception):
    pass


def _over_budget(signum: int, frame: object) -> None:
    raise _Budget


def time_rdflib_queries(
    store_path: Path, texts: dict[str, str], runs: int, budget: float
) -> tuple[dict[str, tuple[float, int]], float]:
    """Median time of each query on rdflib; a query over ``budget`` seconds is stopped and recorded as
    taking ``budget`` (so the speedup computed from it is a lower bound, shown with ``>``)."""
    import signal

    import rdflib

    from tradekg.namespaces import sparql_prologue
    dump = store_path.parent / "rdflib-input.nq"
    backend = OxigraphBackend(store_path, writable=False)
    backend.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    backend.close()
    t = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(str(dump), format="nquads")
    load_s = time.perf_counter() - t
    dump.unlink()
    out = {}
    for name, text in texts.items():
        # rdflib runs the whole query in one go (the #@DETAILS marker is a comment): the question as any
        # SPARQL engine would be given it, against tradekg's way of running it.
        full = sparql_prologue() + text
        times, rows = [], 0
        for _ in range(runs):
            # rdflib is pure Python, so a SIGALRM stops it between two steps.
            previous = signal.signal(signal.SIGALRM, _over_budget)
            signal.setitimer(signal.ITIMER_REAL, budget)
            t = time.perf_counter()
            try:
                rows = len(list(ds.query(full)))
                times.append(time.perf_counter() - t)
            except _Budget:
                times, rows = [budget], -1
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            if times[-1] > budget / 4:
                break  # one slow run is enough to know
        out[name] = (statistics.median(times), rows)
    return out, load_s


def run_cli(store: Path, gazetteer: Path, args: list[str], runs: int = 3,
            budget: float = 120.0) -> dict[str, float] | None:
    exe = str(Path(sys.executable).with_name("tradekg"))
    cmd = [exe, "--store", str(store), "--gazetteer", str(gazetteer), *args]
    if subprocess.run([exe, args[0], "--help"], capture_output=True).returncode != 0:
        return None
    timer = shutil.which("time") if Path("/usr/bin/time").exists() else None
    walls, rss = [], []
    for _ in range(runs):
        full = ["/usr/bin/time", "-v", *cmd] if timer else cmd
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t = time.perf_counter()
        try:
            proc = subprocess.run(full, capture_output=True, text=True, timeout=budget)
        except subprocess.TimeoutExpired:
            log(f"  CLI {' '.join(args)}: over {budget:g} s, stopped")
            return {"wall_s": budget, "rss_mb": float("nan"), "rows_approx": -1}
        walls.append(time.perf_counter() - t)
        log(f"  CLI {' '.join(args)}: run {len(walls)} took {walls[-1]:.2f} s")  # ask's first builds its index
        if proc.returncode not in (0, 1):
            log(f"  CLI {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()[-400:]}")
            return None
        if timer:
            line = [ln for ln in proc.stderr.splitlines() if "Maximum resident set size" in ln]
            rss.append(int(line[0].rsplit(":", 1)[1]) / 1024 if line else 0.0)
        else:
            rss.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)
    rows = max(0, len(proc.stdout.splitlines()) - 4)  # a table: header and borders around the rows
    return {"wall_s": statistics.median(walls), "rss_mb": max(rss), "rows_approx": rows}


def measure_load(chunks: list[tuple[Path, int]], gazetteer: Path, work: Path) -> dict[str, float]:
    """``tradekg load`` of one N-Quads file (the given chunks; in one slice per CPU, as the CLI does), and
    Oxigraph's bare loader on the same file in one piece."""
    dump = work / "load-input.nq"
    with dump.open("wb") as out:
        for chunk, _n in chunks:
            with chunk.open("rb") as f:
                shutil.copyfileobj(f, out)
    target = work / "loaded"
    shutil.rmtree(target, ignore_errors=True)
    kg = KnowledgeGraph(target, gazetteer=[gazetteer])
    with kg.writer():
        pass  # an empty store with its system graphs, as a user's `tradekg load` would find it
    result = bulk.load(kg, dump, jobs=bulk.default_jobs())  # what `tradekg load` does by default
    # The loader alone, without tradekg's bookkeeping (counting, system graphs): Oxigraph's own speed.
    raw = work / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    t = time.perf_counter()
    ox.Store(str(raw)).bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    raw_s = time.perf_counter() - t
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    dump.unlink()
    return {"triples": result.quads, "seconds": result.seconds, "triples_per_s": result.per_second,
            "raw_triples_per_s": result.quads / raw_s if raw_s else 0.0}


# --- main ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="tradekg scale benchmark")
    ap.add_argument("--quick", action="store_true", help="sizes 1k and 5k instead of 1k, 10k, 100k")
    ap.add_argument("--sizes", help="comma-separated store sizes (overrides --quick)")
    ap.add_argument("--batch", type=int, default=0, help="documents ingested (validated) at each size")
    ap.add_argument("--jobs", type=int, default=bulk.default_jobs(), help="worker processes for the fill")
    ap.add_argument("--runs", type=int, default=7, help="runs per query (median)")
    ap.add_argument("--rdflib-max", type=int, default=10_000, help="largest store also loaded into rdflib")
    ap.add_argument("--rdflib-budget", type=float, default=60.0, help="seconds before an rdflib query is stopped")
    ap.add_argument("--query-budget", type=float, default=60.0, help="seconds before a store query is stopped")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", type=Path, help="working folder (kept); default a fresh temporary one")
    ap.add_argument("--load-docs", type=int, default=10_000, help="documents in the file `load` is timed on")
    ap.add_argument("--build-only", action="store_true", help="make corpus, N-Quads and stores, then stop")
    args = ap.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [1000, 5000] if args.quick else [
        1000, 10_000, 100_000]
    batch = args.batch or (40 if args.quick else 100)
    work = args.work or Path(tempfile.mkdtemp(prefix="tradekg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    chunk = math.gcd(*sizes, 1000)
    log(f"work folder {work}; sizes {sizes}; batch {batch}; load average {os.getloadavg()[0]:.1f}")

    corpus = work / "corpus"
    world = World(args.seed)
    corpus.mkdir(parents=True, exist_ok=True)
    gazetteer = corpus / EXTENSION
    gazetteer.write_text(world.extension_turtle(), encoding="utf-8")
    t = time.perf_counter()
    fill_paths = write_corpus(corpus / "fill", max(sizes), args.seed, "synth", args.jobs)
    log(f"corpus of {len(fill_paths)} documents ready in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    chunks = write_chunks(work, fill_paths, chunk, gazetteer, args.jobs)
    log(f"N-Quads of {len(fill_paths)} documents ready in {time.perf_counter() - t:.1f} s")
    stores: dict[int, Path] = {}
    for size in sizes:
        t = time.perf_counter()
        stores[size] = work / f"store-{size}"
        smaller = [s for s in stores if s < size]
        build_store(KnowledgeGraph(stores[size], gazetteer=[gazetteer]), chunks[:size // chunk],
                    stores[max(smaller)] if smaller else None)
        log(f"store of {size} documents ready in {time.perf_counter() - t:.1f} s")
    if args.build_only:
        return 0

    from tradekg.gazetteer import Gazetteer
    from tradekg.validate import Validator

    validator = Validator(Gazetteer.load([gazetteer]))  # prepared once, as ingest does
    rows: list[dict[str, Any]] = []
    breakdown: dict[str, float] = {}
    for k, size in enumerate(sizes):
        store = stores[size]
        kg = KnowledgeGraph(store, gazetteer=[gazetteer])
        # The same documents at every size (same generator index), under fresh ids; removed afterwards so
        # that the store keeps its size for the next run.
        bdir = corpus / f"batch-{size}"
        bdir.mkdir(exist_ok=True)
        bpaths = []
        for i in range(batch):
            text, doc_id = make_document(world, i, args.seed, prefix=f"batch{size}")
            p = bdir / f"{doc_id}.yaml"
            p.write_text(text, encoding="utf-8")
            bpaths.append(p)
        log(f"ingesting a batch of {batch} with validation into {size} documents")
        ing = measure_ingest(kg, bpaths, validator)
        for p in bpaths:
            kg.remove(p.stem)
        if k == 0:
            prof_dir = corpus / "profile"
            prof_dir.mkdir(exist_ok=True)
            ppaths = []
            for i in range(10):
                text, doc_id = make_document(world, i, args.seed, prefix="profile")
                (prof_dir / f"{doc_id}.yaml").write_text(text, encoding="utf-8")
                ppaths.append(prof_dir / f"{doc_id}.yaml")
            breakdown = profile_ingest(kg, ppaths, validator)
            for p in ppaths:
                kg.remove(p.stem)
        log("timing named queries")
        with kg.reader():
            pass
        backend = OxigraphBackend(store, writable=False)
        texts = prepared_queries(backend, kg)
        ours = time_store_queries(backend, texts, args.runs, args.query_budget)
        backend.close()
        quads = sum(n for _c, n in chunks[:size // chunk])
        theirs: dict[str, tuple[float, int]] = {}
        rdflib_load = 0.0
        if size <= args.rdflib_max:
            log("timing the same queries on rdflib")
            theirs, rdflib_load = time_rdflib_queries(store, texts, max(3, args.runs // 2), args.rdflib_budget)
        rows.append({"size": size, "quads": quads, **ing, "ours": ours, "theirs": theirs,
                     "rdflib_load_s": rdflib_load})
    store = stores[sizes[-1]]

    log("CLI on the largest store")
    cli_q = run_cli(store, gazetteer, CLI_QUERY, budget=args.query_budget)
    cli_a = run_cli(store, gazetteer, CLI_ASK, budget=args.query_budget)
    load_chunks = chunks[:max(1, min(sizes[-1], args.load_docs) // chunk)]
    log(f"load of the N-Quads of {len(load_chunks) * chunk} documents into an empty store")
    load = measure_load(load_chunks, gazetteer, work)

    # --- report ---
    out = sys.stdout
    out.write(f"\nIngest with validation (one process, batch of {batch} documents at each size)\n")
    out.write(f"{'docs':>8} {'quads':>11} {'docs/s':>8} {'triples/s':>10} {'ms/doc':>8}\n")
    for r in rows:
        out.write(f"{r['size']:>8} {r['quads']:>11} {r['docs_per_s']:>8.1f} {r['triples_per_s']:>10.0f} "
                  f"{r['ms_per_doc']:>8.1f}\n")
    if breakdown:
        out.write("Per-document time (ms, cProfile, 10 documents): " + ", ".join(
            f"{k} {v:.1f}" for k, v in breakdown.items()) + "\n")
    out.write("\nNamed queries, median ms (rows) — tradekg store vs rdflib Dataset\n")
    for r in rows:
        for name in r["ours"]:
            ms, n = r["ours"][name]
            line = f"{r['size']:>8} {name:<12} {'>' if n < 0 else ''}{1000 * ms:>9.2f} ({'stopped' if n < 0 else n})"
            if name in r["theirs"]:
                rms, rn = r["theirs"][name]
                more = ">" if rn < 0 else ""
                shown = "stopped" if rn < 0 else str(rn)
                line += f"   rdflib {more}{1000 * rms:>10.1f} ({shown})   x{more}{rms / ms:,.0f}"
                if rn >= 0 and n >= 0 and rn != n:
                    line += "   ROW COUNTS DIFFER"
            out.write(line + "\n")
        if r["rdflib_load_s"]:
            out.write(f"{'':>8} (rdflib took {r['rdflib_load_s']:.1f} s to load {r['quads']} quads)\n")
    for label, res in (("tradekg query requests", cli_q), ("tradekg ask", cli_a)):
        if res:
            out.write(f"\nCLI {label}: {res['wall_s']:.3f} s wall, {res['rss_mb']:.0f} MB peak RSS "
                      f"(~{res['rows_approx']} lines of rows) at {rows[-1]['size']} documents")
        else:
            out.write(f"\nCLI {label}: not available")
    out.write(f"\nload: {load['triples']} triples in {load['seconds']:.2f} s = {load['triples_per_s']:,.0f} "
              f"triples/s (Oxigraph's bulk loader alone: {load['raw_triples_per_s']:,.0f} triples/s)\n\n")

    first, last = rows[0], rows[-1]
    compared = [r for r in rows if r["theirs"]]
    speedups = []
    if compared:
        r = compared[-1]
        # Only queries both engines finished: a stopped one has no ratio to report.
        speedups = [r["theirs"][n][0] / r["ours"][n][0] for n in r["ours"]
                    if r["ours"][n][1] >= 0 and r["theirs"][n][1] >= 0]
    figures = {
        "ingest_docs_per_s": f"{statistics.median(r['docs_per_s'] for r in rows):.1f}",
        "ingest_triples_per_s": f"{statistics.median(r['triples_per_s'] for r in rows):.0f}",
        "ingest_cost_growth": f"{last['ms_per_doc'] / first['ms_per_doc']:.2f}",
        "query_max_median_ms": f"{1000 * max(v[0] for v in last['ours'].values()):.2f}",
        "query_speedup_vs_rdflib": f"{statistics.median(speedups):.1f}" if speedups else "nan",
        "speedup_at_docs": str(compared[-1]["size"]) if compared else "0",
        "cli_query_s": f"{cli_q['wall_s']:.3f}" if cli_q else "nan",
        "cli_query_rss_mb": f"{cli_q['rss_mb']:.0f}" if cli_q else "nan",
        "cli_ask_s": f"{cli_a['wall_s']:.3f}" if cli_a else "nan",
        "load_triples_per_s": f"{load['triples_per_s']:.0f}",
        "largest_docs": str(last["size"]),
    }
    out.write(" ".join(f"{k}={v}" for k, v in figures.items()) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
