"""Concurrency: readers during a long ingest see each document whole or not at all; one writer at a time.

Readers are real ``tradekg`` processes (``export``, ``sparql``, ``query``, ``documents``, and ``ask`` when
the CLI has it) run in a loop while another process ingests a folder of documents. Every snapshot a
reader prints is checked against reference stores made by clean ingests: each document graph is exactly
its old version, exactly its new one, or absent, and counts per document match. A second writer during
the ingest is refused with "store in use by another process" and exit 2.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hostile import (
    SEED_ID,
    SYSTEM_GRAPHS,
    TKDOC,
    Dump,
    copy_store,
    document_part,
    dump_store,
    make_variants,
    run_tradekg,
    seed_yaml_text,
    start_tradekg,
    stderr_of,
)

BUSY = "store in use by another process"


def test_second_writer_refused_while_lock_held(tmp_path: Path, store_copy: Path) -> None:
    """While a process holds the store for writing, ingest and an update are refused (exit 2) and change
    nothing; readers still work. (``remove`` as the second writer is in the slow test below.)"""
    doc = tmp_path / "seed.yaml"
    doc.write_text(seed_yaml_text(), encoding="utf-8")
    before = document_part(dump_store(store_copy))
    holder = ox.Store(str(store_copy))  # takes RocksDB's lock, as a running ingest does
    try:
        for args in (("ingest", doc), ("sparql", "--allow-update", "DROP GRAPH <https://w3id.org/tradekg/graph/meta>")):
            run = run_tradekg("--store", store_copy, *args)
            run.assert_clean()
            assert run.code == 2, (args, run.err)
            assert BUSY in run.err, run.err
        reader = run_tradekg("--store", store_copy, "documents", "--format", "json")
        assert reader.code == 0, reader.err
        assert [d["id"] for d in json.loads(reader.out)] == [SEED_ID]
    finally:
        del holder
    assert document_part(dump_store(store_copy)) == before


# --- readers during a real ingest ---------------------------------------------------------------------------

# Triples per graph, and the document's title, which says which version of the document it is.
GRAPH_COUNTS = """SELECT ?g ?n ?title WHERE {
  { SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g }
  OPTIONAL { GRAPH ?g { ?g dcterms:title ?title } }
}"""


def _parse_nquads(text: str) -> Dump:
    graphs: dict[str, set[str]] = {}
    for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        graphs.setdefault(name, set()).add(str(q.triple))
    return {g: frozenset(t) for g, t in graphs.items()}


class Snapshots:
    """What the readers saw, checked as they see it."""

    def __init__(self, versions: list[Dump], meetings: list[dict[str, Counter]], ask: bool) -> None:
        self.versions, self.meetings, self.ask = versions, meetings, ask
        self.errors: list[str] = []
        self.seen: Counter[str] = Counter()  # reader kind → snapshots
        self.partial = 0  # snapshots showing some documents but not all in one version: taken mid-ingest
        self.docs = {g for g in versions[-1] if g.startswith(TKDOC)}

    def fail(self, what: str) -> None:
        self.errors.append(what)

    def check_export(self, text: str) -> None:
        dump = _parse_nquads(text)
        state = []
        for g, triples in dump.items():
            matches = [i for i, ref in enumerate(self.versions) if ref.get(g) == triples]
            if not matches:
                self.fail(f"export: {g} is half-written ({len(triples)} triples)")
            state.append(matches[0] if matches else -1)
        self._note_partial(len(dump), set(state))

    def check_counts(self, text: str) -> None:
        rows = json.loads(text)
        versions = set()
        for r in rows:
            g, n, title = r["g"], r["n"], r.get("title") or ""
            if g in SYSTEM_GRAPHS:
                continue
            tag = next((i for i in range(len(self.versions)) if f" v{i + 1}]" in title), None)
            if tag is None or g not in self.versions[tag] or n != len(self.versions[tag][g]):
                self.fail(f"sparql: {g} ({title!r}) has {n} triples, not those of a whole version")
            versions.add(tag)
        self._note_partial(sum(1 for r in rows if r["g"] in self.docs), versions)

    def check_documents(self, text: str) -> None:
        rows = json.loads(text)
        self._note_partial(len(rows), set())
        for d in rows:
            g = TKDOC + d["id"]
            wanted = {len(ref[g]) for ref in self.versions if g in ref}
            if d["triples"] not in wanted:
                self.fail(f"documents: {d['id']} has {d['triples']} triples, a whole version has {sorted(wanted)}")

    def check_ask(self, text: str) -> None:
        """``ask "who met whom?"`` answers through the meetings query: the same rows per article."""
        rows = json.loads(text).get("rows", []) if text.strip() else []
        self.check_meetings(json.dumps(rows))

    def check_meetings(self, text: str) -> None:
        per_article = Counter(r["article"] for r in json.loads(text)) if text.strip() else Counter()
        for article, n in per_article.items():
            wanted = {m[article] for m in self.meetings if article in m}
            if n not in wanted:
                self.fail(f"query meetings: {article} has {n} rows, a whole document gives {sorted(wanted)}")

    def _note_partial(self, present: int, versions: set[int]) -> None:
        """Count snapshots taken mid-ingest: some documents but not all, or old and new side by side."""
        if 0 < present < len(self.docs) or len(versions) > 1:
            self.partial += 1


def _meeting_rows(store: Path) -> dict[str, int]:
    run = run_tradekg("--store", store, "query", "meetings", "--format", "json")
    assert run.code == 0, run.err
    return Counter(r["article"] for r in json.loads(run.out))


def _cli_has(command: str) -> bool:
    run = run_tradekg("--help")
    return f" {command} " in run.out


def _reader_loop(store: Path, snaps: Snapshots, stop: threading.Event, kinds: list[str]) -> None:
    i = 0
    while not stop.is_set():
        kind = kinds[i % len(kinds)]
        i += 1
        args = {
            "export": ("export", "--format", "nq"),
            "sparql": ("sparql", GRAPH_COUNTS, "--format", "json"),
            "documents": ("documents", "--format", "json"),
            "meetings": ("query", "meetings", "--format", "json"),
            "ask": ("ask", "who met whom?", "--format", "json"),
        }[kind]
        run = run_tradekg("--store", store, *args, timeout=120)
        if "Traceback" in run.err or run.code not in (0, 1) or BUSY in run.err:
            snaps.fail(f"{kind}: exit {run.code}: {run.err[-500:]}")
            continue
        snaps.seen[kind] += 1
        try:
            {"export": snaps.check_export, "sparql": snaps.check_counts, "documents": snaps.check_documents,
             "meetings": snaps.check_meetings, "ask": snaps.check_ask}[kind](run.out)
        except (ValueError, KeyError) as err:
            snaps.fail(f"{kind}: unreadable output ({err}): {run.out[:300]}")


def _ingest_with_readers(store: Path, folder: Path, snaps: Snapshots, second_writer: Path) -> tuple[float, str]:
    # Fast readers in their own threads, so that the slow named queries do not hold them back.
    slow_kinds = ["meetings"] + (["ask"] if snaps.ask else [])
    stop = threading.Event()
    writer = start_tradekg("--store", store, "ingest", folder)
    start = time.monotonic()
    threads = [
        threading.Thread(target=_reader_loop, args=(store, snaps, stop, ["export"])),
        threading.Thread(target=_reader_loop, args=(store, snaps, stop, ["sparql", "documents"])),
        threading.Thread(target=_reader_loop, args=(store, snaps, stop, slow_kinds)),
    ]
    for t in threads:
        t.start()
    try:
        time.sleep(1.5)
        second = run_tradekg("--store", store, "ingest", second_writer)
        third = run_tradekg("--store", store, "remove", "variant-000")
        still_running = writer.poll() is None
        try:
            writer.wait(timeout=600)
        except subprocess.TimeoutExpired:
            writer.kill()
            raise
        elapsed = time.monotonic() - start
    finally:
        stop.set()  # whatever happened, the reader threads must end with the test
        for t in threads:
            t.join()
    assert writer.returncode == 0, stderr_of(writer)[-2000:]
    assert still_running, "the ingest ended before the second writer tried: make it longer"
    for other in (second, third):
        other.assert_clean()
        assert other.code == 2 and BUSY in other.err, (other.code, other.err)
    return elapsed, second.err


@pytest.mark.slow
def test_readers_during_ingest_see_whole_documents(tmp_path: Path) -> None:
    """Empty → 100 documents, then version 1 → version 2 of all 100, with readers looping throughout."""
    n = 100  # long enough that readers land mid-ingest on a fast machine too
    v1, v2 = make_variants(tmp_path / "v1", range(n), "v1"), make_variants(tmp_path / "v2", range(n), "v2")
    assert v1 and v2
    refs = {}
    for tag in ("v1", "v2"):
        run = run_tradekg("--store", tmp_path / f"ref-{tag}", "ingest", tmp_path / tag, timeout=600)
        assert run.code == 0, run.err
        refs[tag] = dump_store(tmp_path / f"ref-{tag}")
    meetings = {tag: _meeting_rows(tmp_path / f"ref-{tag}") for tag in refs}
    other = tmp_path / "other"
    other.mkdir()
    (other / "seed.yaml").write_text(seed_yaml_text(), encoding="utf-8")
    ask = _cli_has("ask")

    # Phase 1: documents appear one by one in a store whose system graphs already exist.
    store = tmp_path / "store"
    pre = run_tradekg("--store", store, "ingest", other / "seed.yaml")
    assert pre.code == 0, pre.err
    run = run_tradekg("--store", store, "remove", SEED_ID)
    assert run.code == 0, run.err
    snaps = Snapshots([refs["v1"]], [meetings["v1"]], ask)
    t1, _ = _ingest_with_readers(store, tmp_path / "v1", snaps, other / "seed.yaml")
    assert not snaps.errors, snaps.errors[:10]
    assert document_part(dump_store(store)) == document_part(refs["v1"])
    first = (dict(snaps.seen), snaps.partial)

    # Phase 2: every document replaced by its new version.
    store2 = copy_store(tmp_path / "ref-v1", tmp_path / "store2")
    snaps2 = Snapshots([refs["v1"], refs["v2"]], [meetings["v1"], meetings["v2"]], ask)
    t2, _ = _ingest_with_readers(store2, tmp_path / "v2", snaps2, other / "seed.yaml")
    assert not snaps2.errors, snaps2.errors[:10]
    assert document_part(dump_store(store2)) == document_part(refs["v2"])
    print(f"\nphase 1 ({t1:.1f} s): reader snapshots {first[0]}, {first[1]} mid-ingest; "
          f"phase 2 ({t2:.1f} s): {dict(snaps2.seen)}, {snaps2.partial} mid-ingest")
    # The proof needs readers that really ran while documents were going in. Each phase alone can be
    # over before a reader's process has started on a fast machine, so count both phases together.
    assert first[1] + snaps2.partial >= 1, (first, snaps2.partial)
