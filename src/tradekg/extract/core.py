"""``extract()``: text in, :class:`Extraction` out. Wires the stages together; each lives in its own module:
sentences (``sentences``), the parse (``parse``), mentions and their resolution (``mentions``), triggers and
frames (``triggers``, ``lexicon``), arguments (``arguments``), topics (``topics``), dates (``dates``,
``dating``), figures (``figures``), attribution (``attribution``) and the document's parties (``parties``).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..kinds import event_kinds
from .arguments import SentenceMentions, fill_roles
from .attribution import AttributionFinder
from .clauses import subject
from .dates import find_dates
from .dating import DocumentClock, event_date
from .extraction import Extraction
from .figures import find_figures
from .gazindex import actor_from_entry, index_for
from .lexicon import load_lexicons
from .mentions import MentionFinder
from .model import Event, Evidence, Statistic, slug
from .parse import parse_sentences
from .parties import Parties, entity_check, filter_new_names
from .sentences import split_sentences
from .speech import content_of, keep_speech
from .tokens import normalize, tokenize
from .topics import find_topics
from .triggers import find_triggers

__all__ = ["Extraction", "extract"]


@functools.lru_cache(maxsize=1)
def _default_gazetteer() -> Any:
    from ..gazetteer import Gazetteer

    return Gazetteer.load()


def extract(text: str, *, published: dt.date | None = None, title: str | None = None,
            speaker: str | None = None, gazetteer: Any = None, doc_id: str | None = None,
            lexicon_dirs: tuple[Path, ...] = ()) -> Extraction:
    """Extract events, actors and figures from an article's text. Offline and deterministic.

    ``published`` anchors relative dates; ``speaker`` is who "I" is in a first-person text;
    ``gazetteer`` defaults to the packaged one (``Gazetteer.load()``).

    >>> e = extract("Japan asked the United States to lower tariffs on cars.").to_json()["events"][0]
    >>> e["type"], e["agents"], e["addressees"], e["topics"]
    ('Request', ['Japan'], ['United States'], ['Automobiles', 'tariffs'])
    """
    if not isinstance(text, str):
        raise UsageError(f"extract() needs the article text as a str, not {type(text).__name__}")
    if published is not None and not isinstance(published, dt.date):
        raise UsageError("published must be a datetime.date")
    gaz = gazetteer if gazetteer is not None else _default_gazetteer()
    idx = index_for(gaz)
    lex = load_lexicons(tuple(Path(p) for p in lexicon_dirs))
    norm = normalize(text)
    finder = MentionFinder(idx, lex, published, speaker)
    sentences = split_sentences(norm)
    docs: dict[int, list] = {}
    for k, base, span in parse_sentences(norm, [(s.start, s.end) for s in sentences]):
        docs.setdefault(k, []).append((base, span))
    per_sentence = []
    for s in sentences:
        toks = tokenize(norm, s.start, s.end)
        ms = finder.detect(toks)
        filter_new_names(ms, lex)
        per_sentence.append((s, toks, ms))
    for _, _, ms in per_sentence:
        finder.note_persons(ms)
    state: dict = {}
    att_finder = AttributionFinder(lex)
    out = Extraction(text=text, doc_id=doc_id or slug(title or "article"), title=title, published=published,
                     speaker=finder.speaker)
    clock = DocumentClock(published.isoformat() if published else None, first_person=speaker is not None)
    topic_map = {str(k).lower(): str(v) for k, v in (lex.cues.get("topics") or {}).items()}
    last_call = -99
    kinds = event_kinds()
    for n, (s, toks, ms) in enumerate(per_sentence):
        finder.resolve(ms, state, [t.key for t in toks])
        att = att_finder.find(toks, ms)
        dates = find_dates(norm, s.start, s.end, published)
        days = [d for d in dates if d.value and d.precision == "day"]
        clock.note_lead(n, days)
        evidence = Evidence(text[s.start:s.end], s.start, s.end)
        if not _is_headline(norm, s.start, s.end):
            for base, doc in docs.get(n, []):
                sm = SentenceMentions(base, ms, entity_check(docs.get(n, [])))
                triggers = keep_speech(find_triggers(lex, doc))
                if not _has_finite_verb(doc):
                    triggers = [tr for tr in triggers if tr.token.pos_ in ("VERB", "AUX")]
                for tr in triggers:
                    roles = fill_roles(tr, sm)
                    if not roles.agents and tr.reporter is not None and tr.type in _OWNED_KINDS:
                        roles.agents = sm.actors(subject(tr.reporter))  # "Trump announced that a tariff would apply"
                    if not roles.agents and finder.speaker is not None and _speakers_own(tr):
                        roles.agents = [finder.speaker]  # "It is no exaggeration to say", "is regrettable"
                    if not roles.agents and not roles.passive and tr.type in _OWNED_KINDS \
                            and (we := _ours(tr, finder)) is not None:
                        roles.agents = [we]  # "This does not exhaust our toolbox; every instrument remains ..."
                    if not roles.agents and (tr.frame.require_agent or tr.type in _NEED_AGENT
                                             or tr.type == "Commitment" and tr.token.pos_ != "NOUN"):
                        continue
                    if tr.type == "Agreement" and len(roles.agents) + len(roles.addressees) == 1 and any(
                            c.dep_ == "xcomp" for c in tr.token.children):
                        tr.type = "Commitment"  # "India agreed to buy more energy": one party's pledge
                    if kinds[tr.type].symmetric:
                        roles.agents = [*roles.agents, *(a for a in roles.addressees if a not in roles.agents)]
                        roles.addressees = []
                    if tr.type == "Meeting" and n - last_call <= 3 and _talk_like(tr):
                        tr.type = "Call"  # "we had an exchange of views", told of a phone call
                    if tr.type == "Call":
                        last_call = n
                    location = _location(tr, sm)
                    at = base + tr.token.idx
                    tok_no = _tok_index(toks, at)
                    hedge = att.hedge_for(tok_no)
                    conf = tr.frame.confidence * (1.0 if roles.agents else 0.7) * (0.9 if hedge else 1.0)
                    out.events.append(Event(
                        id="", type=tr.type, agents=roles.agents, addressees=roles.addressees,
                        topics=find_topics(tr, triggers, sm, topic_map, idx.broader,
                                           (*roles.agents, *roles.addressees, location)),
                        evidence=evidence,
                        trigger=text[at:at + len(tr.token.text)], confidence=round(conf, 2),
                        date=event_date(tr, doc, base, days, triggers, clock,
                                        by_speaker=_by_speaker(roles.agents, finder.speaker)),
                        time_note=_time_note(dates),
                        attributed_to=att.sources_for(tok_no), hedge=hedge,
                        location=location,
                        content=content_of(tr, text, base) if tr.type in ("Claim", "Complaint") else None,
                        object_label=_gift_object(tr, text, base) if tr.type == "Gift" else None,
                        passive=roles.passive))
        for f in find_figures(norm, s.start, s.end):
            sources = att.according or [a for _, a in att.reported]
            out.statistics.append(Statistic(
                id="", value=f.value, unit=f.unit, measure=_measure(norm, s.start, f.start, f.end, s.end),
                evidence=evidence, period=f.period, comparison=f.comparison,
                source=sources[0] if sources else None))
    Parties.of(per_sentence, finder.speaker, idx).complete(out.events)
    english = _english_share(norm)
    if english is not None and english < 0.08:
        out.notes.append(f"the text does not look like English ({english:.0%} of its words are common English "
                         "words); the extractor reads English only, so it found little or nothing")
    for n, e in enumerate(out.events, 1):
        e.id = f"{e.type.lower()}-{n}"
    for n, st in enumerate(out.statistics, 1):
        st.id = f"statistic-{n}"
    used = {a.key: a for e in out.events for a in (*e.agents, *e.addressees, *e.attributed_to)}
    used.update({st.source.key: st.source for st in out.statistics if st.source})
    out.actors = [used[k] for k in sorted(used)]
    return out


#: Kinds that are nothing without who did them: a claim nobody made is no claim.
_NEED_AGENT = ("Claim", "Complaint")


#: Kinds whose actor a first-person possessive names when no subject does.
_OWNED_KINDS = ("Threat", "TariffAction", "Commitment")


def _ours(tr, finder: MentionFinder):
    """The speaker's country when the sentence speaks of "our" or "we" and the clause names no actor."""
    sp = finder.speaker
    if sp is None or not sp.country:
        return None
    words = {t.lower_ for t in tr.token.sent}
    if not words & {"our", "we", "us"}:
        return None
    e = finder.idx.entry_for(sp.country)
    return actor_from_entry(e) if e is not None else None


def _speakers_own(tr) -> bool:
    """In a first-person text, a speech act or a judgement with no person as subject is the speaker's."""
    if tr.type not in ("Claim", "Complaint"):
        return False
    v = tr.verb if tr.verb is not None else tr.token.head
    subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    return subj is None or subj.dep_ == "expl" or subj.lower_ == "it" or subj.pos_ == "NOUN"


_ENGLISH = frozenset("the of and to in a is that for on with as by at from was were has have it be are this "
                     "said will not an or its which their".split())


def _english_share(text: str) -> float | None:
    """The share of the text's words that are the commonest English function words (about a third in
    English prose, near none in French or Japanese); None for a text too short to tell."""
    words = text.lower().split()[:2000]
    if len(words) < 8:
        return None
    return sum(w.strip(".,;:\"'()") in _ENGLISH for w in words) / len(words)


def _has_finite_verb(doc) -> bool:
    """A sentence with no finite verb is a headline or a summary line ("... on the imposition of tariffs.")."""
    return any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in doc)


def _talk_like(tr) -> bool:
    t = tr.token
    words = {t.lemma_.lower()} | {c.lemma_.lower() for c in t.children if c.dep_ == "dobj"}
    return bool(words & {"have", "hold", "dialogue", "exchange", "talk", "discussion", "conversation"})


def _by_speaker(agents: list, speaker) -> bool:
    """The speaker, or the speaker's country ("we"), is among the agents."""
    return speaker is not None and any(a == speaker or a.key == speaker.country for a in agents)


def _tok_index(toks: list, pos: int) -> int:
    return next((k for k, t in enumerate(toks) if t.start <= pos < t.end or t.start >= pos), len(toks))


def _is_headline(text: str, start: int, end: int) -> bool:
    """A line with no closing punctuation and few words: a headline or section title, not a statement."""
    line_end = end >= len(text) or text[end:end + 1] == "\n"
    closed = text[end - 1:end] in ".!?:;\"')" if end > start else False
    return line_end and not closed and len(text[start:end].split()) <= 14


def _time_note(dates: list) -> str | None:
    other = next((d for d in dates if d.value and d.precision != "day"), None)
    return f"{other.text} ({other.value})" if other else None


def _location(tr, sm: SentenceMentions):
    from .clauses import prep_objects

    anchor = tr.verb if tr.verb is not None else tr.token
    for o in prep_objects(anchor, ("in", "at")):
        m = sm.at(o)
        if m is not None and m.referent is not None and m.referent.kind == "place":
            return m.referent
    return None


def _gift_object(tr, text: str, base: int) -> str | None:
    from .clauses import direct_object

    obj = direct_object(tr.token)
    if obj is None or obj.pos_ == "PRON":
        return None
    words = [t for t in obj.subtree if t.dep_ not in ("det", "poss") or t.i == obj.i]
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    return text[base + start:base + end] or None


def _measure(text: str, s_start: int, f_start: int, f_end: int, s_end: int) -> str:
    """What a figure measures: the words around it in its clause, trimmed (a reviewer refines it)."""
    left = text[s_start:f_start]
    for sep in (", or ", ";", ", ", " of "):
        k = left.rfind(sep)
        if k >= 0 and f_start - (s_start + k) > 12:
            left = left[k + len(sep):]
            break
    right = text[f_end:s_end].split(",")[0].rstrip(". ")
    words = (left.strip() + " … " + right.strip()).strip(" …")
    return " ".join(words.split()[:16]) or "figure"
