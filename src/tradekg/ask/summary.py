"""The one-sentence summary above an answer's rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tradekg.ask.events_summary import events_summary, row_sentence
from tradekg.ask.labels import LabelIndex
from tradekg.ask.model import Answer, _Run
from tradekg.ask.patterns import Intent


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _join(items: Iterable[Any]) -> str:
    xs = [str(x) for x in dict.fromkeys(i for i in items if i not in (None, ""))]
    if len(xs) <= 1:
        return "".join(xs)
    return ", ".join(xs[:-1]) + " and " + xs[-1]


def _dates(rows: list[dict[str, Any]]) -> str:
    ds = sorted({str(r["date"]) for r in rows if r.get("date")})
    if not ds:
        return ""
    return ds[0] if len(ds) == 1 else f"{ds[0]} to {ds[-1]}"


def _reported(rows: list[dict[str, Any]]) -> str:
    who = _join(r.get("attributedTo") for r in rows)
    status = {r.get("status") for r in rows if r.get("status")}
    text = f"reported by {who}" if who else ""
    if status == {"reported"}:
        text += " (not confirmed)" if text else "reported, not confirmed"
    elif status == {"confirmed"}:
        text += " (confirmed)" if text else "confirmed"
    return text


def _bound(answer: Answer, index: LabelIndex, pname: str, default: str = "") -> str:
    b = answer.bindings.get(pname)
    if not b:
        return default
    iris = [i for i in b.get("iris", []) if i in index.entities]
    names = [index.entities[i].name for i in iris if index.entities[i].label in b["value"].split(", ")]
    names = list(dict.fromkeys(names)) or [b["value"]]
    return _join(names)


def _strip(s: Any) -> str:
    return str(s or "").strip().rstrip(".")


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _summary(query: str, rows: list[dict[str, Any]], answer: Answer, index: LabelIndex, intent: Intent,
             runs: list[_Run] | None = None) -> str:
    filters = [f"{k} {v['value']}" for k, v in answer.bindings.items() if v.get("applied") != "parameter"
               and k not in ("mentions",)]
    if not rows:
        what = intent.about
        named = "; ".join(f"{k}: {v['value']}" for k, v in answer.bindings.items())
        return f"No answer in the store: the {query} query found nothing" + (f" for {named}" if named else "") + \
            f" ({what})."
    n, when, rep = len(rows), _dates(rows), _reported(rows)
    tail = (f" ({when})" if when else "") + (f", {rep}" if rep else "") + "."
    about = answer.bindings.get("topic")
    about_s = f" regarding {about['value']}" if about else ""
    rnd = answer.bindings.get("round")
    in_round = f" in the {rnd['value']}" if rnd else ""
    if query == "events":
        return events_summary(rows, answer, _bound(answer, index, "by"), when, rep)
    if query == "requests":
        kept = {r.get("event") for r in rows}
        parts = [f"{run.names.get('by')} made {_plural(len(run.events & kept), 'request')} of {run.names.get('of')}"
                 for run in runs or () if run.names and run.events & kept]
        if not parts:
            parts = [f"{_bound(answer, index, 'by')} made {_plural(n, 'request')} of {_bound(answer, index, 'of')}"]
        return _cap("; ".join(parts) + f"{about_s}{in_round}{tail}")
    if query == "responses":
        by = _bound(answer, index, "by", _join(r.get("responder") for r in rows))
        what = "; ".join(_strip(r.get("summary")) for r in rows if r.get("summary"))
        return _cap(f"{by} responded {_times(n)}{in_round}{tail[:-1]}: {what}.")
    if query == "meetings":
        from tradekg.kinds import event_kinds

        who = _bound(answer, index, "actor")
        extra = answer.bindings.get("with")
        who = f" between {who} and {extra['value']}" if extra else (f" involving {who}" if who else "")
        places = _join(r.get("location") for r in rows)
        return f"{_plural(n, 'meeting')}{who}{in_round}" + (f" ({when})" if when else "") + \
            (f", at {places}" if places else "") + ": " + "; ".join(_strip(r.get("summary")) or row_sentence(
                {"kind": r.get("type"), "agents": r.get("participants"), "date": r.get("date")}, event_kinds())
                for r in rows) + "."
    if query == "claims":
        claims = {r.get("event") for r in rows}
        by = _bound(answer, index, "by", _join(r.get("claimant") for r in rows))
        against = {r.get("event") for r in rows if r.get("relation") == "contradicted by"}
        by_whom = _join(r.get("statisticSource") for r in rows if r.get("relation") == "contradicted by")
        s = f"{by} made {_plural(len(claims), 'claim')}{tail[:-1]}"
        if len(claims) != n:  # the rows are one per claim and figure: say so, so the count reads true
            s += f" ({_plural(n, 'row')}, one per claim and figure)"
        if against:
            verb = "is" if len(against) == 1 else "are"
            s += f"; {len(against)} of them {verb} contradicted by figures from {by_whom}"
        return _cap(s + ".")
    if query == "complaints":
        by = _bound(answer, index, "by", _join(r.get("complainant") for r in rows))
        topics = _join(r.get("topics") for r in rows)
        return _cap(f"{by} complained {_times(n)}" + (f" about {topics}" if topics else "") + tail)
    if query == "gifts":
        parts = [f"{r.get('giver')} gave {r.get('recipient') or 'someone'} a {r.get('gift') or 'gift'}"
                 + (f" ({r['date']})" if r.get("date") else "")
                 + (f": {_strip(r['reason'])}" if r.get("reason") else "") for r in rows]
        return _cap("; ".join(parts)) + (f" — {rep}." if rep else ".")
    if query == "invitations":
        parts = [f"{r.get('inviter')} invited {r.get('invitee') or 'someone'}"
                 + (f" to {r['topics']}" if r.get("topics") else "") + (f" ({r['date']})" if r.get("date") else "")
                 for r in rows]
        return _cap("; ".join(parts)) + (f" — {rep}." if rep else ".")
    if query == "notifications":
        parts = [_strip(r.get("summary") or f"{r.get('notifier')} informed {r.get('addressee')}") for r in rows]
        return "; ".join(parts) + (f" — {rep}." if rep else ".")
    if query == "announcements":
        parts = [_strip(r.get("summary") or f"{r.get('announcer')} made an announcement") for r in rows]
        return "; ".join(parts) + (f" — {rep}." if rep else ".")
    if query == "actors":
        people = []
        for r in rows:
            desc = ", ".join(x for x in (r.get("kind"), r.get("affiliation")) if x)
            roles = f"; {r['roles']}" if r.get("roles") else ""
            people.append(f"{r.get('label')} ({desc}{roles})")
        people = list(dict.fromkeys(people))
        per = f" ({_plural(n, 'row')}, one per actor and article)" if n != len(people) else ""
        return f"{_plural(len(people), 'actor')}{per}: " + "; ".join(people) + "."
    if query == "sources":
        arts = {r.get("article") for r in rows}
        who = _join(r.get("attributedTo") for r in rows)
        return f"{_plural(n, 'statement')} from {_plural(len(arts), 'article')}" + \
            (f", attributed to {who}" if who else "") + (f" ({', '.join(filters)})" if filters else "") + "."
    if query == "timeline":
        undated = sum(1 for r in rows if not r.get("date"))
        who = _bound(answer, index, "actor")
        s = f"{_plural(n, 'event')}" + (f" involving {who}" if who else "") + in_round
        s += f", from {when}" if when and " to " in when else (f", on {when}" if when else "")
        if undated:
            s += f" ({undated} without a date, listed last)"
        return s + "."
    return f"{_plural(n, 'row')} from the {query} query{tail}"

