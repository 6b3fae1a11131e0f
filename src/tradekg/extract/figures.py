"""Figures with units, periods and comparisons: "14.9 billion dollars", "$550 billion", "7.7 percent",
"exceeded 10,000 units", "fiscal 2024".

A figure is a number with a unit (money, percent, or a counted noun such as units, vehicles, tons).
Bare numbers, years and durations ("90 days") are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6}
_CURRENCY_WORDS = {"dollars": "dollars", "dollar": "dollars", "yen": "yen", "euros": "euros", "euro": "euros",
                   "pounds": "pounds", "yuan": "yuan", "won": "won"}
_SYMBOLS = {"$": "dollars", "US$": "dollars", "¥": "yen", "€": "euros", "£": "pounds"}
_COUNTED = (r"units|vehicles|cars|tons|tonnes|metric tons|barrels|jobs|workers|people|aircraft|planes|bushels"
            r"|liters|litres")
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_RE = r"(?:\s*(thousand|million|billion|trillion|bn|mn)\b)?"
_PATTERN = re.compile(
    rf"(US\$|\$|¥|€|£)\s?({_NUM}){_SCALE_RE}"
    rf"|\b({_NUM}){_SCALE_RE}\s*(%|percent\b|per cent\b|percentage points?\b"
    rf"|(?:US |U\.S\. )?(?:dollars?|yen|euros?|pounds|yuan|won)\b|(?:{_COUNTED})\b)",
    re.IGNORECASE,
)
_COMPARISONS = [
    (re.compile(r"\b(exceed(?:ed|s|ing)?|more than|over|above|topp?(?:ed|s)|surpass(?:ed|es)?|at least)\s*$",
                re.I), "exceeded"),
    (re.compile(r"\b(about|around|roughly|nearly|almost|approximately|some|an estimated)\s*$", re.I), "about"),
    (re.compile(r"\b(less than|under|below|fewer than|at most)\s*$", re.I), "below"),
]
_PERIOD = re.compile(
    r"\b(fiscal(?: year)? \d{4}|FY ?\d{4}|(?:first|second|third|fourth|last) quarter(?: of \d{4})?"
    r"|(?:in|during|for|since|of) (?:\d{4}(?:-\d{2,4})?)|(?:last|this|next) year|for \d+ days|annually|a year)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    """One figure: value (scaled), unit, period, comparison, and the matched span."""

    start: int
    end: int
    value: float
    unit: str
    period: str | None
    comparison: str | None


def _unit(word: str) -> str:
    w = word.lower().replace("u.s. ", "").replace("us ", "")
    if w in ("%", "percent", "per cent"):
        return "percent"
    if w.startswith("percentage point"):
        return "percentage points"
    return _CURRENCY_WORDS.get(w, w)


def find_figures(text: str, start: int, end: int) -> list[Figure]:
    """Figures in ``text[start:end]``, offsets into ``text``.

    >>> [(f.value, f.unit) for f in find_figures("imported $14.9 billion, or 7.7 percent", 0, 38)]
    [(14900000000.0, 'dollars'), (7.7, 'percent')]
    """
    out = []
    periods = [(m.start(), m.group(1)) for m in _PERIOD.finditer(text, start, end)]
    for m in _PATTERN.finditer(text, start, end):
        if m.group(1):
            number, scale, unit = m.group(2), m.group(3), _SYMBOLS[m.group(1)]
        else:
            number, scale, unit = m.group(4), m.group(5), _unit(m.group(6))
        value = float(number.replace(",", "")) * _SCALE.get((scale or "").lower(), 1)
        before = text[max(start, m.start() - 30):m.start()]
        comparison = next((name for rx, name in _COMPARISONS if rx.search(before)), None)
        period = _nearest(periods, m.start())
        out.append(Figure(m.start(), m.end(), value, unit, period, comparison))
    return out


def _nearest(periods: list[tuple[int, str]], pos: int) -> str | None:
    if not periods:
        return None
    _, text = min(periods, key=lambda p: abs(p[0] - pos))
    return re.sub(r"^(in|during|since|of|for) ", "", text, flags=re.I)
