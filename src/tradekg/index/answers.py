"""The named queries answered from the answer index: the same rows, in the same order, as their SPARQL.

The ``.rq`` files stay the definition. For each query answered here, :data:`SPECS` says which event kinds
it selects, through which role each actor parameter binds, and how each column is computed from an event's
details, mirroring the query's text:

- ``MIN(...)`` columns are the least value of the group, as SPARQL orders strings (code point);
- ``GROUP_CONCAT(DISTINCT ...)`` columns join the distinct values sorted (SPARQL leaves that order open:
  the tests compare those columns as sets of values);
- an actor parameter binds the IRIs :func:`tradekg.resolve.find_labelled` finds (with, in the gazetteer, what
  they stand for): an event matches when one of its actors in that role has one of them among its keys,
  which is what the query's ``?member (tk:affiliation|...)? ?entity`` over the resolved entities gives;
- rows are ordered by date, newest first, then event IRI, as the queries' ``ORDER BY DESC(?date) ?event``.

``claims`` is a ``SELECT DISTINCT`` of every combination of values: :mod:`.claims` expands its rows.
Queries not in :data:`SPECS` (``timeline``, ``actors``, ``sources``) run as
SPARQL on every store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from tradekg.index import claims
from tradekg.index.db import IndexDB
from tradekg.index.rows import AGENT, REQUEST_AGENT, RESPONSE, TOPIC, unpack_details
from tradekg.index.terms import decode, full, minimum, plain, short, value_of
from tradekg.namespaces import GAZETTEER_GRAPH_IRI
from tradekg.store import Backend, RawResult

Details = dict[str, Any]


@dataclass
class Event:
    """One answer's event: its details and the actors each bound parameter matched."""

    event: str
    article: str
    details: Details
    matched: dict[str, list[str]]  # role -> actors matching the parameter bound to it (or all of them)
    names: dict[str, list[str]]  # IRI -> its rdfs:label cells, from every document and the gazetteer

    def labels(self, role: str) -> list[str]:
        return sorted({c for a in self.matched.get(role, ()) for c in self.names.get(a, ())})

    def labels_of(self, detail: str) -> list[str]:
        return sorted({c for iri in self.details[detail] for c in self.names.get(iri, ())})

    def iris(self) -> set[str]:
        """Every IRI whose labels a column may show."""
        d = self.details
        return ({a for actors in d["roles"].values() for a in actors} | set(d["attributed"]) | set(d["location"])
                | set(d["object"]) | {t for t, _ in d["topics"]})


Column = Callable[[Event], str | None]


def first(name: str) -> Column:
    """``MIN(?x_)`` of a detail."""
    return lambda e: minimum(e.details[name])


def actor(role: str) -> Column:
    """``MIN`` of the labels of the actors matched in ``role``."""
    return lambda e: minimum(e.labels(role))


def label(detail: str) -> Column:
    """``MIN`` of the labels of the things a detail names (the event's source, place, object)."""
    return lambda e: minimum(e.labels_of(detail))


def topics(sep: str, *, summaries: bool, fallback: bool) -> Column:
    """``GROUP_CONCAT(DISTINCT ...)`` of the topics' labels (and summaries), or their IRIs when they have none."""

    def col(e: Event) -> str | None:
        values = set()
        for iri, summ in e.details["topics"]:
            found = list(e.names.get(iri, ())) + (list(summ) if summaries else [])
            values |= set(found) if found else ({plain(iri)} if fallback else set())
        return plain(sep.join(sorted({value_of(v) for v in values}))) if values else None

    return col


def participants(e: Event) -> str | None:
    """Every participant's label (its IRI without one), joined."""
    values = set()
    for a in e.details["roles"].get("participant", ()):
        values |= {value_of(c) for c in e.names.get(a, ())} or {a}
    return plain(", ".join(sorted(values))) if values else None


def answered(e: Event) -> str | None:
    """The requests answered whose agents matched, each by its summary (its IRI without one), joined."""
    matched = set(e.matched.get(REQUEST_AGENT, ()))
    values = {value_of(c) for req, summ, agents in e.details["responds"] if matched & set(agents)
              for c in (summ or [plain(req)])}
    return plain(" | ".join(sorted(values))) if values else None


def event_iri(e: Event) -> str:
    return "i" + e.event


def article_iri(e: Event) -> str:
    return "i" + e.article


def kind_name(kinds: tuple[str, ...] | None) -> Column:
    """``MIN`` of the event's kinds (those listed, or any), as local names."""
    return lambda e: minimum([plain(k) for k in e.details["_kinds"] if kinds is None or k in kinds])


@dataclass(frozen=True)
class Spec:
    """How one named query reads the index: its kinds, roles bound by parameters, and columns."""

    kinds: tuple[str, ...]
    agent: str  # the role every answer has at least one actor in
    params: dict[str, str]  # parameter name -> role it binds
    columns: tuple[tuple[str, Column], ...]
    required: tuple[str, ...] = ()  # other roles every answer has an actor in
    expanded: bool = False  # a SELECT DISTINCT of every combination of values (claims), not one row per event


_TAIL = (("article", article_iri), ("title", first("title")), ("published", first("published")),
         ("evidence", first("evidence")))
_STATUS = (("attributedTo", label("attributed")), ("status", first("status")))

SPECS: dict[str, Spec] = {
    "requests": Spec(("Request",), "requester", {"by": "requester", "of": "addressee", "topic": TOPIC}, (
        ("event", event_iri), ("requester", actor("requester")), ("addressee", actor("addressee")),
        ("topics", topics(", ", summaries=False, fallback=True)), ("summary", first("summary")),
        ("date", first("date")), ("round", first("round")), ("hedge", first("hedge")), *_STATUS, *_TAIL),
        required=("addressee",)),
    "meetings": Spec(("Meeting", "Call", "Visit"), "participant", {"actor": "participant"}, (
        ("event", event_iri), ("type", kind_name(("Meeting", "Call", "Visit"))), ("participants", participants),
        ("location", label("location")), ("date", first("date")), ("timeNote", first("timeNote")),
        ("round", first("round")), ("summary", first("summary")), ("status", first("status")), *_TAIL)),
    "complaints": Spec(("Complaint",), "complainant", {"by": "complainant", "about": "target"}, (
        ("event", event_iri), ("complainant", actor("complainant")), ("target", actor("target")),
        ("topics", topics(", ", summaries=False, fallback=False)), ("summary", first("summary")),
        ("date", first("date")), *_STATUS, *_TAIL)),
    "gifts": Spec(("Gift",), "giver", {"by": "giver", "to": "recipient"}, (
        ("event", event_iri), ("giver", actor("giver")), ("recipient", actor("recipient")),
        ("gift", label("object")), ("reason", first("reason")), ("location", label("location")),
        ("date", first("date")), ("timeNote", first("timeNote")), ("summary", first("summary")), *_STATUS, *_TAIL)),
    "invitations": Spec(("Invitation",), "inviter", {"by": "inviter", "to": "invitee"}, (
        ("event", event_iri), ("inviter", actor("inviter")), ("invitee", actor("invitee")),
        ("topics", topics(", ", summaries=False, fallback=False)), ("date", first("date")),
        ("timeNote", first("timeNote")), ("summary", first("summary")), *_STATUS, *_TAIL)),
    "notifications": Spec(("Notification",), "notifier", {"by": "notifier", "to": "addressee"}, (
        ("event", event_iri), ("notifier", actor("notifier")), ("addressee", actor("addressee")),
        ("about", topics(" | ", summaries=True, fallback=True)), ("location", label("location")),
        ("timeNote", first("timeNote")), ("date", first("date")), ("summary", first("summary")), *_STATUS, *_TAIL)),
    "announcements": Spec(("Announcement",), "announcer", {"by": "announcer"}, (
        ("event", event_iri), ("announcer", actor("announcer")), ("channel", first("channel")),
        ("topics", topics(", ", summaries=True, fallback=True)), ("summary", first("summary")),
        ("date", first("date")), *_STATUS, *_TAIL)),
    "responses": Spec((RESPONSE,), AGENT, {"by": AGENT, "to": REQUEST_AGENT}, (
        ("event", event_iri), ("responder", actor(AGENT)), ("type", kind_name(None)),
        ("summary", first("summary")), ("inResponseTo", answered), ("requester", actor(REQUEST_AGENT)),
        ("date", first("date")), *_STATUS, *_TAIL), required=(REQUEST_AGENT,)),
    "claims": Spec(("Claim",), "claimant", {"by": "claimant"}, tuple((c, event_iri) for c in claims.COLUMNS),
                   expanded=True),
}


def answers_from_index(name: str) -> bool:
    """Whether the named query ``name`` is answered from the index on a local store."""
    return name in SPECS


@dataclass
class Answer:
    """A named query's answer from the index: the page asked for, and how many rows there are in all."""

    result: RawResult
    total: int


def bound_keys(backend: Backend, value: str) -> list[str]:
    """The IRIs an actor parameter binds: those its text names (:func:`tradekg.resolve.find_labelled`, as
    the SPARQL path resolves it), and the entities they stand for in the gazetteer (``tk:metonymFor``)."""
    from tradekg.errors import UsageError
    from tradekg.resolve import find_labelled

    text = value.strip()
    if not text:
        raise UsageError("an empty actor was given")
    found = find_labelled(backend, text)
    if not found:
        raise UsageError(f"no actor called {value!r} in the store (list them with: tradekg query actors)")
    given = " ".join(str(t) for t in found)
    q = (f"SELECT DISTINCT ?b WHERE {{ VALUES ?g {{ {given} }} GRAPH <{GAZETTEER_GRAPH_IRI}> "
         "{ ?g tk:metonymFor ?b } }")
    more = [b for r in backend.query(q).rows if isinstance(b := r.get("b"), ox.NamedNode)]
    return sorted({t.value for t in [*found, *more]})


def run(db: IndexDB, backend: Backend | None, name: str, params: dict[str, Any], *, limit: int | None = None,
        offset: int = 0) -> Answer:
    """Answer named query ``name`` (parameters checked by :func:`tradekg.queries.check_params`) from the
    index. With ``backend`` the parameters' names are resolved by SPARQL, as the SPARQL path does; without,
    from the index (:mod:`.resolve`), which raises :class:`~tradekg.index.resolve.NeedsStore` where only
    Oxigraph can tell."""
    from tradekg.index.resolve import NeedsStore, bound_iris

    spec = SPECS[name]
    unknown = [p for p, v in params.items() if v is not None and p.rstrip("_") not in spec.params]
    if unknown:
        raise NeedsStore(", ".join(unknown))  # a parameter the index does not follow (meetings' place)
    bound = {spec.params[p.rstrip("_")]: (bound_keys(backend, str(v)) if backend else bound_iris(db, str(v)))
             for p, v in params.items()
             if v is not None and p.rstrip("_") in spec.params and p.rstrip("_") != "topic"}
    topic = params.get("topic")  # requests only: a topic of the event among the concept's IRIs
    if topic is not None:
        from tradekg.queries import resolve_terms

        if backend is None:
            raise NeedsStore(str(topic))  # a concept's narrower concepts are read from the store
        bound[TOPIC] = sorted(t.value for t in resolve_terms(backend, str(topic), "concept"))
    keys_sql, args = _selection(spec, {role: [short(k) for k in keys] for role, keys in bound.items()})
    # Rows come in answer order, an event once per actor and key that selects it: counted once here.
    cursor = db.conn.execute(f"{keys_sql} ORDER BY date DESC, event, article", args)
    if spec.expanded:
        page, total = _unique(cursor, 0, None)
    else:
        page, total = _unique(cursor, offset, limit)
    events = list(_events(db, page))
    roles = {spec.agent, *spec.params.values(), *spec.required}
    for e in events:
        e.matched = {role: [a for a in e.details["roles"].get(role, ())
                            if role not in bound or set(e.details["keys"][a]) & set(bound[role])]
                     for role in roles}
    names = _names(db, set().union(*(e.iris() for e in events)))
    rows: list[dict[str, Any]] = []
    if spec.expanded:
        pref = _names(db, set().union(*(claims.pref_iris(e.details) for e in events)), "prefLabel")
        # Rows are made only for the claims the page reaches into; the others are counted.
        end = None if limit is None else offset + limit
        total, page_rows = 0, []
        for e in events:
            n = claims.claim_count(e, names, pref)
            if total + n > offset and (end is None or total < end):
                made = claims.claim_rows(e, names, pref)
                page_rows += made[max(0, offset - total):None if end is None else end - total]
            total += n
        rows = list(claims.decoded(page_rows))
    else:
        for event in events:
            event.names = names
            rows.append({col: decode(fn(event)) for col, fn in spec.columns})
    result = RawResult("select", variables=[c for c, _ in spec.columns], rows=rows,
                       truncated=limit is not None and offset + len(rows) < total)
    return Answer(result, total)


def _selection(spec: Spec, bound: dict[str, list[str]]) -> tuple[str, list[Any]]:
    """The SQL selecting the (event, article, date) keys of the answers, in answer order once sorted.

    It reads the fewest rows it can: ``pairs`` when the agent and an addressee are both bound; else the
    rows of the agent's keys; else those of another bound role (the agent then only has to exist); else
    every row of the kinds (a listing). Every other condition is an EXISTS on the same event."""
    kinds = ",".join("?" * len(spec.kinds))
    marks = lambda keys: ",".join("?" * len(keys))  # noqa: E731 - a local shorthand
    agent_keys = bound.get(spec.agent)
    others = {r: ks for r, ks in bound.items() if r != spec.agent}
    paired = next((r for r in others if _paired(spec, r)), None) if agent_keys else None
    if agent_keys and paired:
        keys = others.pop(paired)
        sql = (f"SELECT event, article, date FROM pairs r WHERE kind IN ({kinds}) "
               f"AND agent_key IN ({marks(agent_keys)}) AND addressee_key IN ({marks(keys)}) "
               "AND agent_role = ? AND addressee_role = ?")
        args: list[Any] = [*spec.kinds, *agent_keys, *keys, spec.agent, paired]
        present = {spec.agent, paired}
    elif agent_keys or not others:
        sql = f"SELECT event, article, date FROM roles r WHERE kind IN ({kinds}) AND role = ?"
        args = [*spec.kinds, spec.agent]
        if agent_keys:
            sql += f" AND key IN ({marks(agent_keys)})"
            args += agent_keys
        present = {spec.agent}
    else:
        driver = next(iter(others))
        keys = others.pop(driver)
        sql = (f"SELECT event, article, date FROM roles r WHERE kind IN ({kinds}) AND role = ? "
               f"AND key IN ({marks(keys)})")
        args = [*spec.kinds, driver, *keys]
        present = {driver}
    exists = ("SELECT 1 FROM roles o INDEXED BY roles_event WHERE o.kind = r.kind AND o.role = ? AND o.event = r.event "
              "AND o.article = r.article")
    for role in (spec.agent, *spec.required):
        if role not in present and role not in others:
            sql += f" AND EXISTS ({exists})"
            args.append(role)
    for role, keys in others.items():
        sql += f" AND EXISTS ({exists} AND o.key IN ({marks(keys)}))"
        args += [role, *keys]
    return sql, args


def _unique(cursor: Any, offset: int, limit: int | None) -> tuple[list[tuple[str, str, Any]], int]:
    """The page ``offset``/``limit`` of the distinct (event, article) keys of an ordered cursor, and their
    count (a key's rows are adjacent: they share its date)."""
    page: list[tuple[str, str, Any]] = []
    last = None
    total = 0
    for row in cursor:
        if row[:2] == last:
            continue
        last = row[:2]
        if total >= offset and (limit is None or len(page) < limit):
            page.append(row)
        total += 1
    return page, total


def _paired(spec: Spec, addressee_role: str) -> bool:
    """Whether the ``pairs`` table holds this question: directed kinds, an agent and an addressee role."""
    from tradekg.index.maintain import directed_roles

    directed = directed_roles()
    return all(k in directed and spec.agent in directed[k][0] and addressee_role in directed[k][1]
               for k in spec.kinds)


def _events(db: IndexDB, keys: list[tuple[str, str, Any]]) -> Iterator[Event]:
    """The events of ``keys`` with their details, in the order of ``keys`` (read 500 at a time)."""
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        chunk = [(full(e), full(a), d) for e, a, d in chunk]
        events = sorted({k[0] for k in chunk})
        sql = f"SELECT event, article, details, kinds FROM events WHERE event IN ({','.join('?' * len(events))})"
        found = {(e, a): (d, k) for e, a, d, k in db.conn.execute(sql, events)}
        for event, article, _date in chunk:
            details_json, kinds = found[(event, article)]
            details = unpack_details(details_json)
            details["_kinds"] = kinds.split()
            yield Event(event, article, details, {}, {})


def _names(db: IndexDB, iris: set[str], prop: str = "label") -> dict[str, list[str]]:
    """The rdfs:label (or ``prop``) cells of each IRI, from every document and the gazetteer (SPARQL's
    union graph)."""
    out: dict[str, set[str]] = {}
    todo = sorted(iris)
    for i in range(0, len(todo), 500):
        chunk = todo[i:i + 500]
        sql = f"SELECT iri, cell FROM labels WHERE prop = ? AND iri IN ({','.join('?' * len(chunk))})"
        for iri, cell in db.conn.execute(sql, [prop, *chunk]):
            out.setdefault(iri, set()).add(cell)
    return {k: sorted(v) for k, v in out.items()}
