"""The answer index's SQLite file: its tables, and writing and removing one document's rows.

One file beside the Oxigraph files of a local store (``<store>/tradekg-index.sqlite``), in WAL mode so
readers never wait for the writer. Tables:

- ``documents``: one row per document graph with its content hash (what ``reconcile`` compares);
- ``pending``: documents a writer is about to change in Oxigraph (set before the Oxigraph commit, cleared
  with the index's own commit: a crash in between leaves the name here, and the next open repairs it);
- ``events``: one row per event and article, its kinds, date, and details (JSON of encoded terms);
- ``roles``: one row per event, role, actor and *key* (:mod:`.rows`), ordered by (kind, role, key, date);
  its IRIs, and those of ``pairs``, are written short (:func:`.terms.short`);
- ``pairs``: for directed kinds, one row per agent key and addressee key, ordered by
  (kind, agent key, addressee key, date);
- ``labels`` and ``evidence`` with their FTS5 tables ``labels_fts`` and ``evidence_fts``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tradekg.errors import TradekgError
from tradekg.index.rows import DocumentRows
from tradekg.index.terms import short, value_of

SCHEMA_VERSION = "6"
FILENAME = "tradekg-index.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents(doc TEXT PRIMARY KEY, hash TEXT NOT NULL, title TEXT, published TEXT)
  WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending(doc TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events(event TEXT, article TEXT, doc TEXT, kinds TEXT, date TEXT, details BLOB);
CREATE UNIQUE INDEX IF NOT EXISTS events_key ON events(event, article);
CREATE INDEX IF NOT EXISTS events_doc ON events(doc);
CREATE TABLE IF NOT EXISTS roles(kind TEXT, role TEXT, key TEXT, date TEXT, event TEXT, article TEXT,
  actor TEXT);
CREATE INDEX IF NOT EXISTS roles_question ON roles(kind, role, key, date, event, article);
CREATE INDEX IF NOT EXISTS roles_kind ON roles(kind, role, date, event, article);
CREATE INDEX IF NOT EXISTS roles_event ON roles(event, role, kind);
CREATE TABLE IF NOT EXISTS pairs(kind TEXT, agent_key TEXT, addressee_key TEXT, date TEXT, event TEXT,
  article TEXT, agent_role TEXT, addressee_role TEXT, doc TEXT);
CREATE INDEX IF NOT EXISTS pairs_question ON pairs(kind, agent_key, addressee_key, date, event, article);
CREATE INDEX IF NOT EXISTS pairs_doc ON pairs(doc);
CREATE TABLE IF NOT EXISTS labels(id INTEGER PRIMARY KEY, iri TEXT, prop TEXT, cell TEXT, text TEXT, lower TEXT,
  doc TEXT);
CREATE INDEX IF NOT EXISTS labels_doc ON labels(doc);
CREATE INDEX IF NOT EXISTS labels_iri ON labels(iri, prop);
CREATE INDEX IF NOT EXISTS labels_text ON labels(text);
CREATE INDEX IF NOT EXISTS labels_lower ON labels(lower, doc);
CREATE TABLE IF NOT EXISTS subjects(iri TEXT, doc TEXT, PRIMARY KEY(iri, doc)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS subjects_doc ON subjects(doc);
CREATE VIRTUAL TABLE IF NOT EXISTS labels_fts USING fts5(text, content='labels', content_rowid='id');
CREATE TABLE IF NOT EXISTS evidence(id INTEGER PRIMARY KEY, event TEXT, article TEXT, quote TEXT, doc TEXT);
CREATE INDEX IF NOT EXISTS evidence_doc ON evidence(doc);
CREATE VIRTUAL TABLE IF NOT EXISTS evidence_fts USING fts5(quote, content='evidence', content_rowid='id');
"""

GAZETTEER = ""  # the ``doc`` of the gazetteer's labels


def index_file(store: str | Path) -> Path:
    """Where a local store's index lives: inside the store's folder, beside Oxigraph's files."""
    return Path(store) / FILENAME


class IndexDB:
    """The SQLite connection and the statements that write and read rows."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise FileNotFoundError(self.path)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA busy_timeout=10000")
            if create:
                if self._stored_schema() not in (None, SCHEMA_VERSION):
                    self.clear()  # another version's tables: dropped, and rebuilt by the writer
                self.conn.executescript(_SCHEMA)
        except sqlite3.Error as err:
            raise TradekgError(f"cannot open the answer index {self.path}: {err}") from None

    def close(self) -> None:
        self.conn.close()

    def _stored_schema(self) -> str | None:
        """The schema version of an existing file ("0" for tables without one), None for a new file."""
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return None
        return (self.meta("schema") or "0") if "meta" in tables else "0"

    # -- meta and bookkeeping ---------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def hashes(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT doc, hash FROM documents"))

    def pending(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT doc FROM pending")]

    def mark_pending(self, docs: Iterable[str]) -> None:
        """Record that these documents are about to change in Oxigraph (committed before Oxigraph is)."""
        self.conn.executemany("INSERT OR IGNORE INTO pending VALUES (?)", [(d,) for d in docs])

    def clear(self) -> None:
        """Drop every table and create them again, empty (the start of a rebuild: an index of an older
        schema gets this one's tables and indexes)."""
        names = [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%fts_%'")]
        for name in names:
            self.conn.execute(f"DROP TABLE IF EXISTS {name}")
        self.conn.executescript(_SCHEMA)

    # -- one document -----------------------------------------------------------------------------------
    def delete_document(self, doc: str) -> None:
        """Remove one document's rows (in the caller's transaction)."""
        c = self.conn
        c.execute("INSERT INTO labels_fts(labels_fts, rowid, text) SELECT 'delete', id, text FROM labels "
                  "WHERE doc = ?", (doc,))
        c.execute("DELETE FROM labels WHERE doc = ?", (doc,))
        c.execute("DELETE FROM subjects WHERE doc = ?", (doc,))
        c.execute("INSERT INTO evidence_fts(evidence_fts, rowid, quote) SELECT 'delete', id, quote FROM "
                  "evidence WHERE doc = ?", (doc,))
        c.execute("DELETE FROM evidence WHERE doc = ?", (doc,))
        # Roles have no document column (it would cost a tenth of the index): found through its events.
        events = [short(e) for (e,) in c.execute("SELECT event FROM events WHERE doc = ?", (doc,))]
        for i in range(0, len(events), 500):
            chunk = events[i:i + 500]
            c.execute(f"DELETE FROM roles WHERE event IN ({','.join('?' * len(chunk))})", chunk)
        for table in ("events", "pairs"):
            c.execute(f"DELETE FROM {table} WHERE doc = ?", (doc,))
        c.execute("DELETE FROM documents WHERE doc = ?", (doc,))
        c.execute("DELETE FROM pending WHERE doc = ?", (doc,))

    def insert_document(self, rows: DocumentRows, directed: dict[str, tuple[set[str], set[str]]]) -> None:
        """Write one document's rows (in the caller's transaction, after :meth:`delete_document`).

        ``directed`` maps a directed kind to its (agent roles, addressee roles), local names.
        """
        c, d = self.conn, rows.doc
        c.execute("INSERT INTO documents VALUES (?, ?, ?, ?)", (d, rows.hash, rows.title, rows.published))
        c.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?)",
                      [(e, a, d, k, dt, det) for e, a, k, dt, det in rows.events])
        c.executemany("INSERT INTO roles VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [(kind, role, short(key), date, short(e), short(a), short(actor))
                       for e, a, kind, role, actor, key, date in rows.roles])
        c.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(_pairs(rows, directed)))
        start = self._next_id("labels")
        labels = [(start + i, iri, prop, cell, value_of(cell), value_of(cell).lower(), d)
                  for i, (iri, prop, cell) in enumerate(rows.labels)]
        c.executemany("INSERT INTO labels VALUES (?, ?, ?, ?, ?, ?, ?)", labels)
        c.executemany("INSERT OR IGNORE INTO subjects VALUES (?, ?)", [(s, d) for s in rows.subjects])
        c.executemany("INSERT INTO labels_fts(rowid, text) VALUES (?, ?)", [(r[0], r[4]) for r in labels])
        start = self._next_id("evidence")
        ev = [(start + i, e, a, q, d) for i, (e, a, q) in enumerate(rows.evidence)]
        c.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?, ?)", ev)
        c.executemany("INSERT INTO evidence_fts(rowid, quote) VALUES (?, ?)", [(r[0], r[3]) for r in ev])

    def insert_system(self, labels: Iterable[tuple[str, str, str]], subjects: Iterable[str],
                      metonyms: dict[str, list[str]]) -> None:
        """The system graphs' part: the gazetteer's labels (which parameters, ``ask`` and ``search`` resolve
        names against as well), every subject of the ontology, gazetteer and meta graphs, and the
        gazetteer's places standing for countries."""
        self.delete_document(GAZETTEER)
        start = self._next_id("labels")
        rows = [(start + i, iri, prop, cell, value_of(cell), value_of(cell).lower(), GAZETTEER)
                for i, (iri, prop, cell) in enumerate(labels)]
        self.conn.executemany("INSERT INTO labels VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        self.conn.executemany("INSERT OR IGNORE INTO subjects VALUES (?, ?)", [(s, GAZETTEER) for s in subjects])
        self.set_meta("metonyms", json.dumps(metonyms, sort_keys=True))
        self.conn.executemany("INSERT INTO labels_fts(rowid, text) VALUES (?, ?)", [(r[0], r[4]) for r in rows])

    def metonyms(self) -> dict[str, list[str]]:
        """The gazetteer's ``tk:metonymFor`` (a place standing for a country), recorded at the last rebuild."""
        return json.loads(self.meta("metonyms") or "{}")

    def _next_id(self, table: str) -> int:
        return (self.conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0] or 0) + 1

    def transaction(self) -> Any:
        return _Transaction(self.conn)


def _pairs(rows: DocumentRows, directed: dict[str, tuple[set[str], set[str]]]) -> Iterable[tuple[Any, ...]]:
    by_event: dict[tuple[str, str, str], list[tuple[str, str, str | None]]] = {}
    for e, a, kind, role, _actor, key, date in rows.roles:
        if kind in directed:
            by_event.setdefault((e, a, kind), []).append((role, key, date))
    for (e, a, kind), found in by_event.items():
        agents, addressees = directed[kind]
        ag = {(r, k) for r, k, _ in found if r in agents}
        ad = {(r, k) for r, k, _ in found if r in addressees}
        date = found[0][2]
        for ar, ak in sorted(ag):
            for dr, dk in sorted(ad):
                yield (kind, short(ak), short(dk), date, short(e), short(a), ar, dr, rows.doc)


class _Transaction:
    """``with db.transaction():`` one SQLite transaction, rolled back on an exception."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
