"""The result of :func:`tradekg.extract.extract`: what one text says, as JSON or as an annotation draft."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import Actor, Event, Statistic


@dataclass
class Extraction:
    """What :func:`~tradekg.extract.extract` found in one text. ``to_json()`` gives the JSON contract;
    ``to_annotation_yaml()`` the annotation draft to review and ingest."""

    text: str
    doc_id: str
    title: str | None
    published: dt.date | None
    speaker: Actor | None
    events: list[Event] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a reader should know: "does not look like English"

    def to_json(self) -> dict:
        """The JSON contract of ``tradekg extract --format json`` (see docs/extract.md)."""
        return {
            "document": {"title": self.title,
                         "published": self.published.isoformat() if self.published else None},
            "speaker": self.speaker.label if self.speaker else None,
            "events": [{
                "id": e.id, "type": e.type,
                "agents": [a.label for a in e.agents], "addressees": [a.label for a in e.addressees],
                "topics": [t.label for t in e.topics], "date": e.date,
                "evidence": e.evidence.to_json(), "trigger": e.trigger, "confidence": e.confidence,
                "attributedTo": [a.label for a in e.attributed_to],
            } for e in self.events],
            "statistics": [{
                "value": _number(s.value), "unit": s.unit, "period": s.period,
                "source": s.source.label if s.source else None, "evidence": s.evidence.to_json(),
            } for s in self.statistics],
        }

    def to_annotation_yaml(self, *, text_file: str | None = None, publisher: str | None = None,
                           url: str | None = None) -> str:
        """The YAML annotation (docs/annotation.md) of this extraction, text inline unless ``text_file``."""
        from .annotation_out import to_yaml

        return to_yaml(self, text_file=text_file, publisher=publisher, url=url)


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v
