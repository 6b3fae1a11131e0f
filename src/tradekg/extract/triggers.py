"""Triggers: which tokens of a parsed sentence say that an event happened, and of which kind.

A token triggers a frame when its lemma is one of the frame's verbs, nouns or adjectives and the frame's
conditions hold in the parse: the particles it needs ("call on"), what its object or subject must be
("hold" + talks; "cut" + tariffs; tariffs + "go from A% to B%"), the words its clause must hold, and for
nouns, what makes the noun an event rather than a back-reference (a light verb, "make a request"; a
governing word; or arguments of its own, "talks with X"). Then the clause's modality decides: negated,
hypothetical and merely possible events are dropped; "will" and "intend to" turn an event into a stated
plan (a Commitment) where the frame says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from .clauses import Modality, Tok, direct_object, governing_verb, modality, subject
from .lexicon import Frame, Lexicons

_NOUN_POS = ("NOUN", "PROPN")
_VERB_POS = ("VERB", "AUX")
_BACKREF_DETS = ("the", "this", "that", "these", "those", "such")
#: Kinds whose controlled clause is their content, not an event: "asked Japan to open its market".
_CONTENT_HEADS = ("Request", "Threat", "Invitation")
_NEW_INFO_MODS = ("further", "final", "fresh", "bilateral", "ministerial", "direct", "formal", "first",
                  "second", "third", "several", "constructive", "candid", "more", "two")
_GENERIC_DETS = ("any", "every", "no", "all", "each", "such")
_DEMONSTRATIVES = ("these", "those", "this", "that")
_DATE_WORDS = frozenset("january february march april may june july august september october november december "
                        "monday tuesday wednesday thursday friday saturday sunday yesterday today".split())


@dataclass
class Trigger:
    """A frame matched at a token, with the clause verb that carries its modality."""

    frame: Frame
    token: Tok
    verb: Tok | None  # the verb of the clause (the token itself for verb triggers)
    modality: Modality
    type: str
    reporter: Tok | None = None  # the speech verb that reported it ("announced that a tariff would apply")


def _np_lemmas(t: Tok) -> set[str]:
    """Lemmas of a noun phrase's head and its compound, adjectival and of-modifiers, and conjuncts."""
    out = {t.lemma_.lower(), t.lower_}
    for c in t.children:
        if c.dep_ in ("compound", "amod", "nmod", "conj", "appos"):
            out |= {c.lemma_.lower(), c.lower_}
        if c.dep_ == "prep" and c.lower_ in ("of", "on"):
            for g in c.children:
                if g.dep_ == "pobj":
                    out |= {g.lemma_.lower(), g.lower_} | {x.lemma_.lower() for x in g.children
                                                            if x.dep_ in ("compound", "amod", "conj")}
    return out


def _words_after(t: Tok, n: int = 5) -> set[str]:
    out: set[str] = set()
    for x in t.doc[t.i + 1:t.i + 1 + n]:
        if x.is_punct or x.pos_ == "ADP":
            break
        out |= {x.lemma_.lower(), x.lower_}
    return out


def _words_before(t: Tok, n: int = 8) -> set[str]:
    out: set[str] = set()
    for x in reversed(t.doc[max(0, t.i - n):t.i]):
        if x.is_punct and x.text not in ("%", "-"):
            break
        if x.pos_ in _VERB_POS and x.dep_ not in ("amod", "aux", "auxpass"):
            break
        out |= {x.lemma_.lower(), x.lower_}
    return out


def _has_particles(t: Tok, particles: tuple[str, ...]) -> bool:
    if not particles:
        return True
    near = {c.lower_ for c in t.children if c.dep_ in ("prt", "prep", "advmod", "dobj", "acomp", "npadvmod")}
    near |= {t.doc[j].lower_ for j in range(t.i + 1, min(len(t.doc), t.i + 3))}
    return all(p in near for p in particles)


def _has_compounds(t: Tok, words: tuple[str, ...]) -> bool:
    if not words:
        return True
    mods = {c.lemma_.lower() for c in t.children if c.dep_ in ("compound", "amod", "nmod", "npadvmod")}
    mods |= {t.doc[j].lemma_.lower() for j in range(max(0, t.i - len(words) - 1), t.i)}
    return all(w in mods for w in words)


def _clause_has(lex: Lexicons, t: Tok, words: frozenset[str]) -> bool:
    head = t if t.pos_ in _VERB_POS else (governing_verb(t) or t)
    span = [x for x in head.subtree] + [t.doc[j] for j in range(max(0, t.i - 3), min(len(t.doc), t.i + 4))]
    return any(lex.matches(x.lemma_.lower(), words) or lex.matches(x.lower_, words) for x in span)


def _object_ok(lex: Lexicons, fr: Frame, t: Tok) -> bool:
    obj = direct_object(t) if t.pos_ in _VERB_POS else None
    if t.pos_ in _NOUN_POS:
        lemmas = _np_lemmas(t) - {t.lemma_.lower(), t.lower_}
    else:  # every object, and the words right after: parsers lose objects ("impose 25% counter-tariffs")
        lemmas = set().union(*(_np_lemmas(c) for c in t.children if c.dep_ == "dobj")) | _words_after(t, 4)
        if obj is not None:
            lemmas |= _np_lemmas(obj)
    if t.pos_ in _VERB_POS and fr.objects and t.tag_ == "VBN":
        lemmas |= _words_before(t)  # "10% tariffs on goods like engines removed today", misparsed passives
    if fr.not_objects and obj is not None and any(lex.matches(w, fr.not_objects) for w in {obj.lemma_.lower()}):
        return False
    if not fr.objects:
        return True
    return any(lex.matches(w, fr.objects) for w in lemmas)


def _subject_ok(lex: Lexicons, fr: Frame, t: Tok) -> bool:
    if not fr.subjects:
        return True
    s = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return s is not None and any(lex.matches(w, fr.subjects) for w in _np_lemmas(s))


def _noun_is_event(lex: Lexicons, fr: Frame, n: Tok) -> Tok | None | bool:
    """For a noun trigger: the verb that makes it an event (light verb or governor), True when it stands
    alone with arguments of its own, or False when it is a back-reference or a mere mention."""
    gov = governing_verb(n)
    if fr.light and gov is not None and gov.lemma_.lower() in fr.light and (
            n.dep_ == "dobj" or n.dep_ == "conj" and n.head.dep_ == "dobj" or _quantified_object(n)):
        return gov  # "made several requests", not "In today's talk, ... we had"
    if fr.governors:
        h = n.head
        for cand in (h, h.head):
            if cand.lemma_.lower() in fr.governors or cand.lower_ in fr.governors:
                return gov if gov is not None else True
    if fr.needs_clause and not any(c.dep_ in ("acl", "xcomp") and c.pos_ in _VERB_POS
                                   and any(a.lower_ == "to" for a in c.children) for c in n.children):
        return False  # "a commitment to maintain them", not "commitments that will benefit"
    if not fr.standalone:
        return False
    if n.dep_ == "compound":
        return False  # "the framework agreement": the head noun speaks for the phrase
    dets = {c.lower_ for c in n.children if c.dep_ in ("det", "poss")}
    if dets & set(_GENERIC_DETS):
        return False  # "any imposition of tariffs": no event in particular
    mods = {c.lower_ for c in n.children if c.dep_ in ("amod", "nummod", "compound", "advmod")}
    args = {c.lower_ for c in n.children if c.dep_ == "prep"} & {"with", "between", "of", "on", "to", "in"}
    definite = bool(dets & {"the", "this", "that", "these", "those"}) or any(c.dep_ == "poss" for c in n.children)
    own_args = "between" in args or ("with" in args and not definite) or bool(fr.objects and _object_ok(lex, fr, n))
    dated = any(c.dep_ == "prep" and c.lower_ in ("of", "on") and any(
        g.lower_ in _DATE_WORDS for g in c.subtree) for c in n.children)
    quantity = n.head.lower_ == "of" and n.head.head.lemma_.lower() in ("month", "week", "year", "day", "round")
    if any(m in _NEW_INFO_MODS for m in mods) or own_args or dated or quantity:
        return gov if gov is not None else True
    return False


def _quantified_object(n: Tok) -> bool:
    """ "made a series of requests": the noun hangs from a quantity noun that is the object."""
    p = n.head
    return n.dep_ == "pobj" and p.lower_ == "of" and p.head.dep_ == "dobj" and p.head.lemma_.lower() in (
        "series", "number", "set", "list", "couple", "range", "host", "raft", "string")


def _candidates(lex: Lexicons, t: Tok) -> list[Frame]:
    """The frames a token may trigger, most specific first (cached per lexicon, lemma, form and part of
    speech: every token of every article asks)."""
    lemma = t.lemma_.lower()
    key = (lemma, t.lower_, t.pos_)
    hit = lex.candidates.get(key)
    if hit is None:
        if len(lex.candidates) > 50_000:
            lex.candidates.clear()
        hit = lex.candidates[key] = _sorted_candidates(lex, t, lemma)
    return hit


def _sorted_candidates(lex: Lexicons, t: Tok, lemma: str) -> list[Frame]:
    if t.pos_ in _VERB_POS:
        frames = lex.by_verb.get(lemma, []) + lex.by_adjective.get(t.lower_, [])
    elif t.pos_ in _NOUN_POS:
        frames = lex.by_noun.get(lemma, [])
    elif t.pos_ == "ADJ":
        frames = lex.by_adjective.get(lemma, []) + lex.by_adjective.get(t.lower_, [])
    else:
        return []
    # Frames needing particles or compounds first: "call on" before "call", "phone call" before "call".
    def specificity(fr: Frame) -> tuple[int, int]:
        keys = [k for k in (fr.verbs if t.pos_ in _VERB_POS else fr.nouns) if k.split("|")[0] == lemma]
        words = max((len(k.split("|")[1].split()) for k in keys), default=0)
        return -words, -int(bool(fr.objects or fr.subjects or fr.context))
    return sorted(frames, key=specificity)


def _frame_matches(lex: Lexicons, fr: Frame, t: Tok) -> bool:
    lemma = t.lemma_.lower()
    if t.pos_ in _VERB_POS and (lemma in {k.split("|")[0] for k in fr.verbs}):
        keys = [k for k in fr.verbs if k.split("|")[0] == lemma]
        if not any(_has_particles(t, fr.verbs[k]) for k in keys):
            return False
    elif t.pos_ in _NOUN_POS:
        keys = [k for k in fr.nouns if k.split("|")[0] == lemma]
        if not any(_has_compounds(t, fr.nouns[k]) for k in keys):
            return False
    if not (_object_ok(lex, fr, t) and _subject_ok(lex, fr, t)):
        return False
    if fr.context and not _clause_has(lex, t, fr.context):
        return False
    if fr.not_context and _clause_has(lex, t, fr.not_context):
        return False
    return True


def find_triggers(lex: Lexicons, doc) -> list[Trigger]:
    """Every trigger of one parsed sentence, in text order, after modality."""
    cues = lex.cues
    not_yet = {str(w).lower() for w in cues.get("notYet", [])}
    out: list[Trigger] = []
    for t in doc:
        if t.dep_ in ("aux", "auxpass"):
            continue  # "has approached": the auxiliary is no event
        if t.is_upper and len(t.text) > 2 or t.dep_ == "amod" and t.pos_ in _VERB_POS:
            continue  # "REACHING A HISTORIC TRADE DEAL:" is a heading; "well-considered" describes
        for fr in _candidates(lex, t):
            if not _frame_matches(lex, fr, t):
                continue
            verb: Tok | None = t
            if t.pos_ in _NOUN_POS:
                how = _noun_is_event(lex, fr, t)
                if how is False:
                    continue
                verb = how if not isinstance(how, bool) else None
                if any(c.lower_ in not_yet for c in t.children if c.dep_ == "amod"):
                    continue
            elif t.pos_ == "ADJ":
                verb = t.head if t.head.pos_ in _VERB_POS else None
            if t.pos_ in _VERB_POS and _points_back(t):
                break
            if fr.speech and t.pos_ in _VERB_POS and not _finite_or_infinitive(t):
                continue  # "especially considering the hard work": an adjunct, not a speech act
            mod = modality(verb, cues) if verb is not None else Modality()
            if t.pos_ in _VERB_POS and _object_denied(t):
                mod = Modality(negated=True)
            if t.pos_ in _NOUN_POS and any(c.dep_ == "neg" or c.lower_ == "no" for c in t.children):
                mod = Modality(negated=True)
            kind = _apply_modality(fr, mod, t)
            if kind is None and fr.future == "only":
                continue  # not a plan: the word may still be another kind's ("gave him a hat")
            if kind is None:
                break  # the word is this frame's, but the event did not happen
            out.append(Trigger(fr, t, verb, mod, kind))
            break
    return _merge_controlled(out)


def _points_back(v: Tok) -> bool:
    """ "these measures, which were implemented", "while these tariffs are being levied": a clause about a
    demonstrative phrase retells an event told before."""
    if v.dep_ == "relcl" or (v.dep_ == "acl" and v.tag_ == "VBN"):
        return any(c.dep_ == "det" and c.lower_ in _DEMONSTRATIVES for c in v.head.children)
    subj = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
    return subj is not None and any(c.dep_ == "det" and c.lower_ in _DEMONSTRATIVES for c in subj.children)


def _finite_or_infinitive(v: Tok) -> bool:
    if v.tag_ in ("VBD", "VBZ", "VBP", "VB"):
        return True
    return any(c.dep_ in ("aux", "auxpass") for c in v.children) or v.dep_ in ("conj", "xcomp", "acl", "ROOT")


def _object_denied(v: Tok) -> bool:
    """ "no additional tariffs will be imposed": the object's "no" negates the event."""
    obj = direct_object(v)
    return obj is not None and any(c.dep_ == "det" and c.lower_ == "no" for c in obj.children)


_PLEDGE_VERBS = frozenset({"commit", "pledge", "promise", "vow", "undertake", "agree", "intend", "plan", "aim"})


def _apply_modality(fr: Frame, mod: Modality, t: Tok) -> str | None:
    if mod.negated or mod.hypothetical:
        return None
    if mod.possible and fr.type != "Threat":
        return None
    if fr.future == "only":
        first = t
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head  # "committed to purchase aircraft and to invest": both are pledged
        controlled = first.dep_ == "xcomp" and first.head.lemma_.lower() in _PLEDGE_VERBS
        return "Commitment" if mod.future or controlled else None
    if mod.future:
        if fr.future == "drop":
            return None
        if fr.future == "commitment":
            return "Commitment"
    return fr.type


def _merge_controlled(triggers: list[Trigger]) -> list[Trigger]:
    """ "committed to purchase" is one commitment; "agreed to continue talks" one agreement: a trigger
    controlled by another trigger's verb (xcomp) is part of it, unless it is a different, concrete kind.
    Coordinated plans ("committed to purchase aircraft and to invest $550 billion") stay separate."""
    by_token = {tr.token.i: tr for tr in triggers}
    keep = []
    absorbed: set[int] = set()
    for tr in triggers:
        t = tr.token
        ctrl = _controller(t, by_token)
        if ctrl is not None and (ctrl.type in (*_CONTENT_HEADS, "Commitment")
                                 or ctrl.type == "Agreement" and tr.type != "TariffAction"):
            absorbed.add(t.i)
            continue  # "committed to work together ... and continue to press for": part of the pledge
        if t.dep_ == "acl" and t.head.head.i in by_token and by_token[t.head.head.i].type == tr.type:
            continue  # "signed an executive order imposing tariffs": one tariff action
        if t.dep_ in ("acomp", "oprd") and t.head.i in by_token and by_token[t.head.i].type == tr.type:
            continue  # "remain convinced": one claim
        if _elaborates(t, tr.type, by_token):
            continue  # "the application of tariffs ... that was announced on 12 March": the same event
        if t.pos_ in _NOUN_POS and tr.verb is not None:
            gov = by_token.get(tr.verb.i)
            if gov is not None and gov.type == tr.type:
                continue  # "signed deals with X": the noun is the verb's own event
        head = by_token.get(t.head.i) if t.dep_ in ("xcomp", "ccomp", "acl") else None
        if head is not None and head.frame.speech:
            head = None  # what was said is weighed by the reported-speech rule (speech.py), not here
        if head is not None and head is not tr and (
                tr.type == head.type or tr.type in ("Commitment", "Meeting", "Claim")
                or head.type in _CONTENT_HEADS
                or head.type in ("Agreement", "Commitment") and tr.type not in ("TariffAction",)):
            absorbed.add(t.i)
            continue  # what was asked, pledged or threatened is the head event's content
        keep.append(tr)
    # A coordinated plan keeps its own event only when the first conjunct is an event too.
    out = []
    for tr in keep:
        t = tr.token
        if tr.type == "Commitment" and t.dep_ == "conj" and t.head.i in absorbed:
            if not any(c.dep_ == "aux" for c in t.children):
                continue  # "committed to work together ... and continue to press": one pledge
        out.append(tr)
    return out


def _elaborates(t: Tok, kind: str, by_token: dict[int, Trigger]) -> bool:
    """A trigger inside a noun phrase of a same-kind trigger tells more of that event: a relative clause
    ("tariffs that were announced on 12 March") or an apposed noun ("remove tariffs, including the
    elimination of all tariffs")."""
    if t.pos_ in _VERB_POS and t.dep_ not in ("relcl", "acl") or t.dep_ not in (
            "relcl", "acl", "pobj", "appos", "conj", "dobj"):
        return False  # coordinated verbs are events of their own ("announced ... and imposed")
    x, steps = t.head, 0
    while steps < 7 and x.head.i != x.i:
        if x.i in by_token and by_token[x.i].type == kind:
            return True
        if x.pos_ in _VERB_POS and x.i not in by_token and x.dep_ not in ("acl", "relcl") \
                and x.lemma_.lower() not in ("include", "involve", "cover"):
            return False  # "remove tariffs, including the elimination of ...": still inside the phrase
        x, steps = x.head, steps + 1
    return x.i in by_token and by_token[x.i].type == kind


def _controller(t: Tok, by_token: dict[int, Trigger]) -> Trigger | None:
    """The trigger whose clause governs ``t`` through infinitives and their conjuncts ("committed to work
    ... and continue to press": press is controlled by committed); None for a plain coordinated event."""
    steps = 0
    x = t
    while (x.dep_ in ("xcomp", "ccomp", "conj") or x.dep_ == "advcl" and any(c.lower_ == "to" for c in x.children)) \
            and x.head.i != x.i and steps < 5:
        first_conj = steps == 0 and x.dep_ == "conj"
        x = x.head
        steps += 1
        if x.i in by_token:
            return None if first_conj else by_token[x.i]
    return None


def trigger_subject(tr: Trigger) -> Tok | None:
    """The subject of the trigger's clause (the light verb's, for a noun trigger)."""
    v = tr.verb if tr.verb is not None else None
    return subject(v) if v is not None else None
