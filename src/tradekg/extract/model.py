"""The extractor's result objects: actors, mentions, events, statistics and the Extraction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def slug(label: str) -> str:
    """A lower-case id from a label: ``"Multiple Japanese sources"`` → ``"multiple-japanese-sources"``."""
    s = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return s[:60].strip("-") or "actor"


@dataclass(frozen=True)
class Actor:
    """A referent: a gazetteer entry (``iri`` set) or a new actor found in the text (``is_new``)."""

    key: str  # the IRI, or "new:<slug>"
    label: str
    kind: str  # person, country, organization, group, place, item
    cls: str  # ontology class local name
    iri: str | None = None
    id: str | None = None
    country: str | None = None  # IRI of the country it acts for
    is_new: bool = False


@dataclass
class Mention:
    """A stretch of text that refers to an actor, place or item, with token and character offsets."""

    tok_start: int
    tok_end: int
    start: int
    end: int
    kind: str  # name, role, collective, source, pronoun, place, item, new
    referent: Actor | None = None
    role_keys: tuple[str, ...] = ()
    qualifier: Actor | None = None
    plural: bool = False
    possessive: bool = False
    prep: str | None = None  # the preposition right before it, if any
    label: str = ""  # for new actors: the words as written
    group: list[Actor] = field(default_factory=list)  # "they", "the two sides": every actor meant
    confirmed: bool = False  # a new name the entity recognizer has confirmed as an actor


@dataclass(frozen=True)
class Evidence:
    """A quote of the input text: ``text[start:end] == quote``."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict:
        """The contract's ``{"text", "start", "end"}``."""
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Event:
    """One extracted event mention."""

    id: str
    type: str
    agents: list[Actor]
    addressees: list[Actor]
    topics: list[Actor]
    evidence: Evidence
    trigger: str
    confidence: float
    date: str | None = None
    time_note: str | None = None
    attributed_to: list[Actor] = field(default_factory=list)
    hedge: str | None = None
    location: Actor | None = None
    content: str | None = None  # what was claimed or complained about, for Claim and Complaint
    object_label: str | None = None  # the thing given, for Gift
    passive: bool = False  # the trigger's clause is passive ("tariffs were slashed")


@dataclass
class Statistic:
    """A figure with its unit, period, comparison and source."""

    id: str
    value: float
    unit: str
    measure: str
    evidence: Evidence
    period: str | None = None
    comparison: str | None = None
    source: Actor | None = None
