"""Crash safety: SIGKILL ``tradekg ingest`` and ``tradekg remove`` at random moments.

A folder of valid variants of the seed (each its own document id) is ingested once cleanly: that store
is the reference. Each trial then kills a real ``tradekg`` process at a random moment (seeded: the seed
is printed, and ``TRADEKG_CRASH_SEED`` replays a run) and checks that

- the store opens (read-write, the way the next command will open it);
- every document graph is wholly one clean version of that document (equal to the reference graph of
  the old or the new version) or absent, and the system graphs are all there and exact, or all absent;
- running the same command again completes the job: the store then equals the reference exactly.

Half of the ingest trials start empty (the kill may land while the store and its system graphs are being
created); the other half start from the store holding version 1 of every document and ingest version 2,
so a kill mid-way must leave each document old or new, never a mix.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from hostile import (
    SYSTEM_GRAPHS,
    TKDOC,
    Dump,
    assert_no_bnodes,
    copy_store,
    document_part,
    dump_store,
    make_variants,
    run_tradekg,
    sigkill,
    start_tradekg,
    system_part,
)

DOCUMENTS = int(os.environ.get("TRADEKG_CRASH_DOCUMENTS", "40"))
TRIALS = int(os.environ.get("TRADEKG_CRASH_TRIALS", "12"))
SEED = int(os.environ.get("TRADEKG_CRASH_SEED", "20250416"))


@dataclass
class Corpus:
    """The inputs and the reference stores the trials compare against."""

    v1: Path
    v2: Path
    store_v1: Path
    ref_v1: Dump
    ref_v2: Dump
    ingest_seconds: float
    remove_seconds: float
    parallel: bool  # the CLI has ``ingest --jobs N`` (validation in worker processes)


def _clean_ingest(folder: Path, store: Path) -> float:
    run = run_tradekg("--store", store, "ingest", folder, timeout=600)
    run.assert_clean()
    assert run.code == 0, run.err[-2000:]
    return run.seconds


def make_corpus(base: Path, n: int) -> Corpus:
    v1 = base / "v1"
    v2 = base / "v2"
    make_variants(v1, range(n), tag="v1")
    make_variants(v2, range(n), tag="v2")
    seconds = _clean_ingest(v1, base / "ref-v1")
    _clean_ingest(v2, base / "ref-v2")
    ref_v1, ref_v2 = dump_store(base / "ref-v1"), dump_store(base / "ref-v2")
    assert_no_bnodes(ref_v1)
    docs = {g for g in ref_v1 if g.startswith(TKDOC)}
    assert len(docs) == n and docs == {g for g in ref_v2 if g.startswith(TKDOC)}
    assert all(ref_v1[g] != ref_v2[g] for g in docs), "the two versions must differ to tell them apart"
    probe = copy_store(base / "ref-v1", base / "probe")
    removal = run_tradekg("--store", probe, "remove", "variant-000")
    assert removal.code == 0, removal.err
    parallel = "--jobs" in run_tradekg("ingest", "--help").out
    return Corpus(v1, v2, base / "ref-v1", ref_v1, ref_v2, seconds, removal.seconds, parallel)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return make_corpus(tmp_path_factory.mktemp("crash"), DOCUMENTS)


def assert_store_opens(store: Path) -> None:
    """The next command opens the store read-write: RocksDB must recover from the kill."""
    if not (store / "CURRENT").exists():
        return  # killed before the store was created: nothing to open, nothing half-made
    s = ox.Store(str(store))
    len(s)
    del s  # releases the lock


def check_system(dump: Dump, allowed: list[Dump]) -> None:
    """The system graphs are all absent, or all exactly as one complete refresh wrote them.

    ``allowed`` are whole dumps whose system graphs are complete states: the store before the command
    and after the completing re-run (the packaged ontology may change between test runs, not within one
    command, so these are the states a refresh can leave).
    """
    system = system_part(dump)
    if not system:
        return
    assert set(system) == set(SYSTEM_GRAPHS), f"system graphs half-written: {sorted(system)}"
    assert any(system == system_part(a) for a in allowed), "system graphs differ from every complete state"


def check_consistent(dump: Dump, allowed: list[Dump]) -> dict[str, int]:
    """Each document graph equals one allowed version of it, or is absent.

    Returns how many documents were found in each allowed version (for the trial's log line).
    """
    counts = {f"v{i + 1}": 0 for i in range(len(allowed))}
    for g, triples in document_part(dump).items():
        assert g.startswith(TKDOC), f"unexpected graph {g!r}"
        versions = [i for i, ref in enumerate(allowed) if ref.get(g) == triples]
        assert versions, f"{g} is not a clean version of its document: {len(triples)} triples, " + ", ".join(
            f"v{i + 1} has {len(ref.get(g, ()))}" for i, ref in enumerate(allowed))
        counts[f"v{versions[0] + 1}"] += 1
    return counts


def kill_at_random(args: list[str | Path], at: float) -> bool:
    """Start ``tradekg ARGS``, SIGKILL it after ``at`` seconds; True if it was still running."""
    proc = start_tradekg(*args)
    deadline = time.monotonic() + at
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    alive = proc.poll() is None
    sigkill(proc)
    return alive


class Moments:
    """Random kill moments in (low, high) seconds; a process that finished before its kill lowers ``high``,
    so that the trials that count are kills of a running process."""

    def __init__(self, rng: random.Random, low: float, high: float) -> None:
        self.rng, self.low, self.high = rng, low, high

    def next(self) -> float:
        return self.rng.uniform(self.low, self.high)

    def finished_before(self, at: float) -> None:
        self.high = max(self.low + 0.05, at * 0.9)


def ingest_trials(corpus: Corpus, tmp_path: Path, trials: int, seed: int) -> list[str]:
    """Kill ``trials`` running ingests (a kill that came too late is checked too, but does not count)."""
    moments = Moments(random.Random(seed), 0.2, corpus.ingest_seconds)
    log: list[str] = []
    attempt = 0
    while sum("(mid-run)" in line for line in log) < trials and attempt < 3 * trials:
        replace = attempt % 2 == 1
        store = tmp_path / f"ingest-{attempt}"
        if replace:
            copy_store(corpus.store_v1, store)
        folder, target = (corpus.v2, corpus.ref_v2) if replace else (corpus.v1, corpus.ref_v1)
        # Every other pair of trials validates in worker processes (``--jobs 2``), when the CLI can.
        jobs = ["--jobs", "2"] if corpus.parallel and attempt % 4 >= 2 else []
        at = moments.next()
        killed = kill_at_random(["--store", store, "ingest", folder, *jobs], at)
        if not killed:
            moments.finished_before(at)

        assert_store_opens(store)
        after_kill = dump_store(store) if (store / "CURRENT").exists() else {}
        allowed = [corpus.ref_v1, corpus.ref_v2] if replace else [corpus.ref_v1]
        counts = check_consistent(after_kill, allowed)

        rerun = run_tradekg("--store", store, "ingest", folder, timeout=600)
        rerun.assert_clean()
        assert rerun.code == 0, rerun.err[-2000:]
        final = dump_store(store)
        assert document_part(final) == document_part(target), "re-running the ingest did not complete it"
        check_system(after_kill, [final, corpus.ref_v1] if replace else [final])
        assert set(system_part(final)) == set(SYSTEM_GRAPHS)
        when = "(mid-run)" if killed else "(had finished)"
        what = ("v1->v2" if replace else "empty->v1") + (", --jobs 2" if jobs else "")
        log.append(line := f"ingest trial {attempt:2d} ({what}): kill at {at:5.2f} s {when}; "
                   f"documents after kill {counts}")
        print(line, flush=True)
        attempt += 1
    return log


def remove_trials(corpus: Corpus, tmp_path: Path, trials: int, seed: int) -> list[str]:
    rng = random.Random(seed + 1)
    moments = Moments(rng, 0.1, corpus.remove_seconds)
    log: list[str] = []
    ids = sorted(g[len(TKDOC):] for g in corpus.ref_v1 if g.startswith(TKDOC))
    trial = 0
    while sum("(mid-run)" in line for line in log) < trials and trial < 3 * trials:
        store = copy_store(corpus.store_v1, tmp_path / f"remove-{trial}")
        doc = rng.choice(ids)
        at = moments.next()
        killed = kill_at_random(["--store", store, "remove", doc], at)
        if not killed:
            moments.finished_before(at)

        assert_store_opens(store)
        after_kill = dump_store(store)
        full = document_part(corpus.ref_v1)
        without = {g: t for g, t in full.items() if g != TKDOC + doc}
        gone = document_part(after_kill) == without
        assert gone or document_part(after_kill) == full, "a kill during remove left a partial state"
        rerun = run_tradekg("--store", store, "remove", doc)
        rerun.assert_clean()
        if gone:
            assert rerun.code == 2 and "no document" in rerun.err, rerun.err
        else:
            assert rerun.code == 0, rerun.err
        final = dump_store(store)
        assert document_part(final) == without
        check_system(after_kill, [corpus.ref_v1, final])
        when = "(mid-run)" if killed else "(had finished)"
        log.append(line := f"remove trial {trial:2d}: kill at {at:4.2f} s {when}; "
                   f"document {'gone' if gone else 'still whole'} after kill")
        print(line, flush=True)
        trial += 1
    return log


@pytest.mark.slow
def test_sigkill_during_ingest(corpus: Corpus, tmp_path: Path) -> None:
    print(f"\ncrash seed {SEED} (replay: TRADEKG_CRASH_SEED={SEED}); {DOCUMENTS} documents; "
          f"clean ingest {corpus.ingest_seconds:.1f} s")
    log = ingest_trials(corpus, tmp_path, TRIALS, SEED)
    assert sum("(mid-run)" in line for line in log) >= TRIALS, "too few kills landed while ingest ran"


@pytest.mark.slow
def test_sigkill_during_remove(corpus: Corpus, tmp_path: Path) -> None:
    print(f"\ncrash seed {SEED}; clean remove {corpus.remove_seconds:.1f} s")
    log = remove_trials(corpus, tmp_path, TRIALS, SEED)
    assert sum("(mid-run)" in line for line in log) >= TRIALS, "too few kills landed while remove ran"


# --- killing one large write while it commits -----------------------------------------------------------------

BIG_NOTES = int(os.environ.get("TRADEKG_CRASH_BIG_NOTES", "5000"))
BIG_TRIALS = int(os.environ.get("TRADEKG_CRASH_BIG_TRIALS", "6"))


def big_document(folder: Path, tag: str) -> Path:
    """The seed graph plus ``BIG_NOTES`` extra triples, as Turtle: one write of megabytes."""
    from hostile import seed_yaml_text

    from tradekg.annotation import load_annotation
    from tradekg.kg import graph_triples

    doc = load_annotation(seed_yaml_text().replace("  id: us-japan-first-round-2025-04\n", "  id: big-document\n"))
    lines = [f"{t} .\n" for t in graph_triples(doc.graph)]
    lines += [f'<{doc.iri}#note-{i}> <http://www.w3.org/2000/01/rdf-schema#comment> "{tag} note {i} on the talks" .\n'
              for i in range(BIG_NOTES)]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "big-document.ttl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def wal_bytes(store: Path) -> int:
    """Bytes in RocksDB's write-ahead logs: they grow when, and only when, a transaction commits."""
    total = 0
    for p in store.glob("*.log"):
        try:
            total += p.stat().st_size
        except FileNotFoundError:
            continue
    return total


def kill_on_commit(args: list[str | Path], store: Path, delay: float) -> tuple[bool, float | None]:
    """Start ``tradekg ARGS``; SIGKILL it ``delay`` s after its first commit starts to reach the log
    (0: at once, while the log is being written). Returns (killed while running, commit seen at)."""
    proc = start_tradekg(*args)
    start = time.monotonic()
    last = wal_bytes(store)
    seen: float | None = None
    while proc.poll() is None:
        now = wal_bytes(store)
        if seen is None and now > last:
            seen = time.monotonic() - start
        last = min(last, now) if seen is None else last
        if seen is not None and time.monotonic() - start >= seen + delay:
            break
        time.sleep(0.0005)
    alive = proc.poll() is None
    sigkill(proc)
    return alive, seen


@pytest.mark.slow
def test_sigkill_while_a_large_write_commits(tmp_path: Path) -> None:
    """Replace a document of ~5,000 triples and kill the ingest as its transaction reaches the
    write-ahead log (at once, or up to a second later during the flush), or at random before it."""
    v1, v2 = big_document(tmp_path / "v1", "first"), big_document(tmp_path / "v2", "second")
    _clean_ingest(v1.parent, tmp_path / "ref-v1")
    ref_v1 = dump_store(tmp_path / "ref-v1")
    probe = copy_store(tmp_path / "ref-v1", tmp_path / "probe")
    _, commit_at = kill_on_commit(["--store", probe, "ingest", v2], probe, delay=60)
    ref_v2 = dump_store(probe)
    graph = TKDOC + "big-document"
    assert commit_at is not None and ref_v1[graph] != ref_v2[graph]
    assert len(ref_v2[graph]) > BIG_NOTES
    print(f"\nlarge write: {len(ref_v2[graph])} triples; commit reached the log {commit_at:.2f} s after start")
    rng = random.Random(SEED + 2)
    outcomes = []
    for trial in range(BIG_TRIALS):
        store = copy_store(tmp_path / "ref-v1", tmp_path / f"big-{trial}")
        mode = ("at commit", "at commit", "after commit", "before commit")[trial % 4]
        if mode == "before commit":
            at = rng.uniform(max(0.1, commit_at - 1.0), commit_at)
            killed, seen = kill_at_random(["--store", store, "ingest", v2], at), None
        else:
            delay = 0.0 if mode == "at commit" else rng.uniform(0.05, 1.0)
            killed, seen = kill_on_commit(["--store", store, "ingest", v2], store, delay)
        assert_store_opens(store)
        after = dump_store(store)
        version = "v1" if after.get(graph) == ref_v1[graph] else "v2" if after.get(graph) == ref_v2[graph] else None
        assert version, f"the large document is half-written: {len(after.get(graph, ()))} triples"
        assert document_part(after) == document_part(ref_v1 if version == "v1" else ref_v2)
        rerun = run_tradekg("--store", store, "ingest", v2, timeout=300)
        rerun.assert_clean()
        assert rerun.code == 0, rerun.err
        assert document_part(dump_store(store)) == document_part(ref_v2)
        outcomes.append(version)
        print(f"large-write trial {trial}: kill {mode} {'(mid-run)' if killed else '(had finished)'}"
              f"{f', commit seen at {seen:.2f} s' if seen else ''}: document {version} after kill", flush=True)
    assert "v1" in outcomes, "no kill landed before the commit was durable"
