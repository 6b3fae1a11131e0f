"""Events from trigger words and the argument pattern around them.

For a verb trigger the agent is the nearest actor before it that is not inside a prepositional phrase
(with its conjuncts: "X and Y held talks"); the addressee sits where the lexicon says: the object right
after the verb, or after a preposition (``with``, ``of``, ``to`` ...). A be-form before the verb makes it
passive ("X was asked by Y"). When the nearest actor before a trigger is the object of an earlier trigger
joined by "and" ("met Trump ... and later held talks with Bessent"), the earlier agent is reused.
Topics are the gazetteer items between the trigger and the next trigger.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexicon import Lexicons, Trigger
from .model import Actor, Mention
from .tokens import Token

_SKIP = frozenset({"the", "a", "an", "its", "his", "her", "their", "also", "then", "later", "again", "not",
                   "reportedly", "allegedly", "had", "has", "have", "did", "would", "will", "could", "to",
                   "formally", "officially", "personally", "directly"})
_ACTOR_KINDS = ("person", "country", "organization", "group")


@dataclass
class Draft:
    """An event found in one sentence, before dates, attribution and ids are added."""

    type: str
    trigger: Trigger
    tok_start: int
    tok_end: int
    trigger_text: str
    agents: list[Actor] = field(default_factory=list)
    addressees: list[Actor] = field(default_factory=list)
    topics: list[Actor] = field(default_factory=list)
    location: Actor | None = None
    passive: bool = False
    object_mentions: list[Mention] = field(default_factory=list)
    agent_mentions: list[Mention] = field(default_factory=list)
    inferred: bool = False  # a role filled from outside the trigger's pattern
    skip: bool = False  # the pattern rules the event out


def find_triggers(toks: list[Token], lex: Lexicons) -> list[tuple[int, int, Trigger]]:
    """Trigger matches (token start, end, trigger), longest first at each position, not overlapping."""
    keys = [t.key for t in toks]
    out = []
    i = 0
    while i < len(keys):
        hit = None
        for form, trig in lex.by_first.get(keys[i], ()):
            end = _match_form(keys, i, form)
            if end and _allowed(trig, keys, i, end - i):
                hit = (i, end, trig)
                break
        if hit:
            out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


_GAP = 5  # a "*" in a trigger form matches up to this many words ("held * talks": "held candid talks")


def _match_form(keys: list[str], i: int, form: tuple[str, ...]) -> int:
    """End token of ``form`` matched at ``i`` (0 if no match); ``*`` skips up to 5 words (hyphens, not
    other punctuation)."""
    k = i
    for n, part in enumerate(form):
        if part == "*":
            continue
        if n > 0 and form[n - 1] == "*":
            for skip in range(_GAP + 1):
                if k + skip < len(keys) and keys[k + skip] == part:
                    k += skip + 1
                    break
                if k + skip >= len(keys) or not (keys[k + skip][:1].isalnum() or keys[k + skip] == "-"):
                    return 0
            else:
                return 0
        elif k < len(keys) and keys[k] == part:
            k += 1
        else:
            return 0
    return k


def _allowed(trig: Trigger, keys: list[str], i: int, n: int) -> bool:
    if i > 0 and keys[i - 1] in trig.not_after:
        return False
    j = i + n
    while j < len(keys) and keys[j] in ("a", "an", "the", "his", "her", "their"):
        j += 1
    if any(tuple(keys[j:j + len(p)]) == p for p in trig.not_before):
        return False
    if trig.requires and not any(_contains(keys, p) for p in trig.requires):
        return False
    return True


def _contains(keys: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(keys[k:k + n]) == phrase for k in range(len(keys) - n + 1))


class EventFinder:
    """Applies the trigger lexicons to one sentence at a time."""

    def __init__(self, lex: Lexicons):
        self.lex = lex
        self.be = {b.lower() for b in lex.cues.get("beForms", [])}
        self.negations = {str(n).lower() for n in lex.cues.get("negations", [])}

    def sentence_events(self, toks: list[Token], mentions: list[Mention]) -> list[Draft]:
        """Events of one sentence, in trigger order."""
        keys = [t.key for t in toks]
        actors = [m for m in mentions if m.referent is not None and m.referent.kind in _ACTOR_KINDS]
        items = [m for m in mentions if m.referent is not None and m.referent.kind == "item"]
        places = [m for m in mentions if m.referent is not None and m.referent.kind == "place"]
        matches = find_triggers(toks, self.lex)
        # A trigger word inside a name ("Trade Deal Act") is not a trigger.
        inside = {k for m in mentions for k in range(m.tok_start, m.tok_end)}
        matches = [mt for mt in matches if mt[0] not in inside
                   and not any(k in self.negations for k in keys[max(0, mt[0] - 3):mt[0]])]
        matches = [mt for mt in matches if not _relative_non_actor(keys, mt[0], mt[2], actors)]
        drafts: list[Draft] = []
        for s, e, trig in matches:
            d = Draft(trig.type, trig, s, e, " ".join(t.text for t in toks[s:e]))
            self._arguments(d, keys, actors, drafts)
            if d.skip:
                continue
            if trig.places == "addressee" and not d.addressees:
                d.addressees = self._visited(places, e, e + 4)
            lexicon = self.lex.events[trig.type]
            if lexicon.symmetric:
                d.agents = _unique([*d.agents, *d.addressees])
                d.addressees = []
                if len(d.agents) < trig.min_args and d.agents and trig.fill:
                    # "Ishiba asks Trump to reconsider tariffs in phone call": the other party is
                    # elsewhere in the sentence; take the nearest actors, at lower confidence.
                    for m in sorted(actors, key=lambda m: abs(m.tok_start - s)):
                        if len(d.agents) >= trig.min_args:
                            break
                        if m.referent not in d.agents and m.prep not in ("to", "by", "from") \
                                and m.referent.kind in ("person", "country"):
                            d.agents.append(m.referent)
                            d.inferred = True
                if len(d.agents) < trig.min_args:
                    continue
            elif trig.requires_addressee and not d.addressees:
                continue
            drafts.append(d)
        # Topics and location: from each event's trigger up to the next event's trigger.
        for n, d in enumerate(drafts):
            nxt = drafts[n + 1].tok_start if n + 1 < len(drafts) else len(toks)
            topical = items + places if d.trigger.places == "topic" else items
            d.topics = _unique(m.referent for m in sorted(topical, key=lambda m: m.tok_start)
                               if d.tok_end <= m.tok_start < nxt)
            d.location = next((m.referent for m in places if d.tok_start - 3 <= m.tok_start < nxt
                               and m.prep in ("at", "in")), None)
        return _dedupe(drafts)

    def _visited(self, places: list[Mention], e: int, nxt: int) -> list[Actor]:
        return _unique(m.referent for m in places if e <= m.tok_start < min(nxt, e + 4))

    def _arguments(self, d: Draft, keys: list[str], actors: list[Mention], earlier: list[Draft]) -> None:
        s, e = d.tok_start, d.tok_end
        passive = d.trigger.pos == "verb" and _passive(keys, s, self.be)
        subject = self._subject(keys, actors, s, d.trigger.pos)
        if subject and earlier:
            used = {id(m) for x in earlier for m in x.object_mentions}
            if id(subject[-1]) in used and "and" in keys[subject[-1].tok_end:s]:
                prior = next(x for x in reversed(earlier) if any(m is subject[-1] for m in x.object_mentions))
                subject = prior.agent_mentions
        if passive:
            by = _after_prep(actors, keys, e, ("by",), 3)
            if d.trigger.no_passive and not by:
                d.skip = True
                return
            d.agents = _refs(by)
            d.addressees = _refs(subject)
            d.agent_mentions, d.object_mentions = by, subject
            d.passive = True
            return
        d.agent_mentions = subject
        d.agents = _refs(subject)
        for slot in d.trigger.addressee:
            found = _object(actors, keys, e) if slot == "object" else _after_prep(actors, keys, e, (slot,), 12)
            found = [m for m in found if m.referent not in d.agents or len(d.agents) > 1 or m.group]
            if found:
                d.addressees = _refs(found)
                d.object_mentions = found
                break

    def _subject(self, keys: list[str], actors: list[Mention], s: int, pos: str) -> list[Mention]:
        cands = [m for m in actors if m.tok_end <= s]
        for k in range(len(cands) - 1, -1, -1):
            m = cands[k]
            if m.prep is not None and m.prep != "by":
                continue
            if m.possessive and pos == "verb":
                continue
            return _conjuncts_before(cands[:k + 1], keys)
        return []


_MODALS = frozenset({"will", "would", "could", "can", "may", "might", "shall", "should", "also", "has", "had",
                     "have"})


def _relative_non_actor(keys: list[str], s: int, trig: Trigger, actors: list[Mention]) -> bool:
    """ "a deal that will impose ...": the subject is a thing, not an actor, so there is no event."""
    if trig.pos != "verb":
        return False
    j = s - 1
    while j >= 0 and keys[j] in _MODALS:
        j -= 1
    if j < 1 or keys[j] not in ("that", "which"):
        return False
    return not any(m.tok_end == j for m in actors)


def _passive(keys: list[str], s: int, be: set[str]) -> bool:
    j = s - 1
    while j >= 0 and (keys[j].endswith("ly") or keys[j] in ("also", "not", "then", "later")):
        j -= 1
    return j >= 0 and keys[j] in be


def _conjuncts_before(cands: list[Mention], keys: list[str]) -> list[Mention]:
    group = [cands[-1]]
    if group[0].kind == "pronoun":  # "..., and he urged": a new clause, not "X and he"
        return group
    for m in reversed(cands[:-1]):
        if m.prep is not None:  # "invest in the United States, and ...": inside a phrase
            break
        gap = keys[m.tok_end:group[0].tok_start]
        if gap and all(k in (",", "and", "the", "'s") for k in gap) and ("and" in gap or "," in gap):
            group.insert(0, m)
        else:
            break
    return group


def _conjuncts_after(first: Mention, actors: list[Mention], keys: list[str]) -> list[Mention]:
    group = [first]
    for m in actors:
        if m.tok_start <= group[-1].tok_start:
            continue
        gap = keys[group[-1].tok_end:m.tok_start]
        if gap and all(k in (",", "and", "the", "other", "its", "his", "her") for k in gap) \
                and ("and" in gap or "," in gap):
            group.append(m)
        else:
            break
    return group


def _object(actors: list[Mention], keys: list[str], e: int) -> list[Mention]:
    for m in actors:
        if m.tok_start < e:
            continue
        if m.prep is None and all(k in _SKIP for k in keys[e:m.tok_start]) and m.tok_start - e <= 4:
            return _conjuncts_after(m, actors, keys)
        return []
    return []


def _after_prep(actors: list[Mention], keys: list[str], e: int, preps: tuple[str, ...], window: int):
    for m in actors:
        if not e <= m.tok_start <= e + window or "." in keys[e:m.tok_start]:
            continue
        # "complained about new US curbs": the preposition may sit a word or two before the mention
        near = keys[max(e, m.tok_start - 3):m.tok_start]
        if m.prep in preps or (m.prep is None and any(k in preps for k in near)):
            return _conjuncts_after(m, actors, keys)
    if "that" in preps:  # "complained that Tokyo is ...": the subject of the that-clause
        for k in range(e, min(len(keys), e + 6)):
            if keys[k] == "that":
                nxt = next((m for m in actors if m.tok_start > k), None)
                if nxt is not None and nxt.tok_start <= k + 4:
                    return _conjuncts_after(nxt, actors, keys)
    return []


def _refs(mentions: list[Mention]) -> list[Actor]:
    """Every actor the mentions stand for (a group mention such as "the two sides" stands for several)."""
    return _unique(a for m in mentions for a in (m.group or [m.referent]))


def _unique(actors) -> list[Actor]:
    out: list[Actor] = []
    for a in actors:
        if a is not None and a not in out:
            out.append(a)
    return out


def _dedupe(drafts: list[Draft]) -> list[Draft]:
    out: list[Draft] = []
    for d in drafts:
        same = next((x for x in out if x.type == d.type and x.agents == d.agents
                     and x.addressees == d.addressees), None)
        if same is None:
            out.append(d)
        else:
            same.topics = _unique([*same.topics, *d.topics])
    return out
