"""One document's triples as index rows: its events with their details, the actors in their roles with the
keys a question can name them by, its labels and its evidence sentences.

What a row says is what the named queries would read from the store, computed once at write time:

- an event's details are the values of each property the queries read (summary, date, evidence quote,
  round label...), every value kept, as encoded terms (:mod:`.terms`); things other documents may describe
  too (topics, places, sources of a statement) are kept as IRIs, and their labels are read from the labels
  table of every document when answering, as SPARQL reads them from the union of the graphs;
- an actor's *keys* are every IRI a question about it can name: the actor itself, what it acts for in one
  step (``tk:nationality``, ``tk:affiliation``, ``tk:metonymFor``, a role's ``tk:roleFor``, from this
  document and the gazetteer), and everything above those in the gazetteer. "US officials" of one article
  has the keys {itself, United States}; Akazawa {himself, Japan, Japan's government...}. A question "by the
  United States" then reads the rows keyed by the United States: one key, not every member.

Keys come from the gazetteer and this document. A document that gives a gazetteer entity an affiliation of
its own (``tkid:x tk:affiliation ...``) changes the keys of its own rows only, where SPARQL would apply it
to every document's: the annotation loader writes no such statement (an article's actors are its own).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from tradekg.index.terms import encode, plain, value_of
from tradekg.namespaces import TK_IRI

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
LABEL_PROPS = (SKOS + "prefLabel", SKOS + "altLabel", RDFS_LABEL)
STEP_PROPS = (TK_IRI + "nationality", TK_IRI + "affiliation", TK_IRI + "metonymFor")
ROUND = TK_IRI + "NegotiationRound"

# Single-valued-in-practice details read by the queries: column name -> property.
DETAIL_PROPS = {
    "summary": "summary", "date": "date", "timeNote": "timeNote", "hedge": "hedge", "content": "content",
    "channel": "channel", "reason": "reason",
}
STAT_PROPS = ("measure", "value", "unit", "period")
REVERSE = (TK_IRI + "contradicts", TK_IRI + "supports")

Triple = tuple[Any, Any, Any]
# The pseudo-kind and roles of answers to requests in the roles table (not ontology names: they start with @).
RESPONSE, AGENT, REQUEST_AGENT = "@response", "@agent", "@requestAgent"
TOPIC = "@topic"  # an event's topics, as roles of its kinds: what a concept parameter selects by


@dataclass
class Context:
    """What rows need from outside the document: the gazetteer graph and the ontology's kinds and roles."""

    steps: dict[str, set[str]]  # IRI -> what it acts for in one step (gazetteer)
    metonyms: dict[str, set[str]]  # IRI -> tk:metonymFor (gazetteer)
    event_classes: dict[str, str]  # class IRI -> kind name
    roles: dict[str, str]  # role property IRI -> "agent" | "addressee"
    _up: dict[str, frozenset[str]] = field(default_factory=dict)

    def up(self, iri: str) -> frozenset[str]:
        """``iri`` and every IRI above it in the gazetteer (the closure of :attr:`steps`)."""
        got = self._up.get(iri)
        if got is None:
            seen, todo = {iri}, [iri]
            while todo:
                for nxt in self.steps.get(todo.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            got = self._up[iri] = frozenset(seen)
        return got


def gazetteer_context(quads: Iterable[Any], kinds: dict[str, Any], roles: dict[str, str]) -> Context:
    """A :class:`Context` from the gazetteer graph's quads (or triples) and the ontology's kinds and roles."""
    steps: dict[str, set[str]] = defaultdict(set)
    metonyms: dict[str, set[str]] = defaultdict(set)
    role_for: dict[str, list[str]] = defaultdict(list)
    holds: dict[str, list[str]] = defaultdict(list)
    for q in quads:
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, ox.NamedNode):
            continue
        if isinstance(o, ox.NamedNode):
            if p in STEP_PROPS:
                steps[s.value].add(o.value)
                if p == TK_IRI + "metonymFor":
                    metonyms[s.value].add(o.value)
            elif p == TK_IRI + "holdsRole":
                holds[s.value].append(o.value)
            elif p == TK_IRI + "roleFor":
                role_for[s.value].append(o.value)
    for person, held in holds.items():
        for role in held:
            steps[person].update(role_for.get(role, ()))
    return Context(dict(steps), dict(metonyms),
                   {k.iri: k.name for k in kinds.values()}, roles)


def content_hash(triples: Iterable[Triple]) -> str:
    """A digest of a document's triples, whatever their order."""
    lines = sorted(f"{s} {p} {o}" for s, p, o in triples)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


@dataclass
class DocumentRows:
    """Everything the index holds for one document."""

    doc: str
    hash: str
    title: str | None
    published: str | None
    # (event, article, kinds, date, packed details)
    events: list[tuple[str, str, str, str | None, bytes]] = field(default_factory=list)
    # (event, article, kind, role, actor, key, date)
    roles: list[tuple[str, str, str, str, str, str, str | None]] = field(default_factory=list)
    labels: list[tuple[str, str, str]] = field(default_factory=list)  # iri, property local name, cell
    evidence: list[tuple[str, str, str]] = field(default_factory=list)  # event, article, quote
    subjects: list[str] = field(default_factory=list)  # subjects not named inside the document (doc#...)


def document_rows(doc: str, triples: Sequence[Triple], ctx: Context) -> DocumentRows:
    """The index rows of the document whose graph is ``doc`` and holds ``triples``."""
    by_s: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    rev: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # object -> prop -> subjects
    for s, p, o in triples:
        if isinstance(s, (ox.NamedNode, ox.BlankNode)):
            by_s[_key(s)][p.value].append(o)
            if p.value in REVERSE and isinstance(o, (ox.NamedNode, ox.BlankNode)):
                rev[_key(o)][p.value].append(_key(s))

    def objs(s: str, prop: str) -> list[Any]:
        return by_s.get(s, {}).get(prop, [])

    def iris(s: str, prop: str) -> list[str]:
        return [_key(o) for o in objs(s, prop) if isinstance(o, (ox.NamedNode, ox.BlankNode))]

    keys_cache: dict[str, list[str]] = {}

    def keys(actor: str) -> list[str]:
        got = keys_cache.get(actor)
        if got is None:
            one = {actor}
            for prop in STEP_PROPS:
                one.update(iris(actor, prop))
            one.update(ctx.steps.get(actor, ()))
            for role in iris(actor, TK_IRI + "holdsRole"):
                one.update(iris(role, TK_IRI + "roleFor"))
            found: set[str] = set()
            for u in one:
                found |= ctx.up(u)
            got = keys_cache[actor] = sorted(found)
        return got

    article_title = _cells(objs(doc, DCT + "title"))
    article_date = _cells(objs(doc, DCT + "date"))
    out = DocumentRows(doc, content_hash(triples), value_of(article_title[0]) if article_title else None,
                       value_of(article_date[0]) if article_date else None)
    out.subjects = sorted(s for s in by_s if not s.startswith(doc + "#") and not s.startswith("_:"))
    for s, props in by_s.items():
        for prop in LABEL_PROPS:
            for o in props.get(prop, ()):
                out.labels.append((s, prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1], encode(o)))
        kinds = sorted({ctx.event_classes[_key(c)] for c in props.get(RDF_TYPE, ()) if _key(c) in ctx.event_classes})
        if not kinds:
            continue
        details = _details(s, objs, iris, rev.get(s, {}))
        in_roles = {prop[len(TK_IRI):]: sorted(set(iris(s, prop))) for prop in ctx.roles if iris(s, prop)}
        details["roles"] = in_roles
        details["keys"] = {a: keys(a) for actors in in_roles.values() for a in actors}
        _responses(s, details, iris, objs, ctx, keys)
        dates = sorted(value_of(c) for c in details["date"])
        date = dates[0] if dates else None
        for article in iris(s, TK_IRI + "source"):
            det = dict(details)
            det["title"] = _cells(objs(article, DCT + "title"))
            det["published"] = _cells(objs(article, DCT + "date"))
            # A round is read in the article's graph: this document's, when the article is the document.
            det["round"] = sorted({c for r in iris(s, TK_IRI + "partOf")
                                   if article == doc and ROUND in {_key(t) for t in objs(r, RDF_TYPE)}
                                   for c in _cells(objs(r, RDFS_LABEL))})
            out.events.append((s, article, " ".join(kinds), date, pack_details(det)))
            for prop, _side in ctx.roles.items():
                for actor in iris(s, prop):
                    for kind in kinds:
                        for k in keys(actor):
                            out.roles.append((s, article, kind, prop[len(TK_IRI):], actor, k, date))
            for topic, _summary in details["topics"]:
                for kind in kinds:
                    out.roles.append((s, article, kind, TOPIC, topic, topic, date))
            for role in (AGENT, REQUEST_AGENT):  # what ``responses`` selects by
                for actor in details["roles"].get(role, ()):
                    for k in keys(actor):
                        out.roles.append((s, article, RESPONSE, role, actor, k, date))
            for quote in details["evidence"]:
                out.evidence.append((s, article, value_of(quote)))
    return out


def _responses(s: str, details: dict[str, Any], iris: Any, objs: Any, ctx: Context, keys: Any) -> None:
    """What ``responses`` reads of an event that answers requests (``tk:inResponseTo``): each request with its
    summary and its agents; and, as roles of the pseudo-kind :data:`RESPONSE`, the event's agents (any agent
    property) and the requests' agents, so that ``by`` and ``to`` select through the roles table."""
    agent_props = [p for p, side in ctx.roles.items() if side == "agent"]
    responds = []
    for req in sorted(set(iris(s, TK_IRI + "inResponseTo"))):
        agents = sorted({a for p in agent_props for a in iris(req, p)})
        responds.append([req, _cells(objs(req, TK_IRI + "summary")), agents])
        for a in agents:
            details["keys"].setdefault(a, keys(a))
    details["responds"] = responds
    if responds:
        details["roles"][AGENT] = sorted({a for p in agent_props for a in iris(s, p)})
        details["roles"][REQUEST_AGENT] = sorted({a for _r, _s, agents in responds for a in agents})


# Every detail a row may have; a row stores only those with values.
_EMPTY_LISTS = ("summary", "date", "timeNote", "hedge", "content", "channel", "reason", "status", "attributed",
                "location", "object", "evidence", "offset", "topics", "stats", "responds", "title", "published",
                "round")
_EMPTY_MAPS = ("roles", "keys")


def pack_details(details: dict[str, Any]) -> bytes:
    """An event's details as stored: JSON without its empty values, compressed (a third of the size)."""
    slim = {k: v for k, v in details.items() if v}
    return zlib.compress(json.dumps(slim, separators=(",", ":")).encode("utf-8"), 6)


def unpack_details(blob: bytes) -> dict[str, Any]:
    """What :func:`pack_details` stored, with every detail present (empty where the event has none)."""
    details: dict[str, Any] = {k: [] for k in _EMPTY_LISTS}
    details.update({k: {} for k in _EMPTY_MAPS})
    details.update(json.loads(zlib.decompress(blob)))
    return details


def _key(term: Any) -> str:
    return term.value if isinstance(term, ox.NamedNode) else "_:" + term.value


def _cells(terms: Iterable[Any]) -> list[str]:
    return sorted({encode(t) for t in terms})


def _details(s: str, objs: Any, iris: Any, rev: dict[str, list[str]]) -> dict[str, Any]:
    """The values the named queries read of event ``s`` (every value, sorted, as cells)."""
    det: dict[str, Any] = {name: _cells(objs(s, TK_IRI + prop)) for name, prop in DETAIL_PROPS.items()}
    det["status"] = sorted({plain(v.rsplit("#", 1)[-1].lower()) for v in iris(s, TK_IRI + "reportingStatus")})
    # Things other documents may describe too (a round, a place): their IRIs; labels are read from the
    # labels table of every document when answering, as SPARQL reads them from the union of graphs.
    det["attributed"] = sorted(set(iris(s, TK_IRI + "attributedTo")))
    det["location"] = sorted(set(iris(s, TK_IRI + "location")))
    det["object"] = sorted(set(iris(s, TK_IRI + "object")))
    evs = iris(s, TK_IRI + "evidence")
    det["evidence"] = sorted({c for ev in evs for c in _cells(objs(ev, TK_IRI + "quote"))})
    det["offset"] = sorted({int(o.value) for ev in evs for o in objs(ev, TK_IRI + "startOffset")})
    det["topics"] = [[t, _cells(objs(t, TK_IRI + "summary"))] for t in sorted(set(iris(s, TK_IRI + "topic")))]
    det["stats"] = []
    # Read from the statistic's side, as the claims query does (``?stat tk:contradicts ?event``).
    for rel, prop in (("contradicted by", "contradicts"), ("supported by", "supports")):
        for stat in sorted(set(rev.get(TK_IRI + prop, ()))):
            det["stats"].append({
                "relation": plain(rel),
                **{p: _cells(objs(stat, TK_IRI + p)) for p in STAT_PROPS},
                "comparison": sorted({plain(c.rsplit("#", 1)[-1].lower()) for c in iris(stat, TK_IRI + "comparison")}),
                "source": sorted(set(iris(stat, TK_IRI + "statisticSource"))),
                "evidence": sorted({c for ev in iris(stat, TK_IRI + "evidence")
                                    for c in _cells(objs(ev, TK_IRI + "quote"))}),
            })
    return det
