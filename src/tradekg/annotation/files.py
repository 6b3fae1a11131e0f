"""Finding and reading document files: which files in a folder are documents, and reading one safely.

A document file is read whole, as UTF-8 text, once; anything else (a device, a binary, a runaway size,
another encoding) is refused here with an error naming the file, before any parser sees it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError

#: Suffixes ``iter_document_paths`` picks up in folders.
SUFFIXES = frozenset({".yaml", ".yml", ".ttl", ".trig", ".jsonld", ".json"})
#: Files that sit beside articles but are not documents: extractor gold files and article metadata.
_NOT_DOCUMENTS = (".gold.json", ".meta.yaml", ".meta.yml")
#: Largest document file read, in bytes. Annotations are kilobytes; this refuses runaway inputs early.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def iter_document_paths(paths: Iterable[str | Path], suffixes: Iterable[str] = SUFFIXES) -> Iterator[Path]:
    """Files named directly, and the files with a known suffix inside named folders, in sorted order.

    Symbolic links to folders are not followed, so a link loop cannot trap the walk. Evaluation files
    (``*.gold.json``) and article metadata (``*.meta.yaml``) found in folders are not documents.

    >>> [p.name for p in iter_document_paths(["seeds"]) if p.suffix == ".yaml"]
    ['us-japan-first-round-2025-04.yaml']
    """
    wanted = frozenset(suffixes)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                found.extend(
                    Path(root, name)
                    for name in files
                    if Path(name).suffix.lower() in wanted and not name.lower().endswith(_NOT_DOCUMENTS)
                )
            yield from sorted(found)
        elif path.is_file():
            yield path
        elif path.is_symlink():
            raise InputError("a broken or looping symbolic link", path)
        else:
            raise InputError("no such file or folder", path)


def read_text(path: Path, limit: int = MAX_DOCUMENT_BYTES) -> str:
    """Read a text file as UTF-8, refusing empty, binary, oversized and non-UTF-8 files with a clear error."""
    try:
        info = path.stat()
        # A FIFO would block forever and /dev/zero never ends: only regular files are documents.
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file (a device, pipe or socket); refused", path)
        if info.st_size > limit:
            raise InputError(f"file is {info.st_size:,} bytes; the limit for one document is {limit:,}", path)
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)  # the file may have grown since stat()
        if len(raw) > limit:
            raise InputError(f"file is over {limit:,} bytes, the limit for one document", path)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    if not raw.strip():
        raise InputError("the file is empty", path)
    if b"\x00" in raw:
        raise InputError(f"a binary file (NUL byte at offset {raw.index(0)}), not text", path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", path, line) from None
