"""The document's parties, and the roles they fill that a single clause leaves open.

Most trade texts are about two sides (the US and Japan, the UK and India). A request, complaint, threat or
pledge by one side with no addressee in its clause is addressed to the other side; a tariff cut written in
the passive ("tariffs are slashed under the deal") is the other side's action on the home side, where the
home side is the speaker's country in a first-person text, else the country the text mentions most.

Also here: which capitalized names the parse accepts as new actors. A run of capitals that the gazetteer
does not know becomes an actor only when the parser's entity recognizer calls it a person, organization or
place, and never when it is the name of a document or an agreement ("the Japan-U.S. Trade Agreement").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .gazindex import GazIndex, actor_from_entry
from .lexicon import Lexicons
from .model import Actor, Event, Mention
from .parse import entities

_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_TO_OTHER_SIDE = ("Request", "Complaint", "Threat")


def filter_new_names(mentions: list[Mention], lex: Lexicons) -> None:
    """Drop new-name mentions that name a document or an agreement, not an actor (in place)."""
    doc_words = {str(w).lower() for w in lex.cues.get("documentWords", [])}
    for m in mentions:
        if m.kind != "new" or m.referent is None:
            continue
        words = m.referent.label.lower().replace("-", " ").split()
        if words and (words[-1] in doc_words or words[-1].rstrip("s") in doc_words):
            m.referent = None


def entity_check(pieces: list) -> Callable[[Mention], bool]:
    """A check, run only when a new name is about to fill a role, that the parser's entity recognizer calls
    it a person, organization or place (the recognizer costs 40% of a parse, so it runs on demand)."""
    def check(m: Mention) -> bool:
        labels = set()
        for base, span in pieces:
            for start, end, label in entities(span):
                if base + start < m.end and m.start < base + end:
                    labels.add(label)
        return bool(labels & _ENTITY_LABELS)
    return check


def _side(a: Actor) -> str | None:
    return a.key if a.kind in ("country", "organization") and not a.country else (a.country or a.key)


@dataclass
class Parties:
    """The two main sides of a document, if it has two, and its home side."""

    pair: list[Actor]
    home: Actor | None

    @classmethod
    def of(cls, per_sentence: list, speaker: Actor | None, idx: GazIndex) -> Parties:
        """Count the countries (and country-like organizations) the text names, in every sentence."""
        counts: dict[str, tuple[int, Actor]] = {}
        for _, _, ms in per_sentence:
            for m in ms:
                a = m.referent
                if a is not None and (a.kind == "country" or (a.kind == "organization" and not a.country
                                                                and not a.is_new)):
                    counts[a.key] = (counts.get(a.key, (0, a))[0] + 1, a)
        top = sorted(counts.values(), key=lambda c: (-c[0], c[1].key))[:3]
        pair: list[Actor] = []
        if len(top) >= 2 and not (len(top) == 3 and top[2][0] * 2 > top[1][0]):
            pair = [top[0][1], top[1][1]]
        home = None
        if speaker is not None and speaker.country:
            e = idx.entry_for(speaker.country)
            home = actor_from_entry(e) if e is not None else None
        if home is None and pair:
            home = pair[0]
        return cls(pair, home)

    def other(self, side: str | None) -> Actor | None:
        """The other side of a two-sided text."""
        if len(self.pair) != 2 or side not in {p.key for p in self.pair}:
            return None
        return next(p for p in self.pair if p.key != side)

    def complete(self, events: list[Event]) -> None:
        """Fill the roles a two-sided text implies (in place), at lower confidence."""
        if len(self.pair) != 2:
            return
        for e in events:
            if e.type == "TariffAction":
                self._tariff(e)
            elif e.type in _TO_OTHER_SIDE or (e.type == "Commitment" and e.agents
                                              and all(a.kind in ("country", "organization") for a in e.agents)):
                if e.addressees or not e.agents:
                    continue
                sides = {_side(a) for a in e.agents}
                if len(sides) == 1:
                    other = self.other(next(iter(sides)))
                    if other is not None:
                        e.addressees = [other]
                        e.confidence = round(e.confidence * 0.8, 2)

    def _tariff(self, e: Event) -> None:
        if not e.agents and self.home is not None:
            other = self.other(self.home.key)
            if other is None:
                return
            e.agents = [other]
            if not e.addressees:
                e.addressees = [self.home]
            e.confidence = round(e.confidence * 0.7, 2)
        elif e.passive and e.agents and not e.addressees:
            sides = {_side(a) for a in e.agents}
            other = self.other(next(iter(sides))) if len(sides) == 1 else None
            if other is not None:
                e.addressees = [other]
                e.confidence = round(e.confidence * 0.8, 2)
