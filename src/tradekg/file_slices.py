"""A file cut into line-aligned byte ranges, each read as a stream: how an N-Quads file loads in parallel."""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any


class FileSlice(io.RawIOBase):
    """Bytes ``start`` to ``end`` of a file, read as a stream (one thread's part of an N-Quads file)."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        super().__init__()
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed in close()
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        n = self._file.readinto(memoryview(buffer)[: min(len(buffer), self._left)]) or 0
        self._left -= n
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def line_slices(path: Path, parts: int) -> list[tuple[int, int]]:
    """``parts`` byte ranges of a file, each ending at a line end (fewer for a short file).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".nq", delete=False) as f:
    ...     _ = f.write("a\\nbb\\nccc\\ndddd\\n")
    >>> line_slices(Path(f.name), 2)
    [(0, 9), (9, 14)]
    """
    size = path.stat().st_size
    cuts = [0]
    with path.open("rb") as f:
        for i in range(1, parts):
            f.seek(max(cuts[-1], size * i // parts))
            f.readline()  # to the end of the line the cut fell in
            if f.tell() < size and f.tell() > cuts[-1]:
                cuts.append(f.tell())
    cuts.append(size)
    return list(itertools.pairwise(cuts))
