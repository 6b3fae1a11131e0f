"""Document identity at ingest: one id, one document.

Writing a document must not replace a *different* document stored under the same id.

Re-ingesting a document replaces its graph: that is how a corrected annotation goes in. But two different
articles can end up with one id (two drafts of the same title and date, an id typed twice), and then the
second would silently replace the first. A document is the same document when it quotes the same article
text (``tk:fullText``): a corrected annotation of the same text replaces the stored one, a different text
is refused unless the user says ``replace``. Documents without a text (Turtle written by hand) are
compared by nothing and replaced as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from tradekg.namespaces import TK, TKDOC_IRI

if TYPE_CHECKING:
    from tradekg.backend import Backend
    from tradekg.results import DocumentOutcome

_FULL_TEXT = ox.NamedNode(f"{TK}fullText")


def text_of(iri: str, triples: Iterable[tuple[Any, Any, Any]]) -> str | None:
    """The article text a document's triples give it, if any."""
    doc = ox.NamedNode(iri)
    return next((o.value for s, p, o in triples if p == _FULL_TEXT and s == doc), None)


def stored_text(backend: Any, iri: str) -> tuple[bool, str | None]:
    """(whether the store holds a document under ``iri``, its article text or None)."""
    g = ox.NamedNode(iri)  # written by pyoxigraph: an IRI it accepted, never pasted text
    raw = backend.query(f"SELECT ?text WHERE {{ GRAPH {g} {{ {g} a tk:NewsArticle "
                        f"OPTIONAL {{ {g} tk:fullText ?text }} }} }} LIMIT 1", union=False)
    if not raw.rows:
        return False, None
    text = raw.rows[0].get("text")
    return True, text.value if text is not None else None


def replace_conflict(backend: Any, iri: str, triples: Iterable[tuple[Any, Any, Any]]) -> str | None:
    """Why writing ``triples`` as document ``iri`` would replace a different document, or None."""
    new = text_of(iri, triples)
    if new is None:
        return None
    exists, old = stored_text(backend, iri)
    if not exists or old is None or old == new:
        return None
    doc_id = iri[len(TKDOC_IRI):] if iri.startswith(TKDOC_IRI) else iri
    return (f"document id '{doc_id}' is already in the store with a different article text "
            f"(stored text {_digest(old)}, {len(old):,} characters; this one {_digest(new)}, "
            f"{len(new):,} characters); nothing written. Give --replace (replace=True) to replace it, or a "
            f"different title or date so this one gets its own id")


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def write_outcome(backend: Backend, outcome: DocumentOutcome, iri: str, triples: Any, replace: bool) -> None:
    """Write one valid document unless it would replace a different one; record what happened."""
    why = None if replace else replace_conflict(backend, iri, triples)
    if why is not None:
        outcome.status, outcome.error = "refused", f"{outcome.path}: {why}"
        return
    changed = backend.write_triples(iri, triples)
    outcome.status = "ingested" if changed else "unchanged"
