"""Statements: the events (with their roles) and statistics an article reports, each with its evidence.

An event's roles are its ontology properties (built by :mod:`.fields`); every statement is sourced to
the article, marked curated unless it says otherwise, and may quote the sentence it comes from, with the
quote's character offsets in the article text so the shapes can check it.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from ..terms import XSD_INTEGER
from ..yamlsafe import LinedDict
from .fields import Fields
from .vocab import (
    CURATED,
    END,
    EVENT,
    EVIDENCE,
    EVIDENCE_CLASS,
    EXTRACTION_METHOD,
    IN_ARTICLE,
    QUOTE,
    SOURCE,
    START,
    STATISTIC,
    TYPE,
)


class Statements(Fields):
    """Builds the events and statistics."""

    def statement(self, item: LinedDict, line: int, base: URIRef, section: str) -> None:
        node = self.local[str(item["id"])]
        what = "event" if section == "events" else "statistic"
        if base is EVENT:
            if "type" not in item:
                raise self.fail(f"event '{item['id']}' has no 'type'", line)
            self.resource(node, item, EVENT, what)
        else:
            self.resource(node, item, STATISTIC, what, default_type="Statistic")
        self.triples[(node, SOURCE, self.doc)] = None
        if node not in self.with_method:
            self.triples[(node, EXTRACTION_METHOD, CURATED)] = None
        if "evidence" in item:
            self.evidence(node, item["evidence"], item.key_lines["evidence"])

    def evidence(self, node: ox.NamedNode, value: Any, line: int) -> None:
        start: int | None = None
        if isinstance(value, LinedDict):
            extra = set(value) - {"quote", "start", "end"}
            if extra:
                raise self.fail(f"evidence has unknown field '{sorted(extra)[0]}'; use quote and start", line)
            quote, start = value.get("quote"), value.get("start")
            if start is not None and (not isinstance(start, int) or isinstance(start, bool) or start < 0):
                raise self.fail(f"evidence start must be a character offset (a whole number ≥ 0), not {start!r}", line)
        else:
            quote = value
        if not isinstance(quote, str) or not quote.strip():
            raise self.fail("evidence must be the quoted sentence from the article (text)", line)
        ev = self.iri(f"{node.value}-evidence")
        triples, lines = self.triples, self.lines
        triples[(node, EVIDENCE, ev)] = None
        triples[(ev, TYPE, EVIDENCE_CLASS)] = None
        triples[(ev, QUOTE, ox.Literal(quote))] = None
        triples[(ev, IN_ARTICLE, self.doc)] = None
        for key in ((node, EVIDENCE), (ev, None), (ev, QUOTE), (ev, START), (ev, END)):
            lines[key] = line
        text = self.article_text or ""
        if start is None:
            found = text.find(quote)
            start = found if found >= 0 else None
        if start is not None:
            # Offsets are written even when they do not match, so the shape can say the quote differs.
            triples[(ev, START, ox.Literal(str(start), datatype=XSD_INTEGER))] = None
            triples[(ev, END, ox.Literal(str(start + len(quote)), datatype=XSD_INTEGER))] = None
