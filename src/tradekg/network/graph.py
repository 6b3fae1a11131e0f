"""Building the actor network: events become edges between actors, in a ``networkx.MultiDiGraph``.

Nodes are actors (persons, countries, organizations, groups); edges are interactions, one edge per
(from, to, kind) with ``weight`` = how many events support it. Events come from the event reader
(:mod:`tradekg.network.events`); an edge's kind, direction and colour from the ontology
(:mod:`tradekg.network.edgekinds`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import networkx as nx

from tradekg.errors import UsageError
from tradekg.network.edgekinds import REPRESENTS, RESPONDED, edge_kind, kind_directed, normalize_kinds
from tradekg.network.events import EventRecord, fetch_actors, fetch_events, fetch_representation, resolve_actor
from tradekg.network.select import Sparql, as_date, date_range, in_range, local_name


def _representation(
    sparql: Sparql, actors: set[str], start: dt.date | None, end: dt.date | None
) -> dict[tuple[str, str], list[str]]:
    """{(actor, country or organization): how they represent it}, roles outside the date range left out."""
    out: dict[tuple[str, str], list[str]] = {}
    for row in fetch_representation(sparql):
        actor, target = row["actor"], row.get("target")
        if actor not in actors or not actor or not target:
            continue
        role_start, role_end = as_date(row.get("start")), as_date(row.get("end"))
        if (end and role_start and role_start > end) or (start and role_end and role_end < start):
            continue
        how = row.get("position") or row["via"] or "affiliation"
        if row.get("start") or row.get("end"):
            how += f" ({row.get('start') or '…'} – {row.get('end') or ''})".replace(" – )", " –)")
        descriptions = out.setdefault((actor, target), [])
        if how not in descriptions:
            descriptions.append(how)
    return {pair: sorted(how) for pair, how in out.items()}



def _detail(ev: EventRecord) -> dict[str, Any]:
    return {
        "event": ev["event"],
        "class": ev["class"],
        "date": ev["date"],
        "summary": ev["summary"],
        "status": ev["status"],
        "evidence": list(ev["evidence"]),
        "sources": [dict(s) for s in ev["sources"]],
        "attributed_to": list(ev["attributed_to"]),
    }


def _interactions(events: dict[str, EventRecord]) -> Iterable[tuple[str, str, str, dict[str, Any], bool]]:
    """(from, to, kind, detail, directed) for every pair of actors an event links.

    Participants of one event are linked with each other, both ways (they met, called, agreed together).
    Agents point at addressees when the kind is directed (asked, gave). A directed kind whose event names
    no addressee but a place that stands for an actor (a visit to Washington) points at that actor.
    """
    for ev in events.values():
        kind = edge_kind(ev["class"])
        directed = kind_directed(kind)
        detail = _detail(ev)
        participants = sorted(ev["participants"])
        for i, a in enumerate(participants):
            for b in participants[i + 1 :]:
                yield a, b, kind, detail, False
        targets = sorted(ev["addressees"]) or (sorted(ev["locations"]) if directed else [])
        for a in sorted(ev["agents"]):
            for b in targets:
                yield a, b, kind, detail, directed
        for original in ev["responds_to"]:
            answered = events.get(original)
            if answered is None:
                continue
            for a in sorted(ev["agents"]):
                for b in sorted(answered["agents"]):
                    yield a, b, RESPONDED, detail, True


def _add(g: nx.MultiDiGraph, u: str, v: str, kind: str, detail: dict[str, Any], directed: bool = True) -> None:
    if u == v:
        return
    if not directed and v < u:
        u, v = v, u
    if g.has_edge(u, v, key=kind):
        data = g.edges[u, v, kind]
        if any(d["event"] == detail["event"] for d in data["details"]):
            return
    else:
        g.add_edge(u, v, key=kind, kind=kind, directed=directed, details=[])
        data = g.edges[u, v, kind]
    data["details"].append(detail)


def _fold_into_countries(g: nx.MultiDiGraph, sparql: Sparql) -> nx.MultiDiGraph:
    rank = {"nationality": 0, "role": 1, "affiliation": 2}
    types = fetch_actors(sparql, ())
    best: dict[str, tuple[int, str]] = {}
    for row in fetch_representation(sparql):
        via, actor, target = row["via"] or "affiliation", row["actor"], row.get("target")
        if not actor or not target or (via == "role" and types.get(target, {}).get("type") != "Country"):
            continue
        choice = (rank.get(via, 3), target)
        best[actor] = min(best.get(actor, choice), choice)
    folded: nx.MultiDiGraph = nx.MultiDiGraph()
    for u, v, kind, data in g.edges(keys=True, data=True):
        if kind == REPRESENTS:
            continue
        for detail in data["details"]:
            _add(folded, best.get(u, (0, u))[1], best.get(v, (0, v))[1], kind, detail, data["directed"])
    return folded


def _finish_edges(g: nx.MultiDiGraph) -> None:
    for _, _, data in g.edges(data=True):
        details = data["details"]
        details.sort(key=lambda d: (d.get("date") is None, d.get("date") or "", d.get("event") or ""))
        data["weight"] = len(details)
        data["events"] = [d["event"] for d in details if d.get("event")]
        data["dates"] = sorted({d["date"] for d in details if d.get("date")})
        seen: dict[str, dict[str, Any]] = {}
        for d in details:
            for s in d.get("sources", []):
                seen.setdefault(s["article"], {"article": s["article"], "title": s.get("title")})
        data["sources"] = list(seen.values())
        data["evidence"] = list(dict.fromkeys(q for d in details for q in d.get("evidence", [])))


def build_network(
    sparql: Sparql,
    *,
    document: str | None = None,
    actor: str | None = None,
    depth: int | None = None,
    kinds: Iterable[str] | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    by_country: bool = False,
) -> nx.MultiDiGraph:
    """The actor network of the knowledge graph (or of one document) as a ``networkx.MultiDiGraph``.

    Nodes are actor IRIs with ``iri``, ``label`` and ``type`` (Person, Country, Organization, Group,
    Actor). Edges are keyed by their ``kind``: the display verb of the event's class in the ontology (met,
    asked, gave, agreed, ...), or "responded" and "represents"; they carry ``weight`` (number of events),
    ``events``, ``dates``, ``sources`` (article and title), ``evidence`` (quotes) and ``details`` (one dict
    per event). Edges of a kind whose class has ``tk:directedEdges false`` (met, agreed) are undirected
    (``directed`` is False) and stored with the smaller IRI first.

    Filters: ``document`` (id or IRI), ``kinds`` (edge kinds or event classes: ``{"meeting", "gift"}``),
    ``date_from``/``date_to`` (inclusive; undated events are left out when either is given), and
    ``actor`` with ``depth`` (default 1): the actors within that many hops of the named one.
    A person who takes part in an event is linked to the country or organization they represent.
    ``by_country=True`` folds every person and group into what they act for (nationality, then a role
    for a country, then affiliation), so Akazawa's answer to the US becomes Japan → United States.

    >>> import pyoxigraph as ox
    >>> from tradekg.network import pyoxigraph_sparql
    >>> from tradekg.resources import ontology_path
    >>> store = ox.Store(); store.load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)
    >>> tk = "https://w3id.org/tradekg/ontology#"
    >>> store.load(f"<urn:m> a <{tk}Meeting> ; <{tk}participant> <urn:b>, <urn:a> . "
    ...            f"<urn:r> a <{tk}Request> ; <{tk}requester> <urn:a> ; <{tk}addressee> <urn:b> .".encode(),
    ...            format=ox.RdfFormat.TURTLE)
    >>> g = build_network(pyoxigraph_sparql(store))
    >>> sorted((u, v, k, d["directed"]) for u, v, k, d in g.edges(keys=True, data=True))
    [('urn:a', 'urn:b', 'asked', True), ('urn:a', 'urn:b', 'met', False)]
    """
    start, end = date_range(date_from, date_to)
    if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int) or depth < 0):
        raise UsageError(f"depth: {depth!r} is not a whole number of hops (0 or more)")
    if depth is not None and actor is None:
        raise UsageError("depth needs an actor to count hops from")
    events = fetch_events(sparql, document)
    if start or end:
        # "responded" needs the answered event's agents even if that event falls outside the range.
        kept = {i for i, ev in events.items() if in_range(ev["date"], start, end)}
        events = {i: ev for i, ev in events.items() if i in kept or any(i in events[k]["responds_to"] for k in kept)}
        links = [x for x in _interactions(events) if x[3]["event"] in kept]
    else:
        links = list(_interactions(events))
    wanted = normalize_kinds(kinds, {x[2] for x in links}) if kinds is not None else None

    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for u, v, kind, detail, directed in links:
        if wanted is None or kind in wanted:
            _add(g, u, v, kind, detail, directed)
    if wanted is None or REPRESENTS in wanted:
        involved = set(g.nodes) if wanted is None else {a for x in links for a in x[:2]}
        for (person, target), how in _representation(sparql, involved, start, end).items():
            _add(g, person, target, REPRESENTS, {
                "event": None, "class": "Role", "date": None, "summary": "; ".join(how),
                "status": None, "evidence": [], "sources": [], "attributed_to": [],
            })
    if by_country:
        g = _fold_into_countries(g, sparql)
    _finish_edges(g)
    actors = fetch_actors(sparql, g.nodes)
    for node in g.nodes:
        g.nodes[node].update(actors.get(node) or {"iri": node, "label": local_name(node), "type": "Actor"})
    if actor is not None:
        centers = [i for i in resolve_actor(sparql, actor) if i in g]
        if not centers:
            raise UsageError(f"actor: {actor!r} takes part in no interaction in the selected events")
        radius = 1 if depth is None else depth
        undirected = g.to_undirected(as_view=True)
        keep: set[str] = set()
        for c in centers:
            keep |= set(nx.ego_graph(undirected, c, radius=radius))
        g = g.subgraph(keep).copy()
    g.graph["name"] = "tradekg actor network"
    return g
