"""Topics: what an event is about, as short canonical nouns.

Trade items come from the gazetteer (the mention finder found them: "cars" is Automobiles); other topics come
from the ``topics`` map of ``cues.yaml``, keyed by lemma ("tariff", "duty" and "levy" are all "tariffs";
"deal" is "trade agreement"). Only the words of the event's own clause count, so a sentence about two
events does not give each the other's topics.
"""

from __future__ import annotations

from .arguments import SentenceMentions
from .clauses import Tok, clause_tokens
from .model import Actor, slug
from .triggers import Trigger

#: Prepositions that make a country what an event is about ("turning to Ukraine", "talks on Iran").
_ABOUT = ("on", "about", "over", "regarding", "concerning")
#: A place after these is no topic: where someone went, where a source sits ("according to the White House").
_NOT_ABOUT = ("to", "from", "at", "by")
#: Kinds a deal can be the topic of; elsewhere "under the deal" only says why.
_DEAL_KINDS = ("Agreement", "Announcement", "Meeting", "Call", "Claim", "Visit", "Notification")


def _turning_to(x: Tok) -> bool:
    """ "Turning to Ukraine, the leaders agreed ...": "to" after turn, return or with regard introduces a topic."""
    p = x.head if x.head.lower_ == "to" else x.head.head
    return p.lower_ == "to" and p.head.lemma_.lower() in ("turn", "return", "regard", "respect", "relation")


def topic_tokens(tr: Trigger, others: list[Trigger]) -> list[Tok]:
    """The tokens an event's topics are read from: the trigger's phrase or clause with what it governs
    (what was asked, pledged or said), less the parts that are other events' own."""
    t = tr.token
    toks = {x.i: x for x in t.subtree}
    if tr.verb is not None and tr.verb.i != t.i:
        toks.update((x.i, x) for x in clause_tokens(tr.verb))
    for v in (t, tr.verb):
        for c in v.children if v is not None else ():
            if c.tag_ == "VBG" and c.dep_ in ("advcl", "acl") and not any(g.dep_ == "nsubj" for g in c.children):
                toks.update((x.i, x) for x in c.subtree)  # "requests ..., ranging from rice to cars"
    for o in others:
        if o is tr or o.token.i not in toks or t.i in {x.i for x in o.token.subtree}:
            continue
        for x in o.token.subtree:
            toks.pop(x.i, None)
    return [toks[i] for i in sorted(toks)]


def find_topics(tr: Trigger, others: list[Trigger], sm: SentenceMentions, topic_map: dict[str, str],
                broader: dict[str, set[str]], exclude: tuple[Actor | None, ...] = ()) -> list[Actor]:
    """Topics of one event: gazetteer items in its clause, then mapped keywords, most specific kept."""
    toks = topic_tokens(tr, others)
    items: list[Actor] = []
    seen_mentions = set()
    for x in toks:
        m = sm.at(x)
        if m is not None and id(m) not in seen_mentions and m.referent is not None and m.referent.kind == "item":
            seen_mentions.add(id(m))
            if m.referent not in items:
                items.append(m.referent)
    words: list[str] = []
    lemmas = [x.lemma_.lower() for x in toks]
    for n, lemma in enumerate(lemmas):
        pair = f"{lemma} {lemmas[n + 1]}" if n + 1 < len(lemmas) else ""
        for key in (pair, lemma):
            topic = topic_map.get(key) if key else None
            if topic and topic not in words:
                words.append(topic)
                break
    if "peace agreement" in words and "trade agreement" in words:
        words.remove("trade agreement")
    if tr.type not in _DEAL_KINDS and "trade agreement" in words:
        words.remove("trade agreement")  # "tariffs cut under the deal" are about tariffs, not the deal
    for x in toks:  # places and countries the event is about ("agreed ... on Ukraine"), not who took part
        m = sm.at(x)
        if m is not None and id(m) not in seen_mentions and m.referent is not None and m.referent not in exclude \
                and (m.referent.kind == "place" and m.prep not in _NOT_ABOUT
                     or m.referent.kind == "country" and not m.possessive
                     and (m.prep in _ABOUT or m.prep == "to" and _turning_to(x))):
            seen_mentions.add(id(m))
            if m.referent not in items:
                items.append(m.referent)
    labels = {a.label.lower() for a in items}
    out = list(items)
    for w in words:
        if w not in labels and not any(w.rstrip("s") in lab for lab in labels):
            out.append(Actor(key="topic:" + slug(w), label=w, kind="item", cls="Concept", id=slug(w),
                             is_new=True))
    return [a for a in out if not any(a.key in broader.get(b.key, ()) for b in out)]
