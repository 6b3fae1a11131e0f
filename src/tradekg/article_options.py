"""The options that describe a plain-text article (title, published, publisher, url, speaker), checked once
for the CLI and the Python API alike; front matter in the file gives the same fields, and these win."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tradekg.errors import InputError, UsageError


def article_options(given: dict[str, Any]) -> dict[str, Any]:
    """The plain-text article options that were given, ``published`` checked and made a date.

    >>> article_options({"title": "Talks", "published": "2025-05-02", "url": None})
    {'title': 'Talks', 'published': datetime.date(2025, 5, 2)}
    """
    unknown = set(given) - {"title", "published", "publisher", "url", "speaker"}
    if unknown:
        raise UsageError(f"unknown article option {sorted(unknown)[0]!r}; "
                         "they are title, published, publisher, url and speaker")
    out = {k: v for k, v in given.items() if v is not None}
    if isinstance(out.get("published"), str):
        try:
            out["published"] = parse_date(out["published"], "--published")
        except InputError as err:
            raise UsageError(err.message) from None
    return out


def check_article_options(files: list[Path], article: dict[str, Any] | None) -> None:
    """Article options describe plain-text articles: given with none, they are a usage error, not ignored."""
    if article and not any(p.suffix.lower() == ".txt" for p in files):
        names = ", ".join(f"--{k}" for k in article)
        raise UsageError(f"{names}: these describe plain-text (.txt) articles, and none was given; "
                         "an annotation carries its own metadata")


def parse_date(value: str, what: str = "published", path: str | Path | None = None,
               line: int | None = None) -> dt.date:
    """A YYYY-MM-DD date (a full ISO timestamp gives its day), or an :class:`InputError` that says which
    field is wrong and how.

    >>> parse_date("2025-05-02"), parse_date("2025-05-02T09:30:00+09:00")
    (datetime.date(2025, 5, 2), datetime.date(2025, 5, 2))
    """
    text = str(value).strip()
    try:
        if len(text) > 10 and text[10] in "T ":
            return dt.datetime.fromisoformat(text).date()
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what} must be a date like 2025-04-19, not {str(value)!r}", path, line) from None
