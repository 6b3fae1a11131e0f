"""The YAML annotation draft of an :class:`~tradekg.extract.core.Extraction` (docs/annotation.md).

Two promises: the draft always loads, and nothing is dropped silently.

- Every id the draft refers to is declared in it or is in the gazetteer. An actor, place or item the
  gazetteer does not know (or not under the id the extractor gave it) becomes a document-local entity,
  flagged ``isNew: true``: actors under ``actors``, places and items under ``concepts``.
- Events whose required roles the extractor could not fill (a Visit without a visitor, a Request without
  an addressee ...) would be refused by validation. They are left out of the draft, listed as YAML comments
  for the reviewer to complete, and returned in :attr:`Draft.incomplete` so the commands report them.
  What a kind requires is read from the shapes (:func:`tradekg.kinds.event_kinds`), not listed here.

Everything the extractor wrote is marked ``extractionMethod: machine-extracted``: events and statistics.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from .model import Actor, Event, slug

if TYPE_CHECKING:
    from .core import Extraction

_MACHINE = "machine-extracted"


_HEAD = ("# Machine-extracted draft (tradekg extract). Review every event before relying on it:\n"
         "# roles, topics and dates were found by patterns, not read by a person.\n")


@dataclass
class Draft:
    """A draft annotation: its data (``yaml`` renders it), the events left out of it as incomplete, each
    with the reason, and what validation made it drop (:meth:`drop`)."""

    data: dict
    incomplete: list[tuple[Event, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def yaml(self) -> str:
        """The annotation YAML, with the left-out events as comments at the end."""
        body = yaml.dump(self.data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
        lines = []
        if self.incomplete:
            lines += ["", "# Incomplete events, left out because validation would refuse them; complete and add:"]
            for e, why in self.incomplete:
                who = ", ".join(a.label for a in e.agents) or "?"
                whom = ", ".join(a.label for a in e.addressees) or "?"
                lines.append(f"#   {e.type} ({why}): trigger {e.trigger!r}, agents {who}; addressees {whom}; "
                             f"evidence at {e.evidence.start}")
        if self.dropped:
            lines += ["", "# Left out because validation refused them:"] + [f"#   {d}" for d in self.dropped]
        return _HEAD + body + ("\n".join(lines) + "\n" if lines else "")

    def notes(self) -> list[str]:
        """One line per event or field left out, for stderr: what it was, why, and where its evidence is."""
        return [f"left out {e.type} event {e.id} ({why}): trigger {e.trigger!r}, "
                f"agents: {', '.join(a.label for a in e.agents) or 'none'}; "
                f"addressees: {', '.join(a.label for a in e.addressees) or 'none'}; "
                f"evidence at offset {e.evidence.start}: {_short(e.evidence.text)!r}"
                for e, why in self.incomplete] + [f"left out {d}" for d in self.dropped]

    def drop(self, findings: list[Any]) -> bool:
        """Take out of the draft what validation refused (``findings``: :class:`tradekg.validate.Finding`):
        first the field at fault, and the whole event or statistic when it is still refused. Findings on
        the document itself are left alone: its metadata is the user's. True when something was dropped.

        The shapes stay the only statement of the rules: this reads their findings, it does not repeat them.
        """
        changed = False
        for f in findings:
            if not str(f.severity).endswith("Violation"):
                continue
            section = {"event": "events", "statistic": "statistics"}.get(f.kind or "")
            if section is None:
                entity = self.data.get("actors", {}).get(f.focus) or self.data.get("concepts", {}).get(f.focus)
                if entity is not None and f.field in entity and f.field not in ("type", "label"):
                    del entity[f.field]
                    self.dropped.append(f"field '{f.field}' of {f.focus}: {f.message}")
                    changed = True
                continue
            items = self.data.get(section, [])
            item = next((i for i in items if i.get("id") == f.focus), None)
            if item is None:
                continue
            what = f"{item['type']} event {f.focus}" if section == "events" else f"statistic {f.focus}"
            if f.field in item and f.field not in ("id", "type", "evidence", "extractionMethod"):
                del item[f.field]
                self.dropped.append(f"field '{f.field}' of {what}: {f.message}")
            else:
                items.remove(item)
                self.dropped.append(f"{what}: {f.message}")
            changed = True
        return changed


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


@functools.cache
def _required_fields(kind: str) -> frozenset[str]:
    """Fields other than roles that the shapes require of an event kind (a Gift's ``object``)."""
    import pyoxigraph as ox

    from ..namespaces import TK
    from ..resources import shapes_path

    sh = "http://www.w3.org/ns/shacl#"
    props: dict[Any, dict[str, list[Any]]] = {}
    for t in ox.parse(path=str(shapes_path()), format=ox.RdfFormat.TURTLE):
        props.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
    out: set[str] = set()
    for p in props.values():
        if any(c.value == f"{TK}{kind}" for c in p.get(sh + "targetClass", [])) and not p.get(sh + "severity") \
                and any(int(c.value) > 0 for c in p.get(sh + "minCount", [])):
            out.update(x.value[len(str(TK)):] for x in p.get(sh + "path", []) if x.value.startswith(str(TK)))
    return frozenset(out)


def _incomplete(e: Event) -> str | None:
    """Why validation would refuse this event, or None."""
    from ..kinds import event_kinds

    kind = event_kinds().get(e.type)
    if kind is None:
        return f"'{e.type}' is not an event kind of the ontology"
    if len(e.agents) < kind.min_agents:
        n = kind.min_agents
        return f"needs {n} {kind.agent_role}{'s' if n > 1 else ''}, found {len(e.agents)}"
    if len(e.addressees) < kind.min_addressees:
        return f"needs {kind.addressee_role if kind.addressee_roles else 'an addressee'}, found none"
    if kind.min_addressees and set(e.agents) & set(e.addressees):
        return f"the {kind.agent_role} is also the {kind.addressee_role}"
    # Other fields the kind's shapes require, as far as the extractor's Event carries them.
    carried = {"object": e.object_label, "content": e.content, "topic": e.topics, "location": e.location,
               "date": e.date}
    for name in sorted(_required_fields(e.type) - {*kind.agent_roles, *kind.addressee_roles}):
        if name in carried and not carried[name]:
            return f"needs its {name}"
    return None


class _Refs:
    """The id each referent gets in the draft, and the local entities that must be declared for it."""

    def __init__(self, gazetteer: Any, reserved: set[str]) -> None:
        from ..namespaces import TK
        from ..vocabulary import load_vocabulary

        vocab = load_vocabulary()
        self.gaz = gazetteer
        self.actor_classes = set(vocab.subclasses_of(TK.Actor))
        self.place_classes = set(vocab.subclasses_of(TK.Place))
        self.item_classes = {*vocab.subclasses_of(TK.TradeItem), *vocab.subclasses_of(TK.NonTariffBarrier)}
        self.taken = set(reserved)
        self.ids: dict[str, str] = {}  # referent key -> id in the draft
        self.actors: dict[str, dict] = {}
        self.concepts: dict[str, dict] = {}

    def known(self, a: Actor) -> bool:
        """A gazetteer entry the loader will find under ``a.id``."""
        if not a.iri or not a.id:
            return False
        return self.gaz is None or str(self.gaz.by_id(a.id) or "") == a.iri

    def ref(self, a: Actor) -> str:
        if self.known(a):
            return a.id  # type: ignore[return-value]
        if a.key in self.ids:
            return self.ids[a.key]
        base = slug(a.label) if a.label.strip() else (a.id or "entity")
        local, n = base, 1
        while local in self.taken or (self.gaz is not None and self.gaz.by_id(local) is not None):
            n += 1
            local = f"{base}-{n}"
        self.taken.add(local)
        self.ids[a.key] = local
        self.declare(local, a)
        return local

    def declare(self, local: str, a: Actor) -> None:
        if a.cls == "Artifact":  # a thing given: always the document's own, never a gazetteer entry
            self.concepts[local] = {"type": "Artifact", "label": a.label}
            return
        if a.kind == "place" or a.cls in self.place_classes:
            self.concepts[local] = {"type": a.cls if a.cls in self.place_classes else "Place",
                                    "label": a.label, "isNew": True}
            return
        if a.kind in ("item", "position", "other") and a.cls not in self.actor_classes:
            self.concepts[local] = {"type": a.cls if a.cls in self.item_classes else "Concept",
                                    "label": a.label, "isNew": True}
            return
        entry: dict = {"type": a.cls if a.cls in self.actor_classes else "Actor", "label": a.label, "isNew": True}
        country = a.country.rsplit("/", 1)[-1] if a.country else None
        if country and (self.gaz is None or self.gaz.by_id(country) is not None):
            entry["nationality" if entry["type"] == "Person" else "affiliation"] = country
        self.actors[local] = entry


def to_yaml(x: Extraction, *, text_file: str | None = None, publisher: str | None = None,
            url: str | None = None, gazetteer: Any = None) -> str:
    """Render the annotation YAML; loading it with ``tradekg.annotation.load_annotation`` validates."""
    return draft_annotation(x, text_file=text_file, publisher=publisher, url=url, gazetteer=gazetteer).yaml


def draft_annotation(x: Extraction, *, text_file: str | None = None, publisher: str | None = None,
                     url: str | None = None, gazetteer: Any = None) -> Draft:
    """The annotation draft of ``x`` and the events left out of it.

    ``publisher`` is a gazetteer id or label (written as ``publisher``) or any other name (written as
    ``publisherName``). With ``gazetteer`` every gazetteer id is checked against it, so the draft loads
    with that gazetteer whatever the extractor used.
    """
    from ..kinds import event_kinds

    kinds = event_kinds()
    doc: dict = {"id": x.doc_id}
    if x.title:
        doc["title"] = x.title
    doc.update(_publisher(publisher, gazetteer))
    if x.published:
        doc["published"] = x.published.isoformat()
    if url:
        doc["url"] = url
    doc["language"] = "en"
    if text_file:
        doc["text_file"] = text_file
    else:
        doc["text"] = x.text
    refs = _Refs(gazetteer, {e.id for e in x.events} | {s.id for s in x.statistics})
    events, skipped = [], []
    for e in x.events:
        why = _incomplete(e)
        if why:
            skipped.append((e, why))
            continue
        kind = kinds[e.type]
        ev: dict = {"id": e.id, "type": e.type, kind.agent_role: [refs.ref(a) for a in e.agents]}
        if not kind.symmetric:
            places = [a for a in e.addressees if a.kind == "place"]
            actors_ = [a for a in e.addressees if a.kind != "place"]
            if actors_:
                ev[kind.addressee_role] = [refs.ref(a) for a in actors_]
            if places and e.location is None:
                ev["location"] = refs.ref(places[0])
        if e.topics:
            ev["topic"] = [refs.ref(t) for t in e.topics]
        if e.object_label:
            ev["object"] = refs.ref(Actor(key="object:" + e.object_label, label=e.object_label, kind="item",
                                          cls="Artifact"))
        if e.content:
            ev["content"] = e.content
        if e.location is not None and "location" not in ev:
            ev["location"] = refs.ref(e.location)
        if e.date:
            ev["date"] = e.date
        if e.time_note:
            ev["timeNote"] = e.time_note
        if e.attributed_to:
            ev["attributedTo"] = [refs.ref(a) for a in e.attributed_to]
        if e.hedge or any(a.cls == "UnnamedSource" for a in e.attributed_to):
            ev["reportingStatus"] = "reported"
        if e.hedge:
            ev["hedge"] = e.hedge
        ev["extractionMethod"] = _MACHINE
        ev["confidence"] = e.confidence
        ev["trigger"] = e.trigger
        ev["evidence"] = {"quote": e.evidence.text, "start": e.evidence.start}
        events.append(ev)
    stats = []
    for s in x.statistics:
        st: dict = {"id": s.id, "measure": s.measure, "value": int(s.value) if s.value.is_integer() else s.value,
                    "unit": s.unit}
        if s.period:
            st["period"] = s.period
        if s.comparison:
            st["comparison"] = s.comparison
        if s.source is not None and s.source.kind == "organization":
            st["statisticSource"] = refs.ref(s.source)
        st["extractionMethod"] = _MACHINE
        st["evidence"] = {"quote": s.evidence.text, "start": s.evidence.start}
        stats.append(st)
    if x.speaker is not None and not refs.known(x.speaker):
        refs.ref(x.speaker)  # who "I" is: an actor of the article even if no event kept names them
    data: dict = {"document": doc}
    if refs.actors:
        data["actors"] = refs.actors
    if refs.concepts:
        data["concepts"] = refs.concepts
    data["events"] = events
    if stats:
        data["statistics"] = stats
    return Draft(data, skipped)


def _publisher(publisher: str | None, gazetteer: Any) -> dict[str, str]:
    if not publisher:
        return {"publisherName": "unknown (machine-extracted draft)"}
    if gazetteer is None:
        from ..gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
    iri = gazetteer.by_id(publisher) or gazetteer.resolve(publisher)
    entry = gazetteer.entry(iri) if iri is not None else None
    if entry is not None:
        return {"publisher": entry.id}
    return {"publisherName": publisher}
