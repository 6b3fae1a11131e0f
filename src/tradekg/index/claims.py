"""``claims`` from the answer index: its SPARQL is a ``SELECT DISTINCT`` without grouping, so a claim gives
one row per combination of its values (each claimant's label, each statistic that contradicts or supports
it with each of its values...), ordered by every column. This module expands those rows the same way."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

from tradekg.index.terms import decode, sort_key

COLUMNS = ("event", "claimant", "content", "hedge", "date", "relation", "measure", "value", "unit", "period",
           "comparison", "statisticSource", "statisticEvidence", "attributedTo", "status", "article", "title",
           "published", "evidence")
# The query's ORDER BY after DESC(?date) ?event.
ORDER = ("measure", "claimant", "statisticEvidence", "relation", "value", "unit", "period", "comparison",
         "statisticSource", "content", "hedge", "attributedTo", "status", "article", "title", "published", "evidence")
STAT = ("relation", "measure", "value", "unit", "period", "comparison", "statisticSource", "statisticEvidence")


def _or_none(values: list[str]) -> list[str | None]:
    return list(values) if values else [None]


def pref_iris(details: dict[str, Any]) -> set[str]:
    """The IRIs whose skos:prefLabel a claim's rows show: its attribution and its statistics' sources."""
    return set(details["attributed"]) | {s for st in details["stats"] for s in st["source"]}


def _factors(event: Any, names: dict[str, list[str]], pref: dict[str, list[str]]) -> list[list[Any]]:
    """The values each column group of a claim's rows takes; the rows are every combination."""
    d = event.details
    # One row per matched claimant's label; a claimant without one gives a row without a claimant.
    claimants: set[str | None] = {c for a in event.matched.get("claimant", ()) for c in names.get(a, [None])}
    stats: set[tuple[str | None, ...]] = set()
    for st in d["stats"]:
        sources = sorted({c for s in st["source"] for c in pref.get(s, ())})
        stats.update(itertools.product([st["relation"]], _or_none(st["measure"]), _or_none(st["value"]),
                                       _or_none(st["unit"]), _or_none(st["period"]), _or_none(st["comparison"]),
                                       _or_none(sources), _or_none(st["evidence"])))
    if not stats:
        stats.add((None,) * len(STAT))
    attributed = sorted({c for a in d["attributed"] for c in pref.get(a, ())})
    return [list(claimants) or [None], _or_none(d["content"]), _or_none(d["hedge"]), _or_none(d["date"]),
            list(stats), _or_none(attributed), _or_none(d["status"]), _or_none(d["title"]),
            _or_none(d["published"]), _or_none(d["evidence"])]


def claim_count(event: Any, names: dict[str, list[str]], pref: dict[str, list[str]]) -> int:
    """How many rows :func:`claim_rows` gives, without making them (each factor's values are distinct)."""
    return math.prod(len(f) for f in _factors(event, names, pref))


def claim_rows(event: Any, names: dict[str, list[str]], pref: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The distinct rows of one claim (an :class:`~tradekg.index.answers.Event`), in the query's order."""
    fixed = {"event": "i" + event.event, "article": "i" + event.article}
    rows = []
    for claimant, content, hedge, date, stat, attr, status, title, published, evidence in itertools.product(
            *_factors(event, names, pref)):
        row = {**fixed, "claimant": claimant, "content": content, "hedge": hedge, "date": date,
               **dict(zip(STAT, stat, strict=True)), "attributedTo": attr, "status": status, "title": title,
               "published": published, "evidence": evidence}
        rows.append(row)
    rows.sort(key=lambda r: [sort_key(r[c]) for c in ORDER])
    return rows


def decoded(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for r in rows:
        yield {c: decode(r[c]) for c in COLUMNS}
