"""Front matter: the metadata lines at the top of a plain-text article, which are never article text.

Two forms are read, at the very top of the file only:

- simple lines, ``key: value``, one per line, ended by a blank line::

    title: Japan and the US hold a third round of talks
    published: 2025-05-02
    source: https://example.org/news/123

- a YAML block between two ``---`` lines (the form static-site tools use).

The keys are ``title``, ``published`` (YYYY-MM-DD), ``publisher``, ``url``, ``speaker`` (who "I" is in a
first-person text) and ``source``: a URL becomes ``url``, anything else ``publisher``. What follows the
front matter (and the blank lines after it) is the article: the text kept, quoted as evidence and stored.
A text whose first line is not a known ``key:`` has no front matter and is kept whole.

>>> meta, body = split_front_matter("title: Talks resume\\npublished: 2025-05-02\\n\\nJapan met the US.\\n")
>>> meta.title, meta.published, body
('Talks resume', datetime.date(2025, 5, 2), 'Japan met the US.\\n')
>>> split_front_matter("Title words in a headline\\n\\nJapan met the US.")[1][:9]
'Title wor'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..article_options import parse_date
from ..errors import InputError

#: The fields front matter may give (and ``source``, which fills ``url`` or ``publisher``).
FIELDS = ("title", "published", "publisher", "url", "speaker")
_KEYS = (*FIELDS, "source")
_HINTS = {"date": "published", "author": "speaker", "headline": "title", "link": "url"}
_SIMPLE = re.compile(r"^([A-Za-z][A-Za-z_-]*)[ \t]*:(?:[ \t]+(.*))?$")
_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class ArticleMeta:
    """What is known of an article besides its text: from front matter, options, or both."""

    title: str | None = None
    published: dt.date | None = None
    publisher: str | None = None
    url: str | None = None
    speaker: str | None = None

    def override(self, **given: Any) -> ArticleMeta:
        """These values where given (not None), this metadata's elsewhere: options win over front matter.

        >>> ArticleMeta(title="From the file", url="https://a.example").override(title="Given", url=None)
        ArticleMeta(title='Given', published=None, publisher=None, url='https://a.example', speaker=None)
        """
        unknown = set(given) - set(FIELDS)
        if unknown:
            raise TypeError(f"unknown article field {sorted(unknown)[0]!r}")
        return dataclasses.replace(self, **{k: v for k, v in given.items() if v is not None})


def split_front_matter(text: str, path: str | Path | None = None) -> tuple[ArticleMeta, str]:
    """The front matter of ``text`` (an empty :class:`ArticleMeta` when there is none) and the article
    text after it. Raises :class:`InputError` naming the line for an unknown field or a bad value."""
    lines = text.split("\n")
    if lines and _FENCE.match(lines[0]):
        end = next((i for i in range(1, len(lines)) if _FENCE_END.match(lines[i])), None)
        if end is None:
            raise InputError("front matter opened with '---' on line 1 is never closed by a '---' line", path, 1)
        values = _yaml_block("\n".join(lines[1:end]), path)
        body_start = end + 1
    else:
        first = _SIMPLE.match(lines[0]) if lines else None
        if first is None or first.group(1).lower() not in _KEYS:
            return ArticleMeta(), text
        values = {}
        i = 0
        while i < len(lines) and lines[i].strip():
            m = _SIMPLE.match(lines[i])
            if m is None:
                raise InputError(
                    f"front matter: {lines[i][:60]!r} is not a 'key: value' line; the front matter at the top "
                    "of the file ends at the first blank line, so put a blank line before the article",
                    path, i + 1)
            key = m.group(1).lower()
            _check_key(key, path, i + 1, simple=True)
            if key in values:
                raise InputError(f"front matter: '{key}' is given twice", path, i + 1)
            values[key] = (_unquote(m.group(2) or ""), i + 1)
            i += 1
        body_start = i
    while body_start < len(lines) and not lines[body_start].strip():
        body_start += 1
    return _meta(values, path), "\n".join(lines[body_start:])


def _check_key(key: str, path: str | Path | None, line: int, simple: bool = False) -> None:
    if key in _KEYS:
        return
    hint = _HINTS.get(key) or next(iter(difflib.get_close_matches(key, _KEYS, n=1, cutoff=0.6)), None)
    raise InputError(f"front matter: unknown field '{key}'{f' (did you mean {hint!r}?)' if hint else ''}; "
                     f"fields are {', '.join(_KEYS)}"
                     + ("; if this line is the article's, put a blank line before it" if simple else ""),
                     path, line)


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _yaml_block(block: str, path: str | Path | None) -> dict[str, tuple[str, int]]:
    from ..yamlsafe import LinedDict, read_yaml

    try:
        data = read_yaml(block, path) if block.strip() else LinedDict()
    except InputError as err:
        # The block starts on line 2 of the file.
        raise InputError(f"front matter: {err.message}", path, err.line + 1 if err.line else None) from None
    if not isinstance(data, LinedDict):
        raise InputError("front matter between '---' lines must be 'key: value' lines", path, 2)
    values: dict[str, tuple[str, int]] = {}
    for key, value in data.items():
        line = data.key_lines[key] + 1
        _check_key(str(key).lower(), path, line)
        if isinstance(value, dict | list):
            raise InputError(f"front matter: '{key}' takes one value, not a list or mapping", path, line)
        if value is not None:
            values[str(key).lower()] = (str(value), line)
    return values


def _meta(values: dict[str, tuple[str, int]], path: str | Path | None) -> ArticleMeta:
    fields: dict[str, Any] = {k: v for k, (v, _) in values.items() if k in FIELDS and v}
    if "published" in fields:
        fields["published"] = parse_date(fields["published"], "front matter 'published'", path,
                                         values["published"][1])
    source = values.get("source", ("", 0))[0]
    if source:
        key = "url" if source.startswith(("http://", "https://")) else "publisher"
        fields.setdefault(key, source)
    return ArticleMeta(**fields)
