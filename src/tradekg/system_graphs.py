"""The system graphs every store carries: the ontology and the gazetteer, and a fingerprint of their files.

Queries read the class hierarchy and the actors' labels from the store itself, so the store must hold the
ontology and gazetteer of the installed version (plus the user's gazetteer files). ``tkg:meta`` records a
digest of those files; a store opened by another version, or with other gazetteer files, is refreshed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from tradekg.backend import Backend, replace_graph_update
from tradekg.errors import InputError
from tradekg.namespaces import GAZETTEER_GRAPH_IRI, META_GRAPH_IRI, ONTOLOGY_GRAPH_IRI, TKG_IRI

_FINGERPRINT = ox.NamedNode(TKG_IRI + "fingerprint")
_META = ox.NamedNode(META_GRAPH_IRI)


def system_fingerprint(extra_gazetteers: Iterable[Path] = ()) -> str:
    """A digest of the packaged ontology and gazetteer files plus the user's gazetteer files.

    >>> len(system_fingerprint())
    64
    """
    from tradekg import resources

    h = hashlib.sha256()
    for p in [resources.ontology_path(), *resources.gazetteer_paths(), *extra_gazetteers]:
        h.update(str(p).encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def stored_fingerprint(backend: Backend) -> str | None:
    """The fingerprint recorded in ``tkg:meta`` when the system graphs were last loaded."""
    res = backend.query(f"SELECT ?f WHERE {{ GRAPH {_META} {{ {_META} {_FINGERPRINT} ?f }} }}", union=False)
    for row in res.rows:
        f = row.get("f")
        if isinstance(f, ox.Literal):
            return f.value
    return None


def _parse_turtle_file(path: Path) -> list[ox.Triple]:
    try:
        return [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    except (SyntaxError, OSError) as err:
        raise InputError(f"cannot read {path}: {err}", path=path) from None


def refresh_system_graphs(backend: Backend, extra_gazetteers: Iterable[Path] = ()) -> bool:
    """Load ontology and gazetteer into their graphs if the files changed since the last load.

    Returns True when it wrote. Ontology, gazetteer and the new fingerprint go in one transaction.
    """
    from tradekg import resources

    extra = [Path(p) for p in extra_gazetteers]
    fp = system_fingerprint(extra)
    if stored_fingerprint(backend) == fp:
        return False
    onto = _parse_turtle_file(resources.ontology_path())
    gaz = [t for p in [*resources.gazetteer_paths(), *extra] for t in _parse_turtle_file(p)]
    meta = ox.Literal(fp)
    update = (
        replace_graph_update(ONTOLOGY_GRAPH_IRI, onto)
        + " ;\n"
        + replace_graph_update(GAZETTEER_GRAPH_IRI, gaz)
        + f" ;\nDROP SILENT GRAPH {_META} ;\nINSERT DATA {{ GRAPH {_META} {{ {_META} {_FINGERPRINT} {meta} }} }}"
    )
    backend.update(update)
    return True
