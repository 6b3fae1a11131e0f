"""Clause structure read from the dependency parse: subjects and objects (with voice, control and shared
subjects of coordinated verbs), prepositional arguments, and the clause's modality (negated,
hypothetical, a mere possibility, or a future plan).

Everything here works on spaCy tokens; nothing knows about event kinds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Tok = Any  # a spacy.tokens.Token; spaCy is imported only on the extraction path

_SUBJ = ("nsubj", "nsubjpass", "csubj", "csubjpass")
_CLAUSE_DEPS = ("ccomp", "advcl", "relcl", "acl", "xcomp", "conj", "parataxis", "pcomp")
_RELATIVE = ("who", "which", "that", "whom")


def is_passive(v: Tok) -> bool:
    """True for a passive verb ("was asked", "are slashed", "removed today" as a reduced relative)."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children):
        return True
    return v.tag_ == "VBN" and v.dep_ in ("acl", "amod") and not any(c.dep_ == "aux" for c in v.children)


def subject(v: Tok, depth: int = 0) -> Tok | None:
    """The subject of a verb: its own, else the controller's ("agreed to have" → the subject of agreed),
    the first conjunct's ("held talks and agreed"), a relative clause's antecedent, or a participle's."""
    if depth > 6:
        return None
    for c in v.children:
        if c.dep_ in _SUBJ:
            if c.lower_ in _RELATIVE and v.dep_ == "relcl":
                return v.head
            return c
    if v.dep_ == "xcomp" or (v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX")):
        obj = next((c for c in v.head.children if c.dep_ in ("dobj",)), None)
        if v.dep_ == "xcomp" and obj is not None and v.head.lemma_ in ("urge", "ask", "press", "push", "want",
                                                                       "invite", "encourage", "help"):
            return obj  # "urged Japan to open": Japan opens (object control)
        return subject(v.head, depth + 1)
    if v.dep_ in ("advcl", "pcomp") and v.tag_ == "VBG":
        head = v.head.head if v.dep_ == "pcomp" else v.head
        return subject(head, depth + 1) if head.pos_ in ("VERB", "AUX") else None
    if v.dep_ == "relcl":
        return v.head
    if v.dep_ == "acl" and any(c.lower_ == "to" for c in v.children):
        owner = next((c for c in v.head.children if c.dep_ in ("poss", "compound", "amod")
                      and c.pos_ in ("PROPN", "PRON")), None)
        if owner is not None:
            return owner  # "the US decision to impose": the US imposes
        gov = governing_verb(v.head)  # "take this opportunity to thank": whoever takes it thanks
        return subject(gov, depth + 1) if gov is not None else None
    if v.dep_ in ("advcl", "xcomp") and any(c.lower_ == "to" for c in v.children) and v.head.pos_ in ("VERB", "AUX"):
        return subject(v.head, depth + 1)  # "visited Washington to seek an exemption"
    return None


def passive_agent(v: Tok) -> Tok | None:
    """The "by" phrase of a passive verb."""
    for c in v.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def direct_object(v: Tok) -> Tok | None:
    """The object: dobj, else (passive) the surface subject, else an attribute ("is a deal")."""
    if is_passive(v):
        subj = next((c for c in v.children if c.dep_ in ("nsubjpass", "nsubj")), None)
        if subj is not None:
            return v.head if subj.lower_ in _RELATIVE and v.dep_ == "relcl" else subj
        if v.dep_ in ("acl", "amod"):
            return v.head  # "tariffs removed today"
        if v.dep_ == "conj":
            return direct_object(v.head)
        return None
    for c in v.children:
        if c.dep_ in ("dobj", "attr", "oprd"):
            return c
    if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN"):
        # "the measures that the U.S. government has introduced": the antecedent is the object
        rel = next((c for c in v.children if c.lower_ in _RELATIVE), None)
        if rel is not None and rel.dep_ not in _SUBJ:
            return v.head
    return None


def dative(v: Tok) -> Tok | None:
    """The indirect object ("gave Trump a hat")."""
    return next((c for c in v.children if c.dep_ in ("dative", "iobj")), None)


def clause_tokens(v: Tok) -> Iterator[Tok]:
    """The tokens of ``v``'s own clause: its subtree without the subtrees of embedded clauses."""
    stack = [v]
    while stack:
        t = stack.pop()
        yield t
        for c in t.children:
            if c.dep_ in _CLAUSE_DEPS and c.pos_ in ("VERB", "AUX") and c.i != v.i:
                continue
            stack.append(c)


def prep_objects(v: Tok, preps: tuple[str, ...]) -> list[Tok]:
    """Objects of the prepositions ``preps`` in ``v``'s clause, nearest to ``v`` first ("met with X",
    also when the parser attached "with X" to a noun of the clause)."""
    found: list[tuple[int, int, Tok]] = []
    for t in clause_tokens(v):
        if t.dep_ in ("prep", "agent", "dative") and t.lower_ in preps:
            objs = [c for c in t.children if c.dep_ in ("pobj", "pcomp")]
            found.extend((abs(t.i - v.i), o.i, o) for o in objs)
    return [o for _, _, o in sorted(found)]


def ccomp_subject(v: Tok) -> Tok | None:
    """The subject of a that-clause ("request that Washington reconsider" → Washington)."""
    for c in v.children:
        if c.dep_ == "ccomp":
            return next((s for s in c.children if s.dep_ in _SUBJ), None)
    return None


@dataclass(frozen=True)
class Modality:
    """How a clause's event stands: did not happen (negated), only supposed, only possible, or planned."""

    negated: bool = False
    hypothetical: bool = False
    possible: bool = False
    future: bool = False


def _aux(v: Tok) -> list[Tok]:
    out = [c for c in v.children if c.dep_ in ("aux", "auxpass", "neg")]
    if v.dep_ == "conj" and not any(c.dep_ == "aux" for c in v.children):
        out += [c for c in v.head.children if c.dep_ in ("aux",)]  # "will purchase ... and make"
    return out


def modality(v: Tok, cues: dict) -> Modality:
    """The modality of the clause headed by ``v`` (a verb, or the verb a noun trigger hangs from)."""
    marks = {str(w).lower() for w in cues.get("hypotheticalMarks", [])}
    maybe = {str(w).lower() for w in cues.get("possibilityModals", [])}
    will = {str(w).lower() for w in cues.get("futureModals", [])}
    controls = {str(w).lower() for w in cues.get("futureControls", [])}
    aux = _aux(v)
    negated = any(a.dep_ == "neg" or a.lower_ in ("never",) for a in aux) or any(
        c.dep_ == "neg" for c in v.children)
    possible = any(a.lower_ in maybe for a in aux)
    future = any(a.lower_ in will for a in aux) and v.lemma_.lower() not in ("like", "love", "wish")
    if v.dep_ in ("xcomp", "acl") and v.head.lemma_.lower() in controls:
        future = True
    head = v
    while not future and head.dep_ in ("xcomp", "conj") and head.head.i != head.i:
        head = head.head  # "will continue to make requests": the plan covers what it governs
        wanted = head.lemma_.lower() in ("like", "love", "wish")  # "would like to make a statement"
        future = (any(a.lower_ in will for a in _aux(head)) and not wanted) or (
            head.dep_ in ("xcomp", "acl") and head.head.lemma_.lower() in controls)
    hypothetical = False
    t = v
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in marks for c in t.children):
            hypothetical = True
            break
        if _rather_than(t):
            hypothetical = True
            break
        if t.dep_ in ("ROOT",) or t.head.i == t.i:
            break
        if t.dep_ in ("ccomp", "xcomp", "conj") and t.head.pos_ in ("VERB", "AUX"):
            t = t.head  # a supposition over the main clause covers what it governs
            continue
        if t.dep_ == "advcl":
            break
        t = t.head
    return Modality(negated, hypothetical, possible, future)


def _rather_than(t: Tok) -> bool:
    doc = t.doc
    i = t.i
    return i >= 2 and doc[i - 1].lower_ == "than" and doc[i - 2].lower_ in ("rather", "other") or (
        i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ == "instead")


def governing_verb(n: Tok) -> Tok | None:
    """The verb a noun hangs from: as its object, through a preposition, or through a noun chain."""
    t = n
    for _ in range(4):
        h = t.head
        if h.i == t.i:
            return None
        if h.pos_ in ("VERB", "AUX"):
            return h
        t = h
    return None
