"""A non-editable install carries the ontology, gazetteer and shapes as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("tradekg-*.whl"))


def test_wheel_holds_the_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tradekg/_data/ontology/tradekg.ttl" in names
    assert "tradekg/_data/shapes/tradekg.shacl.ttl" in names
    assert any(n.startswith("tradekg/_data/ontology/gazetteer/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("tradekg/queries/") and n.endswith(".rq") for n in names)
    assert "tradekg/network/assets/view.js" in names


def test_installed_package_finds_its_data_outside_the_source_tree(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from tradekg import resources;"
        "print(resources.ontology_path()); print(resources.shapes_path()); print(len(resources.gazetteer_paths()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(target)], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout.split()
    assert out[0].startswith(str(target)) and out[0].endswith("tradekg.ttl")
    assert out[1].startswith(str(target))
    assert int(out[2]) >= 5
