"""Who a sentence's content comes from ("according to X", "X said", "the sources said"), and how sure it is
("reportedly", "alleged", "appears").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexicon import Lexicons, keys_of
from .model import Actor, Mention
from .tokens import Token


@dataclass
class Attribution:
    """Sources of one sentence: ``according`` applies to all of it; ``reported`` from a token onwards."""

    according: list[Actor] = field(default_factory=list)
    reported: list[tuple[int, Actor]] = field(default_factory=list)  # (token index of the verb, speaker)
    hedges: list[tuple[int, str]] = field(default_factory=list)  # (token index, cue as written)

    def sources_for(self, tok: int) -> list[Actor]:
        """Sources of something said at token ``tok``: "according to" ones and speakers before it."""
        out = list(self.according)
        for verb_tok, actor in self.reported:
            if verb_tok < tok and actor not in out:
                out.append(actor)
        return out

    def hedge_for(self, tok: int) -> str | None:
        """The hedge nearest before ``tok`` (or anywhere in the sentence if none comes before)."""
        before = [h for h in self.hedges if h[0] <= tok]
        if before:
            return before[-1][1]
        return self.hedges[0][1] if self.hedges else None


class AttributionFinder:
    """Finds attribution and hedge cues from the lexicon's phrase lists."""

    def __init__(self, lex: Lexicons):
        self.according = {keys_of(p) for p in lex.cues.get("accordingTo", [])}
        self.verbs = {keys_of(p) for p in lex.cues.get("reportingVerbs", [])} - self.according
        self.hedges = {keys_of(p) for p in lex.cues.get("hedges", [])}
        self.max_len = max((len(p) for p in self.according | self.verbs | self.hedges), default=1)
        self.first = {p[0] for p in self.according | self.verbs | self.hedges}

    def _at(self, keys: list[str], i: int, phrases: set) -> int:
        if keys[i] not in self.first:
            return 0
        for n in range(min(self.max_len, len(keys) - i), 0, -1):
            if tuple(keys[i:i + n]) in phrases:
                return n
        return 0

    def find(self, toks: list[Token], mentions: list[Mention]) -> Attribution:
        """Attribution of one sentence (its tokens and resolved mentions)."""
        keys = [t.key for t in toks]
        att = Attribution()
        actors = [m for m in mentions if m.referent is not None and m.referent.kind in
                  ("person", "country", "organization", "group")]
        for i in range(len(keys)):
            n = self._at(keys, i, self.according)
            if n:
                after = next((m for m in actors if m.tok_start >= i + n and m.tok_start <= i + n + 3), None)
                if after is not None and after.referent is not None and after.referent not in att.according:
                    att.according.append(after.referent)
                continue
            n = self._at(keys, i, self.verbs)
            if n:
                speaker = _speaker_before(actors, keys, i)
                if speaker is not None:
                    att.reported.append((i, speaker))
                continue
            n = self._at(keys, i, self.hedges)
            if n:
                att.hedges.append((i, " ".join(t.text for t in toks[i:i + n])))
        return att


def _speaker_before(actors: list[Mention], keys: list[str], verb: int) -> Actor | None:
    # The subject right before the verb, allowing adverbs ("The sources also said").
    for m in reversed(actors):
        if m.tok_end > verb:
            continue
        gap = keys[m.tok_end:verb]
        if len(gap) <= 2 and all(k.endswith("ly") or k in {"also", "later", "then", "has", "had", "have"}
                                 for k in gap):
            return m.referent
        return None
    return None
