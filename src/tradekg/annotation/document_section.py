"""The 'document' section: the article itself (title, publisher, date, URL, language, its text).

The article's text, given inline or as a ``text_file`` beside the annotation, is kept as ``tk:fullText``
so that evidence quotes can be checked against it; a ``text_file`` outside the annotation's folder is
refused, so an annotation cannot copy arbitrary files into the store.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..terms import typed_literal
from ..yamlsafe import LinedDict
from .document import Term
from .files import read_text
from .state import BuildState
from .vocab import (
    DATE,
    FULL_TEXT,
    LABEL,
    LANGUAGE,
    NEWS_ARTICLE,
    PUBLISHER,
    PUBLISHER_NAME,
    TITLE,
    TYPE,
    URL,
    XSD_ANY_URI,
    XSD_DATE,
)


class DocumentSection(BuildState):
    """Builds the article's own triples from the 'document' section."""

    def article(self, meta: LinedDict) -> str | None:
        doc, triples = self.doc, self.triples
        triples[(doc, TYPE, NEWS_ARTICLE)] = None
        self.lines[(doc, None)] = meta.line
        known = {"id", "title", "publisher", "publisherName", "published", "url", "language", "text", "text_file"}
        for key, value in meta.items():
            line = meta.key_lines[key]
            if key not in known:
                raise self.fail(
                    f"unknown field '{key}' in 'document'{self.suggest(key, known)}; fields are "
                    + ", ".join(sorted(known)),
                    line,
                )
            if value is None or key in ("id", "text", "text_file"):
                continue
            pred: ox.NamedNode
            obj: Term
            if key == "title":
                pred, obj = TITLE, ox.Literal(str(value))
            elif key == "publisher":
                pred, obj = PUBLISHER, self.gazetteer_ref(str(value), line, "publisher")
            elif key == "publisherName":
                pred, obj = PUBLISHER_NAME, ox.Literal(str(value))
            elif key == "published":
                pred, obj = DATE, typed_literal(str(value), XSD_DATE)
            elif key == "url":
                pred, obj = URL, typed_literal(str(value), XSD_ANY_URI)
            else:
                pred, obj = LANGUAGE, ox.Literal(str(value))
            triples[(doc, pred, obj)] = None
            self.lines[(doc, pred)] = line
        if "title" in meta:
            triples[(doc, LABEL, ox.Literal(str(meta["title"])))] = None
        text = meta.get("text")
        if meta.get("text_file") is not None:
            if text is not None:
                raise self.fail("give either 'text' or 'text_file', not both", meta.key_lines["text_file"])
            base = (self.path.parent if self.path else Path.cwd()).resolve()
            text_path = (base / str(meta["text_file"])).resolve()
            if not text_path.is_relative_to(base):
                # An annotation must not copy arbitrary files (/etc/passwd, ../..) into the store and exports.
                raise self.fail(
                    f"text_file '{meta['text_file']}' is outside the annotation's folder {base}; "
                    "keep the article next to its annotation",
                    meta.key_lines["text_file"],
                )
            if not text_path.is_file():
                raise self.fail(
                    f"text_file '{meta['text_file']}' not found (looked at {text_path})", meta.key_lines["text_file"]
                )
            text = read_text(text_path)
        if text is not None:
            if not isinstance(text, str):
                raise self.fail("'text' must be the article text", meta.key_lines["text"])
            triples[(doc, FULL_TEXT, ox.Literal(text))] = None
            text_line = meta.key_lines.get("text") or meta.key_lines.get("text_file")
            if text_line:
                self.lines[(doc, FULL_TEXT)] = text_line
        return text
