"""Mentions of actors, places and items, and what each refers to.

Two passes over the document's tokens, both linear:

1. *detect*: gazetteer aliases (longest match, case-aware), role nouns ("Japan's chief negotiator"),
   collective nouns ("the US side"), unnamed sources ("multiple Japanese government sources"), pronouns,
   and capitalized names the gazetteer lacks (kept as new actors);
2. *resolve*, in text order: roles through the gazetteer's positions, pronouns to the most recent
   compatible actor, first person through the speaker, metonyms (Tokyo) to their country
   (:mod:`tradekg.extract.resolution`).
"""

from __future__ import annotations

import datetime as dt

from .gazindex import ACTOR_KINDS, GazIndex, actor_from_entry
from .lexicon import Lexicons
from .mention_cues import mention_cues
from .model import Actor, Mention, slug
from .resolution import _PAIR_PERSONS, _PAIR_SIDES, Resolution
from .tokens import Token

_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "other"})
_PREPOSITIONS = frozenset({"with", "to", "of", "by", "from", "at", "in", "on", "for", "about", "between",
                           "against", "over", "into", "toward", "towards", "among", "after", "before",
                           "during", "than", "like"})
_SOURCE_MODIFIERS = frozenset({"multiple", "several", "some", "two", "three", "four", "many", "unnamed",
                               "anonymous", "senior", "government", "administration", "industry", "diplomatic",
                               "trade", "ruling", "party", "official", "informed", "knowledgeable", "other",
                               "white", "house", "economic", "military", "ministry", "close"})
_COPULAS = frozenset({"is", "was", "'s", "seems", "remains", "takes", "comes", "appears", "looks"})
_CONNECTORS = frozenset({"of", "for", "and", "&", "de", "the"})


class MentionFinder(Resolution):
    """Finds and resolves mentions in one document."""

    def __init__(self, idx: GazIndex, lex: Lexicons, published: dt.date | None, speaker: str | None):
        self.idx = idx
        self.lex = lex
        self.published = published
        self.c = mention_cues(idx, lex)
        self.actors: dict[str, Actor] = {}  # every referent used, by key (new actors included)
        self.speaker = self._speaker(speaker) if speaker else None
        self.mentioned_persons: set[str] = set()
        self.mentioned_countries: set[str] = set()

    # ---------- helpers
    def _speaker(self, label: str) -> Actor:
        e = self.idx.resolve(label)
        if e is not None and e.kind in ACTOR_KINDS:
            return self._use(actor_from_entry(e))
        return self._new(label, "person", "Person")

    def _use(self, actor: Actor) -> Actor:
        return self.actors.setdefault(actor.key, actor)

    def _new(self, label: str, kind: str, cls: str, country: str | None = None) -> Actor:
        key = "new:" + slug(label)
        return self._use(Actor(key=key, label=label, kind=kind, cls=cls, id=slug(label), country=country,
                               is_new=True))

    def _match_phrase(self, keys: list[str], i: int, phrases: set[tuple[str, ...]], max_len: int = 4) -> int:
        if i >= len(keys) or keys[i] not in self.c.firsts:
            return 0
        for n in range(min(max_len, len(keys) - i), 0, -1):
            if tuple(keys[i:i + n]) in phrases:
                return n
        return 0

    def _demonym_at(self, keys: list[str], i: int) -> tuple[int, Actor | None]:
        for n in (2, 1):
            a = self.c.demonyms.get(tuple(keys[i:i + n]))
            if a is not None:
                return n, a
        return 0, None

    # ---------- pass 1: detect
    def detect(self, toks: list[Token]) -> list[Mention]:
        """Mentions in one sentence's tokens (``toks`` is the sentence), left to right, not overlapping."""
        keys = [t.key for t in toks]
        self._has_source = any(k in self.c.source_heads for k in keys)
        out: list[Mention] = []
        i = 0
        n = len(toks)
        while i < n:
            m = self._detect_at(toks, keys, i, out)
            if m is None:
                i += 1
                continue
            out.append(m)
            i = m.tok_end
        self._new_names(toks, keys, out)
        out.sort(key=lambda m: m.tok_start)
        for m in out:
            j = m.tok_start - 1
            while j >= 0 and keys[j] in _DETERMINERS:
                j -= 1
            m.prep = keys[j] if j >= 0 and keys[j] in _PREPOSITIONS else None
            m.possessive = m.tok_end < n and keys[m.tok_end] == "'s"
        return out

    def _gazetteer_hit(self, toks: list[Token], keys: list[str], i: int):
        for length, hits in self.idx.lookup(keys, i):
            words = toks[i:i + length]
            for entry, alias in sorted(hits, key=lambda h: h[0].id):
                if _case_ok(alias, words, proper=entry.kind not in ("item", "position")):
                    return length, entry
        skip = _initials_after(toks, i)
        if skip:  # "Scott K.H. Bessent", "Donald J. Trump": a known person with middle initials
            rest = [keys[i], *keys[i + 1 + skip:]]
            for length, hits in self.idx.lookup(rest, 0):
                person = [e for e, _ in hits if e.kind == "person"]
                if length >= 2 and person and toks[i].is_capitalized:
                    return length + skip, sorted(person, key=lambda e: e.id)[0]
        return 0, None

    def _detect_at(self, toks, keys, i, out) -> Mention | None:
        if keys[i] not in self.c.starts and not self._has_source:
            return None
        t = toks[i]
        length, entry = self._gazetteer_hit(toks, keys, i)
        # A source phrase ("multiple Japanese government sources") beats the country inside it.
        src = self._source_at(toks, keys, i) if self._has_source else None
        if src is not None:
            return src
        qualifier: Actor | None = None
        q_len = 0
        if entry is not None and entry.kind == "country":
            qualifier, q_len = actor_from_entry(entry), length
        else:
            dn, dem = self._demonym_at(keys, i)
            if dem is not None and toks[i].is_capitalized:
                qualifier, q_len = dem, dn
        if qualifier is not None:
            j = i + q_len + (1 if i + q_len < len(keys) and keys[i + q_len] == "'s" else 0)
            c = self._match_phrase(keys, j, self.c.collectives)
            if c:
                return Mention(i, j + c, t.start, toks[j + c - 1].end, "collective", referent=qualifier,
                               plural=True)
            role = self._role_at(toks, keys, j)
            if role:
                return self._role(toks, keys, i, j, role, qualifier)
            if entry is None and j < len(keys) and keys[j] in self.c.goods:
                # "tariffs on Japanese goods": the adjective stands for the country; the noun stays free
                # so an item ("cars") is still found.
                return Mention(i, i + q_len, t.start, toks[i + q_len - 1].end, "collective", referent=qualifier)
        if entry is not None:
            if entry.kind == "position":
                return self._role(toks, keys, i, i, length, None)
            kind = "name" if entry.kind in ACTOR_KINDS else entry.kind
            return Mention(i, i + length, t.start, toks[i + length - 1].end, kind,
                           referent=actor_from_entry(entry), plural=entry.kind == "group")
        role = self._role_at(toks, keys, i)
        if role:
            return self._role(toks, keys, i, i, role, None)
        k = keys[i]
        if k in ("the", "both") and i + 1 < len(keys):
            pair = self._pair_at(toks, keys, i)
            if pair is not None:
                return pair
        if k in self.c.pro_person or k in self.c.pro_plural or k in self.c.pro_i or k in self.c.pro_we or (
                k in self.c.pro_it and i + 1 < len(keys) and keys[i + 1] not in _COPULAS) or (
                t.text == "us"):
            return Mention(i, i + 1, t.start, t.end, "pronoun", role_keys=(k,))
        if k in ("officials", "negotiators") and i + 1 < len(keys) and keys[i + 1] == "from":
            return self._officials_from(toks, keys, i)
        if k in ("officials", "negotiators") and i > 0 and keys[i - 1] == "the":
            return Mention(i - 1, i + 1, toks[i - 1].start, t.end, "collective", role_keys=(k,), plural=True)
        return None

    def _pair_at(self, toks, keys, i) -> Mention | None:
        # "the two sides", "both countries", "the two leaders", "the two": a pair named before
        j = i + 1
        if keys[i] == "the":
            if keys[j] == "two":
                j += 1
            elif keys[j] not in _PAIR_PERSONS and keys[j] not in _PAIR_SIDES:
                return None
        noun = keys[j] if j < len(keys) else ""
        if noun in _PAIR_PERSONS or noun in _PAIR_SIDES:
            return Mention(i, j + 1, toks[i].start, toks[j].end, "pair", role_keys=(noun,), plural=True)
        if keys[i] == "the" and (noun in ("met", "spoke", "agreed", "held", "had", "have", "also", "talked")):
            return Mention(i, j, toks[i].start, toks[j - 1].end, "pair", role_keys=("",), plural=True)
        return None

    def _role_at(self, toks, keys, i) -> int:
        n = self._match_phrase(keys, i, self.c.role_nouns, self.c.role_max)
        if not n:
            length, entry = self._gazetteer_hit(toks, keys, i)
            if entry is not None and entry.kind == "position":
                return length
        return n

    def _role(self, toks, keys, begin, j, length, qualifier) -> Mention | None:
        end = j + length
        # A title before a name ("President Donald Trump"): the name is the mention.
        nxt_len, nxt = self._gazetteer_hit(toks, keys, end) if end < len(toks) else (0, None)
        if nxt is not None and nxt.kind == "person":
            return Mention(begin, end + nxt_len, toks[begin].start, toks[end + nxt_len - 1].end, "name",
                           referent=actor_from_entry(nxt), qualifier=qualifier)
        if end < len(toks) and toks[end].is_capitalized and keys[end] not in self.c.not_names \
                and toks[j].is_capitalized:
            return None  # a title before an unknown name: left to the new-name pass
        return Mention(begin, end, toks[begin].start, toks[end - 1].end, "role",
                       role_keys=tuple(keys[j:end]), qualifier=qualifier)

    def _source_at(self, toks, keys, i) -> Mention | None:
        # Scan forward from i over modifiers to a source noun ("multiple Japanese government sources").
        j = i
        if keys[j] == "the":
            j += 1
        qualifier = None
        while j < len(keys) and j - i < 6:
            dn, dem = self._demonym_at(keys, j)
            if dem is not None and toks[j].is_capitalized:
                qualifier, j = dem, j + dn
                continue
            length, entry = self._gazetteer_hit(toks, keys, j)
            if entry is not None and entry.kind == "country":
                qualifier, j = actor_from_entry(entry), j + length
                continue
            if keys[j] in _SOURCE_MODIFIERS or (j > i and toks[j].is_capitalized and keys[j].isalpha()):
                j += 1  # "two senior Ruritanian sources": an unknown adjective of origin is a modifier too
                continue
            break
        n = self._match_phrase(keys, j, self.c.sources, 5)
        if not n:
            return None
        first = i + 1 if keys[i] == "the" else i
        has_modifier = j > first
        m = Mention(i, j + n, toks[i].start, toks[j + n - 1].end, "source", plural=True,
                    role_keys=tuple(keys[first:j + n]), qualifier=qualifier,
                    label=_label(toks[first:j + n]))
        if not has_modifier:
            m.kind = "source-anaphor" if keys[i] == "the" else "source"
        return m

    def _officials_from(self, toks, keys, i) -> Mention:
        j = i + 2
        while j < len(toks) and j - i < 10 and keys[j] not in {",", ".", ";", "who", "which", "that", "said",
                                                                    "were", "was", "had", "have"}:
            j += 1
        return Mention(i, j, toks[i].start, toks[j - 1].end, "group", plural=True,
                       role_keys=tuple(keys[i:j]), label=_label(toks[i:j]))

    def _new_names(self, toks: list[Token], keys: list[str], found: list[Mention]) -> None:
        """Runs of capitalized tokens outside every mention: new actors (persons or organizations)."""
        covered = bytearray(len(toks))
        for m in found:
            covered[m.tok_start:m.tok_end] = b"\x01" * (m.tok_end - m.tok_start)
        i = 0
        n = len(toks)
        while i < n:
            if covered[i] or not _name_token(toks[i]) or keys[i] in self.c.not_names or (keys[i],) in self.c.demonyms:
                i += 1
                continue
            j = i + 1
            while j < n and not covered[j] and (
                    _name_token(toks[j]) or (keys[j] in _CONNECTORS and j + 1 < n and _name_token(toks[j + 1])
                                             and (keys[j] not in ("and", "&") or _org_run(keys[i:j], self.c)))
                    or (keys[j] == "-" and j + 1 < n and (_name_token(toks[j + 1]) or toks[j + 1].text.isalpha()
                                                          and toks[j - 1].end == toks[j].start))
                    or (keys[j - 1] == "-" and toks[j].text.isalpha() and toks[j - 1].end == toks[j].start)):
                j += 1
            words = keys[i:j]
            # Drop a leading title ("Commerce Secretary Howard Lutnick" → the person after the title).
            last_title = max((p for p, w in enumerate(words) if w in self.c.title_words), default=-1)
            start_tok = i
            cls, kind = "Organization", "organization"
            if words[-1] in self.c.org_words or toks[i].text.isupper() and j - i == 1 and len(toks[i].text) > 1:
                pass
            elif 0 <= last_title < len(words) - 1:
                start_tok = i + last_title + 1
                if j - start_tok == 1 and words[last_title] in self.c.kept_titles:
                    start_tok -= 1  # "King Charles": one name alone keeps its title
                cls, kind = "Person", "person"
            elif last_title == len(words) - 1:
                # a title alone, or a title before a known name (already a mention): not an actor
                i = j
                continue
            elif 2 <= j - i <= 3:
                cls, kind = "Person", "person"
            sentence_initial = i == 0 or keys[i - 1] in {'"', "'", "(", "-"}
            if sentence_initial and j - i == 1:
                i = j
                continue
            if start_tok > 0 and keys[start_tok - 1] in ("in", "at", "near", "from") and kind == "person" \
                    or start_tok > 1 and keys[start_tok - 1] == "the" and keys[start_tok - 2] in ("in", "at", "near"):
                cls, kind = "Place", "place"  # "from a factory in the West Midlands"
            text_label = _label(toks[start_tok:j])
            found.append(Mention(start_tok, j, toks[start_tok].start, toks[j - 1].end, "new",
                                 referent=Actor(key="new:" + slug(text_label), label=text_label, kind=kind,
                                                cls=cls, id=slug(text_label), is_new=True)))
            i = j

    # ---------- pass 2: resolve


def _initials_after(toks: list[Token], i: int) -> int:
    """How many tokens of middle initials follow token ``i`` ("K.H." is one token; "J ." two)."""
    if i + 1 >= len(toks) or not toks[i].is_capitalized:
        return 0
    t = toks[i + 1].text
    if len(t) >= 4 and all(c == "." for c in t[1::2]) and t[::2].isupper():
        return 1
    if len(t) == 1 and t.isupper() and i + 2 < len(toks) and toks[i + 2].text == ".":
        return 2
    return 0


def _org_run(words: list[str], cues) -> bool:
    """ "Ministry of Economy and Finance" joins over "and"; "Malaysia and Cambodia" does not."""
    return any(w in cues.org_words for w in words)


def _label(toks: list[Token]) -> str:
    """The words of a mention as written, with hyphens and possessives re-attached."""
    out = ""
    for n, t in enumerate(toks):
        glue = n > 0 and (t.text in ("-", "'s", ",") or toks[n - 1].text == "-")
        out += ("" if glue or n == 0 else " ") + t.text
    return out


def _name_token(t: Token) -> bool:
    return t.text[:1].isupper() and t.text[:1].isalpha()


def _case_ok(alias: str, words: list[Token], proper: bool = True) -> bool:
    """Acronyms match only in capitals ("US", not "us"); proper names need a capital first letter;
    common nouns (items, positions) match in any case."""
    letters = [c for c in alias if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return all(w.text.upper() == w.text for w in words if any(c.isalpha() for c in w.text))
    if proper and alias[:1].isupper():
        return words[0].text[:1].isupper()
    return True
