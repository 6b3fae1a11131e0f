"""Read an article's text file, refusing what is not a plain UTF-8 article with a clear message."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

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
