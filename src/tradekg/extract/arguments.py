"""Arguments: who did it and to whom, read from the parse and the resolved mentions.

The agent is the trigger clause's subject (with its conjuncts: "the President and I"; through control
and shared subjects: "agreed to have", "held talks and agreed"), or the "by" phrase of a passive. Where the
frame says so, a noun's possessor or its country adjective is the agent ("Trump's announcement", "Indian
tariffs"). Addressees sit in the slots the frame lists: the object, the indirect object, the subject of a
that-clause ("request that Washington reconsider"), or a preposition's object ("met with", "tariffs on
Japanese goods", "imports from Japan"). Every slot is filled with actors from the mention finder, never
with raw words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .clauses import (
    Tok,
    ccomp_subject,
    dative,
    direct_object,
    is_passive,
    passive_agent,
    prep_objects,
    subject,
)
from .model import Actor, Mention
from .triggers import Trigger

_ACTOR_KINDS = ("person", "country", "organization", "group")
_NP_DEPS = ("compound", "amod", "nmod", "poss", "appos", "det")
# "on Japanese goods", "on imports from Japan", "on UK exports": the country behind the goods
_GOODS_LINKS = ("from", "of")


@dataclass
class SentenceMentions:
    """The resolved mentions of one sentence, looked up by the character offset of a spaCy token."""

    base: int  # offset of the parsed text in the article
    mentions: list[Mention]
    check_new: Callable[[Mention], bool] | None = None  # confirms a new name is an actor, on demand
    _by_char: dict[int, Mention] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in self.mentions:
            for c in range(m.start, m.end):
                self._by_char.setdefault(c, m)

    def at(self, t: Tok) -> Mention | None:
        """The mention covering token ``t``, if any."""
        return self._by_char.get(self.base + t.idx) or self._by_char.get(self.base + t.idx + len(t.text) - 1)

    def actors_of_token(self, t: Tok) -> list[Actor]:
        """The actors a single token's mention stands for (a group mention stands for several)."""
        m = self.at(t)
        if m is None or m.referent is None:
            return []
        if m.kind == "new" and self.check_new is not None and not m.confirmed:
            if not self.check_new(m):
                m.referent = None
                return []
            m.confirmed = True
        refs = m.group or [m.referent]
        return [a for a in refs if a.kind in _ACTOR_KINDS]

    def actors(self, head: Tok | None, *, goods: bool = False, strict: bool = False) -> list[Actor]:
        """Actors of the noun phrase headed by ``head``, with its conjuncts and appositions; ``strict``
        takes the head's own mention only, not a possessor's ("welcomed South Korea's engagement")."""
        if head is None:
            return []
        out: list[Actor] = []
        for t in _conjuncts(head):
            found = self.actors_of_token(t)
            if not found and not strict:
                for c in t.children:
                    if c.dep_ in _NP_DEPS or (goods and c.dep_ == "prep" and c.lower_ in _GOODS_LINKS):
                        inner = [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" else [c]
                        for g in inner:
                            found += self.actors_of_token(g)
                        if found and c.dep_ != "appos":
                            break
            if goods and not found and t.lemma_.lower() in ("import", "export"):
                continue
            named = [a for c in t.children if c.dep_ == "appos" for a in self.actors(c)]
            if any(a.kind == "person" for a in named) and all(a.kind != "person" for a in self.actors_of_token(t)):
                found = []  # "South Korea's trade minister Ahn Duk-geun": the person, not the possessor
            for a in named:
                if a not in found:
                    found.append(a)
            for a in found:
                if a not in out:
                    out.append(a)
        for a in self._coordinated(head):
            if a not in out:
                out.append(a)
        return out

    def _coordinated(self, head: Tok) -> list[Actor]:
        """Actor mentions joined to the head's by "and" or commas inside its phrase, which the parser may
        have attached oddly ("Secretary Scott K.H. Bessent and U.S. Trade Representative Jamieson Greer")."""
        own = self.at(head)
        if own is None or own.referent is None:
            return []
        inside = sorted({id(m): m for x in head.subtree if (m := self.at(x)) is not None
                         and m.referent is not None and m.referent.kind in _ACTOR_KINDS}.values(),
                        key=lambda m: m.start)
        k = next((n for n, m in enumerate(inside) if m is own), None)
        if k is None:
            return []
        text = head.doc.text
        base = self.base
        group = [own]
        for m in reversed(inside[:k]):  # earlier conjuncts
            gap = text[m.end - base:group[0].start - base].strip(" ,").lower()
            if gap not in ("and", "", "as well as"):
                break
            group.insert(0, m)
        out: list[Actor] = []
        for m in group:
            out += [a for a in (m.group or ([m.referent] if m.referent is not None else [])) if a.kind in _ACTOR_KINDS]
        return out


def _conjuncts(t: Tok) -> list[Tok]:
    return [t, *[c for c in t.conjuncts if c.i > t.i]]


@dataclass
class Roles:
    """The actors of one event."""

    agents: list[Actor]
    addressees: list[Actor]
    passive: bool = False


def fill_roles(tr: Trigger, sm: SentenceMentions) -> Roles:
    """Agents and addressees of a trigger, from the frame's slots."""
    t, fr = tr.token, tr.frame
    verb = tr.verb
    # "Bessent was encouraged by ...": an attitude read as an adjective keeps its subject as the agent
    as_adjective = t.pos_ in ("VERB", "AUX") and t.lower_ in fr.adjectives
    passive = verb is not None and is_passive(verb) and not as_adjective
    agents: list[Actor] = []
    for slot in fr.agent:
        if slot == "subject" and verb is not None:
            head = passive_agent(verb) if passive else subject(verb)
            if head is None and as_adjective:
                head = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if passive and tr.type == "Commitment" and head is None:
                head = None  # "will be addressed": the party is not named here
            agents = sm.actors(head)
        elif slot == "poss":
            agents = sm.actors(next((c for c in t.children if c.dep_ == "poss"), None))
        elif slot == "amod":
            mods = [c for c in t.children if c.dep_ in ("amod", "compound", "nmod")]
            for c in mods:
                agents += [a for a in sm.actors_of_token(c) if a not in agents]
            if not agents and t.dep_ in ("compound",) and t.head.pos_ == "NOUN":
                for c in t.head.children:
                    if c.dep_ in ("amod", "compound") and c.i != t.i:
                        agents += [a for a in sm.actors_of_token(c) if a not in agents]
        elif slot == "by":
            agents = sm.actors(next(iter(prep_objects(t, ("by",))), None))
        if agents:
            break
    addressees: list[Actor] = []
    anchor = t if t.pos_ in ("NOUN", "PROPN") else (verb or t)
    for slot in fr.addressee:
        found: list[Actor] = []
        if slot == "object" and t.pos_ in ("VERB", "AUX") and not passive:
            found = sm.actors(direct_object(t), strict=fr.speech)
        elif slot == "object" and passive and tr.type not in ("TariffAction", "Commitment"):
            found = sm.actors(direct_object(t))
        elif slot == "dative" and t.pos_ in ("VERB", "AUX"):
            found = sm.actors(dative(t))
        elif slot == "ccomp" and t.pos_ in ("VERB", "AUX"):
            found = sm.actors(ccomp_subject(t))
        elif slot == "poss":
            found = sm.actors(next((c for c in t.children if c.dep_ == "poss"), None))
        elif slot not in ("subject", "amod", "by", "compound", "xcomp-object"):
            for o in prep_objects(anchor, (slot,)):
                found = sm.actors(o, goods=slot in ("on", "against", "for"))
                if found:
                    break
            if not found and anchor.i != t.i:
                for o in prep_objects(t, (slot,)):
                    found = sm.actors(o, goods=slot in ("on", "against", "for"))
                    if found:
                        break
        found = [a for a in found if a not in agents or tr.type in ("Meeting", "Call", "Agreement")]
        if found:
            addressees = found
            break
    if not addressees and tr.type in ("Threat", "Request", "Commitment") and t.pos_ in ("VERB", "AUX"):
        # "threatened to impose tariffs on China": the target sits in what is threatened
        for c in t.children:
            if c.dep_ == "xcomp":
                for o in prep_objects(c, ("on", "against")):
                    addressees = [a for a in sm.actors(o, goods=True) if a not in agents]
                    if addressees:
                        break
            if addressees:
                break
    return Roles(agents, addressees, passive)
