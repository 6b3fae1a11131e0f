"""What every stage of building one annotation shares: the triples so far, their lines, the local ids.

:class:`BuildState` is the base of the builder's stage classes (:mod:`.document_section`,
:mod:`.declarations`, :mod:`.statements`, :mod:`.fields`); it holds the state and the helpers they all
use: errors that name the file and line, IRIs checked as they are made, ids, gazetteer references.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import InputError
from ..terms import named_node, to_ox
from ..vocabulary import Vocabulary
from ..yamlsafe import LinedDict, LinedList
from .document import Triple

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer

LOCAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class BuildState:
    """The state of building one annotation's triples, recording the line of each."""

    # Set by the builder once the 'document' section is read.
    doc: ox.NamedNode
    doc_prefix: str
    article_text: str | None

    def __init__(self, data: LinedDict, path: Path | None, gazetteer: Gazetteer, vocab: Vocabulary) -> None:
        self.data, self.path, self.gaz, self.vocab = data, path, gazetteer, vocab
        self.local: dict[str, ox.NamedNode] = {}
        self.lines: dict[tuple[Any, Any], int] = {}
        # Insertion-ordered and without duplicates, as a graph is a set of triples.
        self.triples: dict[Triple, None] = {}
        self.with_method: set[ox.NamedNode] = set()

    # -- errors, IRIs, ids and gazetteer references, for every stage --------------------------------
    def fail(self, message: str, line: int | None) -> InputError:
        return InputError(message, self.path, line)

    def iri(self, text: str, line: int | None = None) -> ox.NamedNode:
        return named_node(text, self.path, line)

    def items(self, data: LinedDict, section: str) -> Iterator[tuple[LinedDict, int]]:
        seq = data.get(section)
        if seq is None:
            return
        if not isinstance(seq, LinedList):
            raise self.fail(f"'{section}' must be a list", data.key_lines[section])
        for item, line in zip(seq, seq.item_lines, strict=True):
            if not isinstance(item, LinedDict):
                raise self.fail(f"each entry of '{section}' must be a mapping with an 'id'", line)
            yield item, line

    def ident(self, item: LinedDict, what: str) -> str:
        value = item.get("id")
        line = item.key_lines.get("id", item.line)
        if value is None:
            raise self.fail(f"the {what} has no 'id'", item.line)
        if not isinstance(value, str | int) or not LOCAL_ID.match(str(value)):
            raise self.fail(
                f"the {what} id {value!r} must be letters, digits, '.', '_' or '-' (at most 200)", line
            )
        return str(value)

    def gazetteer_ref(self, value: str, line: int, field_name: str) -> ox.NamedNode:
        iri = self.gaz.by_id(value) or self.gaz.resolve(value)
        if iri is None:
            raise self.fail(
                f"'{value}' in '{field_name}' is not in the gazetteer{self.suggest(value, self.gazetteer_ids())}",
                line,
            )
        return to_ox(iri)

    def gazetteer_ids(self) -> list[str]:
        return [e.id for e in self.gaz.entries()]

    @staticmethod
    def suggest(value: str, candidates: Iterable[str]) -> str:
        close = difflib.get_close_matches(str(value), list(candidates), n=3, cutoff=0.6)
        return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
