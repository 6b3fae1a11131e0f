"""Date expressions resolved against the publication date.

"on Wednesday" is the most recent Wednesday on or before publication; "yesterday", "today"; "on April 16"
and "April 16, 2025" and "16 April"; "last month", "in July" (month precision: the most recent such month
on or before publication). Without a publication date only dates that carry a year resolve.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_DAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_M = r"(January|February|March|April|May|June|July|August|September|October|November|December|" \
     r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_PATTERN = re.compile(
    rf"\b{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b"          # April 16(, 2025)
    rf"|\b(\d{{1,2}})\s+{_M}(?:,?\s+(\d{{4}}))?\b"                        # 16 April (2025)
    r"|\b(\d{4})-(\d{2})-(\d{2})\b"                                        # 2025-04-16
    r"|\b(?:on|last|this|since|by|until|early|late)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(yesterday|today|tonight|this morning|this evening|this afternoon|just now|earlier today|this week|"
    r"last week|last month|this month|last year)\b"
    rf"|\b(?:in|since|by|until|early|late|mid-|during)\s*{_M}(?:\s+(\d{{4}}))?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression: ``value`` is ISO (day) or ``YYYY-MM`` (month), ``None`` if unresolved."""

    start: int
    end: int
    text: str
    value: str | None
    precision: str  # day, month, year, week


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_before(published: dt.date | None, month: int, year: str | None) -> str | None:
    if year:
        return f"{int(year):04d}-{month:02d}"
    if published is None:
        return None
    y = published.year if month <= published.month else published.year - 1
    return f"{y:04d}-{month:02d}"


def _day(published: dt.date | None, month: int, day: int, year: str | None) -> str | None:
    if year:
        d = _safe(int(year), month, day)
    elif published is not None:
        d = _safe(published.year, month, day)
        if d is not None and d > published + dt.timedelta(days=183):
            # "on December 30" in a January article is last year's; "from August 1" in June is this year's
            d = _safe(published.year - 1, month, day)
    else:
        d = None
    return d.isoformat() if d else None


def find_dates(text: str, start: int, end: int, published: dt.date | None) -> list[DateMention]:
    """Date expressions in ``text[start:end]`` with offsets into ``text``.

    >>> [d.value for d in find_dates("Talks on Wednesday.", 0, 19, dt.date(2025, 4, 19))]
    ['2025-04-16']
    """
    out = []
    for m in _PATTERN.finditer(text, start, end):
        g = m.groups()
        value, precision = None, "day"
        if g[0]:
            value = _day(published, _MONTHS[g[0].lower().rstrip(".")], int(g[1]), g[2])
        elif g[3]:
            value = _day(published, _MONTHS[g[4].lower().rstrip(".")], int(g[3]), g[5])
        elif g[6]:
            d = _safe(int(g[6]), int(g[7]), int(g[8]))
            value = d.isoformat() if d else None
        elif g[9] and published is not None:
            back = (published.weekday() - _DAYS[g[9].lower()]) % 7
            if back == 0 and m.group().lower().startswith("last"):
                back = 7  # "last Friday" said on a Friday is a week ago
            value = (published - dt.timedelta(days=back)).isoformat()
        elif g[10]:
            word = g[10].lower()
            if published is not None:
                if word in ("today", "tonight", "this morning", "this evening", "this afternoon", "just now",
                            "earlier today"):
                    value = published.isoformat()
                elif word == "yesterday":
                    value = (published - dt.timedelta(days=1)).isoformat()
                elif word in ("last month", "this month"):
                    first = published.replace(day=1)
                    value = (first - dt.timedelta(days=1) if word == "last month" else first).strftime("%Y-%m")
                    precision = "month"
                elif word == "last year":
                    value, precision = str(published.year - 1), "year"
                else:
                    value, precision = published.isoformat(), "week"
        elif g[11]:
            value, precision = _month_before(published, _MONTHS[g[11].lower().rstrip(".")], g[12]), "month"
        out.append(DateMention(m.start(), m.end(), m.group(), value, precision))
    return out
