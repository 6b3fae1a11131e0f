"""What :class:`~tradekg.kg.KnowledgeGraph` does beside the store: draft an annotation from an article's
text, extract its events, and score the extractor against gold files. None of them opens the store, so a
``KnowledgeGraph`` made only to extract creates nothing on disk. Kept in a module of its own so the API class
stays a list of short calls (as :mod:`tradekg.index.api` does for the answer index)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from tradekg.article_options import article_options

if TYPE_CHECKING:
    from tradekg.extract import EvaluationReport, Extraction
    from tradekg.extract.draft import TextDraft
    from tradekg.intake import Intake

PathLike = str | os.PathLike[str]


class TextMethods:
    """The article-text methods of :class:`~tradekg.kg.KnowledgeGraph`."""

    intake: Intake

    def draft(self, article: PathLike, *, published: dt.date | str | None = None, title: str | None = None,
              speaker: str | None = None, publisher: str | None = None, url: str | None = None) -> TextDraft:
        """An article file's annotation draft, what the extractor found, and what the draft left out.

        The options override the file's front matter (:mod:`tradekg.extract.frontmatter`). ``.draft.yaml``
        is the annotation to check, correct and ingest; ``.notes()`` the events left out, one line each.

        >>> import tempfile
        >>> article = Path(tempfile.mkdtemp()) / "a.txt"
        >>> _ = article.write_text("title: Talks\\n\\nJapan asked the US to lower tariffs.", encoding="utf-8")
        >>> from tradekg import KnowledgeGraph
        >>> d = KnowledgeGraph().draft(article, published="2025-05-02")
        >>> d.extraction.doc_id, d.article.text
        ('talks-2025-05-02', 'Japan asked the US to lower tariffs.')
        """
        from tradekg.extract.draft import draft_article

        given = article_options({"title": title, "published": published, "speaker": speaker,
                                 "publisher": publisher, "url": url})
        return draft_article(Path(article), gazetteer=self.intake.gazetteer(), **given)

    def extract(self, article: PathLike, *, published: dt.date | str | None = None, title: str | None = None,
                speaker: str | None = None) -> Extraction:
        """Draft an annotation from an article's text file; offline, deterministic, and without the store.

        ``published`` (a date or ``YYYY-MM-DD``) anchors relative dates; ``speaker`` is who "I" is in a
        first-person text; front matter at the top of the file gives them too (the arguments win). The
        draft's ``to_annotation_yaml()`` is what to check, correct and ingest (:meth:`draft` also gives
        what was left out of it).

        >>> import tempfile
        >>> from tradekg import KnowledgeGraph
        >>> article = Path(tempfile.mkdtemp()) / "a.txt"
        >>> _ = article.write_text("Japan asked the United States to lower tariffs on cars.", encoding="utf-8")
        >>> [e["type"] for e in KnowledgeGraph().extract(article).to_json()["events"]]
        ['Request']
        """
        return self.draft(article, published=published, title=title, speaker=speaker).extraction

    def evaluate(self, gold_dir: PathLike) -> EvaluationReport:
        """Score the extractor against hand-made gold files (``*.gold.json`` beside their articles).

        >>> from tradekg import KnowledgeGraph
        >>> report = KnowledgeGraph().evaluate("examples")
        >>> 0.0 <= report.overall().events.f1 <= 1.0
        True
        """
        from tradekg.extract import evaluate

        return evaluate(Path(gold_dir), gazetteer=self.intake.gazetteer())
