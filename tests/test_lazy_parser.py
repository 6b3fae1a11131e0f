"""spaCy is loaded only on the extraction path: the query side starts as fast as it did before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_PROBE = """
import sys
from tradekg.cli import main
try:
    sys.argv = ["tradekg", *sys.argv[1:]]
    main()
except SystemExit:
    pass
print("SPACY-LOADED" if any(m == "spacy" or m.startswith("spacy.") for m in sys.modules) else "SPACY-ABSENT",
      file=sys.stderr)
"""


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("lazy") / "store"
    subprocess.run([sys.executable, "-m", "tradekg", "--store", str(store), "ingest", str(ROOT / "seeds")],
                   check=True, capture_output=True)
    return store


def _spacy_loaded(store: Path, *args: str) -> bool:
    r = subprocess.run([sys.executable, "-c", _PROBE, "--store", str(store), *args], capture_output=True,
                       text=True, timeout=120)
    assert "SPACY-" in r.stderr, r.stderr
    return "SPACY-LOADED" in r.stderr


@pytest.mark.parametrize("args", [
    ("query", "requests", "--param", "by", "United States", "--format", "json"),
    ("ask", "What did the US request of Japan?", "--format", "json"),
    ("sparql", "SELECT ?e WHERE { ?e a tk:Meeting }", "--format", "json"),
    ("export", "--format", "turtle"),
    ("documents", "--format", "json"),
])
def test_query_side_never_imports_spacy(seed_store: Path, args: tuple[str, ...]) -> None:
    assert not _spacy_loaded(seed_store, *args)


def test_extract_does_import_it(seed_store: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Japan asked the United States to lower tariffs on cars.", encoding="utf-8")
    assert _spacy_loaded(seed_store, "extract", str(article), "--format", "json")  # the probe can fail
