"""The first stage of ingest: find the input documents, load each one, and check it against the shapes.

An input is an annotation (YAML, Turtle, TriG, JSON-LD) or a plain-text article, which goes through the
extractor first. :class:`Intake` is what :class:`~tradekg.kg.KnowledgeGraph` and the parallel workers of
:mod:`tradekg.bulk` both use, so the two paths load and judge a document the same way. It holds only file
names, so it can be sent to a worker process.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradekg.errors import InputError, TradekgError
from tradekg.results import DocumentOutcome, DuplicateIds, Progress

if TYPE_CHECKING:
    from tradekg.annotation import Document
    from tradekg.gazetteer import Gazetteer
    from tradekg.validate import Validator

PathLike = str | os.PathLike[str]


class Intake:
    """Finds and loads input documents, with the packaged gazetteer plus ``gazetteer_files``; ``article``
    (title, published, publisher, url, speaker: :mod:`tradekg.article_options`) describes the plain-text
    articles among them, over their front matter.

    >>> intake = Intake()
    >>> [p.name for p in intake.paths(["seeds/"])]
    ['us-japan-first-round-2025-04.yaml']
    >>> intake.load(Path("seeds/us-japan-first-round-2025-04.yaml")).id
    'us-japan-first-round-2025-04'
    """

    def __init__(self, gazetteer_files: Sequence[PathLike] = (), article: dict[str, Any] | None = None) -> None:
        self.gazetteer_files = [Path(p) for p in gazetteer_files]
        self.article = dict(article or {})

    def for_articles(self, article: dict[str, Any]) -> Intake:
        """This intake with ``article`` options for the plain-text articles of one call."""
        return Intake(self.gazetteer_files, article)

    def gazetteer(self) -> Gazetteer:
        """The gazetteer documents are resolved against (loaded anew: user files may have changed)."""
        from tradekg.gazetteer import Gazetteer

        return Gazetteer.load(self.gazetteer_files)

    def load(self, path: Path, gazetteer: Gazetteer | None = None) -> Document:
        """One document; a ``.txt`` article is extracted to an annotation draft first."""
        return self.load_noted(path, gazetteer)[0]

    def load_noted(self, path: Path, gazetteer: Gazetteer | None = None, validator: Validator | None = None
                   ) -> tuple[Document, list[str]]:
        """One document and the notes to report about it. A ``.txt`` article is extracted to a draft first
        (:func:`tradekg.extract.draft.load_text_document`): the notes list the events it left out, and what
        ``validator`` refuses in the draft's statements is left out too."""
        from tradekg.annotation import load_document

        gazetteer = gazetteer or self.gazetteer()
        if path.suffix.lower() == ".txt":
            try:
                from tradekg.extract.draft import load_text_document
            except ImportError:
                raise InputError("plain-text articles need the extractor, which is not available", path) from None
            return load_text_document(path, gazetteer=gazetteer, validator=validator, **self.article)
        return load_document(path, gazetteer=gazetteer), []

    @staticmethod
    def _extractor_available() -> bool:
        return importlib.util.find_spec("tradekg.extract") is not None

    def paths(self, paths: Iterable[PathLike]) -> list[Path]:
        """The document files named, and those inside named folders, in order; none found is an InputError."""
        from tradekg.annotation import SUFFIXES, iter_document_paths

        given = [Path(p) for p in paths]
        suffixes = set(SUFFIXES) | ({".txt"} if self._extractor_available() else set())
        named = {p for p in given if p.is_file()}
        found = []
        for p in iter_document_paths(given, suffixes):
            # In a folder, an article with its annotation beside it is the annotation's text, not a
            # second document; a .txt named on the command line is always extracted.
            if p.suffix.lower() == ".txt" and p not in named and any(
                p.with_suffix(s).exists() for s in (".yaml", ".yml")
            ):
                continue
            found.append(p)
        if not found:
            raise InputError(f"no documents found in {', '.join(map(str, given))} "
                             f"(looked for {', '.join(sorted(suffixes))})")
        return found

    def check(self, paths: Iterable[PathLike], validator: Validator | None = None,
              progress: Progress | None = None) -> Iterator[tuple[DocumentOutcome, Document | None]]:
        """Load and validate each document: its outcome, with the document itself when it conforms."""
        from tradekg.article_options import check_article_options
        from tradekg.validate import Validator

        files = self.paths(paths)
        check_article_options(files, self.article)
        gazetteer = self.gazetteer()
        validator = validator or Validator(gazetteer)  # prepared once for every document
        seen = DuplicateIds()
        for i, path in enumerate(files):
            if progress:
                progress(i, len(files), str(path))
            try:
                doc, notes = self.load_noted(path, gazetteer, validator)
            except TradekgError as err:
                yield DocumentOutcome(str(path), "unreadable", error=str(err)), None
                continue
            duplicate = seen.check(str(path), doc.id)
            if duplicate:
                yield DocumentOutcome(str(path), "refused", doc.id, error=duplicate, notes=notes), None
                continue
            try:
                report = validator.validate(doc)
            except TradekgError as err:  # e.g. an IRI Oxigraph refuses: this document only, named
                yield DocumentOutcome(str(path), "unreadable", doc.id, error=f"{path}: {err}", notes=notes), None
                continue
            status = "valid" if report.conforms else "refused"
            yield (DocumentOutcome(str(path), status, doc.id, report, notes=notes),
                   doc if report.conforms else None)
        if progress:
            progress(len(files), len(files), "")
