"""Declarations: the local ids of a document, and its actors, concepts, negotiations and rounds.

Every local id is declared before anything is built, so a reference may point forwards. An actor or
concept is either an alias of a gazetteer entry (a string) or a resource of its own (a mapping); an actor
the article names gets a mention with the first sentence that names it as evidence. Negotiations and
rounds carry global ids (``tkid:``) shared by every article about them.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from ..namespaces import TKID
from ..terms import XSD_INTEGER
from ..yamlsafe import LinedDict, LinedList
from .fields import Fields
from .state import LOCAL_ID
from .vocab import (
    ACTOR,
    END,
    EVIDENCE_CLASS,
    IN_ARTICLE,
    MENTIONS,
    NAMES,
    NEGOTIATION,
    QUOTE,
    ROUND,
    ROUND_OF,
    SOURCE,
    START,
    TYPE,
)

_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


class Declarations(Fields):
    """Declares local ids and builds the actors, concepts, negotiations and rounds."""

    def declare(self, data: LinedDict, section: str) -> None:
        raw = data.get(section)
        if section == "actors" or section == "concepts":
            if raw is None:
                return
            if not isinstance(raw, LinedDict):
                raise self.fail(f"'{section}' must be a mapping of local ids", data.key_lines[section])
            for key in raw:
                if not LOCAL_ID.match(str(key)):
                    raise self.fail(f"local id {key!r} must be letters, digits, '.', '_' or '-'", raw.key_lines[key])
                value = raw[key]
                if isinstance(value, str):  # an alias of a gazetteer entry
                    iri = self.gazetteer_ref(value, raw.key_lines[key], section)
                else:
                    iri = self.iri(f"{self.doc_prefix}{key}")
                self.local.setdefault(str(key), iri)
            return
        for item, _line in self.items(data, section):
            local_id = self.ident(item, section[:-1] if section.endswith("s") else section)
            if local_id in self.local:
                raise self.fail(f"id '{local_id}' is used twice in this document", item.key_lines.get("id"))
            self.local[local_id] = self.iri(f"{self.doc_prefix}{local_id}")

    def negotiations(self, seq: Any, data: LinedDict) -> None:
        """Negotiations and their rounds carry global ids (tkid:), shared by every article about them."""
        if seq is None:
            return
        if not isinstance(seq, LinedList):
            raise self.fail("'negotiations' must be a list", data.key_lines["negotiations"])
        parsed: list[tuple[LinedDict, list[LinedDict]]] = []
        for item, line in zip(seq, seq.item_lines, strict=True):
            if not isinstance(item, LinedDict):
                raise self.fail("each negotiation must be a mapping with an 'id'", line)
            self.local.setdefault(self.ident(item, "negotiation"), self.iri(f"{TKID}{item['id']}"))
            rounds = item.get("rounds", LinedList())
            if not isinstance(rounds, LinedList):
                raise self.fail("'rounds' must be a list", item.key_lines["rounds"])
            for rnd, rline in zip(rounds, getattr(rounds, "item_lines", []), strict=True):
                if not isinstance(rnd, LinedDict):
                    raise self.fail("each round must be a mapping with an 'id'", rline)
                self.local.setdefault(self.ident(rnd, "round"), self.iri(f"{TKID}{rnd['id']}"))
            parsed.append((item, list(rounds)))
        # Declared first, built second: a round may name its negotiation's parties and vice versa.
        for item, rounds in parsed:
            neg = self.iri(f"{TKID}{item['id']}")
            self.resource(neg, item, NEGOTIATION, "negotiation", default_type="Negotiation")
            for rnd in rounds:
                rnd_iri = self.iri(f"{TKID}{rnd['id']}")
                self.resource(rnd_iri, rnd, ROUND, "round", default_type="NegotiationRound")
                self.triples[(rnd_iri, ROUND_OF, neg)] = None
                self.lines[(rnd_iri, ROUND_OF)] = rnd.line

    def actors(self, section: Any) -> None:
        if not section:
            return
        for key, value in section.items():
            # Every actor the annotation names is one the article mentions, even one no event involves.
            actor = self.local[str(key)]
            self.triples[(self.doc, MENTIONS, actor)] = None
            self.lines.setdefault((self.doc, MENTIONS), section.key_lines[key])
            if isinstance(value, str):
                self.mention_evidence(str(key), actor, section.key_lines[key])
            if isinstance(value, LinedDict):
                self.resource(actor, value, ACTOR, "actor", default_type="Actor")
                self.triples[(actor, SOURCE, self.doc)] = None
            elif not isinstance(value, str):
                raise self.fail(
                    f"actor '{key}' must be a gazetteer id or a mapping with 'type' and 'label'",
                    section.key_lines[key],
                )

    def mention_evidence(self, key: str, actor: ox.NamedNode, line: int) -> None:
        """Quote the first sentence of the article that names a gazetteer actor, so a mention has a source."""
        entry = self.gaz.entry(actor.value)
        text = self.article_text
        if entry is None or not text:
            return
        folded = text.casefold()
        hits = [folded.find(label.casefold()) for label in entry.labels if len(label) > 2]
        hits = [h for h in hits if h >= 0]
        if not hits:
            return
        at = min(hits)
        # A sentence ends at . ! ? followed by white space, or at a line break ("7.7 percent" does not end one).
        start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
        following = _SENTENCE_END.search(text, at)
        end = following.start() + 1 if following else len(text)
        while start < at and text[start].isspace():
            start += 1
        quote = text[start:end].rstrip("\n")
        ev = self.iri(f"{self.doc_prefix}mention-{key}-evidence")
        triples = self.triples
        triples[(ev, TYPE, EVIDENCE_CLASS)] = None
        triples[(ev, NAMES, actor)] = None
        triples[(ev, QUOTE, ox.Literal(quote))] = None
        triples[(ev, IN_ARTICLE, self.doc)] = None
        triples[(ev, START, ox.Literal(str(start), datatype=XSD_INTEGER))] = None
        triples[(ev, END, ox.Literal(str(start + len(quote)), datatype=XSD_INTEGER))] = None
        self.lines[(ev, None)] = line

    def concepts(self, section: Any) -> None:
        if not section:
            return
        for key, value in section.items():
            if isinstance(value, LinedDict):
                self.resource(self.local[str(key)], value, None, "concept", default_type="Concept")
            elif not isinstance(value, str):
                raise self.fail(
                    f"concept '{key}' must be a gazetteer id or a mapping with 'type' and 'label'",
                    section.key_lines[key],
                )
