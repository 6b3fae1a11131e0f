"""The gazetteer's files: which to read (the packaged ones, then the user's extension files) and parsing one.

The packaged files are parsed once per process; the user's come from ``Gazetteer.load(extra=[...])`` and
the ``TRADEKG_GAZETTEER`` environment variable (paths separated by ``os.pathsep``; a folder stands for the
RDF files inside it). A file that cannot be read or parsed is an :class:`~tradekg.errors.InputError`
naming it, with the parser's line and column.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from tradekg.errors import InputError
from tradekg.resources import gazetteer_paths

ENV_VAR = "TRADEKG_GAZETTEER"

_SUFFIX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]


def parse_file(path: Path) -> list[Triple]:
    """The triples of one RDF file, or an InputError naming the file and the parser's line and column."""
    fmt = _SUFFIX_FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder, not a gazetteer file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read gazetteer file: {exc.strerror or exc}", path=path) from None
    try:
        return [(q.subject, q.predicate, q.object) for q in ox.parse(data, format=fmt)]
    except SyntaxError as exc:
        message = str(exc.msg or exc)
        raise InputError(f"not valid {fmt.name}: {message}", path=path, line=exc.lineno, column=exc.offset) from None
    except (ValueError, OSError) as exc:
        raise InputError(f"not valid {fmt.name}: {exc}", path=path) from None


@cache
def packaged_triples() -> tuple[tuple[Path, list[Triple]], ...]:
    """The triples of each packaged gazetteer file, parsed once per process."""
    return tuple((p, parse_file(p)) for p in gazetteer_paths())


def user_paths(extra: Iterable[str | Path]) -> list[Path]:
    """Paths from ``extra`` then from $TRADEKG_GAZETTEER; a folder stands for the RDF files inside it."""
    raw = [Path(p) for p in extra]
    raw += [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    paths: list[Path] = []
    for path in raw:
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIX_FORMATS)
        else:
            paths.append(path)
    unique: dict[Path, Path] = {}
    for p in paths:
        unique.setdefault(p.resolve(), p)  # the first path naming each file
    return list(unique.values())
