"""Row filters: narrowing a named query's rows by what it has no parameter for (a second actor, a round, dates)."""

from __future__ import annotations

import re
from typing import Any

from tradekg.ask.labels import LabelIndex
from tradekg.ask.model import Answer, NoAnswerError, _Run
from tradekg.ask.patterns import Intent
from tradekg.ask.reading import Mention, Reading
from tradekg.ask.run import _contains_name, _overlap_words, _rows, _terms

_ROUNDS_QUERY = """
SELECT ?r ?n ?label WHERE {
  ?r a tk:NegotiationRound . OPTIONAL { ?r tk:roundNumber ?n }
  OPTIONAL { ?r skos:prefLabel|rdfs:label ?label }
}"""


def _row_filters(backend: Any, nq: Any, index: LabelIndex, reading: Reading, intent: Intent, answer: Answer,
                 rows: list[dict[str, Any]], runs: list[_Run], extra_actors: list[Mention],
                 text_filters: list[Mention], date_filter: tuple[Any, Any] | None,
                 round_info: tuple[Any, str, list[Mention]]) -> list[dict[str, Any]]:
    """Narrow the rows by what the query has no parameter for: a second actor, names in the statement,
    a kind of statement, a round, dates, the content of a claim. Each filter is recorded in the bindings."""
    rnum, rwords, round_mentions = round_info
    pname_any = intent.roles.get("any")
    if extra_actors and pname_any is not None and nq.param(pname_any) is not None:
        for m in extra_actors:
            other, text = _rows(backend, nq, {**runs[0].params, pname_any: _terms(backend, m.iris, "actor", index)})
            keys = {r.get("event") or r.get("actor") for r in other}
            rows = [r for r in rows if (r.get("event") or r.get("actor")) in keys] if intent.query != "actors" \
                else rows + [r for r in other if r not in rows]
            answer.bindings.setdefault("with", {
                "text": m.text, "value": index.entities[m.iris[0]].label, "iris": list(m.iris),
                "applied": "second run, rows added" if intent.query == "actors" else "row filter"})
            answer.sparql += "\n\n" + text
    elif extra_actors:
        answer.notes.append(f"{', '.join(m.text for m in extra_actors)} was read but has no place in this query.")
    for m in text_filters:
        ent = index.entities[m.iris[0]]
        names: set[tuple[str, ...]] = ent.keys | {tuple(t.norm for t in reading.tokens[m.start:m.end])}
        # The summary says what a statement is about; the evidence sentence may carry several statements.
        in_summary = [r for r in rows if _contains_name(str(r.get("summary") or ""), names)]
        rows = in_summary or [r for r in rows if _contains_name(str(r.get("evidence") or ""), names)]
        answer.bindings.setdefault("mentions", {"text": m.text, "value": ent.label, "iris": list(m.iris),
                                                "applied": "row filter"})
    if intent.kinds:
        words = {t.norm for t in reading.tokens}
        wanted = [k for k, ws in intent.kinds.items() if words & set(ws)]
        if wanted:
            rows = [r for r in rows if r.get("kind") in wanted]
            answer.bindings["kind"] = {"text": ", ".join(wanted), "value": ", ".join(wanted), "iris": [],
                                       "applied": "row filter"}
    if rnum is not None or round_mentions:
        rows = _filter_round(backend, rows, rnum, rwords, round_mentions, answer)
    if date_filter:
        lo, hi = date_filter
        rows = [r for r in rows if r.get("date") and (not lo or str(r["date"]) >= lo.isoformat())
                and (not hi or str(r["date"]) <= hi.isoformat())]
    if intent.query == "claims":
        rows = _filter_claims(reading, rows, answer)

    return rows


def _filter_round(backend: Any, rows: list[dict[str, Any]], rnum: Any, words: str,
                  mentions: list[Mention], answer: Answer) -> list[dict[str, Any]]:
    rounds = []
    for r in backend.query(_ROUNDS_QUERY).rows:
        n = r.get("n")
        rounds.append((r["r"].value, int(n.value) if n is not None and n.value.isdigit() else None,
                       r["label"].value if r.get("label") is not None else r["r"].value))
    if mentions:
        chosen = [x for x in rounds if x[0] in {i for m in mentions for i in m.iris}]
        words = words or mentions[0].text
    elif rnum == "last":
        top = max((x[1] for x in rounds if x[1] is not None), default=None)
        chosen = [x for x in rounds if x[1] == top]
    else:
        chosen = [x for x in rounds if x[1] == rnum]
    if not chosen:
        known = ", ".join(sorted({x[2] for x in rounds})) or "none"
        raise NoAnswerError(f"The store has no {words!r} (rounds it knows: {known}).", "unknown_name",
                            sorted({x[2] for x in rounds}))
    labels = {x[2] for x in chosen}
    answer.bindings["round"] = {"text": words, "value": ", ".join(sorted(labels)),
                                "iris": sorted({x[0] for x in chosen}), "applied": "row filter"}
    if rows and "round" not in rows[0]:
        answer.notes.append("The rows of this query do not say which round they belong to; not narrowed.")
        return rows
    return [r for r in rows if r.get("round") in labels]


def _filter_claims(reading: Reading, rows: list[dict[str, Any]], answer: Answer) -> list[dict[str, Any]]:
    """Keep the claims whose content shares the most words with what the question quotes, if any does."""
    m = re.search(r"\b(?:that|true|claim|claims|claimed|say|said|says|alleged|allege)\b(.*)$", reading.text,
                  re.IGNORECASE)
    if not m:
        return rows
    words = _overlap_words(m.group(1))
    words -= {"evidence", "contradicts", "contradict", "true", "trump", "claim", "claims", "what", "which"}
    if len(words) < 2:
        return rows
    scored = [(len(words & _overlap_words(f"{r.get('content') or ''} {r.get('summary') or ''}")), r)
              for r in rows]
    best = max((s for s, _ in scored), default=0)
    if best < 2:
        return rows
    answer.bindings["content"] = {"text": m.group(1).strip(), "value": "claims sharing the most words",
                                  "iris": [], "applied": "row filter"}
    return [r for s, r in scored if s == best]


def _sources(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        art = r.get("article")
        if art and art not in out:
            out[art] = {"article": art, "title": r.get("title"), "published": r.get("published")}
            if r.get("publisher"):
                out[art]["publisher"] = r["publisher"]
    return list(out.values())

