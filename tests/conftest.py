"""Shared fixtures: a store with the seed ingested once per session, and cheap copies of it to modify."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_YAML = SEEDS / "us-japan-first-round-2025-04.yaml"
SEED_ID = "us-japan-first-round-2025-04"


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seed annotation. Read-only by convention: copy it (``store_copy``) to write."""
    from tradekg import KnowledgeGraph

    path = tmp_path_factory.mktemp("seeded") / "store"
    result = KnowledgeGraph.open(path).ingest([SEED_YAML])
    assert result.exit_code == 0, [o.to_dict() for o in result]
    return path


@pytest.fixture(scope="session")
def seeded_kg(seeded_store: Path):
    """The seeded store as a :class:`KnowledgeGraph` (do not write to it)."""
    from tradekg import KnowledgeGraph

    return KnowledgeGraph.open(seeded_store)


@pytest.fixture
def store_copy(seeded_store: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded store that a test may change."""
    target = tmp_path / "store"
    shutil.copytree(seeded_store, target, ignore=shutil.ignore_patterns("LOCK"))
    return target


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """The seed annotation and its article text, copied into a folder a test may edit."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for p in (SEED_YAML, SEEDS / "us-japan-first-round-2025-04.txt"):
        shutil.copy(p, folder / p.name)
    return folder / SEED_YAML.name


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``tradekg ARGS...`` in this process through ``cli.main``: returns (exit code, stdout, stderr)."""
    import io

    from tradekg.cli import main

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["tradekg", *map(str, args)])
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        out, err = capsys.readouterr()
        assert "Traceback" not in err, err
        return code, out, err

    return run
