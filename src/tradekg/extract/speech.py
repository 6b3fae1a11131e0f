"""Speech and attitude acts: when "X said ..." is a Claim, and when it is the event it reports.

Reported speech whose content is another event is coded as that event alone ("Akazawa said he gave it to
Trump" is a Gift): the speech trigger is dropped when an event reported as having happened (past or
perfect tense) sits inside what was said. A present-tense content is the claim itself ("claiming that Japan
imposes a 700% tariff"): then the embedded event is the claim's content, not an event of its own.
A speech verb with nothing said ("Prime Minister Keir Starmer said:") gives no claim in its sentence.
"""

from __future__ import annotations

from .clauses import Tok
from .triggers import Trigger

_CONTENT_DEPS = ("ccomp", "dobj", "xcomp", "prep", "attr", "advcl", "dative", "acomp", "oprd", "npadvmod")


def _reported_as_event(t: Tok) -> bool:
    """Reported as done ("said he gave"), or as going to be done ("said it would impose"), not as a state
    of things ("claiming that Japan imposes a 700% tariff")."""
    v = t if t.pos_ in ("VERB", "AUX") else t.head
    aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
    return v.tag_ in ("VBD", "VBN") or bool(aux & {"has", "have", "had", "was", "were", "will", "would",
                                                    "shall", "'ll"})


def _judged(t: Tok, speech: Tok) -> bool:
    """The event sits under a judgement of it ("consider it significant that we had a talk"), not as what
    was said: the claim is the judgement."""
    x = t.head
    for _ in range(12):  # spaCy makes a new Token object on each access: compare positions
        if x.i == speech.i or x.head.i == x.i:
            break
        if x.pos_ in ("ADJ", "NOUN") and x.dep_ in ("ccomp", "acomp", "oprd", "attr", "xcomp"):
            return True
        x = x.head
    return False


def _says_something(t: Tok) -> bool:
    if t.pos_ not in ("VERB", "AUX"):
        return True
    return any(c.dep_ in _CONTENT_DEPS for c in t.children) or t.dep_ in ("xcomp", "relcl", "advcl", "pcomp")


def keep_speech(triggers: list[Trigger]) -> list[Trigger]:
    """Apply the reported-speech rule to one sentence's triggers."""
    drop: set[int] = set()
    for sp in triggers:
        if not sp.frame.speech:
            continue
        if not _says_something(sp.token):
            drop.add(id(sp))
            continue
        inner = {x.i for x in sp.token.subtree} - {sp.token.i}
        for other in triggers:
            if other is sp or other.frame.speech or other.token.i not in inner:
                continue
            if other.token.pos_ not in ("VERB", "AUX"):
                continue  # "welcomed the engagement following Trump's call": a named event, not speech
            if _reported_as_event(other.token) and not _judged(other.token, sp.token):
                drop.add(id(sp))
                other.reporter = sp.token
            else:
                drop.add(id(other))  # "claiming that Japan imposes ...", "I consider it significant that we had ..."
    return [t for t in triggers if id(t) not in drop]


def content_of(tr: Trigger, text: str, base: int) -> str | None:
    """What was claimed or complained about: the trigger's complement, as written."""
    t = tr.token
    comp = next((c for c in t.children if c.dep_ in ("ccomp", "dobj", "xcomp", "prep", "attr")), None)
    if comp is None:
        return None
    toks = sorted(comp.subtree, key=lambda x: x.i)
    if toks and toks[0].lower_ == "that":
        toks = toks[1:]
    if not toks:
        return None
    out = text[base + toks[0].idx: base + toks[-1].idx + len(toks[-1].text)].strip().rstrip(".")
    return out or None
