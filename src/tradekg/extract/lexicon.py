"""Load the event frames (one YAML file per event kind) and the shared cues, and check their shape.

A frame names lemmas, not inflected strings, and where the event's arguments sit in the dependency parse
(see docs/extract.md, "Frames"). The kinds themselves come from the ontology (:mod:`tradekg.kinds`): a file
whose ``type`` is not a ``tk:Event`` subclass is refused, and a new class needs no Python edit here.

Users extend the extractor by adding YAML files to a folder and passing it as ``lexicon_dirs``; a file with
the same ``type`` as a packaged one adds frames to it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import InputError
from .tokens import normalize, token_key, tokenize

PACKAGED = Path(__file__).with_name("lexicons")
_FRAME_KEYS = {"verbs", "nouns", "adjectives", "objects", "subjects", "light", "standalone", "context",
               "notContext", "addressee", "agent", "confidence", "future", "particles", "notObjects",
               "governors", "speech", "requireAgent", "comment", "needsClause"}
_SLOTS = {"object", "dative", "ccomp", "xcomp-object", "poss", "amod", "by", "subject", "compound"}
_FUTURES = {"stays", "commitment", "drop", "only"}


def keys_of(phrase: str) -> tuple[str, ...]:
    """Token keys of a phrase, as matched against text by the mention and attribution finders."""
    return tuple(token_key(t.text) for t in tokenize(normalize(str(phrase))))


def event_types() -> tuple[str, ...]:
    """The event kinds, from the ontology (every ``tk:Event`` subclass)."""
    from ..kinds import event_kinds

    return tuple(event_kinds())


@dataclass(frozen=True)
class Frame:
    """One way an event kind is said: trigger lemmas and where its arguments sit in the parse."""

    type: str
    verbs: dict[str, tuple[str, ...]]  # lemma -> particles that must follow ("call on": on)
    nouns: dict[str, tuple[str, ...]]  # lemma -> compound words that must precede ("phone call": phone)
    adjectives: frozenset[str]
    objects: frozenset[str] = frozenset()  # lemmas (or @class) the object must have
    not_objects: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()  # lemmas (or @class) the subject must have (intransitives)
    light: frozenset[str] = frozenset()  # verbs that make a noun trigger an event ("make a request")
    governors: frozenset[str] = frozenset()  # verbs a noun trigger must hang from ("after relaunching talks")
    standalone: bool = False  # a noun trigger that is an event with its own arguments ("talks with X")
    context: frozenset[str] = frozenset()  # one of these lemmas (or @class) must be in the clause
    not_context: frozenset[str] = frozenset()
    addressee: tuple[str, ...] = ("object",)
    agent: tuple[str, ...] = ("subject",)
    future: str = "commitment"  # what "will"/"intend to" makes of it: commitment | stays | drop | only
    speech: bool = False  # a speech or attitude act: dropped when its content is another event
    require_agent: bool = False
    needs_clause: bool = False  # a noun trigger needs a "to"-clause ("a commitment to maintain")
    confidence: float = 0.7


@dataclass
class EventLexicon:
    """The frames of one event kind."""

    type: str
    frames: list[Frame] = field(default_factory=list)

    @property
    def symmetric(self) -> bool:
        """True when every actor takes part alike (the ontology's tk:directedEdges false)."""
        from ..kinds import event_kinds

        return event_kinds()[self.type].symmetric

    @property
    def agent_role(self) -> str:
        """The YAML field of its agents (the shapes' agent property: requester, imposer ...)."""
        from ..kinds import event_kinds

        return event_kinds()[self.type].agent_role

    @property
    def addressee_role(self) -> str:
        """The YAML field of its addressees (addressee, recipient, target ...)."""
        from ..kinds import event_kinds

        return event_kinds()[self.type].addressee_role


@dataclass
class Lexicons:
    """Every lexicon: frames by kind, frame indexes by lemma, and the shared cues."""

    events: dict[str, EventLexicon]
    by_verb: dict[str, list[Frame]]
    by_noun: dict[str, list[Frame]]
    by_adjective: dict[str, list[Frame]]
    cues: dict
    classes: dict[str, frozenset[str]]  # @class name -> lemmas (cues' wordClasses)
    candidates: dict[tuple[str, str, str], list[Frame]] = field(default_factory=dict)  # triggers.py's cache

    def matches(self, lemma: str, allowed: frozenset[str]) -> bool:
        """True when ``lemma`` is in ``allowed``, directly or through an ``@class`` entry."""
        forms = {lemma, lemma[:-1]} if lemma.endswith("s") and len(lemma) > 3 else {lemma}
        if forms & allowed:
            return True
        return any(a.startswith("@") and forms & self.classes.get(a[1:], frozenset()) for a in allowed)


def _fail(path: Path, msg: str) -> InputError:
    return InputError(msg, path=path)


def _words(path: Path, value, fld: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, f"field '{fld}' must be a list of non-empty strings")
    return [" ".join(v.lower().split()) for v in value]


def _heads(words: list[str], last: bool) -> dict[str, tuple[str, ...]]:
    """"call on" -> {call: (on,)} for verbs (head first); "phone call" -> {call: (phone,)} for nouns."""
    out: dict[str, tuple[str, ...]] = {}
    for w in words:
        parts = w.split()
        head, rest = (parts[-1], tuple(parts[:-1])) if last else (parts[0], tuple(parts[1:]))
        out.setdefault(f"{head}|{' '.join(rest)}", rest)
    return out


def _frame(path: Path, etype: str, n: int, raw) -> Frame:
    where = f"frames[{n}]"
    if not isinstance(raw, dict):
        raise _fail(path, f"{where} must be a mapping with 'verbs', 'nouns' or 'adjectives'")
    unknown = set(raw) - _FRAME_KEYS
    if unknown:
        raise _fail(path, f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    verbs = _heads(_words(path, raw.get("verbs"), f"{where}.verbs"), last=False)
    nouns = _heads(_words(path, raw.get("nouns"), f"{where}.nouns"), last=True)
    adjectives = frozenset(_words(path, raw.get("adjectives"), f"{where}.adjectives"))
    if not (verbs or nouns or adjectives):
        raise _fail(path, f"{where} must list at least one of verbs, nouns or adjectives")
    conf = raw.get("confidence", 0.7)
    if not isinstance(conf, (int, float)) or not 0 < conf <= 1:
        raise _fail(path, f"{where}.confidence must be a number in (0, 1], not {conf!r}")
    slots = {}
    for key, default in (("addressee", ["object"]), ("agent", ["subject"])):
        vals = _words(path, raw.get(key, default), f"{where}.{key}")
        bad = [v for v in vals if v not in _SLOTS and not re.fullmatch(r"[a-z]+", v)]
        if bad:
            raise _fail(path, f"{where}.{key}: {bad[0]!r} is not a slot; use a preposition (with, to, of ...) "
                              f"or one of {', '.join(sorted(_SLOTS))}")
        slots[key] = tuple(vals)
    future = raw.get("future", "commitment")
    if future not in _FUTURES:
        raise _fail(path, f"{where}.future must be one of {', '.join(sorted(_FUTURES))}, not {future!r}")
    return Frame(
        type=etype, verbs=verbs, nouns=nouns, adjectives=adjectives,
        objects=frozenset(_words(path, raw.get("objects"), f"{where}.objects")),
        not_objects=frozenset(_words(path, raw.get("notObjects"), f"{where}.notObjects")),
        subjects=frozenset(_words(path, raw.get("subjects"), f"{where}.subjects")),
        light=frozenset(_words(path, raw.get("light"), f"{where}.light")),
        governors=frozenset(_words(path, raw.get("governors"), f"{where}.governors")),
        standalone=bool(raw.get("standalone", False)),
        context=frozenset(_words(path, raw.get("context"), f"{where}.context")),
        not_context=frozenset(_words(path, raw.get("notContext"), f"{where}.notContext")),
        addressee=slots["addressee"], agent=slots["agent"], future=future,
        speech=bool(raw.get("speech", False)), require_agent=bool(raw.get("requireAgent", False)),
        needs_clause=bool(raw.get("needsClause", False)),
        confidence=float(conf),
    )


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false, so word lists may hold "on", "no", "yes"."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
for _ch in "tTfF":
    _Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list(_ch))


def _read(path: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, f"cannot read lexicon: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=path,
                         line=mark.line + 1 if mark else None) from None


@functools.lru_cache(maxsize=8)
def load_lexicons(extra_dirs: tuple[Path, ...] = ()) -> Lexicons:
    """The packaged lexicons plus every ``*.yaml`` in ``extra_dirs`` (cached per folder tuple).

    >>> lex = load_lexicons()
    >>> sorted(f.type for f in lex.by_verb["urge"])
    ['Request']
    """
    kinds = event_types()
    events: dict[str, EventLexicon] = {}
    cues: dict = {}
    for folder in (PACKAGED, *extra_dirs):
        if not Path(folder).is_dir():
            raise InputError("lexicon folder not found", path=folder)
        for path in sorted(Path(folder).glob("*.yaml")):
            data = _read(path)
            if not isinstance(data, dict):
                raise _fail(path, "a lexicon must be a mapping with 'type' and 'frames' (or cue lists)")
            if "type" not in data:
                for k, v in data.items():  # cue file: lists and maps merge into the shared cues
                    if isinstance(v, list):
                        cues.setdefault(k, []).extend(v)
                    elif isinstance(v, dict):
                        cues.setdefault(k, {}).update(v)
                continue
            etype = data["type"]
            if etype not in kinds:
                raise _fail(path, f"type {etype!r} is not an event class of the ontology; use one of "
                                  f"{', '.join(kinds)}")
            frames = data.get("frames")
            if not isinstance(frames, list) or not frames:
                raise _fail(path, "field 'frames' must be a non-empty list")
            lex = events.setdefault(etype, EventLexicon(etype))
            lex.frames.extend(_frame(path, etype, n, f) for n, f in enumerate(frames))
    by_verb: dict[str, list[Frame]] = {}
    by_noun: dict[str, list[Frame]] = {}
    by_adj: dict[str, list[Frame]] = {}
    for lex in events.values():
        for fr in lex.frames:
            for key in fr.verbs:
                by_verb.setdefault(key.split("|")[0], []).append(fr)
            for key in fr.nouns:
                by_noun.setdefault(key.split("|")[0], []).append(fr)
            for adj in fr.adjectives:
                by_adj.setdefault(adj, []).append(fr)
    classes = {str(k): frozenset(" ".join(str(w).lower().split()) for w in v)
               for k, v in (cues.get("wordClasses") or {}).items()}
    return Lexicons(events, by_verb, by_noun, by_adj, cues, classes)
