"""Full-text search over the evidence sentences (SQLite FTS5), answered with the events and their sources.

The text is bound as a parameter of the FTS5 ``MATCH``, never pasted into SQL; FTS5's own query syntax
applies (``rice``, ``"Section 232"``, ``rice OR wheat``, ``tariff*``), and a malformed query is a usage
error that says so.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tradekg.errors import UsageError
from tradekg.index.db import IndexDB
from tradekg.index.rows import unpack_details
from tradekg.index.terms import decode, minimum, value_of


def search(db: IndexDB, text: str, *, limit: int | None = None, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The events whose evidence matches ``text``, newest first, with article title, date and evidence;
    and how many there are in all."""
    if not text.strip():
        raise UsageError("search needs some text to look for")
    match = ("SELECT DISTINCT e.event, e.article, e.quote FROM evidence_fts f JOIN evidence e ON e.id = f.rowid "
             "WHERE evidence_fts MATCH ?")
    try:
        hits = db.conn.execute(match, (text,)).fetchall()
    except sqlite3.OperationalError as err:
        raise UsageError(f"not a valid search: {text!r} ({err}); quote a phrase with double quotes, "
                         'e.g. \'"Section 232"\'') from None
    rows = []
    for event, article, quote in hits:
        found = db.conn.execute("SELECT kinds, date, details FROM events WHERE event = ? AND article = ?",
                                (event, article)).fetchone()
        if found is None:
            continue
        kinds, date, details = found
        det = unpack_details(details)
        summary = minimum(det["summary"])
        title = minimum(det["title"])
        published = minimum(det["published"])
        rows.append({
            "event": event, "kind": kinds, "date": date, "summary": value_of(summary) if summary else None,
            "evidence": quote, "article": article, "title": value_of(title) if title else None,
            "published": str(decode(published).value) if published else None,
        })
    rows.sort(key=lambda r: (r["date"] or "", r["event"]), reverse=True)
    end = None if limit is None else offset + limit
    return rows[offset:end], len(rows)


def find_names(db: IndexDB, text: str, *, limit: int = 20) -> list[tuple[str, str]]:
    """(IRI, label) of the things whose labels or aliases match ``text`` (every word, any case, as a prefix):
    what ``ask`` resolves a name against, from the gazetteer and every document."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    if not words:
        return []
    match = " ".join(f'"{w}"*' for w in words)  # each word quoted: the user's text is never FTS5 syntax
    sql = ("SELECT DISTINCT l.iri, l.text FROM labels_fts f JOIN labels l ON l.id = f.rowid "
           "WHERE labels_fts MATCH ? ORDER BY length(l.text), l.iri LIMIT ?")
    return [(iri, label) for iri, label in db.conn.execute(sql, (match, limit))]
