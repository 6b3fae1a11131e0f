"""What ``ask`` returns: an :class:`Answer`, or a :class:`NoAnswerError` saying what it did not understand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from tradekg.errors import TradekgError


class NoAnswerError(TradekgError):
    """The question could not be answered: not understood, an unknown name, or query syntax.

    ``reason`` is ``empty``, ``refused``, ``unknown_name``, ``not_understood`` or ``missing``;
    ``suggestions`` the closest known names or example questions. The CLI exits 1.
    """

    exit_code = 1

    def __init__(self, message: str, reason: str, suggestions: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.reason = reason
        self.suggestions = list(suggestions)


@dataclass
class Answer:
    """What ``ask`` found: a one-sentence summary, the rows (each with its article and evidence) and how.

    ``bindings`` maps each parameter (and each row filter: ``round``, ``from``, ``to``, ``with``...) to
    ``{"text": as written, "value": label, "iris": [...], "applied": "parameter" | "row filter"}``.
    ``sparql`` is the text of the query (or queries) that ran, values bound.
    """

    question: str
    summary: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    query: str | None = None
    bindings: dict[str, dict[str, Any]] = field(default_factory=dict)
    sparql: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """True when the answer has rows."""
        return bool(self.rows)

    def to_dict(self, *, with_sparql: bool = True) -> dict[str, Any]:
        """The answer as plain data (for JSON)."""
        data = asdict(self)
        if not with_sparql:
            data.pop("sparql")
        return data



@dataclass
class _Run:
    params: dict[str, list[Any]]  # param -> pyoxigraph terms
    label: str = ""
    names: dict[str, str] = field(default_factory=dict)  # param -> how the summary names its value
    events: set[Any] = field(default_factory=set)
