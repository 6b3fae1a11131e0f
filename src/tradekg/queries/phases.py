"""Two phases for a named query cut at its ``#@DETAILS`` line (see :mod:`tradekg.queries` for why)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from tradekg.errors import InputError

DETAILS = "#@DETAILS"
_DETAILS = re.compile(r"^#@DETAILS((?:\s+\?\w+)+)\s*$")
_WHERE = re.compile(r"^WHERE\s*\{$")


@dataclass(frozen=True)
class Phases:
    """A bound query cut at its ``#@DETAILS`` line: the selection (phase one) and the details (phase two).

    ``head`` is the text up to and including the ``WHERE {`` line, ``tail`` the rest after the marker;
    phase two is ``head``, a VALUES block of the selected keys, then ``tail``.
    """

    keys: tuple[str, ...]
    select: str
    head: str
    tail: str

    def details(self, rows: list[dict[str, Any]]) -> str | None:
        """Phase two's text with ``rows`` (phase one's answer) bound; None when a key is a blank node,
        which a VALUES block cannot carry (the caller then runs the query in one phase)."""
        cells = []
        for row in rows:
            terms = [row.get(k) for k in self.keys]
            if any(isinstance(t, ox.BlankNode) for t in terms):
                return None
            cells.append("(" + " ".join("UNDEF" if t is None else str(t) for t in terms) + ")")
        block = f"VALUES ({' '.join('?' + k for k in self.keys)}) {{\n" + "\n".join(cells) + "\n}"
        return f"{self.head}\n{block}\n{self.tail}"


def split_phases(text: str) -> Phases | None:
    """Cut a bound query at its ``#@DETAILS`` line; None for a query without one.

    >>> ph = split_phases("SELECT ?e ?n\\nWHERE {\\n  ?e a ?t .\\n  #@DETAILS ?e\\n  OPTIONAL { ?e ?p ?n }\\n}")
    >>> print(ph.select)
    SELECT DISTINCT ?e WHERE {
      ?e a ?t .
    }
    >>> print(ph.details([{"e": ox.NamedNode("http://x/1")}]))
    SELECT ?e ?n
    WHERE {
    VALUES (?e) {
    (<http://x/1>)
    }
      OPTIONAL { ?e ?p ?n }
    }
    """
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if _DETAILS.match(line.strip())]
    if not marks:
        return None
    where = [i for i, line in enumerate(lines) if _WHERE.match(line.strip())]
    if len(marks) > 1 or not where or where[0] > marks[0]:
        raise InputError(f"a '{DETAILS} ?var ...' line must come once, inside the WHERE opened by a "
                         "line 'WHERE {'")
    w, d = where[0], marks[0]
    m = _DETAILS.match(lines[d].strip())
    assert m is not None
    keys = tuple(v.lstrip("?") for v in m.group(1).split())
    select = f"SELECT DISTINCT {' '.join('?' + k for k in keys)} WHERE {{\n" + "\n".join(lines[w + 1:d]) + "\n}"
    return Phases(keys, select, "\n".join(lines[: w + 1]), "\n".join(lines[d + 1:]))


