"""Planning and running an answer: bind the names of a reading to a named query's parameters and run it."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from tradekg.ask.dates import _round_number, date_range
from tradekg.ask.filters import _row_filters, _sources
from tradekg.ask.index_cache import label_index
from tradekg.ask.labels import LabelIndex
from tradekg.ask.model import Answer, NoAnswerError, _Run
from tradekg.ask.patterns import Patterns, load_patterns
from tradekg.ask.reading import Mention, Reading, _normalize, _slot_unknowns, read_question
from tradekg.ask.roles import assign_roles
from tradekg.ask.run import _contains_name, _counterpart_runs, _rows, _terms
from tradekg.ask.summary import _summary
from tradekg.ask.understood import check_words, filter_by_words, row_text
from tradekg.errors import TradekgError

_LATEST_DATE_QUERY = "SELECT (MAX(?d) AS ?latest) WHERE { ?e tk:date ?d }"
def answer_question(kg: Any, question: str, *, patterns: Patterns | None = None) -> Answer:
    """Answer an English question from the store behind ``kg`` (a :class:`tradekg.kg.KnowledgeGraph`).

    Raises :class:`NoAnswerError` when the question is empty, reads as query syntax, names someone the store
    does not know, or asks something no named query answers. A question that is understood but has no
    matching rows returns an Answer without rows whose summary says so.

    >>> answer_question(kg, "What did the US request of Japan?").summary     # doctest: +SKIP
    'The United States made 4 requests of Japan (2025-04-16), reported by multiple Japanese government sources.'
    """
    pats = patterns or load_patterns()
    _normalize(question, pats)  # empty and syntax checks come before the store is opened
    with kg.reader() as backend:
        index = label_index(kg, backend)
        if not index.entities:
            raise NoAnswerError("The store holds no labelled actors yet: ingest documents first "
                                "(tradekg ingest seeds/).", "not_understood")
        reading = read_question(question, index, pats)
        return _answer(kg, backend, index, reading, pats, question)


def _not_understood(reading: Reading, pats: Patterns) -> NoAnswerError:
    kinds = "\n".join(f"  - {i.about}: \"{i.example}\"" for i in pats.intents if i.example)
    names = ", ".join(m.text for m in reading.mentions)
    heard = f" I recognized {names}, but not what you want to know about them." if names else ""
    return NoAnswerError(
        f"I did not understand the question {reading.text!r}.{heard} I can answer questions like:\n{kinds}",
        "not_understood", [i.example for i in pats.intents if i.example])


def _answer(kg: Any, backend: Any, index: LabelIndex, reading: Reading, pats: Patterns, question: str) -> Answer:
    intent = reading.intent
    rnum, rwords = _round_number(reading.text, pats)
    round_mentions = [m for m in reading.mentions if m.kind == "round"]
    latest = None
    for r in backend.query(_LATEST_DATE_QUERY).rows:
        v = r.get("latest")
        if v is not None:
            try:
                latest = _dt.date.fromisoformat(v.value[:10])
            except ValueError:
                pass
    d_from, d_to, d_words = date_range(reading.text, latest)
    if intent is None:
        if rnum is not None or round_mentions or d_from or d_to:
            intent = next((i for i in pats.intents if i.query == "timeline"), None)
        elif reading.mentions and len(reading.tokens) - sum(m.end - m.start for m in reading.mentions) <= 2:
            intent = next((i for i in pats.intents if i.query == "actors"), None)  # just a name: who is it
    if intent is None:
        raise _not_understood(reading, pats)
    try:
        nq = kg.named_query(intent.query)
    except TradekgError:
        raise NoAnswerError(
            f"I understood a question about {intent.about}, but this installation has no named query "
            f"{intent.query!r} to answer it.", "not_understood") from None
    declared = {p.name: p for p in nq.params}
    answer = Answer(question=question, summary="", query=nq.name)
    actors = assign_roles(reading, pats)
    if intent.topic in declared:
        # "agree about Ukraine": an actor after "about" is what the event is about, not a party to it.
        for m in actors:
            if m.start > 0 and reading.tokens[m.start - 1].norm in _TOPIC_MARKERS:
                m.kind, m.role = "concept", "ignored"
        actors = [m for m in actors if m.kind == "actor"]
    by_role: dict[str, list[Mention]] = {}
    for m in actors:
        by_role.setdefault(m.role, []).append(m)

    # Bind names to parameters through the intent's roles.
    params: dict[str, list[Any]] = {}
    bound_mentions: dict[str, list[Mention]] = {}
    extra_actors: list[Mention] = []     # a second participant, etc.: narrows rows afterwards
    text_filters: list[Mention] = []     # names a statement's summary must contain (sources)
    if "any" in intent.roles and intent.query != "sources":
        usable = [m for m in actors if m.role not in ("ignored",)]
        pname = intent.roles["any"]
        if usable and pname in declared:
            bound_mentions[pname] = usable[:1]
            extra_actors = usable[1:]
    elif intent.query == "sources":
        pname = intent.roles.get("any", "source")
        marked = [m for m in actors if m.role == "source" or m.marker in ("by", "from")]
        if marked and pname in declared:
            bound_mentions[pname] = marked[:1]
        text_filters = [m for m in actors if m not in marked and m.role != "ignored"]
    else:
        for role in ("agent", "addressee"):
            role_param = intent.roles.get(role)
            ms = by_role.get(role, [])
            if role_param and ms and role_param in declared:
                bound_mentions[role_param] = ms[:1]
                extra_actors += ms[1:]
        other = intent.roles.get("addressee")
        if intent.query == "events" and "agent" in intent.roles:
            # "agreed between Canada and Mexico": both sides, neither the one who acted nor the other.
            either = [m for m in actors if m.role == "any"]
            if either and intent.roles["agent"] not in bound_mentions:
                bound_mentions[intent.roles["agent"]] = either[:1]
                either = either[1:]
            extra_actors += either
        if intent.query == "events" and other not in bound_mentions and extra_actors and other in declared:
            # "What did Japan and the UK agree?": the second of those who acted is the other party.
            bound_mentions[str(other)] = extra_actors[:1]
            extra_actors = extra_actors[1:]
    unfilled = {role for role, pname in intent.roles.items()
                if pname in declared and pname not in bound_mentions}
    if unfilled:
        odd = _slot_unknowns(reading, index, pats, unfilled)
        if odd:
            close = index.closest(odd[0])
            hint = f" Closest known names: {', '.join(close)}." if close else ""
            raise NoAnswerError(f"I do not know the name {odd[0]!r} in this store.{hint}", "unknown_name", close)
    text_words = check_words(reading, index, pats)
    for pname, ms in bound_mentions.items():
        iris = [i for m in ms for i in m.iris]
        params[pname] = _terms(backend, iris, declared[pname].kind, index)
        answer.bindings[pname] = {
            "text": ms[0].text, "value": index.entities[iris[0]].label, "iris": [t.value for t in params[pname]],
            "applied": "parameter"}

    concepts = [m for m in reading.mentions if m.kind == "concept"]
    topic_runs: list[Mention] = []
    concept_filters: list[Mention] = []
    any_param = intent.roles.get("any")
    if extra_actors and (intent.query == "events" or any_param is None or any_param not in declared):
        # A name with no parameter left ("Starmer and Trump ... with Ukraine", "announce about the EU"): the
        # rows must name it, rather than the name being dropped and the answer wider than the question.
        concept_filters, extra_actors = list(extra_actors), []
    bound = {id(m) for ms in bound_mentions.values() for m in ms} | {id(m) for m in text_filters}
    if intent.query not in ("sources", "actors"):
        concept_filters += [m for m in actors if id(m) not in bound and m.role not in ("ignored", "source")
                            and m not in extra_actors and m not in concept_filters]
    if concepts:
        if intent.topic and intent.topic in declared:
            topic_runs = concepts
        elif intent.query == "sources":
            text_filters += concepts
        elif intent.query != "claims":  # a claim is narrowed by the words of its content instead
            # No topic parameter: the rows must name the concept somewhere in their text, rather than the
            # concept being dropped and the answer wider than the question.
            concept_filters += concepts

    # Dates: the query's own parameters when it has them, else a row filter on the date column.
    date_filter = None
    if d_from or d_to:
        if "from" in declared or "to" in declared:
            for pname, d in (("from", d_from), ("to", d_to)):
                if d and pname in declared:
                    from tradekg.queries import literal_for

                    params[pname] = [literal_for(d.isoformat(), "date", pname)]
                    answer.bindings[pname] = {"text": d_words, "value": d.isoformat(), "iris": [],
                                              "applied": "parameter"}
        else:
            date_filter = (d_from, d_to)
            answer.bindings["dates"] = {"text": d_words, "value": f"{d_from or '…'} to {d_to or '…'}",
                                        "iris": [], "applied": "row filter"}

    _bind_kinds_and_places(backend, index, reading, declared, params, answer)
    # Parameters the question did not name: a required one, or the other side of a request, is looked up
    # in the store (whom the US asked); one with no counterpart in the store is said to be missing.
    missing = [p for p in nq.params if p.name not in params and (
        p.required or (intent.counterpart and p.name in intent.roles.values() and p.kind == "actor"))]
    runs: list[_Run] = []
    if missing:
        runs = _counterpart_runs(backend, index, intent, params, missing, answer)
        if not runs and not any(p.required for p in missing):
            runs = [_Run(dict(params))]
        elif not runs:
            have = ", ".join(f"{k}={v['value']}" for k, v in answer.bindings.items()) or "no names"
            what = " and ".join(p.help or p.name for p in missing)
            raise NoAnswerError(f"I understood a question about {intent.about}, but not {what} (I read {have}). "
                                f"For example: \"{intent.example}\"", "missing")
    else:
        runs = [_Run(dict(params))]
    if topic_runs and intent.topic:
        runs = [_Run({**r.params, intent.topic: _terms(backend, m.iris, "concept", index)}, m.text, r.names)
                for r in runs for m in topic_runs]
        answer.bindings[intent.topic] = {
            "text": ", ".join(m.text for m in topic_runs),
            "value": ", ".join(index.entities[m.iris[0]].label for m in topic_runs),
            "iris": sorted({i for m in topic_runs for i in m.iris}), "applied": "parameter"}

    rows, texts = [], []
    seen: set[tuple[Any, ...]] = set()
    for run in runs:
        rs, text = _rows(backend, nq, run.params)
        if text not in texts:
            texts.append(text)
        for r in rs:
            key = tuple(sorted((k, str(v)) for k, v in r.items()))
            if key not in seen:
                seen.add(key)
                rows.append(r)
                run.events.add(r.get("event"))
    answer.sparql = "\n\n".join(texts)

    rows = _row_filters(backend, nq, index, reading, intent, answer, rows, runs, extra_actors, text_filters,
                        date_filter, (rnum, rwords, round_mentions))
    for m in concept_filters:
        ent = index.entities[m.iris[0]]
        keys = ent.keys | {tuple(t.norm for t in reading.tokens[m.start:m.end])}
        rows = [r for r in rows if _contains_name(row_text(r), keys)]
        answer.bindings.setdefault("mentions", {"text": m.text, "value": ent.label, "iris": list(m.iris),
                                                "applied": "row filter: the rows whose text names it"})
    if text_words:
        rows = filter_by_words(rows, text_words)
        answer.bindings["text"] = {
            "text": ", ".join(text_words), "value": " and ".join(repr(w) for w in text_words),
            "iris": [], "applied": "row filter: the words name nothing in the store, so the rows kept are those "
                                   "whose text mentions them"}
    answer.rows = rows
    answer.sources = _sources(rows)
    answer.summary = _summary(nq.name, rows, answer, index, intent, runs)
    return answer



_TOPIC_MARKERS = frozenset({"about", "regarding", "concerning"})


def _bind_kinds_and_places(backend: Any, index: LabelIndex, reading: Reading, declared: dict[str, Any],
                           params: dict[str, list[Any]], answer: Answer) -> None:
    """The event kinds the question names (``kind``) and the place it names after "in" or "at" (``in``),
    for a query that has those parameters; a place it cannot use is said in a note."""
    from tradekg.queries import kind_terms

    if reading.kinds and "kind" in declared:
        params["kind"] = [t for k in reading.kinds for t in kind_terms(k)]
        answer.bindings["kind"] = {"text": ", ".join(reading.kinds), "value": ", ".join(reading.kinds),
                                   "iris": [t.value for t in params["kind"]], "applied": "parameter"}
    places = [m for m in reading.mentions if m.kind == "place" or (m.kind == "actor" and m.role == "ignored"
                                                                     and m.marker == "location")]
    if not places:
        return
    if "in" not in declared:
        answer.notes.append(f"This query cannot be narrowed by place; {places[0].text} was read but not used.")
        return
    params["in"] = _terms(backend, [i for m in places[:1] for i in m.iris], "place", index)
    answer.bindings["in"] = {"text": places[0].text, "value": index.entities[places[0].iris[0]].label,
                             "iris": [t.value for t in params["in"]], "applied": "parameter"}
