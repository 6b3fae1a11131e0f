"""Load the trigger lexicons (one YAML file per event kind) and the shared cues, and check their shape.

Users extend the extractor by adding a YAML file to a folder and passing it as ``lexicon_dirs``; a file
with the same ``type`` as a packaged one adds triggers to it.
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
EVENT_TYPES = ("Meeting", "Call", "Visit", "Request", "Claim", "Complaint", "Gift", "Invitation",
               "Announcement", "Notification", "Agreement", "Commitment", "TariffAction", "Threat")
_TRIGGER_KEYS = {"forms", "pos", "addressee", "confidence", "requires", "minArgs", "notAfter", "notBefore",
                 "requiresAddressee", "places", "fillFromSentence", "noPassive"}


def keys_of(phrase: str) -> tuple[str, ...]:
    """Token keys of a phrase, as matched against text."""
    return tuple(token_key(t.text) for t in tokenize(normalize(str(phrase))))


@dataclass(frozen=True)
class Trigger:
    """One trigger entry: word forms and where its arguments sit."""

    type: str
    forms: tuple[tuple[str, ...], ...]
    pos: str
    addressee: tuple[str, ...]
    confidence: float
    requires: tuple[tuple[str, ...], ...] = ()
    min_args: int = 1
    not_after: frozenset[str] = frozenset()
    not_before: tuple[tuple[str, ...], ...] = ()
    requires_addressee: bool = False
    no_passive: bool = False  # "was promised" without "by": the subject is a thing, not an actor
    fill: bool = False  # symmetric kinds: take missing participants from the rest of the sentence
    places: str | None = None  # places after the trigger become: addressee | topic


@dataclass
class EventLexicon:
    """The triggers of one event kind and the YAML role names of its agents and addressees."""

    type: str
    agent_role: str
    addressee_role: str
    symmetric: bool
    triggers: list[Trigger] = field(default_factory=list)


@dataclass
class Lexicons:
    """Every lexicon: event kinds, trigger index by first token, and the shared cues."""

    events: dict[str, EventLexicon]
    by_first: dict[str, list[tuple[tuple[str, ...], Trigger]]]
    cues: dict


def _fail(path: Path, msg: str) -> InputError:
    return InputError(msg, path=path)


def _phrases(path: Path, value, fld: str) -> tuple[tuple[str, ...], ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, f"field '{fld}' must be a list of non-empty strings")
    return tuple(keys_of(v) for v in value)


def _trigger(path: Path, etype: str, n: int, raw) -> Trigger:
    where = f"triggers[{n}]"
    if not isinstance(raw, dict):
        raise _fail(path, f"{where} must be a mapping with 'forms'")
    unknown = set(raw) - _TRIGGER_KEYS
    if unknown:
        raise _fail(path, f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    forms = _phrases(path, raw.get("forms"), f"{where}.forms")
    if not forms:
        raise _fail(path, f"{where}.forms must list at least one word form")
    pos = raw.get("pos", "verb")
    if pos not in ("verb", "noun"):
        raise _fail(path, f"{where}.pos must be 'verb' or 'noun', not {pos!r}")
    conf = raw.get("confidence", 0.7)
    if not isinstance(conf, (int, float)) or not 0 < conf <= 1:
        raise _fail(path, f"{where}.confidence must be a number in (0, 1], not {conf!r}")
    addressee = raw.get("addressee", ["object"])
    if not isinstance(addressee, list) or not all(isinstance(a, str) for a in addressee):
        raise _fail(path, f"{where}.addressee must be a list of strings such as [object, with, to]")
    return Trigger(
        type=etype, forms=forms, pos=pos, addressee=tuple(a.lower() for a in addressee),
        confidence=float(conf), requires=_phrases(path, raw.get("requires"), f"{where}.requires"),
        min_args=int(raw.get("minArgs", 1)),
        not_after=frozenset(k for p in _phrases(path, raw.get("notAfter"), "notAfter") for k in p),
        not_before=_phrases(path, raw.get("notBefore"), f"{where}.notBefore"),
        requires_addressee=bool(raw.get("requiresAddressee", False)), places=_places(path, where, raw.get("places")),
        fill=bool(raw.get("fillFromSentence", False)), no_passive=bool(raw.get("noPassive", False)),
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


def _places(path: Path, where: str, value) -> str | None:
    if value not in (None, "addressee", "topic"):
        raise _fail(path, f"{where}.places must be 'addressee' or 'topic', not {value!r}")
    return value


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
    """The packaged lexicons plus every ``*.yaml`` in ``extra_dirs`` (cached per folder tuple)."""
    events: dict[str, EventLexicon] = {}
    cues: dict = {}
    for folder in (PACKAGED, *extra_dirs):
        if not Path(folder).is_dir():
            raise InputError("lexicon folder not found", path=folder)
        for path in sorted(Path(folder).glob("*.yaml")):
            data = _read(path)
            if not isinstance(data, dict):
                raise _fail(path, "a lexicon must be a mapping with 'type' and 'triggers' (or cue lists)")
            if "type" not in data:
                for k, v in data.items():  # cue file: lists and maps merge into the shared cues
                    if isinstance(v, list):
                        cues.setdefault(k, []).extend(v)
                    elif isinstance(v, dict):
                        cues.setdefault(k, {}).update(v)
                continue
            etype = data["type"]
            if etype not in EVENT_TYPES:
                raise _fail(path, f"type {etype!r} is not an event type; use one of {', '.join(EVENT_TYPES)}")
            triggers = data.get("triggers")
            if not isinstance(triggers, list) or not triggers:
                raise _fail(path, "field 'triggers' must be a non-empty list")
            lex = events.setdefault(etype, EventLexicon(
                etype, data.get("agentRole", "agent"), data.get("addresseeRole", "addressee"),
                bool(data.get("symmetric", False))))
            lex.triggers.extend(_trigger(path, etype, n, t) for n, t in enumerate(triggers))
    by_first: dict[str, list[tuple[tuple[str, ...], Trigger]]] = {}
    for lex in events.values():
        for trig in lex.triggers:
            for form in trig.forms:
                by_first.setdefault(form[0], []).append((form, trig))
    for lst in by_first.values():
        lst.sort(key=lambda ft: -len(ft[0]))  # longest form first
    return Lexicons(events, by_first, cues)
