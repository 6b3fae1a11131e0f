"""The word lists the mention finder reads from ``cues.yaml`` and the gazetteer, prepared once per
gazetteer index and lexicon set rather than on every call of ``extract``."""

from __future__ import annotations

from dataclasses import dataclass, field

from .gazindex import GazIndex, actor_from_entry
from .lexicon import Lexicons, keys_of
from .model import Actor

_CACHE: dict[tuple[int, int], tuple[GazIndex, Lexicons, MentionCues]] = {}


@dataclass
class MentionCues:
    """Role nouns, collective and source nouns, pronouns, demonyms and name cues, as token keys."""

    role_nouns: set[tuple[str, ...]] = field(default_factory=set)
    role_max: int = 1
    collectives: set[tuple[str, ...]] = field(default_factory=set)
    sources: set[tuple[str, ...]] = field(default_factory=set)
    firsts: set[str] = field(default_factory=set)
    source_heads: set[str] = field(default_factory=set)
    title_words: set[str] = field(default_factory=set)
    org_words: set[str] = field(default_factory=set)
    not_names: set[str] = field(default_factory=set)
    goods: set[str] = field(default_factory=set)
    kept_titles: set[str] = field(default_factory=set)
    pro_person: set[str] = field(default_factory=set)
    pro_plural: set[str] = field(default_factory=set)
    pro_i: set[str] = field(default_factory=set)
    pro_we: set[str] = field(default_factory=set)
    pro_it: set[str] = field(default_factory=set)
    demonyms: dict[tuple[str, ...], Actor] = field(default_factory=dict)
    starts: set[str] = field(default_factory=set)  # any token that can start a mention


def mention_cues(idx: GazIndex, lex: Lexicons) -> MentionCues:
    """The prepared cues for one gazetteer index and lexicon set (cached while both live)."""
    key = (id(idx), id(lex))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is idx and hit[1] is lex:
        return hit[2]
    cues = lex.cues
    c = MentionCues()
    c.role_nouns = {keys_of(r) for r in cues.get("roleNouns", [])}
    c.role_max = max((len(r) for r in c.role_nouns), default=1)
    c.collectives = {keys_of(x) for x in cues.get("collectiveNouns", [])}
    c.sources = {keys_of(x) for x in cues.get("sourceNouns", [])}
    c.firsts = {p[0] for p in c.role_nouns | c.collectives | c.sources if p}
    c.source_heads = {p[0] for p in c.sources if p}
    c.title_words = {str(w).lower() for w in cues.get("titleWords", [])}
    c.org_words = {str(w).lower() for w in cues.get("organizationWords", [])}
    c.not_names = {str(w).lower() for w in cues.get("notNames", [])}
    c.goods = {str(w).lower() for w in cues.get("goodsNouns", [])}
    c.kept_titles = {str(w).lower() for w in cues.get("keptTitles", [])}
    pro = cues.get("pronouns", {})
    c.pro_person = set(pro.get("person", []))
    c.pro_plural = set(pro.get("plural", []))
    c.pro_i = set(pro.get("firstSingular", []))
    c.pro_we = set(pro.get("firstPlural", []))
    c.pro_it = set(pro.get("thing", []))
    for adj, target in (cues.get("demonyms") or {}).items():
        e = idx.resolve(str(target)) or idx.entries.get(str(target))
        if e is not None:
            c.demonyms[keys_of(str(adj))] = actor_from_entry(e)
    c.starts = (set(idx.aliases) | c.firsts | c.pro_person | c.pro_plural | c.pro_i | c.pro_we | c.pro_it
                | {k[0] for k in c.demonyms} | {"us", "officials", "negotiators", "the"})
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[key] = (idx, lex, c)
    return c
