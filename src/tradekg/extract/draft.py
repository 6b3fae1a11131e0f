"""A plain-text article file to its annotation draft: the path both ``tradekg extract``
and ``tradekg ingest FILE.txt`` take.

Front matter and options give the metadata (:func:`~tradekg.extract.article.load_article`); the text
kept is extracted; the draft (:func:`~tradekg.extract.annotation_out.draft_annotation`) declares every
entity it names and lists the events it had to leave out, which the commands report on stderr.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .annotation_out import Draft, draft_annotation
from .article import Article, load_article
from .core import Extraction, extract

if TYPE_CHECKING:
    from ..annotation import Document
    from ..validate import Validator


@dataclass
class TextDraft:
    """One article file, what the extractor found in it, and its annotation draft (made on first use:
    ``tradekg extract --format json`` needs only the extraction)."""

    article: Article
    extraction: Extraction
    gazetteer: Any = None

    @cached_property
    def draft(self) -> Draft:
        """The annotation draft, and the events it left out."""
        meta = self.article.meta
        return draft_annotation(self.extraction, publisher=meta.publisher, url=meta.url, gazetteer=self.gazetteer)

    def notes(self) -> list[str]:
        """What the extraction noted (a text that is not English), then the events left out of the draft,
        one line each, naming the file."""
        return [f"{self.article.path}: {n}" for n in (*self.extraction.notes, *self.draft.notes())]


def draft_article(path: str | Path, *, gazetteer: Any = None, **given: Any) -> TextDraft:
    """Read, extract and draft one article file; ``given`` (title, published, publisher, url, speaker)
    overrides its front matter. ``published`` may be a date or YYYY-MM-DD text.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "talks.txt")
    >>> _ = open(p, "w").write("title: Talks\\n\\nJapan asked the United States to lower tariffs on cars.")
    >>> d = draft_article(p, published="2025-05-02")
    >>> d.extraction.doc_id, d.extraction.events[0].type, d.extraction.events[0].evidence.start
    ('talks-2025-05-02', 'Request', 0)
    """
    if isinstance(given.get("published"), str):
        from ..article_options import parse_date

        given["published"] = parse_date(given["published"], "--published")
    art = load_article(path, **given)
    meta = art.meta
    x = extract(art.text, published=meta.published, title=meta.title, speaker=meta.speaker,
                gazetteer=gazetteer, doc_id=art.document_id)
    return TextDraft(art, x, gazetteer)


#: Rounds of "validate, drop what was refused": the field at fault, then its whole statement.
_ROUNDS = 3


def load_text_document(path: str | Path, *, gazetteer: Any = None, validator: Validator | None = None,
                       **given: Any) -> tuple[Document, list[str]]:
    """The :class:`~tradekg.annotation.Document` of an article file's draft, and the notes to report.

    With a ``validator``, what the shapes refuse in an event or statistic of the draft (a date after
    publication, a requester who is also the addressee ...) is dropped and reported, not allowed to
    refuse the whole article: the extractor's own drafts always ingest, unless the document's own
    metadata is at fault.
    """
    from ..annotation import load_annotation

    d = draft_article(path, gazetteer=gazetteer, **given)
    doc = load_annotation(d.draft.yaml, path=path, gazetteer=gazetteer)
    for _ in range(_ROUNDS if validator is not None else 0):
        assert validator is not None
        report = validator.validate(doc)
        if report.conforms or not d.draft.drop(report.findings):
            break
        doc = load_annotation(d.draft.yaml, path=path, gazetteer=gazetteer)
    # Lines would point into a YAML draft the user never saw; `tradekg extract` shows that draft.
    doc.lines.clear()
    return doc, d.notes()
