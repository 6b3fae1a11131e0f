"""The actor network: who met, asked, answered, gave to, invited or informed whom.

:func:`build_network` turns the events in the knowledge graph into a ``networkx.MultiDiGraph`` whose nodes
are actors (persons, countries, organizations, groups) and whose edges are interactions, one edge per
(from, to, kind) with ``weight`` = how many events support it. It reads the graph only through a
``sparql`` callable (a SELECT over the union of all graphs returning rows of plain strings), so it works
the same on the embedded store, a remote endpoint or an in-memory test store.

Roles are found through the ontology's property hierarchy (``?p rdfs:subPropertyOf* tk:agent``), so a
new event type with new role properties shows up here without a code change: its kind is named after its
class unless :data:`KIND_BY_CLASS` has a verb for it.

:func:`write_network` exports by file extension (GraphML, GEXF, DOT, JSON, PNG/SVG drawn here with
matplotlib); the interactive HTML page is :mod:`tradekg.network_html`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from tradekg.errors import InputError, UsageError
from tradekg.namespaces import TK, TKDOC, TKID, sparql_prologue

Sparql = Callable[[str], list[dict[str, str | None]]]

#: The verb an edge is labelled with, per event class (local name). Others use the class name, lowercased.
KIND_BY_CLASS: dict[str, str] = {
    "Meeting": "met",
    "Call": "met",
    "Visit": "met",
    "Request": "requested",
    "Claim": "claimed",
    "Complaint": "complained",
    "Gift": "gave",
    "Invitation": "invited",
    "Notification": "informed",
    "Announcement": "announced",
    "Agreement": "agreed",
    "Commitment": "committed",
    "TariffAction": "imposed",
    "Threat": "threatened",
    "MediaAppearance": "appeared",
}
RESPONDED = "responded"
REPRESENTS = "represents"
#: Kinds whose edges have no direction (participants of one meeting met each other).
UNDIRECTED_KINDS = {"met", "agreed", "committed"}
#: Broad actor types, most specific first: a node's ``type`` is the first its classes fall under.
ACTOR_TYPES = ("Person", "Country", "Organization", "Group", "Actor")

TYPE_COLORS = {
    "Person": "#4e79a7",
    "Country": "#e15759",
    "Organization": "#59a14f",
    "Group": "#f28e2b",
    "Actor": "#9c755f",
}
KIND_COLORS = {
    "met": "#4e79a7",
    "requested": "#e15759",
    "responded": "#b07aa1",
    "claimed": "#f28e2b",
    "complained": "#ff9da7",
    "gave": "#edc948",
    "invited": "#59a14f",
    "informed": "#76b7b2",
    "announced": "#9c755f",
    "represents": "#bab0ac",
    "appeared": "#17becf",
    "agreed": "#2ca02c",
    "committed": "#1f3a93",
    "imposed": "#d62728",
    "threatened": "#7f7f7f",
}
_PALETTE = ["#17becf", "#bcbd22", "#8c564b", "#9467bd", "#d62728", "#2ca02c", "#1f77b4", "#ff7f0e"]


def kind_color(kind: str) -> str:
    """A stable colour for an interaction kind (known kinds have fixed colours).

    >>> kind_color("met")
    '#4e79a7'
    """
    if kind in KIND_COLORS:
        return KIND_COLORS[kind]
    return _PALETTE[sum(map(ord, kind)) % len(_PALETTE)]


# ---------------------------------------------------------------------------------------------------------
# Terms: values reach SPARQL as RDF terms in VALUES blocks, never pasted into the query text.

_IRI_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$")


def _iri_term(iri: str, what: str = "IRI") -> str:
    if not _IRI_OK.match(iri):
        raise UsageError(f"{what} {iri!r} is not a valid IRI")
    return f"<{iri}>"


def _literal_term(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _doc_iri(document: str) -> str:
    if document.startswith(("http://", "https://", "urn:")):
        return document
    if document.startswith("tkdoc:"):
        document = document[len("tkdoc:") :]
    return str(TKDOC[document])


def _run(sparql: Sparql, body: str) -> list[dict[str, str | None]]:
    return sparql(sparql_prologue() + body)


def _doc_filter(document: str | None) -> str:
    if document is None:
        return ""
    return f"?event tk:source ?doc . VALUES ?doc {{ {_iri_term(_doc_iri(document), 'document')} }}"


def parse_date(value: str | dt.date | None, what: str = "date") -> dt.date | None:
    """A date given by a user (``YYYY-MM-DD`` or a ``date``), or a :class:`UsageError` saying which one.

    >>> parse_date("2025-04-16")
    datetime.date(2025, 4, 16)
    """
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError(f"{what}: {value!r} is not a date (expected YYYY-MM-DD)") from None


def _as_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------------------
# Reading events and actors


def fetch_events(sparql: Sparql, document: str | None = None) -> dict[str, dict[str, Any]]:
    """Every event (or those of one document) with its class, roles, date, sources and evidence.

    Returns ``{event IRI: record}``; a record has ``class``, ``date``, ``summary``, ``agents``,
    ``addressees``, ``participants`` (sets of actor IRIs, metonyms resolved: Tokyo → Japan),
    ``responds_to``, ``part_of``, ``attributed_to`` (lists of IRIs), ``sources`` (dicts with
    ``article``, ``title``, ``url``), ``evidence`` (quotes, in article order), ``offset`` (where the first
    quote starts in the article, if known), ``status``, ``hedge``, ``time_note``.
    The timeline and the network both read events through this one function.
    """
    flt = _doc_filter(document)
    events: dict[str, dict[str, Any]] = {}
    classes: dict[str, set[str]] = defaultdict(set)
    for row in _run(sparql, f"SELECT ?event ?cls WHERE {{ ?event a ?cls . ?cls rdfs:subClassOf* tk:Event . {flt} }}"):
        classes[row["event"]].add(row["cls"])
    for iri, cls in classes.items():
        events[iri] = {
            "event": iri,
            "class": _event_class(cls),
            "date": None,
            "summary": None,
            "time_note": None,
            "status": None,
            "hedge": None,
            "agents": set(),
            "addressees": set(),
            "participants": set(),
            "responds_to": [],
            "part_of": [],
            "attributed_to": [],
            "sources": [],
            "evidence": [],
            "offset": None,
        }
    if not events:
        return events
    q_roles = f"""SELECT ?event ?role ?actor WHERE {{
        ?event ?p ?a0 . ?p rdfs:subPropertyOf* ?role .
        VALUES ?role {{ tk:agent tk:addressee tk:participant }}
        OPTIONAL {{ ?a0 tk:metonymFor ?m }} BIND(COALESCE(?m, ?a0) AS ?actor) {flt} }}"""
    slot = {str(TK.agent): "agents", str(TK.addressee): "addressees", str(TK.participant): "participants"}
    for row in _run(sparql, q_roles):
        ev = events.get(row["event"] or "")
        if ev is not None and row["actor"] and not row["actor"].startswith("_:"):
            ev[slot[row["role"]]].add(row["actor"])
    q_attrs = f"""SELECT ?event ?date ?summary ?note ?status ?hedge WHERE {{
        ?event a ?cls . ?cls rdfs:subClassOf* tk:Event .
        OPTIONAL {{ ?event tk:date ?date }} OPTIONAL {{ ?event tk:summary ?summary }}
        OPTIONAL {{ ?event tk:timeNote ?note }} OPTIONAL {{ ?event tk:reportingStatus ?status }}
        OPTIONAL {{ ?event tk:hedge ?hedge }} {flt} }}"""
    for row in _run(sparql, q_attrs):
        ev = events.get(row["event"] or "")
        if ev is None:
            continue
        for key, col in (("date", "date"), ("summary", "summary"), ("time_note", "note"), ("hedge", "hedge")):
            if row.get(col) and not ev[key]:
                ev[key] = row[col]
        if row.get("status") and not ev["status"]:
            ev["status"] = _local(row["status"]).lower()
    q_links = f"""SELECT ?event ?link ?target WHERE {{
        ?event ?link ?target . VALUES ?link {{ tk:inResponseTo tk:partOf tk:attributedTo }} {flt} }}"""
    slot = {str(TK.inResponseTo): "responds_to", str(TK.partOf): "part_of", str(TK.attributedTo): "attributed_to"}
    for row in _run(sparql, q_links):
        ev = events.get(row["event"] or "")
        if ev is not None and row["target"] not in ev[slot[row["link"]]]:
            ev[slot[row["link"]]].append(row["target"])
    q_sources = f"""SELECT ?event ?article ?title ?url WHERE {{
        ?event tk:source ?article . OPTIONAL {{ ?article dcterms:title ?title }}
        OPTIONAL {{ ?article schema:url ?url }} {flt} }}"""
    for row in _run(sparql, q_sources):
        ev = events.get(row["event"] or "")
        if ev is not None and all(s["article"] != row["article"] for s in ev["sources"]):
            ev["sources"].append({"article": row["article"], "title": row.get("title"), "url": row.get("url")})
    q_evidence = f"""SELECT ?event ?quote ?start WHERE {{
        ?event tk:evidence ?ev . ?ev tk:quote ?quote . OPTIONAL {{ ?ev tk:startOffset ?start }} {flt} }}"""
    quotes: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in _run(sparql, q_evidence):
        start = int(row["start"]) if (row.get("start") or "").lstrip("-").isdigit() else 1 << 60
        quotes[row["event"] or ""].append((start, row["quote"] or ""))
    for iri, found in quotes.items():
        if iri in events:
            events[iri]["evidence"] = list(dict.fromkeys(q for _, q in sorted(found)))
            events[iri]["offset"] = min(start for start, _ in found)
    return events


def _event_class(classes: set[str]) -> str:
    names = sorted(_local(c) for c in classes if c != str(TK.Event))
    known = [n for n in names if n in KIND_BY_CLASS]
    return (known or names or ["Event"])[0]


def event_kind(cls: str) -> str:
    """The edge kind of an event class: a verb for known classes, else the class name lowercased.

    >>> event_kind("Gift"), event_kind("Sanction")
    ('gave', 'sanction')
    """
    return KIND_BY_CLASS.get(cls, cls.lower())


def fetch_actors(sparql: Sparql, iris: Iterable[str] = ()) -> dict[str, dict[str, str]]:
    """Label and broad type (Person, Country, Organization, Group, Actor) of every actor, keyed by IRI.

    ``iris`` that are not typed actors (a place, an untyped IRI) are looked up for a label too, so every
    node gets a readable name: prefLabel, else rdfs:label, else the IRI's last segment.
    """
    q = """SELECT ?actor ?broad ?pref ?label WHERE {
        ?actor a ?cls . ?cls rdfs:subClassOf* ?broad .
        VALUES ?broad { tk:Person tk:Country tk:Organization tk:Group tk:Actor }
        OPTIONAL { ?actor skos:prefLabel ?pref FILTER(LANG(?pref) = "" || LANGMATCHES(LANG(?pref), "en")) }
        OPTIONAL { ?actor rdfs:label ?label FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) } }"""
    found: dict[str, dict[str, Any]] = {}
    for row in _run(sparql, q):
        rec = found.setdefault(row["actor"], {"types": set(), "pref": None, "label": None})
        rec["types"].add(_local(row["broad"]))
        rec["pref"] = rec["pref"] or row.get("pref")
        rec["label"] = rec["label"] or row.get("label")
    missing = [i for i in dict.fromkeys(iris) if i not in found and _IRI_OK.match(i)]
    for chunk in range(0, len(missing), 500):
        values = " ".join(f"<{i}>" for i in missing[chunk : chunk + 500])
        q = f"""SELECT ?actor ?pref ?label WHERE {{ VALUES ?actor {{ {values} }}
            OPTIONAL {{ ?actor skos:prefLabel ?pref }} OPTIONAL {{ ?actor rdfs:label ?label }} }}"""
        for row in _run(sparql, q):
            rec = found.setdefault(row["actor"], {"types": {"Actor"}, "pref": None, "label": None})
            rec["pref"] = rec["pref"] or row.get("pref")
            rec["label"] = rec["label"] or row.get("label")
    out = {}
    for iri, rec in found.items():
        kind = next((t for t in ACTOR_TYPES if t in rec["types"]), "Actor")
        out[iri] = {"iri": iri, "label": rec["pref"] or rec["label"] or _local(iri), "type": kind}
    return out


def resolve_actor(sparql: Sparql, text: str) -> list[str]:
    """The IRIs an actor reference names: an IRI, ``tkid:<id>``, a gazetteer id, a label or an alias.

    Labels match case-insensitively on skos:prefLabel, skos:altLabel and rdfs:label; the text is bound
    as a literal, never pasted into the query. Raises :class:`UsageError` when nothing matches.
    """
    text = text.strip()
    if not text:
        raise UsageError("actor: an empty name matches nothing")
    if text.startswith(("http://", "https://", "urn:")):
        return [_iri_term(text, "actor")[1:-1]]
    candidates = []
    local = text[len("tkid:") :] if text.startswith("tkid:") else text
    if re.fullmatch(r"[A-Za-z0-9._\-]+", local):
        candidates.append(_iri_term(str(TKID[local])))
    q = f"""SELECT DISTINCT ?a WHERE {{
        {{ VALUES ?q {{ {_literal_term(text)} }}
           ?a skos:prefLabel|skos:altLabel|rdfs:label ?l . FILTER(LCASE(STR(?l)) = LCASE(?q)) }}
        UNION {{ VALUES ?a {{ {" ".join(candidates)} }} ?a ?p ?o }} }}"""
    iris = sorted({row["a"] for row in _run(sparql, q) if row.get("a")})
    if not iris:
        raise UsageError(f"actor: nothing in the knowledge graph is called {text!r}")
    return iris


def fetch_representation(sparql: Sparql) -> list[dict[str, str | None]]:
    """Who acts for whom: a person's roles (tk:holdsRole/tk:roleFor), nationality and affiliation."""
    q = """SELECT ?actor ?target ?via ?position ?start ?end WHERE {
        { ?actor tk:holdsRole ?role . ?role tk:roleFor ?target . BIND("role" AS ?via)
          OPTIONAL { ?role tk:position ?pos OPTIONAL { ?pos skos:prefLabel ?position } }
          OPTIONAL { ?role tk:roleStart ?start } OPTIONAL { ?role tk:roleEnd ?end } }
        UNION { ?actor tk:nationality ?target . BIND("nationality" AS ?via) }
        UNION { ?actor tk:affiliation ?target . BIND("affiliation" AS ?via) } }"""
    return _run(sparql, q)


def _representation(
    sparql: Sparql, actors: set[str], start: dt.date | None, end: dt.date | None
) -> dict[tuple[str, str], list[str]]:
    """{(actor, country or organization): how they represent it}, roles outside the date range left out."""
    out: dict[tuple[str, str], list[str]] = {}
    for row in fetch_representation(sparql):
        if row["actor"] not in actors or not row.get("target"):
            continue
        role_start, role_end = _as_date(row.get("start")), _as_date(row.get("end"))
        if (end and role_start and role_start > end) or (start and role_end and role_end < start):
            continue
        how = row.get("position") or row["via"]
        if row.get("start") or row.get("end"):
            how += f" ({row.get('start') or '…'} – {row.get('end') or ''})".replace(" – )", " –)")
        descriptions = out.setdefault((row["actor"], row["target"]), [])
        if how not in descriptions:
            descriptions.append(how)
    return {pair: sorted(how) for pair, how in out.items()}


# ---------------------------------------------------------------------------------------------------------
# Building the graph


def _detail(ev: dict[str, Any]) -> dict[str, Any]:
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


def _interactions(events: dict[str, dict[str, Any]]) -> Iterable[tuple[str, str, str, dict[str, Any]]]:
    """(from, to, kind, detail) for every pair of actors an event links."""
    for ev in events.values():
        kind = event_kind(ev["class"])
        detail = _detail(ev)
        participants = sorted(ev["participants"])
        for i, a in enumerate(participants):
            for b in participants[i + 1 :]:
                yield a, b, kind, detail
        for a in sorted(ev["agents"]):
            for b in sorted(ev["addressees"]):
                yield a, b, kind, detail
        for original in ev["responds_to"]:
            answered = events.get(original)
            if answered is None:
                continue
            for a in sorted(ev["agents"]):
                for b in sorted(answered["agents"]):
                    yield a, b, RESPONDED, detail


def known_kinds() -> set[str]:
    """Every edge kind the network can hold (the event classes' verbs, responded, represents)."""
    return set(KIND_BY_CLASS.values()) | {RESPONDED, REPRESENTS}


def _normalize_kinds(kinds: Iterable[str], present: set[str]) -> set[str]:
    allowed = known_kinds() | present
    by_alias = {c.lower(): k for c, k in KIND_BY_CLASS.items()}
    by_alias.update({"response": RESPONDED, "role": REPRESENTS, "roles": REPRESENTS})
    out = set()
    for raw in kinds:
        k = raw.strip().lower()
        if not k:
            continue
        if k in allowed:
            out.add(k)
        elif k in by_alias:
            out.add(by_alias[k])
        elif k.rstrip("s") in by_alias:
            out.add(by_alias[k.rstrip("s")])
        else:
            raise UsageError(f"kinds: unknown interaction kind {raw!r}; known: {', '.join(sorted(allowed))}")
    return out


def _add(g: nx.MultiDiGraph, u: str, v: str, kind: str, detail: dict[str, Any]) -> None:
    if u == v:
        return
    if kind in UNDIRECTED_KINDS and v < u:
        u, v = v, u
    if g.has_edge(u, v, key=kind):
        data = g.edges[u, v, kind]
        if any(d["event"] == detail["event"] for d in data["details"]):
            return
    else:
        g.add_edge(u, v, key=kind, kind=kind, directed=kind not in UNDIRECTED_KINDS, details=[])
        data = g.edges[u, v, kind]
    data["details"].append(detail)


def _fold_into_countries(g: nx.MultiDiGraph, sparql: Sparql) -> nx.MultiDiGraph:
    rank = {"nationality": 0, "role": 1, "affiliation": 2}
    types = fetch_actors(sparql, ())
    best: dict[str, tuple[int, str]] = {}
    for row in fetch_representation(sparql):
        via, target = row["via"] or "affiliation", row.get("target")
        if not target or (via == "role" and types.get(target, {}).get("type") != "Country"):
            continue
        choice = (rank.get(via, 3), target)
        best[row["actor"]] = min(best.get(row["actor"], choice), choice)
    folded = nx.MultiDiGraph()
    for u, v, kind, data in g.edges(keys=True, data=True):
        if kind == REPRESENTS:
            continue
        for detail in data["details"]:
            _add(folded, best.get(u, (0, u))[1], best.get(v, (0, v))[1], kind, detail)
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
    Actor). Edges are keyed by their ``kind`` (met, requested, responded, claimed, complained, gave,
    invited, informed, announced, represents, ...) and carry ``weight`` (number of events), ``events``,
    ``dates``, ``sources`` (article and title), ``evidence`` (quotes) and ``details`` (one dict per event).
    "met" edges are undirected (``directed`` is False) and stored with the smaller IRI first.

    Filters: ``document`` (id or IRI), ``kinds`` (edge kinds or event classes: ``{"meeting", "gift"}``),
    ``date_from``/``date_to`` (inclusive; undated events are left out when either is given), and
    ``actor`` with ``depth`` (default 1): the actors within that many hops of the named one.
    A person who takes part in an event is linked to the country or organization they represent.
    ``by_country=True`` folds every person and group into what they act for (nationality, then a role
    for a country, then affiliation), so Akazawa's answer to the US becomes Japan → United States.

    >>> g = build_network(sparql, document="us-japan-first-round-2025-04")    # doctest: +SKIP
    >>> g.has_edge(TKID["akazawa-ryosei"], TKID["donald-trump"], key="gave")  # doctest: +SKIP
    True
    """
    start, end = parse_date(date_from, "from"), parse_date(date_to, "to")
    if start and end and start > end:
        raise UsageError(f"from {start} is after to {end}")
    if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int) or depth < 0):
        raise UsageError(f"depth: {depth!r} is not a whole number of hops (0 or more)")
    if depth is not None and actor is None:
        raise UsageError("depth needs an actor to count hops from")
    events = fetch_events(sparql, document)
    if start or end:
        def in_range(ev: dict[str, Any]) -> bool:
            d = _as_date(ev["date"])
            return d is not None and (start is None or d >= start) and (end is None or d <= end)

        # "responded" needs the answered event's agents even if that event falls outside the range.
        kept = {i for i, ev in events.items() if in_range(ev)}
        events = {i: ev for i, ev in events.items() if i in kept or any(i in events[k]["responds_to"] for k in kept)}
        links = [x for x in _interactions(events) if x[3]["event"] in kept]
    else:
        links = list(_interactions(events))
    wanted = _normalize_kinds(kinds, {k for _, _, k, _ in links}) if kinds is not None else None

    g = nx.MultiDiGraph()
    for u, v, kind, detail in links:
        if wanted is None or kind in wanted:
            _add(g, u, v, kind, detail)
    if wanted is None or REPRESENTS in wanted:
        involved = set(g.nodes) if wanted is None else {a for u, v, _, _ in links for a in (u, v)}
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
        g.nodes[node].update(actors.get(node) or {"iri": node, "label": _local(node), "type": "Actor"})
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


# ---------------------------------------------------------------------------------------------------------
# Summary


def network_counts(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes, edges, total interaction weight and edges per kind.

    >>> network_counts(nx.MultiDiGraph())["nodes"]
    0
    """
    per_kind: dict[str, int] = defaultdict(int)
    for _, _, kind in g.edges(keys=True):
        per_kind[kind] += 1
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "interactions": sum(d.get("weight", 1) for _, _, d in g.edges(data=True)),
        "kinds": dict(sorted(per_kind.items())),
    }


def network_summary(g: nx.MultiDiGraph, top: int = 10) -> list[dict[str, Any]]:
    """The most central actors: one row each with label, type, degree, interactions and betweenness.

    ``degree`` counts distinct neighbours, ``interactions`` sums edge weights, ``betweenness`` is
    computed on the undirected simple graph: exact for small networks, estimated from a seeded sample of
    sources for large ones (a few seconds at 5,000 actors and 50,000 edges). Rows are ordered by degree,
    then betweenness, then label.

    >>> g = nx.MultiDiGraph(); _ = g.add_edge("a", "b", key="met", weight=2)
    >>> [r["degree"] for r in network_summary(g)]
    [1, 1]
    """
    simple = nx.Graph(g.to_undirected(as_view=True))
    simple.remove_edges_from(nx.selfloop_edges(simple))
    n, m = simple.number_of_nodes(), simple.number_of_edges()
    # Exact betweenness costs one BFS per node; past ~800k node+edge visits, sample sources (seeded).
    sources = max(16, int(800_000 / max(n + m, 1)))
    between = nx.betweenness_centrality(simple, k=sources if sources < n else None, seed=0)
    weights: dict[str, int] = defaultdict(int)
    for u, v, d in g.edges(data=True):
        weights[u] += d.get("weight", 1)
        weights[v] += d.get("weight", 1)
    rows = [
        {
            "iri": g.nodes[node].get("iri", node),
            "label": g.nodes[node].get("label", str(node)),
            "type": g.nodes[node].get("type", "Actor"),
            "degree": simple.degree(node),
            "interactions": weights[node],
            "betweenness": round(between.get(node, 0.0), 4),
        }
        for node in g.nodes
    ]
    rows.sort(key=lambda r: (-r["degree"], -r["betweenness"], r["label"].lower()))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows[:top] if top else rows


def summary_table(g: nx.MultiDiGraph, top: int = 10):
    """A rich Table of :func:`network_summary`, captioned with the node and edge counts.

    Labels come from articles, so they are passed as ``rich.text.Text`` (no markup interpretation).
    """
    from rich.table import Table
    from rich.text import Text

    counts = network_counts(g)
    kinds = ", ".join(f"{k} {n}" for k, n in counts["kinds"].items()) or "none"
    table = Table(
        title="Actor network",
        caption=f"{counts['nodes']} actors, {counts['edges']} edges ({kinds})",
    )
    for col, justify in (("#", "right"), ("actor", "left"), ("type", "left"), ("degree", "right"),
                         ("interactions", "right"), ("betweenness", "right")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for row in network_summary(g, top):
        table.add_row(str(row["rank"]), Text(row["label"]), Text(row["type"]), str(row["degree"]),
                      str(row["interactions"]), f"{row['betweenness']:.3f}")
    return table


# ---------------------------------------------------------------------------------------------------------
# Layout: small graphs use networkx's spring layout; large ones a grid (particle-mesh) force layout whose
# repulsion is a convolution of the node density with a log kernel (FFT), so one step is O(n + E + G²).


def layout(g: nx.Graph, seed: int = 0) -> dict[Any, tuple[float, float]]:
    """Node positions in the unit square, deterministic for a given seed.

    >>> pos = layout(nx.path_graph(3)); all(0 <= x <= 1 and 0 <= y <= 1 for x, y in pos.values())
    True
    """
    import numpy as np

    nodes = list(g.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.5, 0.5)}
    simple = nx.Graph(g.to_undirected(as_view=True)) if g.is_directed() or g.is_multigraph() else g
    if n <= 400:
        raw = nx.spring_layout(simple, seed=seed, k=1.8 / n**0.5, iterations=150)
        xy = np.array([raw[v] for v in nodes], dtype=float)
    else:
        index = {v: i for i, v in enumerate(nodes)}
        pairs = np.array([(index[u], index[v]) for u, v in simple.edges() if u != v], dtype=np.int64)
        xy = _grid_force_layout(n, pairs.reshape(-1, 2), seed=seed)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    xy = 0.04 + 0.92 * (xy - lo) / span
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, xy, strict=True)}


def _grid_force_layout(n: int, edges, seed: int = 0, iterations: int = 90, grid: int = 128):
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) - 0.5
    k = 1.0 / np.sqrt(n)  # ideal edge length when n nodes share a unit area (Fruchterman-Reingold)
    size = 2 * grid  # zero padding: the convolution is linear, not circular
    idx = np.arange(size)
    wrap = np.minimum(idx, size - idx)
    src, dst = edges[:, 0], edges[:, 1]
    temperature = 0.1
    for _step in range(iterations):
        lo = pos.min(axis=0)
        h = float((pos.max(axis=0) - lo).max()) / (grid - 1) + 1e-9
        cells = np.clip(((pos - lo) / h).astype(np.int64), 0, grid - 1)
        density = np.zeros((size, size))
        density[:grid, :grid] = np.bincount(cells[:, 0] * grid + cells[:, 1], minlength=grid * grid).reshape(grid, grid)
        # Repulsion k²/r is the gradient of k² ln r: convolve the density with that potential by FFT.
        r = np.hypot(wrap[:, None] * h, wrap[None, :] * h)
        kernel = np.fft.rfft2(k * k * np.log(np.maximum(r, h)))
        potential = np.fft.irfft2(np.fft.rfft2(density) * kernel, s=(size, size))[:grid, :grid]
        gx, gy = np.gradient(potential, h)
        disp = np.stack([gx[cells[:, 0], cells[:, 1]], gy[cells[:, 0], cells[:, 1]]], axis=1)
        if len(src):
            delta = pos[dst] - pos[src]
            boost = 4.0 if _step < iterations // 3 else 1.0  # early exaggeration lets clusters form first
            pull = delta * (boost * np.sqrt((delta**2).sum(axis=1)) / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(src, pull[:, axis], n) - np.bincount(dst, pull[:, axis], n)
        # Gravity balances the total repulsion (about 1/R at radius R) near R = 1, keeping components close.
        disp -= pos
        length = np.sqrt((disp**2).sum(axis=1)) + 1e-12
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(0.002, temperature * 0.955)
    return pos


# ---------------------------------------------------------------------------------------------------------
# Exports


def _joined(values: Iterable[Any]) -> str:
    return " | ".join(str(v) for v in values if v not in (None, ""))


def flat_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with string attributes only (lists joined with `` | ``), for GraphML, GEXF and DOT.

    Nodes keep iri, label, type; edges keep kind, weight (an integer), directed, and joined events,
    dates, source titles, articles and evidence.
    """
    flat = nx.MultiDiGraph()
    for node, d in g.nodes(data=True):
        flat.add_node(node, iri=str(d.get("iri", node)), label=str(d.get("label", node)),
                      type=str(d.get("type", "Actor")))
    for u, v, key, d in g.edges(keys=True, data=True):
        sources = d.get("sources", [])
        flat.add_edge(
            u, v, key=key,
            kind=str(d.get("kind", key)),
            weight=int(d.get("weight", 1)),
            directed="true" if d.get("directed", True) else "false",
            events=_joined(d.get("events", [])),
            dates=_joined(d.get("dates", [])),
            sources=_joined(s.get("title") or s.get("article") for s in sources),
            articles=_joined(s.get("article") for s in sources),
            evidence=_joined(d.get("evidence", [])),
        )
    return flat


def _dot_quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n") + '"'


def to_dot(g: nx.MultiDiGraph) -> str:
    """Graphviz DOT text for the network, every identifier and attribute quoted.

    >>> g = nx.MultiDiGraph(); g.add_node("x", label='say "hi"', type="Person")
    >>> 'label="say \\\\"hi\\\\""' in to_dot(g)
    True
    """
    flat = flat_graph(g)
    lines = [
        "digraph tradekg {",
        '  graph [overlap="false", splines="true", label="tradekg actor network"];',
        '  node [style="filled", fontname="Helvetica", fontcolor="white"];',
        '  edge [fontname="Helvetica", fontsize="10"];',
    ]
    shapes = {"Person": "ellipse", "Country": "box", "Organization": "hexagon", "Group": "octagon"}
    for node, d in flat.nodes(data=True):
        attrs = {"label": d["label"], "iri": d["iri"], "type": d["type"],
                 "shape": shapes.get(d["type"], "ellipse"), "fillcolor": TYPE_COLORS.get(d["type"], "#9c755f")}
        lines.append(f"  {_dot_quote(node)} [{', '.join(f'{k}={_dot_quote(v)}' for k, v in attrs.items())}];")
    for u, v, d in flat.edges(data=True):
        attrs = {"label": d["kind"] if d["weight"] == 1 else f"{d['kind']} ×{d['weight']}",
                 "kind": d["kind"], "weight": str(d["weight"]), "color": kind_color(d["kind"]),
                 "dates": d["dates"], "events": d["events"]}
        if d["directed"] == "false":
            attrs["dir"] = "none"
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} "
                     f"[{', '.join(f'{k}={_dot_quote(val)}' for k, val in attrs.items())}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_json(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Node-link JSON (``nodes`` and ``edges``) that ``networkx.node_link_graph(data, edges="edges")`` reads."""
    return nx.node_link_data(g, edges="edges")


def write_network(g: nx.MultiDiGraph, path: str | Path, *, title: str | None = None) -> Path:
    """Write the network to ``path``; the format follows the extension.

    ``.html`` (self-contained interactive page), ``.png``/``.svg`` (static drawing with legend),
    ``.graphml``/``.gexf`` (for Gephi: string attributes, lists joined), ``.dot`` (Graphviz), ``.json``
    (node-link) and ``.cyjs`` (cytoscape.js elements). Any other extension is a :class:`UsageError`.

    >>> write_network(nx.MultiDiGraph(), "/tmp/empty.graphml").name
    'empty.graphml'
    """
    path = Path(path)
    ext = path.suffix.lower()
    writers = {".html", ".htm", ".png", ".svg", ".graphml", ".gexf", ".dot", ".gv", ".json", ".cyjs"}
    if ext not in writers:
        raise UsageError(f"{path}: cannot write a network as {ext or 'a file without extension'!r}; "
                         f"use one of {', '.join(sorted(writers))}")
    if path.parent and not path.parent.exists():
        raise InputError(f"folder {path.parent} does not exist", path=path)
    try:
        if ext in (".html", ".htm"):
            from tradekg.network_html import render_html

            path.write_text(render_html(g, title=title), encoding="utf-8")
        elif ext in (".png", ".svg"):
            draw_network(g, path, title=title)
        elif ext == ".graphml":
            nx.write_graphml(flat_graph(g), path)
        elif ext == ".gexf":
            nx.write_gexf(flat_graph(g), path)
        elif ext in (".dot", ".gv"):
            path.write_text(to_dot(g), encoding="utf-8")
        elif ext == ".json":
            path.write_text(json.dumps(to_json(g), ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            path.write_text(json.dumps(nx.cytoscape_data(g), ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", path=path) from None
    return path


def draw_network(g: nx.MultiDiGraph, path: str | Path, *, title: str | None = None,
                 positions: dict[Any, tuple[float, float]] | None = None) -> None:
    """A static drawing (PNG or SVG by extension) for a report: 11×8 in, legend of types and kinds.

    Small networks get every label, curved parallel edges and arrows; large ones get straight edge
    batches and the labels of the 25 best-connected actors.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    pos = positions or layout(g)
    fig = Figure(figsize=(11, 8), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.02, 0.74, 0.9))
    ax.set_axis_off()
    ax.set_xlim(-0.1, 1.1)  # room for labels of actors on the rim
    ax.set_ylim(-0.04, 1.06)
    fig.suptitle(title or "Actor network", x=0.39, y=0.97, fontsize=14)
    n, m = g.number_of_nodes(), g.number_of_edges()
    small = m <= 400
    kinds = sorted({k for _, _, k in g.edges(keys=True)})
    if small:
        pair_count: dict[frozenset, int] = defaultdict(int)
        for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), e[2])):
            pair = frozenset((u, v))
            rad = 0.12 * pair_count[pair] * (1 if pair_count[pair] % 2 else -1) + (0.06 if pair_count[pair] else 0)
            pair_count[pair] += 1
            ax.annotate("", xy=pos[v], xytext=pos[u], arrowprops={
                "arrowstyle": "-|>" if d.get("directed", True) else "-", "color": kind_color(k),
                "lw": 1 + min(d.get("weight", 1), 6) * 0.6, "shrinkA": 9, "shrinkB": 9, "alpha": 0.85,
                "connectionstyle": f"arc3,rad={rad:.2f}", "mutation_scale": 14})
    else:
        alpha = max(0.04, min(0.5, 300 / max(m, 1)))
        for k in kinds:
            segs = [(pos[u], pos[v]) for u, v, kk in g.edges(keys=True) if kk == k]
            ax.add_collection(LineCollection(segs, colors=kind_color(k), linewidths=0.4, alpha=alpha))
    degree = dict(g.degree())
    types = [t for t in ACTOR_TYPES if any(d.get("type") == t for _, d in g.nodes(data=True))]
    for t in types:
        members = [v for v, d in g.nodes(data=True) if d.get("type") == t]
        xs = [pos[v][0] for v in members]
        ys = [pos[v][1] for v in members]
        sizes = [(90 + 40 * min(degree[v], 10)) if n <= 200 else 4 + min(degree[v], 40) for v in members]
        ax.scatter(xs, ys, s=sizes, c=TYPE_COLORS[t], edgecolors="white", linewidths=0.6 if n <= 200 else 0,
                   zorder=3)
    labelled = sorted(g.nodes, key=lambda v: -degree[v])[: (n if n <= 80 else 25)]
    for v in labelled:
        x, y = pos[v]
        text = textwrap.shorten(str(g.nodes[v].get("label", v)), 60, placeholder="…")
        ax.annotate("\n".join(textwrap.wrap(text, 24)), (x, y), xytext=(0, 8 if n <= 80 else 4),
                    textcoords="offset points", ha="center", fontsize=8 if n <= 80 else 6, zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    fig.text(0.79, 0.93, f"{n} actors · {m} edges", fontsize=10)
    actor_legend = fig.legend(
        handles=[Line2D([], [], marker="o", ls="", color=TYPE_COLORS[t], markersize=8, label=t) for t in types],
        loc="upper left", bbox_to_anchor=(0.78, 0.91), frameon=False, title="Actors", alignment="left",
        fontsize=9)
    fig.legend(handles=[Line2D([], [], color=kind_color(k), lw=2.5, label=k) for k in kinds],
               loc="upper left", bbox_to_anchor=(0.78, 0.91 - 0.035 * (len(types) + 2)), frameon=False,
               title="Interactions", alignment="left", fontsize=9)
    fig.add_artist(actor_legend)
    fig.savefig(str(path), format=Path(path).suffix.lower().lstrip("."))


def pyoxigraph_sparql(store: Any) -> Sparql:
    """A ``sparql`` callable over a ``pyoxigraph.Store``: SELECT over the union of all graphs, plain strings.

    >>> import pyoxigraph; rows = pyoxigraph_sparql(pyoxigraph.Store())("SELECT ?x WHERE { VALUES ?x { 1 } }")
    >>> rows
    [{'x': '1'}]
    """

    def run(query: str) -> list[dict[str, str | None]]:
        results = store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in results.variables]
        out = []
        for solution in results:
            row: dict[str, str | None] = {}
            for name in names:
                term = solution[name]
                if term is None:
                    row[name] = None
                elif type(term).__name__ == "BlankNode":
                    row[name] = "_:" + term.value
                else:
                    row[name] = term.value
            out.append(row)
        return out

    return run
