"""How the network and the timeline talk to the graph: a ``sparql`` callable, and the terms and dates they bind.

Both read the knowledge graph only through a ``Sparql`` callable: a SELECT over the union of all graphs
returning rows of plain strings. So they work the same on the embedded store, a remote endpoint or an
in-memory test store. Values from users reach SPARQL as RDF terms in ``VALUES`` blocks, never pasted into
the query text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from tradekg.errors import UsageError
from tradekg.namespaces import TKDOC, sparql_prologue

Sparql = Callable[[str], list[dict[str, str | None]]]

IRI_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$")


def iri_term(iri: str, what: str = "IRI") -> str:
    """``<iri>`` for a SPARQL query, or a :class:`UsageError` naming ``what`` when it is not an IRI.

    >>> iri_term("urn:x:1")
    '<urn:x:1>'
    """
    if not IRI_OK.match(iri):
        raise UsageError(f"{what} {iri!r} is not a valid IRI")
    return f"<{iri}>"


def literal_term(text: str) -> str:
    """A quoted SPARQL string literal, every special character escaped.

    >>> literal_term('say "hi"')
    '"say \\\\"hi\\\\""'
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def local_name(iri: str) -> str:
    """The last segment of an IRI, after ``#`` or ``/``.

    >>> local_name("https://w3id.org/tradekg/ontology#Meeting")
    'Meeting'
    """
    return re.split(r"[#/]", iri)[-1]


def document_iri(document: str) -> str:
    """A document's IRI from its id, ``tkdoc:`` name or IRI.

    >>> document_iri("tkdoc:seed")
    'https://w3id.org/tradekg/doc/seed'
    """
    if document.startswith(("http://", "https://", "urn:")):
        return document
    if document.startswith("tkdoc:"):
        document = document[len("tkdoc:") :]
    return str(TKDOC[document])


def run_select(sparql: Sparql, body: str) -> list[dict[str, str | None]]:
    """Run a SELECT (without prefixes) through ``sparql``, with the project's prefixes put in front."""
    return sparql(sparql_prologue() + body)


def document_filter(document: str | None) -> str:
    """A graph pattern keeping ``?event`` to one document (empty for all)."""
    if document is None:
        return ""
    return f"?event tk:source ?doc . VALUES ?doc {{ {iri_term(document_iri(document), 'document')} }}"


def parse_date(value: str | dt.date | None, what: str = "date") -> dt.date | None:
    """A date given by a user (``YYYY-MM-DD`` or a ``date``), or a :class:`UsageError` saying which one.

    >>> parse_date("2025-04-16")
    datetime.date(2025, 4, 16)
    """
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError(f"{what}: {value!r} is not a date (expected YYYY-MM-DD)") from None


def date_range(date_from: str | dt.date | None, date_to: str | dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """The two bounds of a user's date range, checked: each a date, the first not after the second.

    >>> date_range("2025-04-01", None)
    (datetime.date(2025, 4, 1), None)
    """
    start, end = parse_date(date_from, "from"), parse_date(date_to, "to")
    if start and end and start > end:
        raise UsageError(f"from {start} is after to {end}")
    return start, end


def as_date(text: str | None) -> dt.date | None:
    """The date at the start of a stored value (``2025-04-16``, ``2025-04-16T10:00``), or ``None``.

    >>> as_date("2025-04-16T09:00:00"), as_date("spring")
    (datetime.date(2025, 4, 16), None)
    """
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def in_range(date: str | None, start: dt.date | None, end: dt.date | None) -> bool:
    """True when a stored date lies in [start, end]; undated values are in no range.

    >>> in_range("2025-04-16", None, None), in_range(None, parse_date("2025-01-01"), None)
    (True, False)
    """
    if start is None and end is None:
        return True
    d = as_date(date)
    return d is not None and (start is None or d >= start) and (end is None or d <= end)


def pyoxigraph_sparql(store: Any) -> Sparql:
    """A ``sparql`` callable over a ``pyoxigraph.Store``: SELECT over the union of all graphs, plain strings.

    >>> import pyoxigraph; rows = pyoxigraph_sparql(pyoxigraph.Store())("SELECT ?x WHERE { VALUES ?x { 1 } }")
    >>> rows
    [{'x': '1'}]
    """

    def run(query: str) -> list[dict[str, str | None]]:
        results = store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in results.variables]
        out = []
        for solution in results:
            row: dict[str, str | None] = {}
            for name in names:
                term = solution[name]
                if term is None:
                    row[name] = None
                elif type(term).__name__ == "BlankNode":
                    row[name] = "_:" + term.value
                else:
                    row[name] = term.value
            out.append(row)
        return out

    return run
