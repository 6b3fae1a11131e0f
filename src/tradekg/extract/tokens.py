"""Tokens with character offsets, over a normalized copy of the text that keeps every offset.

Typographic apostrophes and quotes are folded to ASCII one character for one character, so an
offset into the normalized text is an offset into the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One-for-one replacements: the normalized text has exactly the original's length.
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u00a0": " "})

# Acronyms with dots (U.S., U.K.) first, then numbers (14.9, 10,000), then words, then the possessive
# 's as its own token, then any other single non-space character.
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\d+(?:[.,]\d+)*|\w+|'s\b|\S")


def normalize(text: str) -> str:
    """Fold typographic apostrophes, quotes and dashes to ASCII without changing the length.

    >>> normalize("Japan\u2019s")
    "Japan's"
    """
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its text as written, its key for matching (lowercase, dots dropped), and offsets."""

    text: str
    start: int
    end: int
    key: str

    @property
    def is_capitalized(self) -> bool:
        """True when the token starts with an upper-case letter."""
        return self.text[:1].isupper()


def token_key(word: str) -> str:
    """The matching key of a token: lowercase, acronym dots dropped ("U.S." and "US" → "us")."""
    if "." in word and word[:1].isalpha():
        word = word.replace(".", "")
    return word.lower()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text`` (normalize it first).

    >>> [t.text for t in tokenize("Japan's U.S. deal")]
    ['Japan', "'s", 'U.S.', 'deal']
    """
    end = len(text) if end is None else end
    return [Token(w, m.start(), m.end(), token_key(w)) for m in _TOKEN.finditer(text, start, end)
            for w in (m.group(),)]
