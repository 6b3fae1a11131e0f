"""Actor parameters resolved from the index, as :mod:`tradekg.resolve` resolves them from Oxigraph
(:func:`tradekg.resolve.find_labelled`, then the gazetteer's ``tk:metonymFor``), so that a question
answered from the index need not open Oxigraph at all.

``find_labelled`` takes, for a text: the gazetteer entries with a label equal to it in any case; anything
labelled with one of its usual spellings (as written, lower, upper, title, capitalized; plain or ``@en``);
the IRI it spells (a full IRI, ``prefix:local``, or a gazetteer id) if anything is said of it; and only when
none of those exist, anything labelled with it in any case. The labels table holds every label of every
document and of the gazetteer with its lower-case form, and the ``subjects`` table every subject that is
not a document's own (``tkdoc:<doc>#...``): the same lookups in SQL.

Where the index cannot tell for sure, :class:`NeedsStore` is raised and the caller asks Oxigraph: a text
that is not ASCII (SPARQL's ``LCASE`` and Python's ``lower`` differ on a few letters, such as a final
sigma), or an IRI inside a document that the index does not hold as an event or a labelled thing.
"""

from __future__ import annotations

import re
from typing import Any

from tradekg.errors import UsageError
from tradekg.index.db import GAZETTEER, IndexDB
from tradekg.namespaces import PREFIXES, TKDOC_IRI


class NeedsStore(Exception):
    """The index cannot resolve this value exactly: Oxigraph must."""


def find_iris(db: IndexDB, value: str, kind: str = "actor") -> list[str]:
    """The IRIs ``value`` names (see the module docstring), or :class:`NeedsStore`."""
    from tradekg.resolve import as_iri

    text = value.strip()
    if not text:
        raise UsageError(f"an empty {kind} was given")
    if not text.isascii():
        raise NeedsStore(text)
    iri_term = as_iri(text)
    iri: str | None
    if iri_term is None and re.fullmatch(r"[A-Za-z0-9._-]+", text):
        iri = PREFIXES["tkid"] + text
    else:
        iri = iri_term.value if iri_term is not None else None
    needle = text.lower()
    spellings = sorted({text, text.lower(), text.upper(), text.title(), text.capitalize()})
    c = db.conn
    found = {r[0] for r in c.execute("SELECT iri FROM labels WHERE doc = ? AND lower = ?", (GAZETTEER, needle))}
    cells = {"s" + v for v in spellings} | {"len\x1f" + v for v in spellings}
    marks = ",".join("?" * len(spellings))
    found |= {iri_ for iri_, cell in c.execute(f"SELECT iri, cell FROM labels WHERE text IN ({marks})", spellings)
              if cell in cells}
    if iri is not None and _exists(db, iri):
        found.add(iri)
    found = {f for f in found if not f.startswith("_:")}
    if not found:
        found = {r[0] for r in c.execute("SELECT iri FROM labels WHERE lower = ?", (needle,))
                 if not r[0].startswith("_:")}
    if not found:
        raise UsageError(
            f"no {kind} called {value!r} in the store"
            + (" (list them with: tradekg query actors)" if kind == "actor" else "")
        )
    return sorted(found)


def _exists(db: IndexDB, iri: str) -> bool:
    """Whether anything is said of ``iri`` in the store (it is the subject of a triple)."""
    c = db.conn
    if c.execute("SELECT 1 FROM subjects WHERE iri = ? LIMIT 1", (iri,)).fetchone():
        return True
    if not iri.startswith(TKDOC_IRI):
        return False  # every subject outside the documents' own names is in ``subjects``
    if (c.execute("SELECT 1 FROM labels WHERE iri = ? LIMIT 1", (iri,)).fetchone()
            or c.execute("SELECT 1 FROM events WHERE event = ? LIMIT 1", (iri,)).fetchone()):
        return True
    raise NeedsStore(iri)  # a document's evidence node, statistic...: only Oxigraph knows


def bound_iris(db: IndexDB, value: str) -> list[str]:
    """What an actor parameter binds: :func:`find_iris` and the gazetteer places those stand for."""
    found = find_iris(db, value)
    metonyms: dict[str, Any] = db.metonyms()
    return sorted({*found, *(t for f in found for t in metonyms.get(f, ()))})
