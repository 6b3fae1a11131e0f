"""How rows read to a person: each figure with its comparison, each row with its source, an answer whole.

JSON, CSV and TSV carry every field as it is stored. A table is read by a person, who must not take
"value 10000" for an exact figure when the article said "more than 10,000", nor miss that a claim was
"alleged" or only "reported". :func:`readable` makes the table say what the data says:

- ``value``, ``unit`` and ``comparison`` become one cell: ``more than 10,000 units``;
- ``article``, ``title`` and ``published`` become one ``source`` cell per row: ``Title (2025-04-19)``, or
  the document id when the article has no title, so rows from several articles each show theirs;
- qualifiers (``hedge``, ``status``, ``attributedTo``) are always shown when any row has them;
- a column no row has a value for is left out.
"""

from __future__ import annotations

import io
from typing import Any, Protocol

import pyoxigraph as ox

from tradekg.namespaces import PREFIXES, TKDOC_IRI
from tradekg.output import QueryResult, dumps_json, render, render_table

# How each tk:Comparison individual reads before a value (tk:Exactly needs no word).
_COMPARISON_WORDS = {"exceeded": "more than", "about": "about", "below": "less than", "exactly": ""}
_OWN_IRIS = tuple(PREFIXES[p] for p in ("tk", "tkid", "tkdoc", "tkg"))


class AnswerLike(Protocol):
    """What :func:`render_answer` reads from an answer of ``ask`` (:class:`tradekg.ask.Answer`)."""

    summary: str
    rows: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    notes: list[str]

    def to_dict(self, *, with_sparql: bool = True) -> dict[str, Any]: ...


def figure(value: Any, unit: Any = None, comparison: Any = None) -> str | None:
    """A reported figure as a person reads it.

    >>> figure(10000, "units", "exceeded"), figure(14900000000, "USD", "exactly"), figure(7.7, "percent")
    ('more than 10,000 units', '14,900,000,000 USD', '7.7 percent')
    >>> figure(None, "units", "about") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number = f"{value:,}"
    elif isinstance(value, float):
        number = f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    else:
        number = str(value)
    word = _COMPARISON_WORDS.get(str(comparison).lower(), str(comparison)) if comparison else ""
    return " ".join(part for part in (word, number, str(unit) if unit else "") if part)


def source(article: Any, title: Any = None, published: Any = None) -> str | None:
    """The article a row comes from, as a person reads it: its title and date, or its id.

    >>> source(TKDOC_IRI + "talks", "Tariff talks", "2025-04-19"), source(TKDOC_IRI + "talks")
    ('Tariff talks (2025-04-19)', 'talks')
    """
    if article is None and title is None:
        return None
    name = title or (str(article)[len(TKDOC_IRI):] if str(article).startswith(TKDOC_IRI) else str(article))
    return f"{name} ({published})" if published else str(name)


def readable(rows: list[dict[str, Any]], columns: list[str] | None = None) -> QueryResult:
    """The rows as a person reads them (see the module docstring), in the order of ``columns``.

    >>> r = readable([{"claimant": "Trump", "hedge": "alleged", "value": 10000, "unit": "units",
    ...                "comparison": "exceeded", "article": TKDOC_IRI + "a", "title": "T", "published": "2025-04-19",
    ...                "date": None}])
    >>> r.rows
    [{'claimant': 'Trump', 'hedge': 'alleged', 'value': 'more than 10,000 units', 'source': 'T (2025-04-19)'}]
    """
    names = columns or list(dict.fromkeys(k for r in rows for k in r))
    out: list[dict[str, Any]] = []
    for row in rows:
        shown: dict[str, Any] = {}
        for name in names:
            if name in ("unit", "comparison", "title", "published"):
                continue  # folded into value and source
            if name == "value":
                shown[name] = figure(row.get("value"), row.get("unit"), row.get("comparison"))
            elif name == "article":
                shown["source"] = source(row.get("article"), row.get("title"), row.get("published"))
            else:
                shown[name] = row.get(name)
        if "article" not in names and ("title" in names or "published" in names):
            shown["source"] = source(None, row.get("title"), row.get("published"))
        out.append(shown)
    keep = [k for k in dict.fromkeys(k for r in out for k in r) if any(r.get(k) not in (None, "") for r in out)]
    return QueryResult.from_dicts([{k: _term(r.get(k)) for k in keep} for r in out], keep)


def _term(value: Any) -> Any:
    # The project's own IRIs stay IRIs, so the table shows them compacted (tkdoc:talks#meeting-1).
    return ox.NamedNode(value) if isinstance(value, str) and value.startswith(_OWN_IRIS) else value


def render_answer(answer: AnswerLike, fmt: str, *, show_sparql: str = "", width: int | None = None,
                  color: bool = False) -> tuple[str, str]:
    """An answer of ``ask`` as (data for stdout, messages for stderr) in ``fmt``.

    The table is the summary, the rows as :func:`readable` shows them, the sources and the notes. JSON is
    the whole answer. CSV and TSV are the rows with every field, the summary going to the messages so the
    data stays a clean table. ``show_sparql`` is the text of the query that ran, shown when given. With no
    rows there is no data: the summary and notes are messages.
    """
    notes = "".join(f"Note: {n}\n" for n in answer.notes)
    if not answer.rows:
        return "", answer.summary + "\n" + notes + show_sparql
    if fmt == "json":
        return dumps_json(answer.to_dict(with_sparql=bool(show_sparql))) + "\n", ""
    buf = io.StringIO()
    if fmt in ("csv", "tsv"):
        render(QueryResult.from_dicts(answer.rows), fmt, buf)
        return buf.getvalue(), answer.summary + "\n" + notes + show_sparql
    buf.write(answer.summary + "\n")
    # An answer is read as English: the event's IRI is left to JSON, the article's is listed below.
    render_table(readable([{k: v for k, v in r.items() if k != "event"} for r in answer.rows]), buf,
                 width=width, color=color)
    if answer.sources:
        buf.write("Sources:\n")
        for s in answer.sources:
            buf.write(f"  - {source(s.get('article'), s.get('title'), s.get('published'))} <{s.get('article')}>\n")
    return buf.getvalue() + notes + show_sparql, ""
