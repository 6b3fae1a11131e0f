"""The summary of an ``events`` answer, written from the ontology's display data of each kind.

Each row reads as its kind's ``tk:summaryTemplate`` ("{agents} agreed on {topics}") with the row's own
agents, addressees, topics (or content) and date; the head counts the rows by the kind's label. No kind is
named here: a kind added to the ontology is summarized by its own template.
"""

from __future__ import annotations

import re
from typing import Any

from tradekg.ask.model import Answer

_PREP = r"(?:on|about|with|to|of|for|in|at|by|over)"
# A preposition left with nothing after it (an empty {topics}), or followed by another one (an empty
# {addressees}: "committed to on tariffs").
_DANGLING = re.compile(rf"\s+{_PREP}\s*(?=$|[:;,.])|\s+{_PREP}(?=\s+{_PREP}\b)|\s*:\s*$")
MAX_SENTENCES = 6


def _plural(n: int, label: str) -> str:
    word = label.lower()
    if n != 1:
        word = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{n} {word}"


def row_sentence(row: dict[str, Any], kinds: dict[str, Any]) -> str:
    """One row as its kind's template reads it, with the date in brackets.

    >>> from tradekg.kinds import event_kinds
    >>> row_sentence({"kind": "Agreement", "agents": "Canada, Mexico", "topics": "Steel", "date": "2025-06-03"},
    ...              event_kinds())
    'Canada, Mexico agreed on Steel (2025-06-03)'
    """
    kind = kinds.get(str(row.get("kind") or ""))
    what = row.get("topics") or row.get("content") or ""
    if kind is None:
        text = f"{row.get('agents') or 'someone'}: {row.get('summary') or what}"
    else:
        text = kind.template.format_map({
            "agents": row.get("agents") or "someone", "addressees": row.get("addressees") or "",
            "topics": what, "date": row.get("date") or "", "verb": kind.verb})
        text = _DANGLING.sub("", re.sub(r"\s+", " ", text)).strip()
        if row.get("content") and row.get("content") != what:
            text += f": {row['content']}"
    if row.get("hedge"):
        text += f" ({row['hedge']})"
    return text + (f" ({row['date']})" if row.get("date") else "")


def events_summary(rows: list[dict[str, Any]], answer: Answer, who: str, when: str, rep: str) -> str:
    """``3 agreements involving Japan (2025-05-06 to 2025-07-22): Japan, United Kingdom agreed on ...``."""
    from tradekg.kinds import event_kinds

    kinds = event_kinds()
    found = list(dict.fromkeys(str(r.get("kind") or "") for r in rows))
    label = kinds[found[0]].label if len(found) == 1 and found[0] in kinds else "event"
    head = _plural(len(rows), label)
    if who:
        head += f" involving {who}"
    other = answer.bindings.get("with")
    if other:
        head += f" and {other['value']}" if who else f" involving {other['value']}"
    place = answer.bindings.get("in")
    if place:
        head += f" in {place['value']}"
    head += f" ({when})" if when else ""
    head += f", {rep}" if rep else ""
    parts = [row_sentence(r, kinds) for r in rows[:MAX_SENTENCES]]
    more = f"; and {len(rows) - MAX_SENTENCES} more" if len(rows) > MAX_SENTENCES else ""
    return head[:1].upper() + head[1:] + ": " + "; ".join(parts) + more + "."
