"""Where the packaged data lives: the ontology, the gazetteer and the SHACL shapes.

A wheel carries them under ``tradekg/_data/`` (pyproject force-includes ``ontology`` and ``shapes`` there);
a source checkout or an editable install reads them from the repository's top-level folders. Both layouts
are tried, wheel first, so an installed package never picks up stray files from the working directory.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tradekg.errors import InputError
from tradekg.namespaces import ONTOLOGY_GRAPH_IRI

if TYPE_CHECKING:
    import rdflib

_PACKAGE_DIR = Path(__file__).resolve().parent
_CANDIDATE_ROOTS = (
    _PACKAGE_DIR / "_data",  # installed from a wheel
    _PACKAGE_DIR.parent.parent,  # source tree: <repo>/src/tradekg -> <repo>
)


DATA_ENV = "TRADEKG_DATA"


@cache
def data_root() -> Path:
    """The folder holding ``ontology/`` and ``shapes/``: ``$TRADEKG_DATA`` when set (a user's extended copy,
    such as an ontology with a new event kind and its shape; see docs/adding-an-event-type.md), else the
    packaged one.

    >>> (data_root() / "ontology" / "tradekg.ttl").is_file()
    True
    """
    override = os.environ.get(DATA_ENV)
    if override:
        if not (Path(override) / "ontology" / "tradekg.ttl").is_file():
            raise InputError(f"${DATA_ENV} names no folder with ontology/tradekg.ttl: {override}")
        return Path(override)
    for root in _CANDIDATE_ROOTS:
        if (root / "ontology" / "tradekg.ttl").is_file():
            return root
    looked = ", ".join(str(r / "ontology") for r in _CANDIDATE_ROOTS)
    raise InputError(f"tradekg's data files are missing (looked in {looked}); reinstall the package")


def ontology_path() -> Path:
    """The ontology file, ``ontology/tradekg.ttl``.

    >>> ontology_path().name
    'tradekg.ttl'
    """
    return data_root() / "ontology" / "tradekg.ttl"


def shapes_path() -> Path:
    """The SHACL shapes file, ``shapes/tradekg.shacl.ttl`` (it may not exist in an incomplete checkout)."""
    return data_root() / "shapes" / "tradekg.shacl.ttl"


def gazetteer_paths() -> list[Path]:
    """The packaged gazetteer files, ``ontology/gazetteer/*.ttl``, sorted by name.

    >>> [p.name for p in gazetteer_paths()][:2]
    ['countries.ttl', 'items.ttl']
    """
    return sorted((data_root() / "ontology" / "gazetteer").glob("*.ttl"))


@cache
def load_ontology() -> rdflib.Graph:
    """The ontology as an rdflib graph named ``tkg:ontology``, parsed once per process.

    The graph is shared: callers that want to add to it must copy it first.

    >>> from tradekg.namespaces import TK
    >>> (TK.Request, None, None) in load_ontology()
    True
    """
    import rdflib

    graph = rdflib.Graph(identifier=ONTOLOGY_GRAPH_IRI)
    path = ontology_path()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # a broken packaged file is an installation problem, reported as input
        raise InputError(f"cannot parse the ontology: {exc}", path=path) from exc
    return graph


def data_fingerprint() -> str:
    """A sha256 over the ontology and packaged gazetteer files (names and contents).

    The store compares it with the one it saved to know when to refresh its copies of these graphs.

    >>> len(data_fingerprint())
    64
    """
    digest = hashlib.sha256()
    for path in [ontology_path(), *gazetteer_paths()]:
        digest.update(path.relative_to(data_root()).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
