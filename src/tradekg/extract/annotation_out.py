"""The YAML annotation draft of an :class:`~tradekg.extract.core.Extraction` (docs/annotation.md).

Events whose required roles the extractor could not fill (a Gift without its object, a Request without an
addressee ...) would be refused by validation, so they are written as YAML comments for the reviewer to
complete instead of being dropped silently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from .lexicon import load_lexicons
from .model import Actor, Event, slug

if TYPE_CHECKING:
    from .core import Extraction

# What validation refuses an event without (shapes/tradekg.shacl.ttl): (agents, addressees, object/content).
_REQUIRED = {
    "Meeting": (2, 0), "Call": (2, 0), "Agreement": (2, 0), "Visit": (1, 0), "Commitment": (1, 0),
    "Request": (1, 1), "Claim": (1, 0), "Complaint": (1, 0), "Gift": (1, 1), "Invitation": (1, 1),
    "Announcement": (1, 0), "Notification": (1, 1), "TariffAction": (1, 0), "Threat": (1, 0),
}


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _ref(actor: Actor) -> str:
    return actor.id if actor.id else slug(actor.label)


def _complete(e: Event, symmetric: bool) -> str | None:
    need_agents, need_addressees = _REQUIRED.get(e.type, (1, 0))
    if len(e.agents) < need_agents:
        return f"needs {need_agents} {'participants' if symmetric else 'agent'}"
    if len(e.addressees) < need_addressees:
        return "needs an addressee"
    if need_addressees and set(e.agents) & set(e.addressees):
        return "the agent is also the addressee"
    if e.type == "Gift" and not e.object_label:
        return "needs the object given"
    return None


def to_yaml(x: Extraction, *, text_file: str | None = None, publisher: str | None = None,
            url: str | None = None) -> str:
    """Render the annotation YAML; loading it with ``tradekg.annotation.load_annotation`` validates."""
    lex = load_lexicons()
    doc: dict = {"id": x.doc_id}
    if x.title:
        doc["title"] = x.title
    if publisher:
        doc["publisher"] = publisher
    else:
        doc["publisherName"] = "unknown (machine-extracted draft)"
    if x.published:
        doc["published"] = x.published.isoformat()
    if url:
        doc["url"] = url
    doc["language"] = "en"
    if text_file:
        doc["text_file"] = text_file
    else:
        doc["text"] = x.text
    data: dict = {"document": doc}
    new = [a for a in x.actors if a.is_new]
    if x.speaker is not None and x.speaker.is_new and x.speaker not in new:
        new.append(x.speaker)
    if new:
        actors = {}
        for a in new:
            entry = {"type": a.cls, "label": a.label, "isNew": True}
            if a.country:
                entry["affiliation" if a.kind != "person" else "nationality"] = a.country.rsplit("/", 1)[-1]
            actors[_ref(a)] = entry
        data["actors"] = actors
    concepts = {}
    events, skipped = [], []
    for e in x.events:
        lx = lex.events[e.type]
        why = _complete(e, lx.symmetric)
        if why:
            skipped.append((e, why))
            continue
        ev: dict = {"id": e.id, "type": e.type}
        if lx.symmetric:
            ev[lx.agent_role] = [_ref(a) for a in e.agents]
        else:
            ev[lx.agent_role] = [_ref(a) for a in e.agents]
            places = [a for a in e.addressees if a.kind == "place"]
            actors_ = [a for a in e.addressees if a.kind != "place"]
            if actors_:
                ev[lx.addressee_role] = [_ref(a) for a in actors_]
            if places and e.location is None:
                ev["location"] = _ref(places[0])
        if e.topics:
            ev["topic"] = [_ref(t) for t in e.topics]
            for t in e.topics:
                if t.is_new:  # a topic the gazetteer lacks ("trade agreement"): a concept of this document
                    concepts.setdefault(_ref(t), {"type": "Concept", "label": t.label})
        if e.type == "Gift":
            cid = slug(e.object_label)
            concepts[cid] = {"type": "Artifact", "label": e.object_label}
            ev["object"] = cid
        if e.content:
            ev["content"] = e.content
        if e.location is not None and "location" not in ev:
            ev["location"] = _ref(e.location)
        if e.date:
            ev["date"] = e.date
        if e.time_note:
            ev["timeNote"] = e.time_note
        if e.attributed_to:
            ev["attributedTo"] = [_ref(a) for a in e.attributed_to]
        if e.hedge or any(a.cls == "UnnamedSource" for a in e.attributed_to):
            ev["reportingStatus"] = "reported"
        if e.hedge:
            ev["hedge"] = e.hedge
        ev["extractionMethod"] = "machine-extracted"
        ev["confidence"] = e.confidence
        ev["trigger"] = e.trigger
        ev["evidence"] = {"quote": e.evidence.text, "start": e.evidence.start}
        events.append(ev)
    if concepts:
        data["concepts"] = concepts
    data["events"] = events
    stats = []
    for s in x.statistics:
        st: dict = {"id": s.id, "measure": s.measure, "value": int(s.value) if s.value.is_integer() else s.value,
                    "unit": s.unit}
        if s.period:
            st["period"] = s.period
        if s.comparison:
            st["comparison"] = s.comparison
        if s.source is not None and s.source.kind == "organization":
            st["statisticSource"] = _ref(s.source)
        st["evidence"] = {"quote": s.evidence.text, "start": s.evidence.start}
        stats.append(st)
    if stats:
        data["statistics"] = stats
    head = ("# Machine-extracted draft (tradekg extract). Review every event before relying on it:\n"
            "# roles, topics and dates were found by patterns, not read by a person.\n")
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
    tail = ""
    if skipped:
        lines = ["", "# Incomplete events, left out because validation would refuse them; complete and add:"]
        for e, why in skipped:
            who = ", ".join(a.label for a in e.agents) or "?"
            whom = ", ".join(a.label for a in e.addressees) or "?"
            lines.append(f"#   {e.type} ({why}): trigger {e.trigger!r}, agents {who}; addressees {whom}; "
                         f"evidence at {e.evidence.start}")
        tail = "\n".join(lines) + "\n"
    return head + body + tail
