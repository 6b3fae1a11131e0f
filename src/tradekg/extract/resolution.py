"""Resolution: what each mention refers to, in text order, with the history of the document.

Roles through the gazetteer's positions and the persons and countries the text names; pronouns to the most
recent compatible actor ("he" the sentence's subject, "they" the pair in focus, "it" the last country);
pairs ("the two leaders", "both sides") to the last two named; first person through the speaker; metonyms
(Tokyo) to their country. Detection is :mod:`tradekg.extract.mentions`; this is its second pass.
"""

from __future__ import annotations

import datetime as dt

from .gazindex import ACTOR_KINDS, GazIndex, actor_from_entry
from .mention_cues import MentionCues
from .model import Actor, Mention

_PAIR_PERSONS = frozenset({"leaders", "men", "women", "presidents", "ministers", "officials", "negotiators"})
_PAIR_SIDES = frozenset({"sides", "countries", "nations", "governments", "delegations", "economies", "parties"})


class Resolution:
    """The resolving half of :class:`~tradekg.extract.mentions.MentionFinder`."""

    idx: GazIndex
    c: MentionCues
    published: dt.date | None
    speaker: Actor | None
    mentioned_persons: set[str]
    mentioned_countries: set[str]

    def _use(self, actor: Actor) -> Actor:
        raise NotImplementedError

    def _new(self, label: str, kind: str, cls: str, country: str | None = None) -> Actor:
        raise NotImplementedError

    def note_persons(self, mentions: list[Mention]) -> None:
        """Record the gazetteer persons and countries named anywhere in the document (roles prefer them)."""
        for m in mentions:
            for a in (m.referent, m.qualifier):
                if a is not None and a.kind == "person" and not a.is_new:
                    self.mentioned_persons.add(a.key)
                elif a is not None and a.kind == "country":
                    self.mentioned_countries.add(a.key)

    def resolve(self, mentions: list[Mention], state: dict, keys: list[str] | None = None) -> None:
        """Give every mention its referent, in text order; ``state`` carries the history across sentences."""
        subject: Actor | None = None  # the first person named in this sentence outside a phrase
        state["sentence"] = state.get("sentence", 0) + 1
        for n, m in enumerate(mentions):
            if keys is not None and (m.kind == "pair" or m.role_keys[:1] and m.role_keys[0] in self.c.pro_plural):
                self._note_pairs(mentions[:n], keys, state)  # "the US and China said they ..."
            if m.kind == "pronoun":
                m.referent = self._pronoun(m.role_keys[0], state, subject)
                if m.role_keys[0] in self.c.pro_plural and state.get("pair_at", -9) >= state["sentence"] - 2:
                    m.group = list(state["pair"])
                    m.referent = m.group[0]
            elif m.kind == "pair":
                m.group = self._pair(m.role_keys[0], state)
                m.referent = m.group[0] if m.group else None
                if len(m.group) == 2:  # "The leaders ... They committed": the pair stays in focus
                    state["pair"], state["pair_at"] = list(m.group), state["sentence"]
            elif m.kind == "role":
                m.referent = self._resolve_role(m, state)
            elif m.kind == "collective" and m.referent is None:
                m.referent = state.get("group:" + m.role_keys[0]) or state.get("plural")
            elif m.kind == "source":
                label = m.label if m.qualifier or len(m.role_keys) > 1 else "sources"
                m.referent = self._new(label, "group", "UnnamedSource",
                                       m.qualifier.key if m.qualifier else None)
                state["source"] = m.referent
            elif m.kind == "source-anaphor":
                m.referent = state.get("source") or self._new("sources", "group", "UnnamedSource")
                state.setdefault("source", m.referent)
            elif m.kind == "group":
                m.referent = self._new(m.label, "group", "Group")
                state["group:" + m.role_keys[0]] = m.referent
            elif m.kind == "place" and m.referent is not None and m.referent.country:
                target = self.idx.entry_for(m.referent.country)
                if target is not None and m.prep not in {"at", "in", "to", "from", "on", "into"}:
                    m.referent = actor_from_entry(target)  # metonymy: Tokyo said ... → Japan
            if m.referent is None:
                continue
            if m.referent.kind in ACTOR_KINDS:
                m.referent = self._use(m.referent)
                if m.referent.kind == "person":
                    state["person"] = m.referent
                    if subject is None and m.prep is None and not m.possessive:
                        subject = m.referent
                elif m.plural or m.referent.kind == "group":
                    state["plural"] = m.referent
                elif not m.referent.is_new:  # an unconfirmed name is no antecedent for "they"
                    state["collective"] = m.referent
        if subject is not None:
            state["subject"] = subject
        if keys is not None:
            self._note_pairs(mentions, keys, state)

    def _note_pairs(self, mentions: list[Mention], keys: list[str], state: dict) -> None:
        """Remember "X and Y" (two persons, or two countries) for a later "the two sides" or "they"."""
        for a, b in zip(mentions, mentions[1:], strict=False):
            ra, rb = a.referent, b.referent
            if ra is None or rb is None or ra == rb or b.kind == "pronoun":
                continue
            gap = keys[a.tok_end:b.tok_start]
            if "and" not in gap or not all(k in ("and", ",", "the", "'s") for k in gap):
                continue
            kinds = {ra.kind, rb.kind}
            if kinds == {"person"} or kinds <= {"country", "organization"}:
                state["pair"] = [ra, rb]
                state["pair_at"] = state["sentence"]
        for m in mentions:
            r = m.referent
            if r is None:
                continue
            key = "recent_persons" if r.kind == "person" else "recent_sides" if r.kind == "country" else None
            if key:
                recent = [x for x in state.get(key, []) if x != r]
                state[key] = [r, *recent][:2]

    def _pair(self, noun: str, state: dict) -> list[Actor]:
        pair = state.get("pair") or []
        if noun in _PAIR_SIDES:
            if pair and all(p.kind == "person" for p in pair):
                sides = [self.idx.entry_for(p.country) for p in pair]
                if all(sides) and sides[0] != sides[1]:
                    return [self._use(actor_from_entry(e)) for e in sides if e is not None]
            if pair and all(p.kind != "person" for p in pair):
                return list(pair)
            return list(reversed(state.get("recent_sides", [])))
        if noun in _PAIR_PERSONS:
            if pair and all(p.kind == "person" for p in pair):
                return list(pair)
            return list(reversed(state.get("recent_persons", [])))
        return list(pair)

    def _pronoun(self, word: str, state: dict, subject: Actor | None) -> Actor | None:
        if word in self.c.pro_person:
            # "he"/"she" prefer the sentence's subject ("Ishiba told the president ..., and he urged"),
            # then the previous sentence's; "him"/"her" the most recent other person.
            if word in ("he", "she"):
                return subject or state.get("subject") or state.get("person")
            return state.get("person")
        if word in self.c.pro_plural:
            return state.get("plural") or state.get("collective")
        if word in self.c.pro_it:
            return state.get("collective")
        if word in self.c.pro_i:
            return self.speaker
        if self.speaker is None:
            return None
        if self.speaker.country:
            e = self.idx.entry_for(self.speaker.country)
            if e is not None:
                return self._use(actor_from_entry(e))
        return self.speaker

    def _resolve_role(self, m: Mention, state: dict) -> Actor | None:
        q = m.qualifier
        holders = self.idx.holders(m.role_keys, q.key if q else None, self.published)
        mentioned = [h for h in holders if h in self.mentioned_persons]
        pick = None
        exact = self.idx.holders(m.role_keys, None, self.published, exact_only=True) if q is None else []
        if len(holders) == 1 and (q is not None or mentioned):
            pick = holders[0]
        elif len(exact) == 1 and len(m.role_keys) > 2:
            pick = exact[0]  # a title that names its country: "Malaysia's trade minister"
        elif len(mentioned) == 1:
            pick = mentioned[0]
        elif len(mentioned) > 1:
            recent = state.get("person")
            pick = recent.key if recent is not None and recent.key in mentioned else None
        elif q is None and len(holders) > 1:
            # "the Prime Minister" in a text that names the UK and no other country with a prime minister
            here = [h for h in holders if (e := self.idx.entry_for(h)) is not None
                    and e.country in self.mentioned_countries]
            pick = here[0] if len(here) == 1 else None
        if pick is None and q is not None:
            # No gazetteer role: a single person of that country named in the text, else the country.
            same = sorted(p for p in self.mentioned_persons
                          if (e := self.idx.entry_for(p)) is not None and e.country == q.key)
            if len(same) == 1:
                pick = same[0]
            else:
                return q
        if pick is None:
            return None
        e = self.idx.entry_for(pick)
        return actor_from_entry(e) if e is not None else None
