"""The kinds of edge in the actor network, and how they look: read from the ontology.

An event class's edge is named by its verb (``tk:displayVerb``: a Meeting makes a "met" edge), drawn in its
colour (``tk:displayColour``) and has a direction unless ``tk:directedEdges`` is false (all of a meeting's
participants met each other). :func:`tradekg.kinds.event_kinds` reads them, so a class added to the
ontology draws with no change here. A class the ontology does not know (one a document defines for itself)
still makes an edge, named after the class, directed, in a colour of its own.

Two edges come from links between things, not from event classes: "responded" (an event ``tk:inResponseTo``
another: its agents answered the other's) and "represents" (a person's role, nationality or affiliation).
"""

from __future__ import annotations

from collections.abc import Iterable

from tradekg.errors import UsageError
from tradekg.kinds import EventKind, event_kinds

RESPONDED = "responded"
REPRESENTS = "represents"
#: The two kinds of edge that are not event classes, with their colours.
LINK_COLORS = {RESPONDED: "#b07aa1", REPRESENTS: "#bab0ac"}
#: Broad actor types, most specific first: a node's ``type`` is the first its classes fall under.
ACTOR_TYPES = ("Person", "Country", "Organization", "Group", "Actor")
TYPE_COLORS = {
    "Person": "#4e79a7",
    "Country": "#e15759",
    "Organization": "#59a14f",
    "Group": "#f28e2b",
    "Actor": "#9c755f",
}
_PALETTE = ["#17becf", "#bcbd22", "#8c564b", "#9467bd", "#d62728", "#2ca02c", "#1f77b4", "#ff7f0e"]


def _by_verb() -> dict[str, EventKind]:
    out: dict[str, EventKind] = {}
    for kind in event_kinds().values():
        out.setdefault(kind.verb, kind)
    return out


def event_class(classes: Iterable[str]) -> str:
    """The class an event is drawn as, from the local names of its classes: an ontology kind if it has one.

    >>> event_class({"Event", "Meeting"}), event_class({"Sanction"}), event_class(())
    ('Meeting', 'Sanction', 'Event')
    """
    names = sorted(c for c in classes if c != "Event")
    kinds = event_kinds()
    known = [n for n in names if n in kinds]
    return (known or names or ["Event"])[0]


def edge_kind(cls: str) -> str:
    """The edge kind of an event class: its display verb, else the class name lowercased.

    >>> edge_kind("Gift"), edge_kind("Request"), edge_kind("Sanction")
    ('gave', 'asked', 'sanction')
    """
    kind = event_kinds().get(cls)
    return kind.verb if kind is not None else cls.lower()


def kind_color(kind: str) -> str:
    """The colour of an edge kind: the ontology's for event kinds, a stable one from a palette for others.

    >>> kind_color("met"), kind_color("represents")
    ('#4e79a7', '#bab0ac')
    """
    if kind in LINK_COLORS:
        return LINK_COLORS[kind]
    known = _by_verb().get(kind)
    if known is not None:
        return known.colour
    return _PALETTE[sum(map(ord, kind)) % len(_PALETTE)]


def kind_directed(kind: str) -> bool:
    """Whether edges of this kind go from someone to someone (False: both ways, like "met").

    >>> kind_directed("met"), kind_directed("asked"), kind_directed("responded")
    (False, True, True)
    """
    known = _by_verb().get(kind)
    return known.directed if known is not None else True


def known_kinds() -> set[str]:
    """Every edge kind the ontology defines, with "responded" and "represents".

    >>> {"met", "asked", "responded", "represents"} <= known_kinds()
    True
    """
    return set(_by_verb()) | set(LINK_COLORS)


def normalize_kinds(kinds: Iterable[str], present: set[str]) -> set[str]:
    """The edge kinds a user named: verbs ("met"), classes ("meeting", "Meetings") or labels ("tariff action").

    ``present`` adds the kinds found in the data (classes the ontology does not know). An unknown name is a
    :class:`UsageError` that lists the known ones.

    >>> sorted(normalize_kinds(["Meetings", "gave", "response"], set()))
    ['gave', 'met', 'responded']
    """
    allowed = known_kinds() | present
    aliases = {"response": RESPONDED, "responses": RESPONDED, "role": REPRESENTS, "roles": REPRESENTS}
    for kind in event_kinds().values():
        aliases[kind.name.lower()] = kind.verb
        aliases[kind.label.lower()] = kind.verb
    out = set()
    for raw in kinds:
        k = " ".join(raw.strip().lower().split())
        if not k:
            continue
        if k in allowed:
            out.add(k)
        elif k in aliases:
            out.add(aliases[k])
        elif k.removesuffix("s") in aliases:
            out.add(aliases[k.removesuffix("s")])
        else:
            raise UsageError(f"kinds: unknown interaction kind {raw!r}; known: {', '.join(sorted(allowed))}")
    return out
