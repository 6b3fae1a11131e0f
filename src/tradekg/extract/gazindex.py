"""An index over the gazetteer built once per gazetteer: aliases by first token, roles, metonyms.

The gazetteer (``tradekg.gazetteer.Gazetteer``) is the only list of actors, places and items; this
module only reorganizes it for fast longest-match lookup and for resolving role mentions
("Japan's chief negotiator") and metonyms ("Tokyo").
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef
from rdflib.namespace import SKOS

from ..namespaces import TK
from .model import Actor
from .tokens import normalize, tokenize

# Most specific class first: an entry typed Agency and Organization is an Agency.
_CLASS_KIND = [
    ("UnnamedSource", "group"), ("Group", "group"), ("Person", "person"), ("Country", "country"),
    ("GovernmentBody", "organization"), ("Agency", "organization"), ("Association", "organization"),
    ("PoliticalParty", "organization"), ("MediaOrganization", "organization"),
    ("Organization", "organization"), ("Place", "place"), ("NonTariffBarrier", "item"),
    ("TradeItem", "item"), ("Position", "position"), ("Artifact", "item"), ("Concept", "item"),
]
ACTOR_KINDS = frozenset({"person", "country", "organization", "group"})


def local_name(iri: Any) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    s = str(iri)
    return s.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry as the extractor sees it."""

    iri: str
    id: str
    kind: str  # person, country, organization, group, place, item, position, other
    cls: str  # the ontology class local name: Person, Country, Agency, ...
    label: str
    country: str | None = None  # a person's or organization's country; a place's metonym target


@dataclass(slots=True)
class Role:
    """A position a person holds for a country or organization, with its dates."""

    position: str
    holder_of: str | None
    start: dt.date | None
    end: dt.date | None


@dataclass
class GazIndex:
    """Aliases keyed by token tuples, grouped by first token; roles of persons; position labels."""

    entries: dict[str, Entry] = field(default_factory=dict)
    aliases: dict[str, dict[tuple[str, ...], list[tuple[Entry, str]]]] = field(default_factory=dict)
    roles: dict[str, list[Role]] = field(default_factory=dict)  # person iri -> roles
    position_words: dict[str, set[str]] = field(default_factory=dict)  # position iri -> label keys
    broader: dict[str, set[str]] = field(default_factory=dict)  # concept iri -> broader concept iris
    gazetteer: Any = None

    def lookup(self, keys: list[str], i: int, max_len: int = 10) -> list[tuple[int, list[tuple[Entry, str]]]]:
        """Alias matches starting at token ``i``, longest first: ``[(length, [(entry, alias)])]``."""
        bucket = self.aliases.get(keys[i]) if i < len(keys) else None
        if not bucket:
            return []
        found = []
        for n in range(min(max_len, len(keys) - i), 0, -1):
            hit = bucket.get(tuple(keys[i:i + n]))
            if hit:
                found.append((n, hit))
        return found

    def entry_for(self, iri: str | None) -> Entry | None:
        """The entry of an IRI, or None."""
        return self.entries.get(iri) if iri else None

    def resolve(self, label: str) -> Entry | None:
        """An entry by label or alias, exact tokens, case-insensitive."""
        keys = tuple(t.key for t in tokenize(normalize(label)))
        if not keys:
            return None
        hits = self.aliases.get(keys[0], {}).get(keys)
        return _prefer(hits)[0] if hits else None

    def holders(self, position_keys: tuple[str, ...], of: str | None, on: dt.date | None,
                exact_only: bool = False) -> list[str]:
        """Persons holding a position named by ``position_keys`` (full label, or its last word) for ``of``."""
        exact, by_head = [], []
        for person, roles in self.roles.items():
            for r in roles:
                if of and r.holder_of != of:
                    continue
                if on and ((r.start and r.start > on) or (r.end and r.end < on)):
                    continue
                words = self.position_words.get(r.position, set())
                if " ".join(position_keys) in words:
                    exact.append(person)
                elif any(_head_word(w) == position_keys[-1] for w in words):
                    by_head.append(person)
        return sorted(set(exact)) if exact_only else sorted(set(exact)) or sorted(set(by_head))


def _head_word(label: str) -> str:
    """The head noun of a position's label: "secretary of the treasury" -> secretary, "trade minister" ->
    minister."""
    words = label.split()
    return words[words.index("of") - 1] if "of" in words[1:] else words[-1]


def _prefer(hits: list[tuple[Entry, str]]) -> tuple[Entry, str]:
    # Actors before places before items, so "Tokyo" the place wins over nothing else, and a
    # country wins over an organization sharing its alias; ties broken by id for determinism.
    order = {"person": 0, "country": 1, "organization": 2, "group": 3, "place": 4, "item": 5, "position": 6}
    return min(hits, key=lambda h: (order.get(h[0].kind, 9), h[0].id))


_CACHE: weakref.WeakKeyDictionary[Any, GazIndex] = weakref.WeakKeyDictionary()


def index_for(gazetteer: Any) -> GazIndex:
    """The (cached) index of a gazetteer object."""
    try:
        return _CACHE[gazetteer]
    except (KeyError, TypeError):
        pass
    idx = _build(gazetteer)
    try:
        _CACHE[gazetteer] = idx
    except TypeError:
        pass
    return idx


def _kind(types: Any) -> tuple[str, str]:
    names = {local_name(t) for t in (types or ())}
    for cls, kind in _CLASS_KIND:
        if cls in names:
            return kind, cls
    return "other", next(iter(sorted(names)), "Thing")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _build(gaz: Any) -> GazIndex:
    idx = GazIndex(gazetteer=gaz)
    graph = getattr(gaz, "graph", None)
    for e in gaz.entries():
        kind, cls = _kind(getattr(e, "types", ()))
        iri = str(e.iri)
        country = getattr(e, "country", None)
        if graph is not None and kind == "place":
            target = graph.value(URIRef(iri), TK.metonymFor)
            country = target if target is not None else country
        entry = Entry(iri, str(e.id), kind, cls, str(e.pref_label), str(country) if country else None)
        idx.entries[iri] = entry
        labels = [str(e.pref_label), *map(str, getattr(e, "alt_labels", ()) or ())]
        for alias in labels:
            keys = tuple(t.key for t in tokenize(normalize(alias)))
            if keys:
                hits = idx.aliases.setdefault(keys[0], {}).setdefault(keys, [])
                if all(h[0].iri != iri for h in hits):
                    hits.append((entry, alias))
        if kind == "position":
            idx.position_words[iri] = {" ".join(t.key for t in tokenize(normalize(a))) for a in labels}
    if graph is not None:
        for narrow, _, broad in graph.triples((None, SKOS.broader, None)):
            idx.broader.setdefault(str(narrow), set()).add(str(broad))
        for person, _, role in graph.triples((None, TK.holdsRole, None)):
            pos = graph.value(role, TK.position)
            if pos is None:
                continue
            holder_of = graph.value(role, TK.roleFor)
            idx.roles.setdefault(str(person), []).append(Role(
                str(pos), str(holder_of) if holder_of else None,
                _date(graph.value(role, TK.roleStart)) if graph.value(role, TK.roleStart) else None,
                _date(graph.value(role, TK.roleEnd)) if graph.value(role, TK.roleEnd) else None,
            ))
            if str(pos) not in idx.position_words:
                labels = [*graph.objects(pos, SKOS.prefLabel), *graph.objects(pos, SKOS.altLabel)]
                idx.position_words[str(pos)] = {
                    " ".join(t.key for t in tokenize(normalize(str(a)))) for a in labels}
    return idx


def actor_from_entry(e: Entry) -> Actor:
    """The referent for a gazetteer entry."""
    return Actor(key=e.iri, label=e.label, kind=e.kind, cls=e.cls, iri=e.iri, id=e.id, country=e.country)
