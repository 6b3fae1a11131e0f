"""Bulk ingest with parallel validation (one writer) and restoring an export with the bulk loader."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from tradekg import bulk
from tradekg.errors import InputError, UsageError
from tradekg.kg import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"
SEED_ID = "us-japan-first-round-2025-04"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed, two renamed copies, one refused copy (a request without requester), one unparsable file."""
    d = tmp_path_factory.mktemp("docs")
    shutil.copy(SEED.with_suffix(".txt"), d / SEED.with_suffix(".txt").name)
    text = SEED.read_text(encoding="utf-8")
    # Named like its .txt, so a folder ingest takes the text as this annotation's article, not a document.
    (d / SEED.name).write_text(text, encoding="utf-8")
    for n in (2, 3):
        (d / f"b-copy{n}.yaml").write_text(text.replace(f"id: {SEED_ID}", f"id: copy-{n}", 1), encoding="utf-8")
    bad = text.replace(f"id: {SEED_ID}", "id: refused-1", 1).replace("    requester: us\n", "", 1)
    assert bad.count("requester:") == text.count("requester:") - 1
    (d / "c-refused.yaml").write_text(bad, encoding="utf-8")
    (d / "d-broken.yaml").write_text("document: [unclosed\n", encoding="utf-8")
    (d / "z-duplicate.yaml").write_text(text, encoding="utf-8")  # the seed's id again
    return d


def _summary(result: object) -> list[tuple[str, str, str | None, int]]:
    return [(Path(o.path).name, o.status, o.document_id, o.triples) for o in result]  # type: ignore[attr-defined]


def test_parallel_ingest_matches_sequential(docs: Path, tmp_path: Path) -> None:
    seq = KnowledgeGraph(tmp_path / "seq").ingest([docs])
    par_kg = KnowledgeGraph(tmp_path / "par")
    progress: list[tuple[int, int]] = []
    par = bulk.ingest_parallel(par_kg, [docs], jobs=2, progress=lambda done, total, _p: progress.append((done, total)))
    assert _summary(par) == _summary(seq)
    assert [s for _n, s, _d, _t in _summary(par)] == [
        "ingested", "ingested", "refused", "unreadable", "ingested", "refused"]
    assert par.exit_code == 2 and seq.exit_code == 2
    # A second file with an id already taken in this run is refused, naming both files.
    error = par.outcomes[-1].error or ""
    assert "also the id of" in error and "z-duplicate.yaml" in error and SEED.name in error
    assert progress[0] == (0, 6) and progress[-1] == (6, 6)
    # Same store content, byte for byte in a sorted export; the refused document wrote nothing.
    a = KnowledgeGraph(tmp_path / "seq").export("nq", include_system=True)
    b = par_kg.export("nq", include_system=True)
    assert sorted(a.splitlines()) == sorted(b.splitlines())
    assert "refused-1" not in b
    # Ingesting again changes nothing.
    again = bulk.ingest_parallel(par_kg, [docs], jobs=2)
    assert [s for _n, s, _d, _t in _summary(again)] == [
        "unchanged", "unchanged", "refused", "unreadable", "unchanged", "refused"]


def test_parallel_dry_run_writes_nothing(docs: Path, tmp_path: Path) -> None:
    kg = KnowledgeGraph(tmp_path / "store")
    result = bulk.ingest_parallel(kg, [docs / SEED.name, docs / "c-refused.yaml"], jobs=1, dry_run=True)
    assert [o.status for o in result] == ["valid", "refused"]
    assert not (tmp_path / "store").exists()


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        bulk.ingest_parallel(KnowledgeGraph(tmp_path / "s"), [SEED], jobs=0)


@pytest.fixture(scope="module")
def exported(docs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    base = tmp_path_factory.mktemp("export")
    kg = KnowledgeGraph(base / "store")
    kg.ingest([docs / SEED.name, docs / "b-copy2.yaml"])
    nq, trig = base / "all.nq", base / "all.trig"
    kg.export("nq", path=nq)
    kg.export("trig", path=trig, include_system=True)
    return nq, trig, kg.export("nq", include_system=True)


@pytest.mark.parametrize("which", [0, 1])
def test_load_restores_an_export(exported: tuple[Path, Path, str], tmp_path: Path, which: int) -> None:
    path, full = exported[which], exported[2]
    kg = KnowledgeGraph(tmp_path / "restored")
    result = bulk.load(kg, path)
    assert result.documents == 2 and result.quads > 700 and result.per_second > 0
    assert sorted(kg.export("nq", include_system=True).splitlines()) == sorted(full.splitlines())
    # Loading again replaces the documents instead of duplicating or merging them.
    assert bulk.load(kg, path).documents == 2
    assert sorted(kg.export("nq", include_system=True).splitlines()) == sorted(full.splitlines())


def test_load_in_parallel_slices_restores_the_same(exported: tuple[Path, Path, str], tmp_path: Path) -> None:
    # More slices than documents: every line must land exactly once, wherever the cuts fall.
    for jobs in (2, 3, 7):
        kg = KnowledgeGraph(tmp_path / f"restored-{jobs}")
        assert bulk.load(kg, exported[0], jobs=jobs).documents == 2
        assert sorted(kg.export("nq", include_system=True).splitlines()) == sorted(exported[2].splitlines())


def test_line_slices_cover_the_file_once_and_end_at_line_ends(exported: tuple[Path, Path, str]) -> None:
    data = exported[0].read_bytes()
    for parts in (1, 2, 5, 50, 10_000):
        cuts = bulk.line_slices(exported[0], parts)
        assert cuts[0][0] == 0 and cuts[-1][1] == len(data)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(cuts))
        assert all(data[end - 1:end] == b"\n" for _, end in cuts)
        assert len(cuts) <= min(parts, data.count(b"\n"))


def test_a_bad_line_in_a_later_slice_leaves_an_empty_store_empty(exported: tuple[Path, Path, str],
                                                                  tmp_path: Path) -> None:
    lines = exported[0].read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "bad.nq"
    at = len(lines) * 3 // 4  # in the last of two slices, after the first slice has loaded
    bad.write_text("".join(lines[:at]) + "<http://e/a> <http://e/p> nonsense <http://e/g> .\n"
                   + "".join(lines[at:]), encoding="utf-8")
    kg = KnowledgeGraph(tmp_path / "s")
    with pytest.raises(InputError, match=f"bad.nq.*line {at + 1}"):
        bulk.load(kg, bad, jobs=2)
    assert kg.export("nq") == ""  # no document graph: the first slice's documents were dropped again


def test_load_replaces_a_changed_document(exported: tuple[Path, Path, str], docs: Path, tmp_path: Path) -> None:
    kg = KnowledgeGraph(tmp_path / "s")
    changed = docs.parent / "changed.yaml"
    changed.write_text((docs / SEED.name).read_text().replace("Akazawa met President Trump", "Edited"))
    shutil.copy(docs / SEED.with_suffix(".txt").name, docs.parent / SEED.with_suffix(".txt").name)
    kg.ingest([changed])
    assert "Edited" in kg.export("nq")
    bulk.load(kg, exported[0])
    assert "Edited" not in kg.export("nq")
    assert sorted(kg.export("nq", include_system=True).splitlines()) == sorted(exported[2].splitlines())


def test_load_refuses_other_formats_and_bad_files(tmp_path: Path) -> None:
    kg = KnowledgeGraph(tmp_path / "s")
    (tmp_path / "x.ttl").write_text("<a:b> <a:c> <a:d> .")
    with pytest.raises(UsageError, match="TriG"):
        bulk.load(kg, tmp_path / "x.ttl")
    with pytest.raises(InputError, match="not found"):
        bulk.load(kg, tmp_path / "missing.nq")
    (tmp_path / "bad.nq").write_text("<http://e/a> <http://e/p> nonsense .\n")
    with pytest.raises(InputError, match="bad.nq"):
        bulk.load(kg, tmp_path / "bad.nq")
