"""Who acts and who is acted upon: roles for the actors a question names, from word order and little words."""

from __future__ import annotations

from tradekg.ask.kindwords import kind_vocabulary
from tradekg.ask.patterns import Patterns
from tradekg.ask.reading import Mention, Reading
from tradekg.ask.words import _ARTICLES, _AUX
from tradekg.resolve import Token

_ADDRESSEE_MARKERS = frozenset({"of", "to", "on", "upon", "against", "toward", "towards", "for", "about", "over",
                                "regarding", "concerning", "at"})
_CLAUSE_WORDS = frozenset({"that", "whether", "because", "if"})


def _marker(tokens: list[Token], start: int) -> str:
    j = start - 1
    while j >= 0 and tokens[j].norm in _ARTICLES:
        j -= 1
    if j < 0:
        return ""
    w = tokens[j].norm
    if w == "to" and j > 0 and tokens[j - 1].norm in ("according", "attributed", "attributable"):
        return "source"
    if w == "by" and j > 0 and tokens[j - 1].norm in ("reported", "stated", "said", "confirmed"):
        return "source"
    if w in ("in", "inside", "near") or (w == "at" and j > 0 and tokens[j - 1].norm in ("held", "happen",
                                                                                       "happened", "met")):
        return "location"
    if w in ("by", "from", "with", "between", "and", "or"):
        return w
    if w in _AUX:
        return "aux"  # the subject of a question: "what did the US request", "what demands did the US make"
    if w in _ADDRESSEE_MARKERS:
        return "to"
    return ""


def assign_roles(reading: Reading, patterns: Patterns) -> list[Mention]:
    """Give each actor mention a role: ``agent``, ``addressee``, ``source`` or ``ignored``.

    Who acts is the subject before the verb ("what did the US ask"), the possessor ("the US's requests")
    or the one marked "by"; who is acted upon is the object ("ask Japan") or the one marked "of", "to", "on".
    The passive ("what was Japan asked by the US") and receiving verbs ("what did Trump receive from
    Akazawa", "how did Akazawa learn") swap them. Names inside a "that ..." clause after the verb are what
    was said, not who said it.
    """
    tokens, t = reading.tokens, reading.trigger_at
    actors = [m for m in reading.mentions if m.kind == "actor"]
    clause_at = None
    if t is not None:
        clause_at = next((j for j in range(t + 1, len(tokens)) if tokens[j].norm in _CLAUSE_WORDS), None)
    passive = t is not None and tokens[t].norm.endswith(("ed", "en", "ght", "told", "met", "given")) and any(
        tok.norm in patterns.be_verbs for tok in tokens[max(0, t - 4):t])

    def receives(m: Mention) -> bool:
        return any(tok.norm in patterns.receive_verbs for tok in tokens[m.end:m.end + 3])

    subject_before = any(
        _marker(tokens, m.start) in ("", "and", "aux") and t is not None and m.end <= t for m in actors)
    previous: Mention | None = None
    concept_starts = {m.start for m in reading.mentions if m.kind == "concept"}
    for m in actors:
        m.marker = _marker(tokens, m.start)
        after = t is not None and m.start > t
        if clause_at is not None and m.start > clause_at:
            m.role = "ignored"
        elif m.end in concept_starts and m.marker not in ("by", "source"):
            # "UK cars", "Japanese automobiles": a country naming whose goods they are, not who acts.
            m.role = "addressee"
        elif m.marker == "location":
            # "invest in the United States": after a verb naming a kind, "in" marks whom it is for, not where.
            m.role = "addressee" if _after_kind_verb(tokens, m.start, patterns) else "ignored"
        elif m.marker == "source":
            m.role = "source"
        elif m.marker in ("and", "or") and previous is not None:
            m.role = previous.role
        elif m.marker == "by":
            m.role = "agent"
        elif m.marker == "aux":
            m.role = "addressee" if (passive or receives(m)) else "agent"
        elif m.marker == "from":
            m.role = "addressee" if subject_before and not any(receives(x) for x in actors) else "agent"
        elif t is not None and (m.end == t or (m.end + 1 == t and tokens[m.end].norm == "'s")):
            # Right before the verb or noun: "the US requests", "the US's demands", "on the US wish list".
            m.role = "addressee" if (passive or receives(m)) else "agent"
        elif m.marker in ("to", "with", "between"):
            m.role = "addressee" if m.marker != "between" else "any"
        elif not after:
            m.role = "addressee" if (passive or receives(m)) else "agent"
        else:
            m.role = "addressee"
        previous = m
    return actors



def _after_kind_verb(tokens: list[Token], start: int, patterns: Patterns) -> bool:
    """True when the word before the preposition before ``start`` is a verb naming an event kind."""
    j = start - 1
    while j >= 0 and tokens[j].norm in _ARTICLES:
        j -= 1
    hit = kind_vocabulary(patterns).get((tokens[j - 1].norm,)) if j >= 1 else None
    return hit is not None and hit[1] <= 2
