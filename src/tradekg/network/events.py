"""The event reader: every event of the knowledge graph with its roles, date, sources and evidence.

The network and the timeline both read events, actors and who represents whom through this module, and
only through a ``sparql`` callable (see :mod:`tradekg.network.select`). Roles are found through the
ontology's property hierarchy (``?p rdfs:subPropertyOf* tk:agent``), so a new event class with new role
properties is read with no change here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypedDict

from tradekg.errors import UsageError
from tradekg.namespaces import TK
from tradekg.network.edgekinds import ACTOR_TYPES, event_class
from tradekg.network.select import (
    IRI_OK,
    Sparql,
    document_filter,
    local_name,
    run_select,
)

#: One event as :func:`fetch_events` reads it: ``class`` is the class it is drawn as (local name, an ontology
#: kind when it has one); actor sets hold IRIs with metonyms resolved (Tokyo stands for Japan).
EventRecord = TypedDict("EventRecord", {
    "event": str, "class": str, "date": str | None, "summary": str | None, "time_note": str | None,
    "status": str | None, "hedge": str | None, "agents": set[str], "addressees": set[str],
    "participants": set[str], "locations": set[str], "responds_to": list[str], "part_of": list[str],
    "attributed_to": list[str],
    "sources": list[dict[str, str | None]], "evidence": list[str], "offset": int | None,
})


def fetch_events(sparql: Sparql, document: str | None = None) -> dict[str, EventRecord]:
    """Every event (or those of one document) with its class, roles, date, sources and evidence.

    Returns ``{event IRI: record}``; a record has ``class``, ``date``, ``summary``, ``agents``,
    ``addressees``, ``participants`` (sets of actor IRIs, metonyms resolved: Tokyo → Japan), ``locations``
    (the actors its places stand for: a visit to Washington has the United States),
    ``responds_to``, ``part_of``, ``attributed_to`` (lists of IRIs), ``sources`` (dicts with
    ``article``, ``title``, ``url``), ``evidence`` (quotes, in article order), ``offset`` (where the first
    quote starts in the article, if known), ``status``, ``hedge``, ``time_note``.
    The timeline and the network both read events through this one function.
    """
    flt = document_filter(document)
    events: dict[str, EventRecord] = {}
    classes: dict[str, set[str]] = defaultdict(set)
    q_classes = f"SELECT ?event ?cls WHERE {{ ?event a ?cls . ?cls rdfs:subClassOf* tk:Event . {flt} }}"
    for row in run_select(sparql, q_classes):
        if row["event"] and row["cls"]:
            classes[row["event"]].add(row["cls"])
    for iri, cls in classes.items():
        events[iri] = {
            "event": iri,
            "class": event_class(local_name(c) for c in cls),
            "date": None,
            "summary": None,
            "time_note": None,
            "status": None,
            "hedge": None,
            "agents": set(),
            "addressees": set(),
            "participants": set(),
            "locations": set(),
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
    for row in run_select(sparql, q_roles):
        ev, actor = events.get(row["event"] or ""), row["actor"]
        if ev is None or not actor or actor.startswith("_:"):
            continue
        if row["role"] == str(TK.agent):
            ev["agents"].add(actor)
        elif row["role"] == str(TK.addressee):
            ev["addressees"].add(actor)
        else:
            ev["participants"].add(actor)
    q_attrs = f"""SELECT ?event ?date ?summary ?note ?status ?hedge WHERE {{
        ?event a ?cls . ?cls rdfs:subClassOf* tk:Event .
        OPTIONAL {{ ?event tk:date ?date }} OPTIONAL {{ ?event tk:summary ?summary }}
        OPTIONAL {{ ?event tk:timeNote ?note }} OPTIONAL {{ ?event tk:reportingStatus ?status }}
        OPTIONAL {{ ?event tk:hedge ?hedge }} {flt} }}"""
    for row in run_select(sparql, q_attrs):
        ev = events.get(row["event"] or "")
        if ev is None:
            continue
        ev["date"] = ev["date"] or row.get("date")
        ev["summary"] = ev["summary"] or row.get("summary")
        ev["time_note"] = ev["time_note"] or row.get("note")
        ev["hedge"] = ev["hedge"] or row.get("hedge")
        status = row.get("status")
        if status and not ev["status"]:
            ev["status"] = local_name(status).lower()
    q_places = f"""SELECT ?event ?actor WHERE {{ ?event tk:location ?place . ?place tk:metonymFor ?actor . {flt} }}"""
    for row in run_select(sparql, q_places):
        ev = events.get(row["event"] or "")
        if ev is not None and row["actor"]:
            ev["locations"].add(row["actor"])
    q_links = f"""SELECT ?event ?link ?target WHERE {{
        ?event ?link ?target . VALUES ?link {{ tk:inResponseTo tk:partOf tk:attributedTo }} {flt} }}"""
    for row in run_select(sparql, q_links):
        ev, target = events.get(row["event"] or ""), row["target"]
        if ev is None or not target:
            continue
        links = {str(TK.inResponseTo): ev["responds_to"], str(TK.partOf): ev["part_of"]}.get(
            row["link"] or "", ev["attributed_to"])
        if target not in links:
            links.append(target)
    q_sources = f"""SELECT ?event ?article ?title ?url WHERE {{
        ?event tk:source ?article . OPTIONAL {{ ?article dcterms:title ?title }}
        OPTIONAL {{ ?article schema:url ?url }} {flt} }}"""
    for row in run_select(sparql, q_sources):
        ev, article = events.get(row["event"] or ""), row["article"]
        if ev is not None and article and all(s["article"] != article for s in ev["sources"]):
            ev["sources"].append({"article": article, "title": row.get("title"), "url": row.get("url")})
    q_evidence = f"""SELECT ?event ?quote ?start WHERE {{
        ?event tk:evidence ?ev . ?ev tk:quote ?quote . OPTIONAL {{ ?ev tk:startOffset ?start }} {flt} }}"""
    quotes: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in run_select(sparql, q_evidence):
        text = row.get("start") or ""
        start = int(text) if text.lstrip("-").isdigit() else 1 << 60
        quotes[row["event"] or ""].append((start, row["quote"] or ""))
    for iri, found in quotes.items():
        if iri in events:
            events[iri]["evidence"] = list(dict.fromkeys(q for _, q in sorted(found)))
            events[iri]["offset"] = min(start for start, _ in found)
    return events


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
    for row in run_select(sparql, q):
        if not row["actor"] or not row["broad"]:
            continue
        rec = found.setdefault(row["actor"], {"types": set(), "pref": None, "label": None})
        rec["types"].add(local_name(row["broad"]))
        rec["pref"] = rec["pref"] or row.get("pref")
        rec["label"] = rec["label"] or row.get("label")
    missing = [i for i in dict.fromkeys(iris) if i not in found and IRI_OK.match(i)]
    for chunk in range(0, len(missing), 500):
        values = " ".join(f"<{i}>" for i in missing[chunk : chunk + 500])
        q = f"""SELECT ?actor ?pref ?label WHERE {{ VALUES ?actor {{ {values} }}
            OPTIONAL {{ ?actor skos:prefLabel ?pref }} OPTIONAL {{ ?actor rdfs:label ?label }} }}"""
        for row in run_select(sparql, q):
            if not row["actor"]:
                continue
            rec = found.setdefault(row["actor"], {"types": {"Actor"}, "pref": None, "label": None})
            rec["pref"] = rec["pref"] or row.get("pref")
            rec["label"] = rec["label"] or row.get("label")
    out = {}
    for iri, rec in found.items():
        kind = next((t for t in ACTOR_TYPES if t in rec["types"]), "Actor")
        out[iri] = {"iri": iri, "label": rec["pref"] or rec["label"] or local_name(iri), "type": kind}
    return out


def resolve_actor(sparql: Sparql, text: str) -> list[str]:
    """The IRIs an actor reference names: an IRI, ``tkid:<id>``, a gazetteer id, a label or an alias, by the
    one resolver's lookups (:func:`tradekg.resolve.label_lookups`) run through ``sparql``; unlike a query's
    actor parameter it does not widen a country to its officials (the network draws those as their own
    nodes). Raises :class:`UsageError` when nothing matches.
    """
    from tradekg.resolve import label_lookups

    text = text.strip()
    if not text:
        raise UsageError("actor: an empty name matches nothing")
    lookup, scan = label_lookups(text)
    iris = sorted({a for row in run_select(sparql, lookup) if (a := row.get("s"))})
    if not iris:
        iris = sorted({a for row in run_select(sparql, scan) if (a := row.get("s"))})
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
    return run_select(sparql, q)
