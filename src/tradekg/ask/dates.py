"""Dates and rounds a question limits itself to: "in July 2025", "since May", "between April and May",
"the second round"."""

from __future__ import annotations

import datetime as _dt
import re

from tradekg.ask.model import NoAnswerError
from tradekg.ask.patterns import Patterns
from tradekg.ask.words import _MONTHS

_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_EXPR = re.compile(
    r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
    r"|\b(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?: of)? (?P<m1>MONTH)\b(?:,? (?P<y1>\d{4}))?"
    r"|\b(?P<m2>MONTH)(?: (?P<d2>\d{1,2})(?:st|nd|rd|th)?\b)?(?:,? (?:of )?(?P<y2>\d{4}))?"
    r"|\b(?P<y3>(?:19|20)\d{2})\b".replace("MONTH", _MONTH_RX)
)
_YEAR_AFTER = re.compile(
    r"\s+(?:and|to|-|until|till|through)\s+(?:MONTH)(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+(\d{4})\b".replace(
        "MONTH", _MONTH_RX))


def _year_after(low: str, end: int) -> str | None:
    """The year of a range written once at its end: "between April and May 2025"."""
    m = _YEAR_AFTER.match(low[end:])
    return m.group(1) if m else None


def _month_end(y: int, m: int) -> _dt.date:
    return (_dt.date(y + (m == 12), m % 12 + 1, 1)) - _dt.timedelta(days=1)


def date_range(text: str, latest: _dt.date | None) -> tuple[_dt.date | None, _dt.date | None, str]:
    """The dates a question limits itself to: ``(from, to, the words that said so)``.

    A month without a year is taken in the year of the latest event in the store (or the year before,
    when that month has not come yet by then).

    >>> date_range("what happened between april and may 2025", None)[:2]
    (datetime.date(2025, 4, 1), datetime.date(2025, 5, 31))
    >>> date_range("events after 16 April 2025", None)[:2]
    (datetime.date(2025, 4, 17), None)
    """
    low = text.lower()
    spans: list[tuple[int, int, _dt.date, _dt.date]] = []
    for m in _DATE_EXPR.finditer(low):
        g = m.groupdict()
        try:
            if g["iso"]:
                d = _dt.date.fromisoformat(g["iso"])
                spans.append((m.start(), m.end(), d, d))
                continue
            month = g["m1"] or g["m2"]
            if month:
                if month == "may" and not (g["d2"] or g["y2"]) and not re.search(
                        r"\b(?:in|since|before|after|until|till|between|and|from|to|of|during|early|late|mid)\s+$",
                        low[:m.start()]):
                    continue  # "may" the verb
                mo = _MONTHS[month]
                year_s = g["y1"] or g["y2"] or _year_after(low, m.end())
                if year_s:
                    year = int(year_s)
                elif spans:
                    year = spans[-1][2].year + (mo < spans[-1][2].month)  # "between November and February"
                else:
                    year = (latest or _dt.date.today()).year
                    if latest and mo > latest.month:
                        year -= 1
                day_s = g["d1"] or g["d2"]
                if day_s:
                    d = _dt.date(year, mo, int(day_s))
                    spans.append((m.start(), m.end(), d, d))
                else:
                    spans.append((m.start(), m.end(), _dt.date(year, mo, 1), _month_end(year, mo)))
            elif g["y3"]:
                y = int(g["y3"])
                spans.append((m.start(), m.end(), _dt.date(y, 1, 1), _dt.date(y, 12, 31)))
        except ValueError:
            raise NoAnswerError(f"I do not understand the date {m.group()!r}: there is no such day.",
                                "not_understood") from None
    if not spans:
        return None, None, ""
    words = " ".join(low[a:b] for a, b, _, _ in spans)
    before = low[:spans[0][0]]
    if len(spans) >= 2 and re.search(r"\b(?:between|from)\s+$", before):
        return spans[0][2], spans[1][3], words
    first = spans[0]
    if re.search(r"\bafter\s+$", before):
        return first[3] + _dt.timedelta(days=1), None, words
    if re.search(r"\b(?:since|from)\s+$", before):
        return first[2], None, words
    if re.search(r"\bbefore\s+$", before):
        return None, first[2] - _dt.timedelta(days=1), words
    if re.search(r"\b(?:until|till|through|up to|by)\s+$", before):
        return None, first[3], words
    return first[2], (spans[-1][3] if len(spans) >= 2 and re.search(r"\b(?:and|to|-)\s+$",
                                                                     low[first[1]:spans[1][0]]) else first[3]), words


_ROUND_RXS = (re.compile(r"\bround (?:number |no |#)?(?P<w>\w+)\b"), re.compile(r"\b(?P<w>\w+) round\b"))


def _round_number(text: str, patterns: Patterns) -> tuple[int | str | None, str]:
    matches = [m for rx in _ROUND_RXS for m in rx.finditer(text.lower())]
    for m in matches:
        word = m.group("w")
        if word in ("last", "latest", "final", "most recent", "recent"):
            return "last", m.group()
        w = re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", word)
        if w.isdigit():
            return int(w), m.group()
        if word in patterns.ordinals:
            return patterns.ordinals[word], m.group()
    return None, ""

