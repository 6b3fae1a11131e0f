"""The event kinds, read from the ontology and the shapes: the one list of them.

Every ``tk:Event`` subclass is a kind. What code needs to know of a kind comes from data:

- its roles: the shapes' property shapes targeting the class whose path is a sub-property of ``tk:agent``
  or ``tk:addressee`` (the ontology says which is which), with their ``sh:minCount``;
- how it is shown: the annotation properties ``tk:displayVerb``, ``tk:directedEdges``, ``tk:displayColour``
  and ``tk:summaryTemplate`` on the class.

A new kind is a class in ``ontology/tradekg.ttl`` and a shape in ``shapes/tradekg.shacl.ttl`` (plus a
lexicon frame for the extractor): no Python edit. Extra ontology or shapes files (a user's extension, or a
test's) are passed as ``extra`` paths.

Parsing uses pyoxigraph, not rdflib: ``ask`` reads kinds on every start and must stay fast.

>>> k = event_kinds()["Request"]
>>> k.verb, k.directed, k.agent_roles, k.addressee_roles, k.min_agents, k.min_addressees
('asked', True, ('requester',), ('addressee',), 1, 1)
>>> event_kinds()["Meeting"].directed
False
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tradekg.namespaces import TK_IRI

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SH = "http://www.w3.org/ns/shacl#"
_TK = TK_IRI


@dataclass(frozen=True)
class EventKind:
    """One event class and what the code needs to know of it."""

    name: str  # local name, "TariffAction"
    iri: str
    label: str  # "Tariff action"
    verb: str  # "imposed"
    directed: bool
    colour: str
    template: str  # "{agents} asked {addressees} about {topics}"
    agent_roles: tuple[str, ...]  # local names of its agent properties, most required first
    addressee_roles: tuple[str, ...]
    min_agents: int
    min_addressees: int
    cameo: str | None = None

    @property
    def agent_role(self) -> str:
        """The main agent property (``requester``), or ``agent`` when the shapes name none."""
        return self.agent_roles[0] if self.agent_roles else "agent"

    @property
    def addressee_role(self) -> str:
        """The main addressee property (``addressee``, ``recipient``, ``target``)."""
        return self.addressee_roles[0] if self.addressee_roles else "addressee"

    @property
    def symmetric(self) -> bool:
        """True when all its actors take part alike (meetings, agreements): it has no addressee role.
        (A commitment is drawn undirected but has a beneficiary, so it is not symmetric.)"""
        return not self.addressee_roles


def _local(term: object) -> str | None:
    s = getattr(term, "value", None)
    return s[len(_TK):] if isinstance(s, str) and s.startswith(_TK) else None


def _ordered(roles: dict[str, int], declared: str | None) -> tuple[str, ...]:
    """Role names, the class's declared property first, then by minimum count."""
    main = _local_str(declared)
    return tuple(sorted(roles, key=lambda r: (r != main, -roles[r], r)))


def _local_str(iri: str | None) -> str | None:
    return iri[len(_TK):] if iri and iri.startswith(_TK) else None


def _triples(paths: tuple[Path, ...]) -> list[tuple[object, object, object]]:
    out = []
    for p in paths:
        for t in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE):
            out.append((t.subject, t.predicate, t.object))
    return out


@functools.cache
def event_kinds(extra: tuple[Path, ...] = ()) -> dict[str, EventKind]:
    """Every ``tk:Event`` subclass by local name, in ontology order of name (sorted)."""
    from tradekg.resources import ontology_path, shapes_path

    triples = _triples((ontology_path(), shapes_path(), *extra))
    by_s: dict[object, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        by_s[s][p.value].append(o)  # type: ignore[attr-defined]
    sub_class: dict[object, list[object]] = defaultdict(list)
    sub_prop: dict[object, list[object]] = defaultdict(list)
    for s, props in by_s.items():
        for o in props.get(_RDFS + "subClassOf", []):
            sub_class[s].append(o)
        for o in props.get(_RDFS + "subPropertyOf", []):
            sub_prop[s].append(o)

    def reaches(term: object, target: str, up: dict[object, list[object]]) -> bool:
        seen, todo = set(), [term]
        while todo:
            t = todo.pop()
            if getattr(t, "value", None) == target:
                return True
            if t not in seen:
                seen.add(t)
                todo.extend(up.get(t, ()))
        return False

    event = _TK + "Event"
    roles: dict[str, dict[str, int]] = defaultdict(dict)  # class local -> role local -> minCount
    for props in by_s.values():
        for cls in props.get(_SH + "targetClass", []):
            for path in props.get(_SH + "path", []):
                name = _local(path)
                if name is None or _local(cls) is None:
                    continue
                count = max((int(c.value) for c in props.get(_SH + "minCount", [])  # type: ignore[attr-defined]
                             if not props.get(_SH + "severity")), default=0)
                prev = roles[_local(cls)].get(name, 0)  # type: ignore[index]
                roles[_local(cls)][name] = max(prev, count)  # type: ignore[index]

    def first(props: dict[str, list[object]], key: str) -> str | None:
        vals = props.get(_TK + key) or props.get(key) or []
        return getattr(vals[0], "value", None) if vals else None

    kinds: dict[str, EventKind] = {}
    for s, props in by_s.items():
        name = _local(s)
        if name is None or name == "Event" or not reaches(s, event, sub_class):
            continue
        agent_r = {r: c for r, c in roles.get(name, {}).items()
                   if reaches(ox.NamedNode(_TK + r), _TK + "agent", sub_prop)}
        addr_r = {r: c for r, c in roles.get(name, {}).items()
                  if reaches(ox.NamedNode(_TK + r), _TK + "addressee", sub_prop)}
        for key, found in (("agentProperty", agent_r), ("addresseeProperty", addr_r)):
            declared = _local((props.get(_TK + key) or [None])[0])
            if declared:
                found.setdefault(declared, 0)
        label = props.get(_RDFS + "label", [])
        directed = first(props, "directedEdges")
        kinds[name] = EventKind(
            name=name, iri=_TK + name, label=getattr(label[0], "value", name) if label else name,
            verb=first(props, "displayVerb") or name.lower(),
            directed=directed != "false" if directed is not None else True,
            colour=first(props, "displayColour") or "#888888",
            template=first(props, "summaryTemplate") or "{agents} " + name.lower(),
            agent_roles=_ordered(agent_r, first(props, "agentProperty")),
            addressee_roles=_ordered(addr_r, first(props, "addresseeProperty")),
            min_agents=max(agent_r.values(), default=0),
            min_addressees=max(addr_r.values(), default=0),
            cameo=first(props, "cameoCode"),
        )
    return dict(sorted(kinds.items()))
