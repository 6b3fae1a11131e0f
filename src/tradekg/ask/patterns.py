"""The question patterns (``ask_patterns.yaml``, data a user can extend) and the small caches of ``ask``."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tradekg.errors import InputError

PATTERNS_PATH = Path(__file__).resolve().parent.parent / "ask_patterns.yaml"
PATTERNS_ENV = "TRADEKG_ASK_PATTERNS"
CACHE_VERSION = 4  # bump when the label index or the patterns format changes: old caches are then ignored
_PREFIXED = re.compile(r"^(tk|skos|schema|sem|prov|dcterms):[A-Za-z][A-Za-z0-9_]*$")


@dataclass
class Intent:
    """One kind of question: its named query, weighted trigger patterns and how roles map to parameters."""

    name: str
    query: str
    about: str
    example: str
    triggers: list[tuple[re.Pattern[str], int]]
    roles: dict[str, str]
    topic: str | None = None
    counterpart: dict[str, str] | None = None
    kinds: dict[str, list[str]] = field(default_factory=dict)
    #: The event kinds this intent's named query answers (its words are this intent's triggers, so the
    #: generic ``events`` reading leaves them alone).
    event_kinds: list[str] = field(default_factory=list)
    #: A generic intent (timeline, an actor's activity) gives way to a kind named as strongly.
    generic: bool = False


@dataclass
class Patterns:
    """The parsed ``ask_patterns.yaml``."""

    intents: list[Intent]
    preambles: list[re.Pattern[str]]
    be_verbs: frozenset[str]
    receive_verbs: frozenset[str]
    ordinals: dict[str, int]
    event_kinds: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Words a question may use that name no kind, actor or filter ("much", "happen", "countries"): a word
    #: outside every list of the file and every name in the store is not understood, and ask says so.
    understood: frozenset[str] = frozenset()


def _compile(rx: str, path: Path, where: str) -> re.Pattern[str]:
    try:
        return re.compile(rx)
    except re.error as err:
        raise InputError(f"{where}: bad regular expression {rx!r}: {err}", path=path) from None


def cache_dir() -> Path:
    """Where ``ask`` keeps its caches: ``$TRADEKG_CACHE``, else ``$XDG_CACHE_HOME/tradekg`` or ``~/.cache/tradekg``."""
    if os.environ.get("TRADEKG_CACHE"):
        return Path(os.environ["TRADEKG_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tradekg"


def _read_cache(name: str) -> Any:
    try:
        return json.loads((cache_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_cache(name: str, data: Any) -> None:
    """Best effort: a cache that cannot be written (read-only home) only costs time."""
    d = cache_dir()
    try:
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{name}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, d / name)
    except OSError:
        pass


def _patterns_data(path: Path) -> dict[str, Any]:
    """The YAML file as data; parsed once per content (PyYAML's import alone costs ~30 ms at each start)."""
    import hashlib

    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read question patterns: {err.strerror}", path=path) from None
    digest = hashlib.sha256(raw).hexdigest()[:32]
    name = f"ask-patterns-{CACHE_VERSION}-{digest}.json"
    data = _read_cache(name)
    if isinstance(data, dict):
        return data
    import yaml

    try:
        data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputError(f"cannot read question patterns: {err}", path=path) from None
    if isinstance(data, dict):
        _write_cache(name, data)
    return data


@cache
def _load_patterns_cached(path: str, mtime_ns: int) -> Patterns:
    p = Path(path)
    data = _patterns_data(p)
    if not isinstance(data, dict) or not isinstance(data.get("intents"), list):
        raise InputError("question patterns need an 'intents' list", path=p)
    intents = []
    for i, spec in enumerate(data["intents"]):
        where = f"intents[{i}]"
        if not isinstance(spec, dict) or not spec.get("name") or not spec.get("query"):
            raise InputError(f"{where}: an intent needs 'name' and 'query'", path=p)
        triggers = [
            (_compile(rx, p, f"{where}.{key}"), weight)
            for key, weight in (("strong", 3), ("triggers", 2), ("weak", 1))
            for rx in spec.get(key) or []
        ]
        cp = spec.get("counterpart")
        if cp and not all(_PREFIXED.match(str(cp.get(k, ""))) for k in ("class", "agent", "addressee")):
            raise InputError(f"{where}.counterpart: class, agent and addressee must be names like tk:Request",
                             path=p)
        intents.append(Intent(
            name=str(spec["name"]), query=str(spec["query"]), about=str(spec.get("about", "")),
            example=str(spec.get("example", "")), triggers=triggers, roles=dict(spec.get("roles") or {}),
            topic=spec.get("topic"), counterpart=cp, kinds=dict(spec.get("kinds") or {}),
            event_kinds=[str(k) for k in spec.get("event_kinds") or ()], generic=bool(spec.get("generic")),
        ))
    kinds = data.get("event_kinds") or {}
    if not isinstance(kinds, dict) or not all(isinstance(v, dict) for v in kinds.values()):
        raise InputError("event_kinds: a mapping of kind name to {nouns: [...], verbs: [...], weak: [...]}", path=p)
    return Patterns(
        intents=intents,
        preambles=[_compile(rx, p, "preambles") for rx in data.get("preambles") or []],
        be_verbs=frozenset(data.get("be_verbs") or ()),
        receive_verbs=frozenset(data.get("receive_verbs") or ()),
        ordinals={str(k): int(v) for k, v in (data.get("ordinals") or {}).items()},
        event_kinds={str(k): dict(v) for k, v in kinds.items()},
        understood=frozenset(str(w).lower() for w in data.get("understood") or ()),
    )


def load_patterns(path: str | os.PathLike[str] | None = None) -> Patterns:
    """The question patterns: ``path``, else ``$TRADEKG_ASK_PATTERNS``, else the packaged file."""
    p = Path(path or os.environ.get(PATTERNS_ENV) or PATTERNS_PATH)
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as err:
        raise InputError(f"cannot read question patterns: {err.strerror}", path=p) from None
    return _load_patterns_cached(str(p), mtime)

