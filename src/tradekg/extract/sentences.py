"""Sentence splitting with character offsets, in one linear pass.

A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets) followed by white space and
an upper-case letter, digit or opening quote, unless the word before the stop is a known abbreviation or
an initial; a line break always ends a sentence, so headlines without a full stop stand alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt st jr sr inc corp co ltd no vs etc approx dept est fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun u.s u.k e.g i.e "
    "a.m p.m".split()
)

_CANDIDATE = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)|\n|[\u3002\uff01\uff1f]")
#: Longer "sentences" (tables, text without stops) are cut, so no step ever sees an unbounded span.
MAX_SENTENCE = 2000
_NEXT_START = re.compile(r"\s*[\"'\u201c\u2018(\[]?[A-Z0-9]")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)\.$")


@dataclass(frozen=True, slots=True)
class Span:
    """A span of the text: ``text[start:end]``."""

    start: int
    end: int

    def of(self, text: str) -> str:
        """The spanned text."""
        return text[self.start:self.end]


def split_sentences(text: str) -> list[Span]:
    """Sentence spans, stripped of surrounding white space, in text order.

    >>> t = "Mr. Akazawa met Trump. He gave him a gift.\\nHeadline"
    >>> [s.of(t) for s in split_sentences(t)]
    ['Mr. Akazawa met Trump.', 'He gave him a gift.', 'Headline']
    """
    spans: list[Span] = []
    begin = 0
    for m in _CANDIDATE.finditer(text):
        if m.group() not in ("\n", "\u3002", "\uff01", "\uff1f"):
            if not _NEXT_START.match(text, m.end()):
                continue
            if m.group().startswith(".") and _is_abbreviation(text, begin, m.start() + 1):
                continue
        _add(text, begin, m.end(), spans)
        begin = m.end()
    _add(text, begin, len(text), spans)
    return spans


def _is_abbreviation(text: str, begin: int, stop: int) -> bool:
    # Look only at the last word before the stop (bounded), so the pass stays linear.
    word = _WORD_BEFORE.search(text, max(begin, stop - 12), stop)
    if not word:
        return False
    w = word.group(1)
    if len(w) == 1 and w.isupper():  # an initial: "John F. Kennedy"
        return True
    parts = w.split(".")
    if len(parts) > 1 and all(len(p) == 1 and p.isupper() for p in parts):
        return True  # initials: "Scott K.H. Bessent"
    return w.lower().lstrip(".") in _ABBREVIATIONS


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        _add(text, start, cut, spans)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append(Span(start, end))
