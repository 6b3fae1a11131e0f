"""Never widen a question silently: every content word of a question narrows its answer, or ask says so.

A word of the question is accounted for when it is part of a name the store knows, a word of an intent's
triggers (matched in place, so "sat down with" covers "sat"), a word naming an event kind, a date, a
round, a question or function word, or listed under ``understood`` in ``ask_patterns.yaml``. Any other
content word ("What did the Prime Minister announce?" where no one is called just "Prime Minister";
"What tariffs did Japan impose on whisky?" with no whisky in the store) would be dropped, and the answer
would be wider than the question. So such a word narrows the rows to those whose text mentions it
(:func:`filter_by_words`, recorded in the answer's bindings); when none does, there is no answer. A partial
name held by several actors ("the Prime Minister") is refused: the answer would be theirs together.
"""

from __future__ import annotations

import re
from typing import Any

from tradekg.ask.kindwords import kind_vocabulary
from tradekg.ask.labels import LabelIndex
from tradekg.ask.model import NoAnswerError
from tradekg.ask.patterns import Patterns
from tradekg.ask.reading import Mention, Reading
from tradekg.ask.words import _AUX, _DAYS, _FUNCTION_WORDS, _MONTHS, _STARTERS
from tradekg.resolve import key

_ROUND_WORDS = frozenset({"round", "rounds", "number", "no"})
# Words that open a phrase narrowing the question ("on whisky", "in Scotland", "about Ukraine"): a word in
# such a phrase narrows the answer when understood, and would widen it when dropped (a name missing from the
# subject, "what did macron request", is found by the reading's slot check).
# Elsewhere words are the question's own verbs and adverbs ("walk me through", "why did he choose"), which
# narrow nothing.
_OPENERS = frozenset("of on about for in at with against to from regarding concerning over into toward towards "
                     "between by".split())
_CLAUSE = frozenset({"that", "whether", "if", "because"})
# Intents whose query reads the words themselves (a claim's content, a statement's summary) or whose
# question quotes what was said ("learn that Trump would attend"): their words are used, not dropped.
_TEXT_INTENTS = frozenset({"claims", "sources", "notifications"})


def _trigger_words(reading: Reading, patterns: Patterns) -> set[int]:
    """Token indexes inside a match of any intent's trigger in the masked question."""
    covered: set[int] = set()
    for intent in patterns.intents:
        for rx, _ in intent.triggers:
            for m in rx.finditer(reading.masked):
                for k, off in enumerate(reading.offsets):
                    if m.start() <= off < m.end():
                        covered.add(reading.slots[k])
    return covered


def _plain(w: str, known: set[str] | frozenset[str]) -> bool:
    """``w`` or its singular/plural is in ``known``."""
    return w in known or (w.endswith("s") and w[:-1] in known) or (w + "s") in known


def unexplained(reading: Reading, index: LabelIndex, patterns: Patterns) -> list[str]:
    """The content words of the question nothing accounts for, as written."""
    if reading.intent is not None and reading.intent.query in _TEXT_INTENTS:
        return []
    tokens = reading.tokens
    covered = {i for m in reading.mentions for i in range(m.start, m.end)} | _trigger_words(reading, patterns)
    clause = next((j for j, t in enumerate(tokens) if t.norm in _CLAUSE), len(tokens))
    kind_words = {w for k in kind_vocabulary(patterns) for w in k}
    out = []
    for i, t in enumerate(tokens):
        w = t.norm
        if i in covered or not w.isalpha() or len(w) <= 2 or w in _FUNCTION_WORDS or w in _STARTERS:
            continue
        if i >= clause or not any(x.norm in _OPENERS for x in tokens[max(0, i - 3):i]):
            continue
        if w in _MONTHS or w in _DAYS or w in patterns.ordinals or w in _ROUND_WORDS or w in _AUX:
            continue
        if w in patterns.be_verbs or w in patterns.receive_verbs or _plain(w, patterns.understood):
            continue
        if _plain(w, kind_words) or _plain(w, index.words):
            continue
        if any(rx.search(w) for intent in patterns.intents for rx, _ in intent.triggers):
            continue
        out.append(t.orig)
    return out


def partial_names(reading: Reading, index: LabelIndex, patterns: Patterns) -> list[str]:
    """Runs of capitalized words inside a sentence that are words of known names but name no one by
    themselves ("the Prime Minister", "the Minister"): a name the question means but the store cannot pin."""
    tokens = reading.tokens
    covered = {i for m in reading.mentions for i in range(m.start, m.end)}
    if any(t.orig[:1].isupper() and t.norm in _FUNCTION_WORDS for i, t in enumerate(tokens) if i > 0):
        return []  # Title Case: capitals say nothing
    kind_words = {w for k in kind_vocabulary(patterns) for w in k}
    runs: list[list[str]] = []
    last = -2
    for i, t in enumerate(tokens):
        if i == 0 or i in covered or not t.orig[:1].isupper() or t.norm not in index.words:
            continue
        if t.norm in _MONTHS or t.norm in _DAYS or t.norm in _STARTERS or _plain(t.norm, kind_words):
            continue
        if any(rx.search(t.norm) for intent in patterns.intents for rx, _ in intent.triggers):
            continue
        if last == i - 1:
            runs[-1].append(t.orig)
        else:
            runs.append([t.orig])
        last = i
    return [" ".join(r) for r in runs]


def _places_named_by(words: str, index: LabelIndex) -> list[str]:
    """The places whose label holds ``words`` ("Scotland" in "Turnberry, Scotland"); none if anything else
    holds them too."""
    k = key(words)
    found = [e for e in index.entities.values()
             if any(ek[i:i + len(k)] == k for ek in e.keys for i in range(len(ek) - len(k) + 1))]
    return [e.iri for e in found] if found and all(e.kind == "place" for e in found) else []


def check_words(reading: Reading, index: LabelIndex, patterns: Patterns) -> list[str]:
    """Raise :class:`NoAnswerError` for a partial name the store cannot pin to one kind of thing; return the
    content words nothing else accounts for, which the caller must use as a filter on the rows' text (or
    answer nothing): never drop them.

    A partial name that only places hold ("in Scotland", with the place "Turnberry, Scotland") becomes a
    mention of those places.
    """
    for name in partial_names(reading, index, patterns):
        places = _places_named_by(name, index)
        if places:
            at = next(i for i, t in enumerate(reading.tokens) if t.orig == name.split()[0])
            reading.mentions.append(Mention(at, at + len(name.split()), name, places, "place", "location",
                                            "ignored"))
            continue
        close = [e.label for e in index.entities.values()
                 if e.kind == "actor" and re.search(rf"\b{re.escape(name.lower())}\b", e.label.lower())][:5]
        close = close or index.closest(name)
        hint = f" Names I know with those words: {', '.join(close)}." if close else ""
        raise NoAnswerError(f"{name!r} names no one in this store by itself, and I will not answer for all of "
                            f"them.{hint} Ask with the name.", "unknown_name", close)
    return reading.topic_words + unexplained(reading, index, patterns)


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ions", "ion", "ies", "ed", "es", "s")


def stem(word: str) -> str:
    """A word without its commonest English endings, so "resignation" finds "resign" and "tariffs" finds
    "tariff" (a stem of at least four letters is kept, three for a plural).

    >>> [stem(w) for w in ("resignation", "tariffs", "investments", "whisky", "taxes")]
    ['resign', 'tariff', 'invest', 'whisky', 'tax']
    """
    w = word.lower()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= (3 if suffix in ("es", "s") else 4):
            return w[: -len(suffix)]
    return w


_NOT_TEXT = frozenset({"event", "article", "title", "published", "publisher"})


def row_text(row: dict[str, Any]) -> str:
    """What a row says of its event (evidence, summary, content, topics, names), without the article's
    title: a title speaks of the whole article, not of this row."""
    return " ".join(str(v) for k, v in row.items() if isinstance(v, str) and k not in _NOT_TEXT)


def filter_by_words(rows: list[dict[str, Any]], words: list[str]) -> list[dict[str, Any]]:
    """The rows whose text (evidence, summary, content, topics ...) mentions every one of ``words``, in the
    singular or the plural.

    >>> filter_by_words([{"evidence": "a tariff on Scotch whisky"}, {"evidence": "on cars"}], ["whisky"])
    [{'evidence': 'a tariff on Scotch whisky'}]
    >>> filter_by_words([{"evidence": "he will resign"}], ["resignation"])
    [{'evidence': 'he will resign'}]
    """
    def says(row: dict[str, Any], word: str) -> bool:
        return re.search(rf"\b{re.escape(stem(word))}\w*", row_text(row).lower()) is not None

    return [r for r in rows if all(says(r, w) for w in words)]
