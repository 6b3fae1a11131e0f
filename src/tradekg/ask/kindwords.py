"""Which event kinds a question is about, from the ontology and the patterns file.

Every ``tk:Event`` subclass is a kind (:func:`tradekg.kinds.event_kinds`). The words that name a kind in a
question come from data, never from a list in code:

- the ontology: the class label ("Tariff action", "Sanction") and its plural are nouns (weight 3); the
  display verb ("imposed", "agreed") and its other forms are verbs (weight 2);
- ``ask_patterns.yaml``, section ``event_kinds``: more nouns, verbs and weak words (weight 1) per kind
  ("deal", "pact" for agreements; "levy", "duty" for tariff actions).

So a kind added to the ontology is understood by its label and verb with no edit here.
Kinds that a named query of their own answers (an intent lists them under ``event_kinds``: requests,
claims ...) are left to that intent; the others are answered through the generic ``events`` query.

>>> from tradekg.ask.patterns import load_patterns
>>> words = kind_vocabulary(load_patterns())
>>> words[("tariffs",)], words[("agreed",)][0]
(('TariffAction', 3), 'Agreement')
"""

from __future__ import annotations

from dataclasses import dataclass

from tradekg.ask.patterns import CACHE_VERSION, Patterns, _read_cache, _write_cache
from tradekg.resolve import key


@dataclass(frozen=True)
class KindMatch:
    """A kind named in the question: its local name, weight and the token where its word starts."""

    kind: str
    weight: int
    at: int
    words: tuple[str, ...]


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def verb_forms(past: str) -> set[str]:
    """A display verb ("imposed") and the forms a question may use ("impose", "imposes", "imposing").

    Without a dictionary the stem is guessed both ways ("visit" and "visite" from "visited"); a guess no
    one types does no harm.

    >>> {"visit", "visits", "visiting"} <= verb_forms("visited"), {"impose", "imposing"} <= verb_forms("imposed")
    (True, True)
    >>> {"commit", "committing"} <= verb_forms("committed")
    True
    """
    forms = {past}
    if past.endswith("ied"):
        stems = {past[:-3] + "y"}
    elif past.endswith("ed") and len(past) >= 6:
        stems = {past[:-2], past[:-1]}
        if past[-3] == past[-4]:  # committed -> commit
            stems.add(past[:-3])
    else:
        stems = set()
    for s in stems:
        forms |= {s, s + "s", s + "ing", (s[:-1] + "ing") if s.endswith("e") else s}
    return forms


_BUILT: dict[int, tuple[Patterns, dict[tuple[str, ...], tuple[str, int]]]] = {}


def kind_vocabulary(patterns: Patterns) -> dict[tuple[str, ...], tuple[str, int]]:
    """Word sequences naming a kind, with the kind and the weight of the word (built once per patterns)."""
    built = _BUILT.get(id(patterns))
    if built is None or built[0] is not patterns:
        built = _BUILT[id(patterns)] = (patterns, _vocabulary(patterns))
    return built[1]


def _vocabulary(patterns: Patterns) -> dict[tuple[str, ...], tuple[str, int]]:
    """From the cache when the ontology, the shapes and the patterns' kind words are unchanged: reading the
    kinds parses the ontology and the shapes (20-40 ms), more than the rest of most answers."""
    import hashlib
    import json

    from tradekg.resources import ontology_path, shapes_path

    digest = hashlib.sha256(json.dumps([patterns.event_kinds, sorted(
        (i.name, i.event_kinds) for i in patterns.intents)], sort_keys=True).encode())
    for path in (ontology_path(), shapes_path()):
        digest.update(path.read_bytes())
    name = f"ask-kinds-{CACHE_VERSION}-{digest.hexdigest()[:32]}.json"
    cached = _read_cache(name)
    if isinstance(cached, list):
        try:
            return {tuple(words): (str(kind), int(weight)) for words, kind, weight in cached}
        except (TypeError, ValueError):
            pass
    vocab = _build(patterns)
    _write_cache(name, [[list(words), kind, weight] for words, (kind, weight) in vocab.items()])
    return vocab


def _build(patterns: Patterns) -> dict[tuple[str, ...], tuple[str, int]]:
    from tradekg.kinds import event_kinds

    owned = {k for intent in patterns.intents for k in intent.event_kinds}
    out: dict[tuple[str, ...], tuple[str, int]] = {}

    def add(phrase: str, kind: str, weight: int) -> None:
        k = key(phrase)
        if k and (k not in out or out[k][1] < weight):
            out[k] = (kind, weight)

    kinds = event_kinds()
    for name, kind in kinds.items():
        if name in owned:
            continue
        label = kind.label.lower()
        add(label, name, 3)
        add(_plural(label), name, 3)
        for form in verb_forms(kind.verb):
            add(form, name, 2)
    for name, spec in patterns.event_kinds.items():
        if name in owned or name not in kinds:
            continue
        for field, weight in (("nouns", 3), ("verbs", 2), ("weak", 1)):
            for phrase in spec.get(field) or ():
                add(str(phrase), name, weight)
    return out


def find_kinds(words: list[str], patterns: Patterns) -> list[KindMatch]:
    """The kinds named in ``words`` (a question's masked words: names are placeholders), longest match first.

    >>> from tradekg.ask.patterns import load_patterns
    >>> [(m.kind, m.weight, m.at) for m in find_kinds("what tariffs did @a0 impose".split(), load_patterns())]
    [('TariffAction', 3, 1), ('TariffAction', 2, 4)]
    """
    vocab = kind_vocabulary(patterns)
    longest = max((len(k) for k in vocab), default=1)
    out: list[KindMatch] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            hit = vocab.get(tuple(words[i:i + n]))
            if hit:
                out.append(KindMatch(hit[0], hit[1], i, tuple(words[i:i + n])))
                i += n
                break
        else:
            i += 1
    return out


def chosen_kinds(matches: list[KindMatch]) -> tuple[list[str], int]:
    """The kinds a question asks about and the score of that reading: the kinds of the heaviest words.

    A question naming two kinds equally ("agreements and threats") asks about both.
    """
    if not matches:
        return [], 0
    best = max(m.weight for m in matches)
    return list(dict.fromkeys(m.kind for m in matches if m.weight == best)), best
