"""When each event happened: a date stated in its clause, else one stated for the sentence, else the
article's own day where the genre says so.

- A date inside the trigger's clause is the event's ("the call with Han on April 8").
- A date stated for the sentence ("Yesterday, X met Y and agreed ...") carries to every event in it that
  no other date claims.
- A readout or report that dates its lead ("met ... today", "Yesterday, ...") dates the events it goes on
  to narrate in the past tense with that day.
- In a first-person text (a speaker was given), what the speaker says, pledges or asks now is dated to
  the day of the speech: the publication date.
- A plan ("will"), a month alone, or nothing at all gives no date.
"""

from __future__ import annotations

from dataclasses import dataclass

from .clauses import Tok
from .dates import DateMention
from .triggers import Trigger

_SPEECH_KINDS = ("Claim", "Complaint", "Request", "Commitment", "Notification", "Threat")


@dataclass
class DocumentClock:
    """What the article says about its own day."""

    published: str | None
    first_person: bool
    lead_day: str | None = None  # the day the lead sentence dates (readouts), once seen

    def note_lead(self, sentence_no: int, days: list[DateMention]) -> None:
        """Remember the day the first sentences state, for the narration that follows."""
        if self.lead_day is None and sentence_no < 2 and days and days[0].value:
            self.lead_day = days[0].value


def _token_of(doc, base: int, pos: int) -> Tok | None:
    for t in doc:
        if base + t.idx <= pos < base + t.idx + len(t.text):
            return t
    return None


def event_date(tr: Trigger, doc, base: int, days: list[DateMention], others: list[Trigger],
               clock: DocumentClock, by_speaker: bool = False) -> str | None:
    """The ISO day of one event, or None."""
    t = tr.token
    own = set(x.i for x in t.subtree) if t.pos_ in ("NOUN", "PROPN") else set(x.i for x in t.subtree)
    claimed_by_other: set[int] = set()
    for o in others:
        if o is tr:
            continue
        sub = {x.i for x in o.token.subtree}
        if t.i not in sub:
            claimed_by_other |= sub
    for o in others:
        if o is not tr and o.token.i in own and o.token.i != t.i:
            claimed_by_other |= {x.i for x in o.token.subtree}  # a nested event's own date is not ours
    inside, free = [], []
    for d in days:
        tok = _token_of(doc, base, d.start)
        if tok is None:
            continue
        if tok.i in claimed_by_other:
            continue  # "In today's talk, which follows our talk of May 23, we had ...": May 23 is the other's
        if tok.i in own:
            inside.append((abs(tok.i - t.i), d))
        else:
            free.append((abs(tok.i - t.i), d))
    if inside:
        return min(inside, key=lambda p: p[0])[1].value
    if tr.modality.future and not clock.first_person:
        return None
    if free:
        return min(free, key=lambda p: p[0])[1].value
    if clock.published and _ongoing(tr):
        return clock.published  # "Akazawa, who is currently visiting the U.S.": the day it is told
    if clock.first_person and clock.published and (tr.type in ("Claim", "Complaint") or (
            tr.type in _SPEECH_KINDS and _speaker_now(tr)) or (by_speaker and _simple_tense(tr))):
        return clock.published  # what the speaker says, and does today, is of the day of the speech
    if clock.lead_day and _past_narration(tr):
        return clock.lead_day
    return None


def _tense_verb(tr: Trigger) -> Tok | None:
    return tr.verb if tr.verb is not None else None


def _speaker_now(tr: Trigger) -> bool:
    v = _tense_verb(tr)
    if v is None:
        return tr.type in ("Complaint",)
    if tr.modality.future:
        return True
    aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"has", "have", "had"}:
        return False
    return v.tag_ in ("VBP", "VBZ", "VBG", "VB", "JJ") or v.pos_ == "ADJ" or (
        v.tag_ == "VBD" and v.lemma_ in ("be",))


def _past_narration(tr: Trigger) -> bool:
    v = _tense_verb(tr)
    if v is None or tr.modality.future:
        return False
    aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
    return v.tag_ == "VBD" and not aux & {"has", "have", "had"}


def _simple_tense(tr: Trigger) -> bool:
    """Simple past or present, not perfect: "I spoke", "we had", not "we have confirmed"."""
    v = _tense_verb(tr)
    if v is None:
        return False
    aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
    return v.tag_ in ("VBD", "VBZ", "VBP", "VBG") and not aux & {"has", "have", "had", "'ve"}


def _ongoing(tr: Trigger) -> bool:
    """Going on as the text is written: a present progressive, or "currently"/"now"."""
    v = _tense_verb(tr)
    if v is None or tr.modality.future:
        return False
    aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
    adv = {c.lower_ for c in v.children if c.dep_ == "advmod"}
    return (v.tag_ == "VBG" and bool(aux & {"is", "are", "am"})) or bool(adv & {"currently", "now"})
