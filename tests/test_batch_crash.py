"""Batch atomicity of Oxigraph's bulk path: SIGKILL a writer at random moments while it writes batches of
documents with ``Store.bulk_extend`` or ``Store.bulk_load``, and read the store while it does.

``tradekg ingest`` writes new documents in batches through the bulk path (:mod:`tradekg.batch_write`),
which is only right if a batch is all-or-nothing. This harness is the proof, and it is kept in the slow
suite so that a pyoxigraph upgrade that broke it would be seen. Each trial starts ``tests/bulk_writer.py``
on an empty store, and from the start of its writing phase (batches made, store open) until a random
moment within it reads the store from this process (read-only opens, as the
CLI's readers do); then it SIGKILLs the writer and checks that

- the store opens read-write (as the next command will open it);
- every document graph equals its expected quads exactly (whole) or is absent, and the documents present
  are exactly the first k whole batches (the writer writes batches in order): never a part of a batch;
- every read taken while the writer ran saw whole batches only, as many as had been acknowledged at most
  one batch later.

Three writers take turns: ``bulk_extend`` and ``bulk_load`` in batches of 200 documents (10k quads), and
``bulk_extend`` in two batches of 500 documents of 400 quads (200k quads, the size ``ingest`` flushes at).
The moments are seeded (``TRADEKG_BATCH_CRASH_SEED`` replays a run); the outcome counts are printed.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from bulk_writer import BASE, expected_graph

TRIALS = int(os.environ.get("TRADEKG_BATCH_CRASH_TRIALS", "40"))
SEED = int(os.environ.get("TRADEKG_BATCH_CRASH_SEED", "20251205"))
WRITER = Path(__file__).with_name("bulk_writer.py")


@dataclass(frozen=True)
class Writer:
    mode: str  # extend or load
    batches: int
    per_batch: int
    per_doc: int

    def args(self, store: Path) -> list[str]:
        return [sys.executable, str(WRITER), str(store), self.mode, str(self.batches), str(self.per_batch),
                str(self.per_doc)]

    @property
    def name(self) -> str:
        return f"bulk_{self.mode} {self.per_batch}x{self.per_doc}"


WRITERS = [Writer("extend", 8, 200, 50), Writer("extend", 8, 200, 50), Writer("load", 8, 200, 50),
           Writer("load", 8, 200, 50), Writer("extend", 2, 500, 400)]


def graphs_of(store: ox.Store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for q in store:
        assert isinstance(q.graph_name, ox.NamedNode), f"a quad outside the document graphs: {q}"
        out.setdefault(q.graph_name.value, set()).add(str(q.triple))
    return out


def whole_batches(graphs: dict[str, set[str]], w: Writer) -> int:
    """How many whole batches ``graphs`` holds; fails if any document is partial or any batch is cut."""
    docs = sorted(graphs)
    prefix = f"{BASE}doc/"
    assert all(g.startswith(prefix) for g in docs), docs[:3]
    numbers = [int(g[len(prefix):]) for g in docs]
    assert numbers == list(range(len(numbers))), "the documents present are not the first ones written"
    for n, g in zip(numbers, docs, strict=True):
        assert graphs[g] == expected_graph(n, w.per_doc), (
            f"document {n} is partial: {len(graphs[g])} of {w.per_doc} quads")
    assert len(numbers) % w.per_batch == 0, f"{len(numbers)} documents: a batch of {w.per_batch} was cut"
    return len(numbers) // w.per_batch


def read_snapshot(store: Path, w: Writer) -> int | None:
    """Whole batches a read-only view sees now (None: nothing to open yet, or a file vanished under it)."""
    if not Path(f"{store}.open").exists():
        return None  # the writer is still creating the store
    try:
        view = ox.Store.read_only(str(store))
        graphs = graphs_of(view)
    except (OSError, RuntimeError) as err:
        # The writer's compaction removed a file the view listed (RocksDB words it "Corruption: ... No such
        # file"; the store's readers retry it too, see OxigraphBackend._retry): no view; the next one is.
        if "No such file" in str(err):
            return None
        raise
    finally:
        view = None
    return whole_batches(graphs, w)


def acknowledged(proc: subprocess.Popen[str]) -> int:
    out = proc.stdout.read() if proc.stdout else ""
    return sum(1 for line in out.splitlines() if line.startswith("done "))


def wait_until_writing(proc: subprocess.Popen[str], store: Path) -> float:
    """Wait for the writer's writing phase (its batches made, the store open); the moment it began."""
    while not Path(f"{store}.open").exists() and proc.poll() is None:
        time.sleep(0.002)
    return time.monotonic()


def clean_seconds(tmp_path: Path, w: Writer) -> float:
    """How long the writing phase of an uninterrupted run lasts."""
    store = tmp_path / f"clean-{w.mode}-{w.per_doc}"
    proc = subprocess.Popen(w.args(store), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    start = wait_until_writing(proc, store)
    assert proc.wait() == 0 and acknowledged(proc) == w.batches
    return time.monotonic() - start


@pytest.mark.slow
def test_sigkill_during_bulk_batches(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    durations = {w: clean_seconds(tmp_path, w) for w in set(WRITERS)}
    print(f"\nbatch crash seed {SEED}; clean runs: " + ", ".join(f"{w.name} {s:.2f} s" for w, s in durations.items()))
    outcomes: Counter[str] = Counter()
    reads: Counter[str] = Counter()
    mid_run = attempt = 0
    while mid_run < TRIALS and attempt < 3 * TRIALS:
        w = WRITERS[attempt % len(WRITERS)]
        store = tmp_path / f"trial-{attempt}"
        at = rng.uniform(0.0, durations[w])
        proc = subprocess.Popen(w.args(store), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        start = wait_until_writing(proc, store)
        seen: list[int] = []
        while time.monotonic() - start < at and proc.poll() is None:
            # A reader during the batches: every view holds whole batches only.
            batches = read_snapshot(store, w)
            if batches is not None:
                seen.append(batches)
            time.sleep(rng.uniform(0, 0.05))
        alive = proc.poll() is None
        proc.kill()
        proc.wait()
        done = acknowledged(proc)

        ox.Store(str(store)).flush() if (store / "CURRENT").exists() else None  # opens read-write after the kill
        found = whole_batches(graphs_of(ox.Store.read_only(str(store))), w) if (store / "CURRENT").exists() else 0
        # A batch is committed before the writer says so: what is found is what was acknowledged, or one more.
        assert done <= found <= done + 1, f"{done} batches acknowledged, {found} found"
        assert all(s <= found for s in seen) and seen == sorted(seen), f"reads went backwards: {seen}"
        alive = alive and done < w.batches  # a kill after the last batch (the writer closing) does not count
        mid_run += alive
        if not alive:  # the writer had finished: aim earlier, so that the kills that count land mid-run
            durations[w] = max(0.05, at * 0.9)
        kind = "none" if found == 0 else "all" if found == w.batches else "some"
        outcomes[f"{w.mode}:{kind}{'+unacknowledged' if found > done else ''}"] += 1
        reads["reads"] += len(seen)
        reads["reads_mid_store"] += sum(0 < s < w.batches for s in seen)
        print(f"trial {attempt:2d} {w.name}: kill at {at:4.2f} s {'(mid-run)' if alive else '(after the last batch)'}; "
              f"batches acknowledged {done}, whole batches found {found} of {w.batches}; "
              f"{len(seen)} reads saw {sorted(set(seen))}", flush=True)
        attempt += 1
    print("outcomes: " + " ".join(f"{k}={v}" for k, v in sorted(outcomes.items())) + f" mid_run_kills={mid_run} "
          + " ".join(f"{k}={v}" for k, v in reads.items()) + " partial_documents=0 cut_batches=0")
    assert mid_run >= TRIALS, f"only {mid_run} kills landed while the writer ran"
    assert any(k.endswith(":some") or ":some+" in k for k in outcomes), "no kill landed between two batches"
