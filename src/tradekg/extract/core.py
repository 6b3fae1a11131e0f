"""``extract()``: text in, :class:`Extraction` out. Wires sentences, mentions, triggers, dates, figures and
attribution together; each stage lives in its own module."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .attribution import AttributionFinder
from .dates import find_dates
from .figures import find_figures
from .gazindex import index_for
from .lexicon import load_lexicons
from .mentions import MentionFinder
from .model import Actor, Event, Evidence, Statistic, slug
from .sentences import split_sentences
from .tokens import normalize, tokenize
from .triggers import EventFinder

#: Directed kinds with no addressee in the sentence get the other party of a two-country text.
_COUNTERPART_TYPES = frozenset({"Request", "TariffAction", "Commitment", "Threat"})


@dataclass
class Extraction:
    """What :func:`extract` found in one text. ``to_json()`` gives the JSON contract;
    ``to_annotation_yaml()`` the annotation draft to review and ingest."""

    text: str
    doc_id: str
    title: str | None
    published: dt.date | None
    speaker: Actor | None
    events: list[Event] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)

    def to_json(self) -> dict:
        """The JSON contract of ``tradekg extract --format json`` (see docs/extract.md)."""
        return {
            "document": {"title": self.title,
                         "published": self.published.isoformat() if self.published else None},
            "events": [{
                "id": e.id, "type": e.type,
                "agents": [a.label for a in e.agents], "addressees": [a.label for a in e.addressees],
                "topics": [t.label for t in e.topics], "date": e.date,
                "evidence": e.evidence.to_json(), "trigger": e.trigger, "confidence": e.confidence,
                "attributedTo": [a.label for a in e.attributed_to],
            } for e in self.events],
            "statistics": [{
                "value": _number(s.value), "unit": s.unit, "period": s.period,
                "source": s.source.label if s.source else None, "evidence": s.evidence.to_json(),
            } for s in self.statistics],
        }

    def to_annotation_yaml(self, *, text_file: str | None = None, publisher: str | None = None,
                           url: str | None = None) -> str:
        """The YAML annotation (docs/annotation.md) of this extraction, text inline unless ``text_file``."""
        from .annotation_out import to_yaml

        return to_yaml(self, text_file=text_file, publisher=publisher, url=url)


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


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
    ('Request', ['Japan'], ['United States'], ['Automobiles'])
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
    per_sentence = []
    for s in sentences:
        toks = tokenize(norm, s.start, s.end)
        per_sentence.append((s, toks, finder.detect(toks)))
    for _, _, ms in per_sentence:
        finder.note_persons(ms)
    state: dict = {}
    att_finder = AttributionFinder(lex)
    ev_finder = EventFinder(lex)
    out = Extraction(text=text, doc_id=doc_id or slug(title or "article"), title=title, published=published,
                     speaker=finder.speaker)
    for s, toks, ms in per_sentence:
        finder.resolve(ms, state, [t.key for t in toks])
        att = att_finder.find(toks, ms)
        dates = [d for d in find_dates(norm, s.start, s.end, published) if d.value]
        evidence = Evidence(text[s.start:s.end], s.start, s.end)
        for d in ev_finder.sentence_events(toks, ms):
            at = toks[d.tok_start].start
            topics = [t for t in d.topics if not any(t.key in idx.broader.get(u.key, ()) for u in d.topics)]
            day = min((x for x in dates if x.precision == "day"), key=lambda x: abs(x.start - at), default=None)
            other = next((x for x in dates if x.precision != "day"), None)
            hedge = att.hedge_for(d.tok_start)
            conf = d.trigger.confidence * (1.0 if d.agents else 0.7) * (0.9 if hedge else 1.0) \
                * (0.8 if d.inferred else 1.0)
            out.events.append(Event(
                id="", type=d.type, agents=d.agents, addressees=d.addressees, topics=topics,
                evidence=evidence, trigger=text[at:toks[d.tok_end - 1].end], confidence=round(conf, 2),
                date=day.value if day else None,
                time_note=f"{other.text} ({other.value})" if other and not day else None,
                attributed_to=att.sources_for(d.tok_start),
                hedge=hedge, location=d.location,
                content=_content(text, toks, d.tok_end) if d.type in ("Claim", "Complaint") else None,
                object_label=_gift_object(text, toks, d) if d.type == "Gift" else None))
        for f in find_figures(norm, s.start, s.end):
            sources = att.according or [a for _, a in att.reported]
            out.statistics.append(Statistic(
                id="", value=f.value, unit=f.unit, measure=_measure(norm, s.start, f.start, f.end, s.end),
                evidence=evidence, period=f.period, comparison=f.comparison,
                source=sources[0] if sources else None))
    _fill_counterparts(out, per_sentence)
    for n, e in enumerate(out.events, 1):
        e.id = f"{e.type.lower()}-{n}"
    for n, st in enumerate(out.statistics, 1):
        st.id = f"statistic-{n}"
    used = {a.key: a for e in out.events for a in (*e.agents, *e.addressees, *e.attributed_to)}
    used.update({st.source.key: st.source for st in out.statistics if st.source})
    out.actors = [used[k] for k in sorted(used)]
    return out


def _fill_counterparts(out: Extraction, per_sentence: list) -> None:
    # In a two-party text ("US-Japan talks"), a request with no addressee is addressed to the other party.
    counts: dict[str, tuple[int, Actor]] = {}
    for _, _, ms in per_sentence:
        for m in ms:
            a = m.referent
            if a is not None and (a.kind == "country" or (a.kind == "organization" and not a.country
                                                            and not a.is_new)):
                counts[a.key] = (counts.get(a.key, (0, a))[0] + 1, a)
    top = sorted(counts.values(), key=lambda c: (-c[0], c[1].key))[:3]
    if len(top) < 2 or (len(top) == 3 and top[2][0] * 2 > top[1][0]):
        return
    pair = [top[0][1], top[1][1]]
    for e in out.events:
        if e.type not in _COUNTERPART_TYPES or e.addressees or not e.agents:
            continue
        sides = {a.key if a.kind in ("country", "organization") else a.country for a in e.agents}
        mine = [p for p in pair if p.key in sides]
        if len(mine) == 1:
            e.addressees = [p for p in pair if p is not mine[0]]
            e.confidence = round(e.confidence * 0.8, 2)


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


_STOP = frozenset({"in", "at", "to", "as", "for", "during", "on", "with", "because", "and", "after", "before",
                   "from", "which", "that", "who", ",", ".", ";", ":", '"', "(", ")"})
_PRONOUNS = frozenset({"it", "them", "this", "that", "one", "something", "these", "those"})


def _content(text: str, toks: list, end: int) -> str | None:
    """What was claimed: the rest of the sentence after the trigger, without a leading "that"."""
    if end >= len(toks):
        return None
    rest = text[toks[end].start:toks[-1].end].strip().rstrip(".")
    if rest.lower().startswith("that "):
        rest = rest[5:]
    return rest or None


def _gift_object(text: str, toks: list, d) -> str | None:
    """The thing given: the noun phrase after the trigger (and after an indirect object)."""
    k = d.tok_end
    objs = [m for m in d.object_mentions if m.tok_start >= k]
    if objs and objs[0].tok_start <= k + 1 and objs[0].prep is None:
        k = max(m.tok_end for m in objs)
    while k < len(toks) and toks[k].key in ("a", "an", "the", "his", "her", "their", "its"):
        k += 1
    j = k
    while j < len(toks) and toks[j].key not in _STOP and j - k < 8:
        j += 1
    if j == k or toks[k].key in _PRONOUNS:
        return None
    return text[toks[k].start:toks[j - 1].end]
