"""Reading a question: normalize it, find the names it mentions, and pick its intent."""

from __future__ import annotations

from dataclasses import dataclass, field

from tradekg.ask.kindwords import chosen_kinds, find_kinds
from tradekg.ask.labels import _KIND_RANK, LabelIndex
from tradekg.ask.model import NoAnswerError
from tradekg.ask.patterns import Intent, Patterns
from tradekg.ask.words import (
    _AUX,
    _DAYS,
    _FUNCTION_WORDS,
    _LEADING,
    _MONTHS,
    _STARTERS,
    _SYNTAX,
)
from tradekg.resolve import Token, fold, tokenize

MAX_QUESTION_CHARS = 500
_ABOUT = frozenset({"about", "on", "to", "with", "regarding", "concerning", "over"})


@dataclass
class Mention:
    """A name found in the question: token span, the IRIs it names, and its role once known."""

    start: int
    end: int
    text: str
    iris: list[str]
    kind: str
    marker: str = ""
    role: str = ""


@dataclass
class Reading:
    """Everything the pipeline understood about a question."""

    text: str
    tokens: list[Token]
    mentions: list[Mention]
    masked: str
    offsets: list[int]            # char offset of each masked token in ``masked``
    slots: list[int]              # masked token index -> index of the first original token
    intent: Intent | None = None
    trigger_at: int | None = None  # original token index of the intent's trigger
    kinds: list[str] = field(default_factory=list)  # the event kinds the question names (kindwords)
    topic_words: list[str] = field(default_factory=list)  # words the rows' text must mention


def _normalize(question: str, patterns: Patterns) -> str:
    if not isinstance(question, str) or not question.strip():
        raise NoAnswerError(
            "The question is empty. Ask in plain English, for example: " + _examples(patterns, 3), "empty",
            [i.example for i in patterns.intents if i.example],
        )
    if len(question) > MAX_QUESTION_CHARS:
        raise NoAnswerError(
            f"The question is too long ({len(question)} characters; at most {MAX_QUESTION_CHARS}). "
            "Ask one thing at a time.", "refused")
    text = fold(question)
    m = _SYNTAX.search(text)
    if m:
        raise NoAnswerError(
            f"I did not understand the question: {m.group().strip()!r} reads as query syntax, not English, "
            "and ask only answers questions in words. (To run SPARQL, use `tradekg sparql`.) "
            "For example: " + _examples(patterns, 2), "refused",
        )
    text = " ".join(text.split())
    for rx in patterns.preambles:
        text = rx.sub(" ", text, count=1) if rx.pattern.startswith("^") else rx.sub(" ", text)
        text = text.strip(" ,")
    return text


def _examples(patterns: Patterns, n: int) -> str:
    first = ("requests", "meetings", "claims", "timeline")
    ranked = sorted(patterns.intents, key=lambda i: first.index(i.query) if i.query in first else len(first))
    return "; ".join(f'"{i.example}"' for i in ranked[:n] if i.example)


def _find_mentions(tokens: list[Token], index: LabelIndex, all_lower: bool) -> list[Mention]:
    out: list[Mention] = []
    i, n = 0, len(tokens)
    while i < n:
        for length in range(min(index.max_len, n - i), 0, -1):
            key = tuple(t.norm for t in tokens[i:i + length])
            if key == ("'s",) or (length == 1 and key[0] in _FUNCTION_WORDS and key[0] != "us"):
                continue
            iris = index.lookup(key)
            if not iris:
                continue
            # "us" written in lower case is the pronoun ("tell us"), unless the whole question is lower case
            # or it reads "the us".
            if key == ("us",) and tokens[i].orig == "us" and not all_lower and (
                    i == 0 or tokens[i - 1].norm != "the"):
                continue
            ents = [index.entities[x] for x in sorted(iris)]
            kind = min((e.kind for e in ents), key=lambda k: _KIND_RANK.get(k, 9))
            text = " ".join(t.orig for t in tokens[i:i + length])
            out.append(Mention(i, i + length, text, [e.iri for e in ents if e.kind == kind], kind))
            i += length
            break
        else:
            i += 1
    return out


def _mask(tokens: list[Token], mentions: list[Mention]) -> tuple[str, list[int], list[int]]:
    parts: list[str] = []
    slots: list[int] = []
    by_start = {m.start: (k, m) for k, m in enumerate(mentions)}
    i = 0
    while i < len(tokens):
        if i in by_start:
            k, m = by_start[i]
            parts.append(f"@{m.kind[0]}{k}")
            slots.append(i)
            i = m.end
        else:
            parts.append(tokens[i].norm)
            slots.append(i)
            i += 1
    offsets, pos = [], 0
    for p in parts:
        offsets.append(pos)
        pos += len(p) + 1
    return " ".join(parts), offsets, slots


def _unknown_names(tokens: list[Token], mentions: list[Mention], index: LabelIndex, patterns: Patterns) -> list[str]:
    """Capitalized words that name nothing in the store.

    Not names: words of any known label, question and function words, months and days, and words the
    question patterns know ("Round", "Timeline"). A question in Title Case (a capitalized "Of", "The") is
    not checked.
    """
    covered = {i for m in mentions for i in range(m.start, m.end)}
    if any(t.orig[:1].isupper() and t.norm in _FUNCTION_WORDS for i, t in enumerate(tokens) if i > 0):
        return []
    unknown: list[str] = []
    last = -2
    for i, t in enumerate(tokens):
        if i in covered or not t.orig[:1].isupper() or t.norm in index.words or t.norm in _FUNCTION_WORDS:
            continue
        if t.norm in _STARTERS or t.norm in _MONTHS or t.norm in _DAYS or t.norm in patterns.ordinals:
            continue
        # Every sentence starts with a capital: the first word is a name only when it reads as one.
        if i == 0 and len(tokens) > 2 and tokens[1].norm != "'s" and not tokens[1].orig[:1].isupper():
            continue
        if any(rx.search(t.norm) for intent in patterns.intents for rx, _ in intent.triggers):
            continue
        if last == i - 1:
            unknown[-1] += " " + t.orig  # a run of capitalized words is one name ("Emmanuel Macron")
        else:
            unknown.append(t.orig)
        last = i
    return unknown


def _slot_unknowns(reading: Reading, index: LabelIndex, patterns: Patterns, unfilled: set[str]) -> list[str]:
    """Lower-case words standing where a missing name should be: "what did macron request of japan".

    Looked for only when a role is left unfilled: between the auxiliary and the verb for the one who acts,
    right after "of", "from", "by" or "with" past the verb for the one acted upon.
    """
    tokens, t = reading.tokens, reading.trigger_at
    covered = {i for m in reading.mentions for i in range(m.start, m.end)}

    def unexplained(j: int) -> bool:
        w = tokens[j].norm
        return (j not in covered and w.isalpha() and len(w) >= 3 and w not in _FUNCTION_WORDS
                and w not in _STARTERS and w not in _MONTHS and w not in _DAYS and w not in index.words
                and w not in patterns.ordinals and w not in patterns.be_verbs and w not in patterns.receive_verbs
                and not any(rx.search(w) for i in patterns.intents for rx, _ in i.triggers))

    out: list[str] = []
    if t is None:
        return out
    if unfilled & {"agent", "any"}:
        aux = max((j for j in range(t) if tokens[j].norm in _AUX), default=None)
        if aux is not None:
            out += [tokens[j].orig for j in range(aux + 1, t) if unexplained(j)]
    if unfilled & {"addressee", "any"}:
        out += [tokens[j].orig for j in range(t + 1, len(tokens))
                if tokens[j - 1].norm in ("of", "from", "by", "with") and unexplained(j)]
    return out


def _score(masked: str, patterns: Patterns) -> tuple[Intent | None, int | None, int]:
    best: tuple[int, int] = (0, 0)
    chosen: Intent | None = None
    where: int | None = None
    for rank, intent in enumerate(patterns.intents):
        score, first = 0, None
        for rx, weight in intent.triggers:
            m = rx.search(masked)
            if m:
                score += weight
                first = m.start() if first is None else min(first, m.start())
        if score > best[0]:
            best, chosen, where = (score, -rank), intent, first
    return chosen, where, best[0]


def read_question(question: str, index: LabelIndex, patterns: Patterns) -> Reading:
    """Normalize the question, find its names and pick its intent (no store access besides ``index``)."""
    text = _normalize(question, patterns)
    tokens = tokenize(text)
    all_lower = not any(t.orig[:1].isupper() for t in tokens)
    mentions = _find_mentions(tokens, index, all_lower)
    unknown = _unknown_names(tokens, mentions, index, patterns)
    if unknown:
        name = unknown[0]
        close = index.closest(name)
        hint = f" Closest known names: {', '.join(close)}." if close else \
            " List the known actors with: tradekg ask \"who are the actors?\""
        others = f" (also unknown: {', '.join(unknown[1:])})" if len(unknown) > 1 else ""
        raise NoAnswerError(f"I do not know the name {name!r}{others} in this store.{hint}", "unknown_name",
                            close)
    # A concept an article calls "tariffs" is not what "which tariff actions" asks about: the words of a
    # kind are the kind, not a topic.
    kind_spans = [(m.at, m.at + len(m.words)) for m in find_kinds([t.norm for t in tokens], patterns) if m.weight >= 2]
    mentions = [m for m in mentions if not (m.kind == "concept" and any(
        a <= m.start and m.end <= b for a, b in kind_spans))]
    masked, offsets, slots = _mask(tokens, mentions)
    intent, at, score = _score(masked, patterns)
    reading = Reading(text, tokens, mentions, masked, offsets, slots, intent)
    parts = masked.split(" ")
    matches = find_kinds(parts, patterns)
    # "What did Ishiba say about the tariffs?", "What did India do about tariffs on whisky?": a kind's noun
    # after a preposition inside the question is what it is about (the rows must mention it), not a kind.
    about = [m for m in matches if m.weight >= 3 and any(
        w in _ABOUT for w in parts[max(1, m.at - 2):m.at])]
    reading_topics = [w for m in about for w in m.words]
    matches = [m for m in matches if m not in about]
    kinds, kind_score = chosen_kinds(matches)
    events = next((i for i in patterns.intents if i.name == "events"), None)
    if kinds and events is not None and (intent is None or kind_score > score
                                         or (kind_score == score and intent.generic and intent.query != "events")):
        # The words of a kind outweigh every intent: "what tariffs did ...", "who visited ...".
        first = next(m for m in matches if m.kind in kinds)
        reading.intent, reading.kinds, reading.trigger_at = events, kinds, slots[first.at]
        reading.topic_words = reading_topics
        return reading
    reading.topic_words = reading_topics
    if intent is not None and intent.query == "events":
        reading.kinds = kinds  # "what did Bessent do in July about visits": the activity, of those kinds
    if at is not None:
        # The trigger is the verb or noun of the match, not the question words a pattern may start with
        # ("what does @a0 want": the trigger is "want").
        k = max(j for j, off in enumerate(offsets) if off <= at)
        while k + 1 < len(parts) and (parts[k] in _LEADING or parts[k].startswith("@")):
            k += 1
        reading.trigger_at = slots[k]
    return reading

