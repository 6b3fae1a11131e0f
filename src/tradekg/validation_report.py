"""What validation reports: :class:`Finding` (one thing wrong, where and in which field), the
:class:`ValidationReport` of one document, and :func:`format_report`, the lines a person reads.

Kept apart from :mod:`tradekg.validate`, which runs the shapes, so that printing and serialising reports
needs neither the shapes nor pySHACL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Finding:
    """One thing the shapes found wrong or missing in a document.

    ``field`` is the YAML key (the local name of the SHACL result path), ``focus`` the local id of the
    event, statistic or actor, ``line`` the YAML line (``None`` for Turtle/JSON-LD input or when unknown).
    ``kind`` ("event", "statistic", "article" ...) says what ``focus`` is.
    """

    severity: str
    message: str
    path: str | None = None
    line: int | None = None
    focus: str | None = None
    field: str | None = None
    value: str | None = None
    shape: str | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding as plain data, for ``--format json``."""
        return asdict(self)

    def format(self, where: str) -> str:
        """One line: ``where:line: Severity: [kind focus, field f] message``.

        >>> Finding("Violation", "A Request needs a requester.", line=7, focus="req-1", field="requester",
        ...         kind="event").format("a.yaml")
        'a.yaml:7: Violation: [event req-1, field requester] A Request needs a requester.'
        """
        loc = f"{where}:{self.line}" if self.line is not None else where
        about = [f"{self.kind or 'node'} {self.focus}"] if self.focus else []
        if self.field:
            about.append(f"field {self.field}")
        bracket = f"[{', '.join(about)}] " if about else ""
        return f"{loc}: {self.severity}: {bracket}{self.message}"


@dataclass
class ValidationReport:
    """The findings for one document; it conforms when none of them is a Violation."""

    document_id: str
    path: str | None
    findings: list[Finding] = field(default_factory=list)
    triples: int = 0
    events: int = 0

    @property
    def conforms(self) -> bool:
        """True when no finding is a Violation (warnings are allowed)."""
        return not any(f.severity == "Violation" for f in self.findings)

    @property
    def violations(self) -> list[Finding]:
        """The findings that refuse the document."""
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        """The findings that are reported but do not refuse the document."""
        return [f for f in self.findings if f.severity == "Warning"]

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data, for ``--format json``."""
        return {
            "document": self.document_id,
            "path": self.path,
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "events": self.events,
            "triples": self.triples,
            "findings": [f.to_dict() for f in self.findings],
        }


def format_report(reports: Iterable[ValidationReport]) -> str:
    """The human form of validation reports: one line per finding, then one summary line per document.

    >>> r = ValidationReport("d", "d.yaml", [Finding("Warning", "The event has no date (field 'date').",
    ...     line=3, focus="e1", field="date", kind="event")], triples=10, events=1)
    >>> print(format_report([r]))
    d.yaml:3: Warning: [event e1, field date] The event has no date (field 'date').
    d.yaml: conforms: 1 event, 10 triples, 0 violations, 1 warning
    """
    out: list[str] = []
    for report in reports:
        where = report.path or report.document_id
        out.extend(f.format(where) for f in report.findings)
        verdict = "conforms" if report.conforms else "REFUSED"
        out.append(
            f"{where}: {verdict}: {_plural(report.events, 'event')}, {_plural(report.triples, 'triple')}, "
            f"{_plural(len(report.violations), 'violation')}, {_plural(len(report.warnings), 'warning')}"
        )
    return "\n".join(out)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
