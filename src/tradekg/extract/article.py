"""Read an article's text file, refusing what is not a plain UTF-8 article with a clear message, and
take its front matter (:mod:`tradekg.extract.frontmatter`) as metadata, not text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .frontmatter import ArticleMeta, split_front_matter

#: Largest article accepted, in bytes (a long news article is ~50 KB; a book chapter fits too).
MAX_BYTES = 5 * 1024 * 1024


def read_article(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """The text of an article file (UTF-8; a BOM is dropped; CRLF line ends become LF).

    Raises :class:`~tradekg.errors.InputError` naming the file for a missing, empty, binary, non-UTF-8
    or too large file.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.txt"); _ = open(p, "w").write("Japan met the US.")
    >>> read_article(p)
    'Japan met the US.'
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise InputError("is a folder, not an article text file", path=p)
        if size > max_bytes:
            raise InputError(f"file is {size:,} bytes; the limit for one article is {max_bytes:,} bytes "
                             "(split it into articles)", path=p)
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=p) from None
    except PermissionError:
        raise InputError("permission denied", path=p) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=p) from None
    return decode_article(data, p)


def decode_article(data: bytes, path: str | Path | None = None) -> str:
    """Decode article bytes as UTF-8 with the same checks as :func:`read_article`."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise InputError("empty article: the file has no text", path=path)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"binary file, not text: NUL byte at offset {nul}", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8: invalid byte 0x{data[exc.start]:02x} at byte offset {exc.start} "
                         "(save the article as UTF-8)", path=path) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Article:
    """A plain-text article as read from its file: the text kept (front matter removed) and its metadata."""

    text: str
    meta: ArticleMeta
    path: Path

    @property
    def document_id(self) -> str:
        """The id its draft gets (see :func:`document_id`)."""
        return document_id(self.meta, self.path, self.text)


def load_article(path: str | Path, **given: Any) -> Article:
    """Read an article file and its front matter; ``given`` metadata (title, published, publisher, url,
    speaker: the command-line options) overrides the front matter's. The text kept is what follows the
    front matter, so evidence offsets count from there.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> _ = open(p, "w").write("title: Talks\\npublished: 2025-05-02\\n\\nJapan met the US.")
    >>> a = load_article(p, title="Tariff talks")
    >>> a.text, a.meta.title, a.meta.published.isoformat(), a.document_id
    ('Japan met the US.', 'Tariff talks', '2025-05-02', 'tariff-talks-2025-05-02')
    """
    p = Path(path)
    meta, body = split_front_matter(read_article(p), p)
    if not body.strip():
        raise InputError("the file has front matter but no article text after it", path=p)
    return Article(body, meta.override(**given), p)


def document_id(meta: ArticleMeta, path: str | Path | None, text: str) -> str:
    """A draft's document id: its title and date when both are known (``title-slug-2025-05-02``), else the
    file name and a short hash of the text kept, so two different texts never share an id by accident.

    >>> import datetime
    >>> document_id(ArticleMeta(title="US, Japan hold talks", published=datetime.date(2025, 4, 16)), None, "x")
    'us-japan-hold-talks-2025-04-16'
    >>> document_id(ArticleMeta(), "drafts/notes.txt", "Japan met the US.")
    'notes-8c27ddcd'
    """
    title = _id_words(meta.title or "")
    if title and meta.published:
        return f"{title}-{meta.published.isoformat()}"
    stem = _id_words(Path(path).stem) if path else ""
    return f"{stem or 'article'}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def _id_words(text: str, limit: int = 60) -> str:
    """Lower-case ASCII words joined by '-', accents folded (Šefčovič → sefcovic), cut at a word end.

    >>> _id_words("Remarks by Commissioner Šefčovič at the press conference following the Council")
    'remarks-by-commissioner-sefcovic-at-the-press-conference'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    out = ""
    for w in words:
        if out and len(out) + 1 + len(w) > limit:
            break
        out = f"{out}-{w}" if out else w[:limit]
    return out
