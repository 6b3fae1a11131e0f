"""Answer questions in plain English by mapping them onto the named queries.

``answer_question(kg, "what did the US request of Japan?")`` reads the question in a small deterministic
pipeline (no model, no network):

1. **normalize**: fold typographic quotes and dashes, drop politeness ("can you tell me"), refuse text that
   reads as query syntax (braces, angle brackets, ``DROP ALL``);
2. **link names**: the longest alias match over the question against every label in the store (the
   gazetteer graph and the documents' own actors and concepts). A country also stands for its officials:
   the named queries expand it. A capitalized word that names nothing known is reported with the closest
   known names;
3. **intent**: the question patterns of ``ask_patterns.yaml`` (data a user can extend) score each intent;
4. **roles**: word order and the little words around the names ("by", "of", "from", passive voice) say who
   acts and who is acted upon, so "what did Japan request of the US" is not the US's requests;
5. **run**: the named query runs with the names bound as RDF terms (``tradekg.queries.bind``): the
   question's text never becomes query text. Rounds, dates, topics and a second participant that a query
   has no parameter for narrow its rows afterwards; that is recorded in ``Answer.bindings``.

It never invents rows: an answer's rows are the named query's rows, or none, and then the summary says so.
A question it cannot read raises :class:`NoAnswerError` (exit code 1) saying what it did not understand.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from tradekg.errors import InputError, TradekgError

PATTERNS_PATH = Path(__file__).with_name("ask_patterns.yaml")
PATTERNS_ENV = "TRADEKG_ASK_PATTERNS"
MAX_QUESTION_CHARS = 500
FORMATS = ("table", "json", "csv")
CACHE_VERSION = 3  # bump when the label index or the patterns format changes: old caches are then ignored

# IRIs as plain strings: importing tradekg.namespaces would pull in rdflib, which costs more than the
# whole answer (see benchmarks/bench_ask.py).
_TK = "https://w3id.org/tradekg/ontology#"
TKDOC_IRI = "https://w3id.org/tradekg/doc/"  # document-local things: tradekg.namespaces.TKDOC_IRI
_KIND_OF_CLASS = {
    f"{_TK}Actor": "actor", f"{_TK}Country": "country", f"{_TK}Person": "person",
    f"{_TK}Place": "place", f"{_TK}NegotiationRound": "round", f"{_TK}Negotiation": "negotiation",
    f"{_TK}TradeItem": "concept", f"{_TK}NonTariffBarrier": "concept", f"{_TK}Artifact": "concept",
    "http://www.w3.org/2004/02/skos/core#Concept": "concept",
    f"{_TK}Role": "skip", f"{_TK}Position": "skip",
}
_LABELS_QUERY = """
SELECT ?s ?l ?top WHERE {
  ?s skos:prefLabel|skos:altLabel|rdfs:label ?l .
  ?s a ?t . ?t rdfs:subClassOf* ?top .
  VALUES ?top { CLASSES }
}""".replace("CLASSES", " ".join(f"<{c}>" for c in _KIND_OF_CLASS))
_PREF_QUERY = "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l }"
_ROUNDS_QUERY = """
SELECT ?r ?n ?label WHERE {
  ?r a tk:NegotiationRound . OPTIONAL { ?r tk:roundNumber ?n }
  OPTIONAL { ?r skos:prefLabel|rdfs:label ?label }
}"""
_LATEST_DATE_QUERY = "SELECT (MAX(?d) AS ?latest) WHERE { ?e tk:date ?d }"
_COUNTERPART_QUERY = """
SELECT DISTINCT ?a ?b WHERE {
  %s
  ?e a %s ; %s ?a0 ; %s ?b0 .
  OPTIONAL { ?a0 tk:nationality|tk:affiliation ?ca . ?ca a tk:Country }
  OPTIONAL { ?b0 tk:nationality|tk:affiliation ?cb . ?cb a tk:Country }
  BIND(COALESCE(?ca, ?a0) AS ?a) BIND(COALESCE(?cb, ?b0) AS ?b)
} LIMIT 20"""
_PREFIXED = re.compile(r"^(tk|skos|schema|sem|prov|dcterms):[A-Za-z][A-Za-z0-9_]*$")

# Text that is query syntax, not English. The query is safe anyway (values are bound as terms); refusing
# says clearly that such text is not a question.
_SYNTAX = re.compile(
    r"[{}<>\\`|]|\b(?:DROP|CLEAR|INSERT|DELETE|LOAD|SELECT|CONSTRUCT|DESCRIBE|PREFIX|SERVICE|FILTER|UNION)\b"
    r"\s+(?:ALL|GRAPH|DATA|WHERE|DEFAULT|NAMED|SILENT|DISTINCT|\*|\?\w|<|\()"
    r"|\?\w+\s*\.\s*\?|;\s*(?:drop|clear|insert|delete|load|create|select)\b",
    re.IGNORECASE,
)
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
                       "«": '"', "»": '"', "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "\u00a0": " "})
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.&'\-][A-Za-z0-9]+)*\.?|'s\b|[^\sA-Za-z0-9]")
_STARTERS = frozenset("""what who whom whose which where when why how did does do is are was were has have had
can could would will should tell show list give please summarize summarise describe explain according in on
at during between after before since from for with by to of and or the a an any all each every i was""".split())
_LEADING = frozenset("what which who whom whose how where when why does did do is are was were has have had "
                     "the a an".split())
_AUX = frozenset("did does do has have had will would can could should".split())
_ARTICLES = frozenset({"the", "a", "an", "its", "their", "his", "her", "our"})
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())} | {"sept": 9})
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_FUNCTION_WORDS = frozenset("""the a an of to in on at by for from with and or but not no is are was were be been
being do does did has have had what who whom whose which where when why how that this these those it its they
them their he him his she her i me my we us our you your there then than so as any all each every some about
into over after before since between during would could should will can may might must also other others
just only up out if whether""".split())


class NoAnswerError(TradekgError):
    """The question could not be answered: not understood, an unknown name, or query syntax.

    ``reason`` is ``empty``, ``refused``, ``unknown_name``, ``not_understood`` or ``missing``;
    ``suggestions`` the closest known names or example questions. The CLI exits 1.
    """

    exit_code = 1

    def __init__(self, message: str, reason: str, suggestions: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.reason = reason
        self.suggestions = list(suggestions)


@dataclass
class Answer:
    """What ``ask`` found: a one-sentence summary, the rows (each with its article and evidence) and how.

    ``bindings`` maps each parameter (and each row filter: ``round``, ``from``, ``to``, ``with``...) to
    ``{"text": as written, "value": label, "iris": [...], "applied": "parameter" | "row filter"}``.
    ``sparql`` is the text of the query (or queries) that ran, values bound.
    """

    question: str
    summary: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    query: str | None = None
    bindings: dict[str, dict[str, Any]] = field(default_factory=dict)
    sparql: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """True when the answer has rows."""
        return bool(self.rows)

    def to_dict(self, *, with_sparql: bool = True) -> dict[str, Any]:
        """The answer as plain data (for JSON)."""
        data = asdict(self)
        if not with_sparql:
            data.pop("sparql")
        return data


# --- the patterns file ----------------------------------------------------------------------------------


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


@dataclass
class Patterns:
    """The parsed ``ask_patterns.yaml``."""

    intents: list[Intent]
    preambles: list[re.Pattern[str]]
    be_verbs: frozenset[str]
    receive_verbs: frozenset[str]
    ordinals: dict[str, int]


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
        ))
    return Patterns(
        intents=intents,
        preambles=[_compile(rx, p, "preambles") for rx in data.get("preambles") or []],
        be_verbs=frozenset(data.get("be_verbs") or ()),
        receive_verbs=frozenset(data.get("receive_verbs") or ()),
        ordinals={str(k): int(v) for k, v in (data.get("ordinals") or {}).items()},
    )


def load_patterns(path: str | os.PathLike[str] | None = None) -> Patterns:
    """The question patterns: ``path``, else ``$TRADEKG_ASK_PATTERNS``, else the packaged file."""
    p = Path(path or os.environ.get(PATTERNS_ENV) or PATTERNS_PATH)
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as err:
        raise InputError(f"cannot read question patterns: {err.strerror}", path=p) from None
    return _load_patterns_cached(str(p), mtime)


# --- tokens and the label index -------------------------------------------------------------------------


def fold(text: str) -> str:
    """Typographic quotes, dashes and accents folded; control characters become spaces.

    >>> fold("Japan’s “chief” negotiator – Šefčovič")
    'Japan\\'s "chief" negotiator - Sefcovic'
    """
    if text.isascii():
        return _ASCII_CONTROL.sub(" ", text)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Token:
    """A word of the question: ``norm`` is what is matched, ``orig`` what was written."""

    norm: str
    orig: str


def tokenize(text: str) -> list[Token]:
    """Words of ``text``: lower-cased, acronym dots dropped ("U.S." is "us"), "'s" split off, no punctuation.

    >>> [t.norm for t in tokenize("What did the U.S. ask of Japan's side?")]
    ['what', 'did', 'the', 'us', 'ask', 'of', 'japan', "'s", 'side']
    """
    out: list[Token] = []
    for m in _TOKEN.finditer(fold(text)):
        word = m.group()
        if not (word[0].isalnum() or word == "'s"):
            continue
        base, poss = (word[:-2], True) if word.lower().endswith("'s") and len(word) > 2 else (word, False)
        norm = base.lower()
        if "." in norm:
            norm = norm.replace(".", "")
        if norm:
            out.append(Token(norm, base.rstrip(".")))
        if poss:
            out.append(Token("'s", "'s"))
    return out


@dataclass
class Entity:
    """A labelled thing in the store: an actor, place, round, negotiation or concept."""

    iri: str
    label: str
    kind: str = "concept"
    country: bool = False
    keys: set[tuple[str, ...]] = field(default_factory=set)
    #: For a group of document-local things with the same labels (see LabelIndex): those labels, by which
    #: the group's IRIs are looked up when a question names it. Empty for a single thing.
    labels: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The label as it reads in a sentence: "the United States" when the store says so."""
        return f"the {self.label}" if ("the",) + _key(self.label) in self._the_keys else self.label

    _the_keys: set[tuple[str, ...]] = field(default_factory=set, repr=False)


@cache
def _key(label: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(label))


_KIND_RANK = {"actor": 0, "round": 1, "negotiation": 2, "place": 3, "concept": 4}
_DEMONYM_HEADS = frozenset({"side", "officials", "government", "negotiators", "delegation"})


_GROUPED_KINDS = frozenset({"actor", "concept", "place"})  # rounds and negotiations are matched by IRI
_GROUP = "urn:tradekg:same-labels:"


def _group_iri(same: tuple[Any, ...]) -> str:
    """A stable name for a group of document-local things with the same kind and labels."""
    import hashlib

    return _GROUP + hashlib.sha256(json.dumps(same).encode()).hexdigest()[:20]


class LabelIndex:
    """Every label and alias in the store, keyed by its tokens, for the longest-match name finder.

    Things of the gazetteer are one entity each. Document-local actors, places and concepts (an article's
    "US officials", its "a ceramic vase") are grouped: one entity per kind and set of labels, with an IRI
    under ``urn:tradekg:same-labels:``, which :func:`_terms` turns into the IRIs of all of them. So the
    index grows with the distinct names in the store, not with the number of articles.
    """

    def __init__(self, rows: Iterable[tuple[str, str, str]], pref: dict[str, str]) -> None:
        self.entities: dict[str, Entity] = {}
        self.keys: dict[tuple[str, ...], set[str]] = {}
        self.variant_keys: dict[tuple[str, ...], set[str]] = {}
        self.words: set[str] = set()
        kinds: dict[str, set[str]] = {}
        labels: dict[str, list[str]] = {}
        for iri, label, kind in rows:
            kinds.setdefault(iri, set()).add(kind)
            labels.setdefault(iri, []).append(label)
        groups: dict[tuple[Any, ...], Entity] = {}
        for iri, ks in kinds.items():
            for lab in labels[iri]:
                self.words.update(_key(lab))
            if "skip" in ks:
                continue
            kind = min((k for k in ks if k in _KIND_RANK), key=_KIND_RANK.get, default="concept")
            if ks & {"country", "person"}:
                kind = "actor"
            label = pref.get(iri) or min(labels[iri], key=len)
            if iri.startswith(TKDOC_IRI) and kind in _GROUPED_KINDS:
                # Every article has its own "US officials" and its own "a ceramic vase": 455k such IRIs on
                # 100k synthetic documents, under 150 distinct sets of labels. One entity stands for all
                # the things with the same labels and kind; its IRIs are looked up when a question names it.
                same = (kind, "country" in ks, label, tuple(sorted(set(labels[iri]))))
                if same in groups:
                    continue
                ent = groups[same] = Entity(_group_iri(same), label, kind, "country" in ks, labels=same[3])
            else:
                ent = Entity(iri, label, kind, "country" in ks)
            iri = ent.iri
            self.entities[iri] = ent
            for lab in ent.labels or labels[iri]:
                key = _key(lab)
                if key[:1] == ("the",):
                    ent._the_keys.add(key)
                    key = key[1:]
                if key:
                    ent.keys.add(key)
                    self.keys.setdefault(key, set()).add(iri)
        for iri, ent in self.entities.items():
            for key in list(ent.keys):
                last = key[-1]
                if len(last) >= 4 and last.isalpha():
                    other = last[:-1] if last.endswith("s") and not last.endswith("ss") else last + "s"
                    self.variant_keys.setdefault(key[:-1] + (other,), set()).add(iri)
                # "the Japanese", "the Americans": the first word of "Japanese side/officials/government".
                if ent.country and len(key) == 2 and key[1] in _DEMONYM_HEADS:
                    for w in (key[0], key[0] + "s"):
                        if (w,) not in self.keys and w not in ("us", "uss"):
                            self.variant_keys.setdefault((w,), set()).add(iri)
        self.max_len = max((len(k) for k in self.keys), default=1)

    def to_data(self) -> dict[str, Any]:
        """The index as JSON-ready data (for the cache)."""
        return {
            "entities": [[e.iri, e.label, e.kind, e.country, [list(k) for k in e.keys],
                          [list(k) for k in e._the_keys], list(e.labels)] for e in self.entities.values()],
            "variants": [[list(k), sorted(v)] for k, v in self.variant_keys.items()],
            "words": sorted(self.words),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> LabelIndex:
        """Inverse of :meth:`to_data`."""
        index = cls([], {})
        for iri, label, kind, country, keys, the_keys, group_labels in data["entities"]:
            ent = Entity(iri, label, kind, bool(country), {tuple(k) for k in keys}, tuple(group_labels))
            ent._the_keys = {tuple(k) for k in the_keys}
            index.entities[iri] = ent
            for k in ent.keys:
                index.keys.setdefault(k, set()).add(iri)
        index.variant_keys = {tuple(k): set(v) for k, v in data["variants"]}
        index.words = set(data["words"])
        index.max_len = max((len(k) for k in index.keys), default=1)
        return index

    def lookup(self, key: tuple[str, ...]) -> set[str]:
        """The IRIs a token sequence names (exact labels first, then plural/singular and demonyms)."""
        return self.keys.get(key) or self.variant_keys.get(key) or set()

    def closest(self, word: str, n: int = 3) -> list[str]:
        """The known names closest to ``word`` (difflib over labels, aliases and their words)."""
        w = word.lower()
        full: dict[str, str] = {}
        parts: dict[str, str] = {}
        for key, iris in self.keys.items():
            ents = [self.entities[i] for i in sorted(iris)]
            if not any(e.kind in ("actor", "place", "concept", "round") for e in ents):
                continue
            full[" ".join(key)] = ents[0].label
            for part in key:
                if len(part) > 3:
                    parts.setdefault(part, ents[0].label)
        cands = {**parts, **full}  # a word that is a whole alias names that entry
        out: list[str] = []
        for m in difflib.get_close_matches(w, list(cands), n=12, cutoff=0.6):
            if cands[m] not in out:
                out.append(cands[m])
        return out[:n]


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_LABEL_PREDICATES = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel",
                     "http://www.w3.org/2000/01/rdf-schema#label")


def _english(lab: Any) -> bool:
    return lab.language in (None, "") or lab.language.startswith("en")


def _scan_labels(store: Any) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """What ``_LABELS_QUERY`` and ``_PREF_QUERY`` give, read by scanning the store's indexes directly.

    Why: the query joins every label triple to its subject's types and the class hierarchy, about 120 us
    a row, 148 s on 100k documents; here each label predicate and each class's members are one index scan,
    joined in a dict (7.0 -> 5.5 s on 10k documents against 11.5 s for the queries; reading a quad back
    costs pyoxigraph about 20 us, its terms' strings being looked up one by one).
    """
    import pyoxigraph as ox

    supers: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(_SUBCLASS_OF), None):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            supers.setdefault(q.subject.value, set()).add(q.object.value)

    def tops(cls: str) -> set[str]:  # the _KIND_OF_CLASS classes that cls is a subclass* of
        seen, todo = {cls}, [cls]
        while todo:
            for up in supers.get(todo.pop(), ()):
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        return seen & _KIND_OF_CLASS.keys()

    kinds_of: dict[str, set[str]] = {}
    for cls in sorted(set(supers) | set(_KIND_OF_CLASS)):
        found = tops(cls)
        if not found:
            continue
        for q in store.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(cls)):
            if isinstance(q.subject, ox.NamedNode) and not q.subject.value.startswith(_TK):
                kinds_of.setdefault(q.subject.value, set()).update(found)
    rows: list[tuple[str, str, str]] = []
    seen_rows: set[tuple[str, str, str]] = set()
    pref: dict[str, str] = {}
    for predicate in _LABEL_PREDICATES:
        for q in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
            s, lab = q.subject.value, q.object
            if not (isinstance(lab, ox.Literal) and _english(lab)) or isinstance(q.subject, ox.BlankNode):
                continue
            if predicate == _LABEL_PREDICATES[0]:
                pref.setdefault(s, lab.value)
            for top in kinds_of.get(s, ()):
                row = (s, lab.value, _KIND_OF_CLASS[top])
                if row not in seen_rows:  # a label repeated in several graphs counts once
                    seen_rows.add(row)
                    rows.append(row)
    return rows, pref


def _build_index(backend: Any) -> LabelIndex:
    import pyoxigraph as ox

    from tradekg.store import OxigraphBackend

    if isinstance(backend, OxigraphBackend):
        return LabelIndex(*_scan_labels(backend.store))
    rows = []
    for r in backend.query(_LABELS_QUERY).rows:
        s, lab, top = r.get("s"), r.get("l"), r.get("top")
        # The ontology's own individuals (tk:Reported, tk:Exceeded...) are vocabulary, not things asked about.
        if isinstance(s, ox.NamedNode) and isinstance(lab, ox.Literal) and top is not None \
                and not s.value.startswith(_TK):
            if lab.language in (None, "", "en") or lab.language.startswith("en"):
                rows.append((s.value, lab.value, _KIND_OF_CLASS.get(top.value, "concept")))
    pref = {}
    for r in backend.query(_PREF_QUERY).rows:
        s, lab = r.get("s"), r.get("l")
        if isinstance(s, ox.NamedNode) and isinstance(lab, ox.Literal) and (lab.language or "en").startswith("en"):
            pref.setdefault(s.value, lab.value)
    return LabelIndex(rows, pref)


def _store_signature(location: str) -> str | None:
    """A digest of an on-disk store's files (names, sizes, times): any write changes it. None if remote.

    Opening a store read-only writes nothing, so readers do not invalidate it; a writer's LOG files are left
    out for the same reason.
    """
    import hashlib

    p = Path(location)
    if not (p / "CURRENT").is_file():
        return None
    try:
        parts = sorted(
            f"{e.name}:{st.st_size}:{st.st_mtime_ns}"
            for e in os.scandir(p) if not e.name.startswith(("LOG", "LOCK")) and e.is_file()
            for st in (e.stat(),)
        )
    except OSError:
        return None
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def label_index(kg: Any, backend: Any) -> LabelIndex:
    """The store's label index, from the cache when the store has not changed since it was built."""
    import hashlib

    location = str(getattr(kg, "location", ""))
    sig = _store_signature(location) if location else None
    name = f"ask-index-{CACHE_VERSION}-{hashlib.sha256(os.path.abspath(location).encode()).hexdigest()[:24]}.json"
    if sig:
        data = _read_cache(name)
        if isinstance(data, dict) and data.get("signature") == sig:
            try:
                return LabelIndex.from_data(data)
            except (KeyError, TypeError, ValueError):
                pass
    index = _build_index(backend)
    if sig:
        _write_cache(name, {"signature": sig, **index.to_data()})
        _prune_index_caches(name, os.path.abspath(location))
    return index


_INDEX_STORES = "ask-index-stores.txt"  # "file name<TAB>store folder" per line, for pruning


def _prune_index_caches(written: str, location: str) -> None:
    """Remove the label-index files of older versions and of stores that no longer exist.

    Every store ever asked leaves one file (100 MB for a 100k-document store before entities were
    grouped), named by a hash of its path; a small list of which file belongs to which folder lets the
    next write find the ones whose store is gone. Best effort, like the cache itself.
    """
    d = cache_dir()
    listed: dict[str, str] = {}
    try:
        for line in (d / _INDEX_STORES).read_text(encoding="utf-8").splitlines():
            file, _, folder = line.partition("\t")
            listed[file] = folder
    except OSError:
        pass
    listed[written] = location
    try:
        for f in d.glob("ask-index-*.json"):
            folder = listed.get(f.name)
            old_version = not f.name.startswith(f"ask-index-{CACHE_VERSION}-")
            if old_version or (folder is not None and not (Path(folder) / "CURRENT").is_file()):
                f.unlink(missing_ok=True)
                listed.pop(f.name, None)
        listed = {k: v for k, v in listed.items() if (d / k).is_file()}
        tmp = d / f".{_INDEX_STORES}.{os.getpid()}.tmp"
        tmp.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(listed.items())), encoding="utf-8")
        os.replace(tmp, d / _INDEX_STORES)
    except OSError:
        pass


# --- reading the question -------------------------------------------------------------------------------


@dataclass
class Mention:
    """A name found in the question: token span, the IRIs it names, and its role once known."""

    start: int
    end: int
    text: str
    iris: list[str]
    kind: str
    marker: str = ""
    role: str = ""


@dataclass
class Reading:
    """Everything the pipeline understood about a question."""

    text: str
    tokens: list[Token]
    mentions: list[Mention]
    masked: str
    offsets: list[int]            # char offset of each masked token in ``masked``
    slots: list[int]              # masked token index -> index of the first original token
    intent: Intent | None = None
    trigger_at: int | None = None  # original token index of the intent's trigger


def _normalize(question: str, patterns: Patterns) -> str:
    if not isinstance(question, str) or not question.strip():
        raise NoAnswerError(
            "The question is empty. Ask in plain English, for example: " + _examples(patterns, 3), "empty",
            [i.example for i in patterns.intents if i.example],
        )
    if len(question) > MAX_QUESTION_CHARS:
        raise NoAnswerError(
            f"The question is too long ({len(question)} characters; at most {MAX_QUESTION_CHARS}). "
            "Ask one thing at a time.", "refused")
    text = fold(question)
    m = _SYNTAX.search(text)
    if m:
        raise NoAnswerError(
            f"I did not understand the question: {m.group().strip()!r} reads as query syntax, not English, "
            "and ask only answers questions in words. (To run SPARQL, use `tradekg sparql`.) "
            "For example: " + _examples(patterns, 2), "refused",
        )
    text = " ".join(text.split())
    for rx in patterns.preambles:
        text = rx.sub(" ", text, count=1) if rx.pattern.startswith("^") else rx.sub(" ", text)
        text = text.strip(" ,")
    return text


def _examples(patterns: Patterns, n: int) -> str:
    first = ("requests", "meetings", "claims", "timeline")
    ranked = sorted(patterns.intents, key=lambda i: first.index(i.query) if i.query in first else len(first))
    return "; ".join(f'"{i.example}"' for i in ranked[:n] if i.example)


def _find_mentions(tokens: list[Token], index: LabelIndex, all_lower: bool) -> list[Mention]:
    out: list[Mention] = []
    i, n = 0, len(tokens)
    while i < n:
        for length in range(min(index.max_len, n - i), 0, -1):
            key = tuple(t.norm for t in tokens[i:i + length])
            if key == ("'s",) or (length == 1 and key[0] in _FUNCTION_WORDS and key[0] != "us"):
                continue
            iris = index.lookup(key)
            if not iris:
                continue
            # "us" written in lower case is the pronoun ("tell us"), unless the whole question is lower case
            # or it reads "the us".
            if key == ("us",) and tokens[i].orig == "us" and not all_lower and (
                    i == 0 or tokens[i - 1].norm != "the"):
                continue
            ents = [index.entities[x] for x in sorted(iris)]
            kind = min((e.kind for e in ents), key=lambda k: _KIND_RANK.get(k, 9))
            text = " ".join(t.orig for t in tokens[i:i + length])
            out.append(Mention(i, i + length, text, [e.iri for e in ents if e.kind == kind], kind))
            i += length
            break
        else:
            i += 1
    return out


def _mask(tokens: list[Token], mentions: list[Mention]) -> tuple[str, list[int], list[int]]:
    parts: list[str] = []
    slots: list[int] = []
    by_start = {m.start: (k, m) for k, m in enumerate(mentions)}
    i = 0
    while i < len(tokens):
        if i in by_start:
            k, m = by_start[i]
            parts.append(f"@{m.kind[0]}{k}")
            slots.append(i)
            i = m.end
        else:
            parts.append(tokens[i].norm)
            slots.append(i)
            i += 1
    offsets, pos = [], 0
    for p in parts:
        offsets.append(pos)
        pos += len(p) + 1
    return " ".join(parts), offsets, slots


def _unknown_names(tokens: list[Token], mentions: list[Mention], index: LabelIndex, patterns: Patterns) -> list[str]:
    """Capitalized words that name nothing in the store.

    Not names: words of any known label, question and function words, months and days, and words the
    question patterns know ("Round", "Timeline"). A question in Title Case (a capitalized "Of", "The") is
    not checked.
    """
    covered = {i for m in mentions for i in range(m.start, m.end)}
    if any(t.orig[:1].isupper() and t.norm in _FUNCTION_WORDS for i, t in enumerate(tokens) if i > 0):
        return []
    unknown: list[str] = []
    last = -2
    for i, t in enumerate(tokens):
        if i in covered or not t.orig[:1].isupper() or t.norm in index.words or t.norm in _FUNCTION_WORDS:
            continue
        if t.norm in _STARTERS or t.norm in _MONTHS or t.norm in _DAYS or t.norm in patterns.ordinals:
            continue
        # Every sentence starts with a capital: the first word is a name only when it reads as one.
        if i == 0 and len(tokens) > 2 and tokens[1].norm != "'s" and not tokens[1].orig[:1].isupper():
            continue
        if any(rx.search(t.norm) for intent in patterns.intents for rx, _ in intent.triggers):
            continue
        if last == i - 1:
            unknown[-1] += " " + t.orig  # a run of capitalized words is one name ("Emmanuel Macron")
        else:
            unknown.append(t.orig)
        last = i
    return unknown


def _slot_unknowns(reading: Reading, index: LabelIndex, patterns: Patterns, unfilled: set[str]) -> list[str]:
    """Lower-case words standing where a missing name should be: "what did macron request of japan".

    Looked for only when a role is left unfilled: between the auxiliary and the verb for the one who acts,
    right after "of", "from", "by" or "with" past the verb for the one acted upon.
    """
    tokens, t = reading.tokens, reading.trigger_at
    covered = {i for m in reading.mentions for i in range(m.start, m.end)}

    def unexplained(j: int) -> bool:
        w = tokens[j].norm
        return (j not in covered and w.isalpha() and len(w) >= 3 and w not in _FUNCTION_WORDS
                and w not in _STARTERS and w not in _MONTHS and w not in _DAYS and w not in index.words
                and w not in patterns.ordinals and w not in patterns.be_verbs and w not in patterns.receive_verbs
                and not any(rx.search(w) for i in patterns.intents for rx, _ in i.triggers))

    out: list[str] = []
    if t is None:
        return out
    if unfilled & {"agent", "any"}:
        aux = max((j for j in range(t) if tokens[j].norm in _AUX), default=None)
        if aux is not None:
            out += [tokens[j].orig for j in range(aux + 1, t) if unexplained(j)]
    if unfilled & {"addressee", "any"}:
        out += [tokens[j].orig for j in range(t + 1, len(tokens))
                if tokens[j - 1].norm in ("of", "from", "by", "with") and unexplained(j)]
    return out


def _score(masked: str, patterns: Patterns) -> tuple[Intent | None, int | None]:
    best: tuple[int, int] = (0, 0)
    chosen: Intent | None = None
    where: int | None = None
    for rank, intent in enumerate(patterns.intents):
        score, first = 0, None
        for rx, weight in intent.triggers:
            m = rx.search(masked)
            if m:
                score += weight
                first = m.start() if first is None else min(first, m.start())
        if score > best[0]:
            best, chosen, where = (score, -rank), intent, first
    return chosen, where


def read_question(question: str, index: LabelIndex, patterns: Patterns) -> Reading:
    """Normalize the question, find its names and pick its intent (no store access besides ``index``)."""
    text = _normalize(question, patterns)
    tokens = tokenize(text)
    all_lower = not any(t.orig[:1].isupper() for t in tokens)
    mentions = _find_mentions(tokens, index, all_lower)
    unknown = _unknown_names(tokens, mentions, index, patterns)
    if unknown:
        name = unknown[0]
        close = index.closest(name)
        hint = f" Closest known names: {', '.join(close)}." if close else \
            " List the known actors with: tradekg ask \"who are the actors?\""
        others = f" (also unknown: {', '.join(unknown[1:])})" if len(unknown) > 1 else ""
        raise NoAnswerError(f"I do not know the name {name!r}{others} in this store.{hint}", "unknown_name",
                            close)
    masked, offsets, slots = _mask(tokens, mentions)
    intent, at = _score(masked, patterns)
    reading = Reading(text, tokens, mentions, masked, offsets, slots, intent)
    if at is not None:
        # The trigger is the verb or noun of the match, not the question words a pattern may start with
        # ("what does @a0 want": the trigger is "want").
        parts = masked.split(" ")
        k = max(j for j, off in enumerate(offsets) if off <= at)
        while k + 1 < len(parts) and (parts[k] in _LEADING or parts[k].startswith("@")):
            k += 1
        reading.trigger_at = slots[k]
    return reading


# --- roles ----------------------------------------------------------------------------------------------

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
    for m in actors:
        m.marker = _marker(tokens, m.start)
        after = t is not None and m.start > t
        if clause_at is not None and m.start > clause_at:
            m.role = "ignored"
        elif m.marker == "location":
            m.role = "ignored"
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


# --- dates and rounds -----------------------------------------------------------------------------------

_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_EXPR = re.compile(
    r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
    r"|\b(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?: of)? (?P<m1>MONTH)\b(?:,? (?P<y1>\d{4}))?"
    r"|\b(?P<m2>MONTH)(?: (?P<d2>\d{1,2})(?:st|nd|rd|th)?\b)?(?:,? (?:of )?(?P<y2>\d{4}))?"
    r"|\b(?P<y3>(?:19|20)\d{2})\b".replace("MONTH", _MONTH_RX)
)
_YEAR_AFTER = re.compile(
    r"\s+(?:and|to|-|until|till|through)\s+(?:MONTH)(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+(\d{4})\b".replace(
        "MONTH", _MONTH_RX))


def _year_after(low: str, end: int) -> str | None:
    """The year of a range written once at its end: "between April and May 2025"."""
    m = _YEAR_AFTER.match(low[end:])
    return m.group(1) if m else None


def _month_end(y: int, m: int) -> _dt.date:
    return (_dt.date(y + (m == 12), m % 12 + 1, 1)) - _dt.timedelta(days=1)


def date_range(text: str, latest: _dt.date | None) -> tuple[_dt.date | None, _dt.date | None, str]:
    """The dates a question limits itself to: ``(from, to, the words that said so)``.

    A month without a year is taken in the year of the latest event in the store (or the year before,
    when that month has not come yet by then).

    >>> date_range("what happened between april and may 2025", None)[:2]
    (datetime.date(2025, 4, 1), datetime.date(2025, 5, 31))
    >>> date_range("events after 16 April 2025", None)[:2]
    (datetime.date(2025, 4, 17), None)
    """
    low = text.lower()
    spans: list[tuple[int, int, _dt.date, _dt.date]] = []
    for m in _DATE_EXPR.finditer(low):
        g = m.groupdict()
        try:
            if g["iso"]:
                d = _dt.date.fromisoformat(g["iso"])
                spans.append((m.start(), m.end(), d, d))
                continue
            month = g["m1"] or g["m2"]
            if month:
                if month == "may" and not (g["d2"] or g["y2"]) and not re.search(
                        r"\b(?:in|since|before|after|until|till|between|and|from|to|of|during|early|late|mid)\s+$",
                        low[:m.start()]):
                    continue  # "may" the verb
                mo = _MONTHS[month]
                year_s = g["y1"] or g["y2"] or _year_after(low, m.end())
                if year_s:
                    year = int(year_s)
                elif spans:
                    year = spans[-1][2].year + (mo < spans[-1][2].month)  # "between November and February"
                else:
                    year = (latest or _dt.date.today()).year
                    if latest and mo > latest.month:
                        year -= 1
                day_s = g["d1"] or g["d2"]
                if day_s:
                    d = _dt.date(year, mo, int(day_s))
                    spans.append((m.start(), m.end(), d, d))
                else:
                    spans.append((m.start(), m.end(), _dt.date(year, mo, 1), _month_end(year, mo)))
            elif g["y3"]:
                y = int(g["y3"])
                spans.append((m.start(), m.end(), _dt.date(y, 1, 1), _dt.date(y, 12, 31)))
        except ValueError:
            raise NoAnswerError(f"I do not understand the date {m.group()!r}: there is no such day.",
                                "not_understood") from None
    if not spans:
        return None, None, ""
    words = " ".join(low[a:b] for a, b, _, _ in spans)
    before = low[:spans[0][0]]
    if len(spans) >= 2 and re.search(r"\b(?:between|from)\s+$", before):
        return spans[0][2], spans[1][3], words
    first = spans[0]
    if re.search(r"\bafter\s+$", before):
        return first[3] + _dt.timedelta(days=1), None, words
    if re.search(r"\b(?:since|from)\s+$", before):
        return first[2], None, words
    if re.search(r"\bbefore\s+$", before):
        return None, first[2] - _dt.timedelta(days=1), words
    if re.search(r"\b(?:until|till|through|up to|by)\s+$", before):
        return None, first[3], words
    return first[2], (spans[-1][3] if len(spans) >= 2 and re.search(r"\b(?:and|to|-)\s+$",
                                                                     low[first[1]:spans[1][0]]) else first[3]), words


_ROUND_RXS = (re.compile(r"\bround (?:number |no |#)?(?P<w>\w+)\b"), re.compile(r"\b(?P<w>\w+) round\b"))


def _round_number(text: str, patterns: Patterns) -> tuple[int | str | None, str]:
    matches = [m for rx in _ROUND_RXS for m in rx.finditer(text.lower())]
    for m in matches:
        word = m.group("w")
        if word in ("last", "latest", "final", "most recent", "recent"):
            return "last", m.group()
        w = re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", word)
        if w.isdigit():
            return int(w), m.group()
        if word in patterns.ordinals:
            return patterns.ordinals[word], m.group()
    return None, ""


# --- running --------------------------------------------------------------------------------------------


@dataclass
class _Run:
    params: dict[str, list[Any]]  # param -> pyoxigraph terms
    label: str = ""
    names: dict[str, str] = field(default_factory=dict)  # param -> how the summary names its value
    events: set[Any] = field(default_factory=set)


_GROUP_MEMBERS = """
SELECT DISTINCT ?s WHERE {
  VALUES ?l { %s }
  ?s skos:prefLabel|skos:altLabel|rdfs:label ?l .
  FILTER(STRSTARTS(STR(?s), "%s"))
}"""


def _terms(backend: Any, iris: Iterable[str], kind: str, index: LabelIndex) -> list[Any]:
    """The RDF terms for the IRIs of a mention: a gazetteer entity with its officials and bodies
    (``resolve_terms``), a group of document-local things (see :class:`LabelIndex`) as all its members."""
    import pyoxigraph as ox

    from tradekg.queries import resolve_terms

    out: dict[str, Any] = {}
    for iri in iris:
        ent = index.entities.get(iri)
        if ent is not None and ent.labels:
            values = " ".join(f"{ox.Literal(lab)} {ox.Literal(lab, language='en')}" for lab in ent.labels)
            for row in backend.query(_GROUP_MEMBERS % (values, TKDOC_IRI)).rows:
                if isinstance(row.get("s"), ox.NamedNode):
                    out[row["s"].value] = row["s"]
            continue
        for t in resolve_terms(backend, iri, kind):
            out[t.value] = t
    return [out[k] for k in sorted(out)]


def _rows(backend: Any, nq: Any, params: dict[str, list[Any]]) -> tuple[list[dict[str, Any]], str]:
    from tradekg.output import to_python
    from tradekg.queries import bind, run_bound

    # Run as `tradekg query` runs it (in two phases where the query declares them); the text returned, and
    # shown with the answer, is the same query in one piece, which any SPARQL tool can run.
    text = bind(nq, params)
    raw = run_bound(backend, text)
    return [{v: to_python(r.get(v)) for v in raw.variables} for r in raw.rows], text


def _contains_name(text: str, keys: set[tuple[str, ...]]) -> bool:
    toks = tuple(t.norm for t in tokenize(text or ""))
    return any(toks[i:i + len(k)] == k for k in keys for i in range(len(toks) - len(k) + 1))


def _overlap_words(text: str) -> set[str]:
    return {t.norm for t in tokenize(text) if t.norm not in _FUNCTION_WORDS and len(t.norm) > 2}


def answer_question(kg: Any, question: str, *, patterns: Patterns | None = None) -> Answer:
    """Answer an English question from the store behind ``kg`` (a :class:`tradekg.kg.KnowledgeGraph`).

    Raises :class:`NoAnswerError` when the question is empty, reads as query syntax, names someone the store
    does not know, or asks something no named query answers. A question that is understood but has no
    matching rows returns an Answer without rows whose summary says so.

    >>> answer_question(kg, "What did the US request of Japan?").summary     # doctest: +SKIP
    'The United States made 4 requests of Japan (2025-04-16), reported by multiple Japanese government sources.'
    """
    pats = patterns or load_patterns()
    _normalize(question, pats)  # empty and syntax checks come before the store is opened
    with kg.reader() as backend:
        index = label_index(kg, backend)
        if not index.entities:
            raise NoAnswerError("The store holds no labelled actors yet: ingest documents first "
                                "(tradekg ingest seeds/).", "not_understood")
        reading = read_question(question, index, pats)
        return _answer(kg, backend, index, reading, pats, question)


def _not_understood(reading: Reading, pats: Patterns) -> NoAnswerError:
    kinds = "\n".join(f"  - {i.about}: \"{i.example}\"" for i in pats.intents if i.example)
    names = ", ".join(m.text for m in reading.mentions)
    heard = f" I recognized {names}, but not what you want to know about them." if names else ""
    return NoAnswerError(
        f"I did not understand the question {reading.text!r}.{heard} I can answer questions like:\n{kinds}",
        "not_understood", [i.example for i in pats.intents if i.example])


def _answer(kg: Any, backend: Any, index: LabelIndex, reading: Reading, pats: Patterns, question: str) -> Answer:
    intent = reading.intent
    rnum, rwords = _round_number(reading.text, pats)
    round_mentions = [m for m in reading.mentions if m.kind == "round"]
    latest = None
    for r in backend.query(_LATEST_DATE_QUERY).rows:
        v = r.get("latest")
        if v is not None:
            try:
                latest = _dt.date.fromisoformat(v.value[:10])
            except ValueError:
                pass
    d_from, d_to, d_words = date_range(reading.text, latest)
    if intent is None:
        if rnum is not None or round_mentions or d_from or d_to:
            intent = next((i for i in pats.intents if i.query == "timeline"), None)
        elif reading.mentions and len(reading.tokens) - sum(m.end - m.start for m in reading.mentions) <= 2:
            intent = next((i for i in pats.intents if i.query == "actors"), None)  # just a name: who is it
    if intent is None:
        raise _not_understood(reading, pats)
    try:
        nq = kg.named_query(intent.query)
    except TradekgError:
        raise NoAnswerError(
            f"I understood a question about {intent.about}, but this installation has no named query "
            f"{intent.query!r} to answer it.", "not_understood") from None
    declared = {p.name: p for p in nq.params}
    answer = Answer(question=question, summary="", query=nq.name)
    actors = assign_roles(reading, pats)
    by_role: dict[str, list[Mention]] = {}
    for m in actors:
        by_role.setdefault(m.role, []).append(m)

    # Bind names to parameters through the intent's roles.
    params: dict[str, list[Any]] = {}
    bound_mentions: dict[str, list[Mention]] = {}
    extra_actors: list[Mention] = []     # a second participant, etc.: narrows rows afterwards
    text_filters: list[Mention] = []     # names a statement's summary must contain (sources)
    if "any" in intent.roles and intent.query != "sources":
        usable = [m for m in actors if m.role not in ("ignored",)]
        pname = intent.roles["any"]
        if usable and pname in declared:
            bound_mentions[pname] = usable[:1]
            extra_actors = usable[1:]
    elif intent.query == "sources":
        pname = intent.roles.get("any", "source")
        marked = [m for m in actors if m.role == "source" or m.marker in ("by", "from")]
        if marked and pname in declared:
            bound_mentions[pname] = marked[:1]
        text_filters = [m for m in actors if m not in marked and m.role != "ignored"]
    else:
        for role in ("agent", "addressee"):
            pname = intent.roles.get(role)
            ms = by_role.get(role, [])
            if pname and ms and pname in declared:
                bound_mentions[pname] = ms[:1]
                extra_actors += ms[1:]
    unfilled = {role for role, pname in intent.roles.items()
                if pname in declared and pname not in bound_mentions}
    if unfilled:
        odd = _slot_unknowns(reading, index, pats, unfilled)
        if odd:
            close = index.closest(odd[0])
            hint = f" Closest known names: {', '.join(close)}." if close else ""
            raise NoAnswerError(f"I do not know the name {odd[0]!r} in this store.{hint}", "unknown_name", close)
    for pname, ms in bound_mentions.items():
        iris = [i for m in ms for i in m.iris]
        params[pname] = _terms(backend, iris, declared[pname].kind, index)
        answer.bindings[pname] = {
            "text": ms[0].text, "value": index.entities[iris[0]].label, "iris": [t.value for t in params[pname]],
            "applied": "parameter"}

    concepts = [m for m in reading.mentions if m.kind == "concept"]
    topic_runs: list[Mention] = []
    if concepts:
        if intent.topic and intent.topic in declared:
            topic_runs = concepts
        elif intent.query == "sources":
            text_filters += concepts
        elif intent.query != "claims":  # a claim is narrowed by the words of its content instead
            answer.notes.append(
                f"The {nq.name} query cannot be narrowed by topic; {', '.join(m.text for m in concepts)!s} "
                "was read but not used as a filter.")

    # Dates: the query's own parameters when it has them, else a row filter on the date column.
    date_filter = None
    if d_from or d_to:
        if "from" in declared or "to" in declared:
            for pname, d in (("from", d_from), ("to", d_to)):
                if d and pname in declared:
                    from tradekg.queries import literal_for

                    params[pname] = [literal_for(d.isoformat(), "date", pname)]
                    answer.bindings[pname] = {"text": d_words, "value": d.isoformat(), "iris": [],
                                              "applied": "parameter"}
        else:
            date_filter = (d_from, d_to)
            answer.bindings["dates"] = {"text": d_words, "value": f"{d_from or '…'} to {d_to or '…'}",
                                        "iris": [], "applied": "row filter"}

    # Required parameters the question did not name: ask the store for counterparts, or say what is missing.
    missing = [p for p in nq.params if p.required and p.name not in params]
    runs: list[_Run] = []
    if missing:
        runs = _counterpart_runs(backend, index, intent, params, missing, answer)
        if not runs:
            have = ", ".join(f"{k}={v['value']}" for k, v in answer.bindings.items()) or "no names"
            what = " and ".join(p.help or p.name for p in missing)
            raise NoAnswerError(f"I understood a question about {intent.about}, but not {what} (I read {have}). "
                                f"For example: \"{intent.example}\"", "missing")
    else:
        runs = [_Run(dict(params))]
    if topic_runs:
        runs = [_Run({**r.params, intent.topic: _terms(backend, m.iris, "concept", index)}, m.text, r.names)
                for r in runs for m in topic_runs]
        answer.bindings[intent.topic] = {
            "text": ", ".join(m.text for m in topic_runs),
            "value": ", ".join(index.entities[m.iris[0]].label for m in topic_runs),
            "iris": sorted({i for m in topic_runs for i in m.iris}), "applied": "parameter"}

    rows, texts = [], []
    seen: set[tuple[Any, ...]] = set()
    for run in runs:
        rs, text = _rows(backend, nq, run.params)
        if text not in texts:
            texts.append(text)
        for r in rs:
            key = tuple(sorted((k, str(v)) for k, v in r.items()))
            if key not in seen:
                seen.add(key)
                rows.append(r)
                run.events.add(r.get("event"))
    answer.sparql = "\n\n".join(texts)

    rows = _row_filters(backend, nq, index, reading, intent, answer, rows, runs, extra_actors, text_filters,
                        date_filter, (rnum, rwords, round_mentions))
    answer.rows = rows
    answer.sources = _sources(rows)
    answer.summary = _summary(nq.name, rows, answer, index, intent, runs)
    return answer


def _row_filters(backend: Any, nq: Any, index: LabelIndex, reading: Reading, intent: Intent, answer: Answer,
                 rows: list[dict[str, Any]], runs: list[_Run], extra_actors: list[Mention],
                 text_filters: list[Mention], date_filter: tuple[Any, Any] | None,
                 round_info: tuple[Any, str, list[Mention]]) -> list[dict[str, Any]]:
    """Narrow the rows by what the query has no parameter for: a second actor, names in the statement,
    a kind of statement, a round, dates, the content of a claim. Each filter is recorded in the bindings."""
    rnum, rwords, round_mentions = round_info
    pname_any = intent.roles.get("any")
    if extra_actors and nq.param(pname_any or "") is not None:
        for m in extra_actors:
            other, text = _rows(backend, nq, {**runs[0].params, pname_any: _terms(backend, m.iris, "actor", index)})
            keys = {r.get("event") or r.get("actor") for r in other}
            rows = [r for r in rows if (r.get("event") or r.get("actor")) in keys] if intent.query != "actors" \
                else rows + [r for r in other if r not in rows]
            answer.bindings.setdefault("with", {
                "text": m.text, "value": index.entities[m.iris[0]].label, "iris": list(m.iris),
                "applied": "second run, rows added" if intent.query == "actors" else "row filter"})
            answer.sparql += "\n\n" + text
    elif extra_actors:
        answer.notes.append(f"{', '.join(m.text for m in extra_actors)} was read but has no place in this query.")
    for m in text_filters:
        ent = index.entities[m.iris[0]]
        keys = ent.keys | {tuple(t.norm for t in reading.tokens[m.start:m.end])}
        # The summary says what a statement is about; the evidence sentence may carry several statements.
        in_summary = [r for r in rows if _contains_name(str(r.get("summary") or ""), keys)]
        rows = in_summary or [r for r in rows if _contains_name(str(r.get("evidence") or ""), keys)]
        answer.bindings.setdefault("mentions", {"text": m.text, "value": ent.label, "iris": list(m.iris),
                                                "applied": "row filter"})
    if intent.kinds:
        words = {t.norm for t in reading.tokens}
        wanted = [k for k, ws in intent.kinds.items() if words & set(ws)]
        if wanted:
            rows = [r for r in rows if r.get("kind") in wanted]
            answer.bindings["kind"] = {"text": ", ".join(wanted), "value": ", ".join(wanted), "iris": [],
                                       "applied": "row filter"}
    if rnum is not None or round_mentions:
        rows = _filter_round(backend, rows, rnum, rwords, round_mentions, answer)
    if date_filter:
        lo, hi = date_filter
        rows = [r for r in rows if r.get("date") and (not lo or str(r["date"]) >= lo.isoformat())
                and (not hi or str(r["date"]) <= hi.isoformat())]
    if intent.query == "claims":
        rows = _filter_claims(reading, rows, answer)

    return rows


def _names_of(backend: Any, index: LabelIndex, iri: str) -> tuple[str, str]:
    """An IRI's label and how a sentence names it; a document-local thing (grouped in the index) has its
    label read from the store."""
    import pyoxigraph as ox

    ent = index.entities.get(iri)
    if ent is not None:
        return ent.label, ent.name
    rows = backend.query(f"SELECT ?l WHERE {{ VALUES ?s {{ {ox.NamedNode(iri)} }} ?s rdfs:label ?l }}").rows
    label = min((str(r["l"].value) for r in rows if r.get("l") is not None), default=iri)
    return label, label


def _counterpart_runs(backend: Any, index: LabelIndex, intent: Intent, params: dict[str, list[Any]],
                      missing: list[Any], answer: Answer) -> list[_Run]:
    """For a required actor the question left out: the actors the store has in that role, one run each."""
    cp = intent.counterpart
    if not cp or any(p.kind != "actor" for p in missing):
        return []
    agent_p, addr_p = intent.roles.get("agent"), intent.roles.get("addressee")
    values = []
    if agent_p in params:
        values.append(f"VALUES ?a0 {{ {' '.join(str(t) for t in params[agent_p])} }}")
    if addr_p in params:
        values.append(f"VALUES ?b0 {{ {' '.join(str(t) for t in params[addr_p])} }}")
    q = _COUNTERPART_QUERY % ("\n  ".join(values), cp["class"], cp["agent"], cp["addressee"])
    pairs = []
    for r in backend.query(q).rows:
        a, b = r.get("a"), r.get("b")
        if a is not None and b is not None and (a.value, b.value) not in pairs:
            pairs.append((a.value, b.value))
    runs = []
    for a, b in pairs[:6]:
        run = dict(params)
        names: dict[str, str] = {}
        for pname, iri in ((agent_p, a), (addr_p, b)):
            if pname in params:
                names[pname] = _bound(answer, index, pname)
            else:
                run[pname] = _terms(backend, [iri], "actor", index)
                label, names[pname] = _names_of(backend, index, iri)
                entry = answer.bindings.setdefault(pname, {"text": None, "value": label, "iris": [],
                                                           "applied": "parameter (from the store: the question "
                                                                      "did not name it)"})
                if label not in entry["value"].split(", "):
                    entry["value"] += ", " + label
                entry["iris"] = sorted(set(entry["iris"]) | {t.value for t in run[pname]})
        runs.append(_Run(run, names=names))
    return runs


def _filter_round(backend: Any, rows: list[dict[str, Any]], rnum: Any, words: str,
                  mentions: list[Mention], answer: Answer) -> list[dict[str, Any]]:
    rounds = []
    for r in backend.query(_ROUNDS_QUERY).rows:
        n = r.get("n")
        rounds.append((r["r"].value, int(n.value) if n is not None and n.value.isdigit() else None,
                       r["label"].value if r.get("label") is not None else r["r"].value))
    if mentions:
        chosen = [x for x in rounds if x[0] in {i for m in mentions for i in m.iris}]
        words = words or mentions[0].text
    elif rnum == "last":
        top = max((x[1] for x in rounds if x[1] is not None), default=None)
        chosen = [x for x in rounds if x[1] == top]
    else:
        chosen = [x for x in rounds if x[1] == rnum]
    if not chosen:
        known = ", ".join(sorted({x[2] for x in rounds})) or "none"
        raise NoAnswerError(f"The store has no {words!r} (rounds it knows: {known}).", "unknown_name",
                            sorted({x[2] for x in rounds}))
    labels = {x[2] for x in chosen}
    answer.bindings["round"] = {"text": words, "value": ", ".join(sorted(labels)),
                                "iris": sorted({x[0] for x in chosen}), "applied": "row filter"}
    if rows and "round" not in rows[0]:
        answer.notes.append("The rows of this query do not say which round they belong to; not narrowed.")
        return rows
    return [r for r in rows if r.get("round") in labels]


def _filter_claims(reading: Reading, rows: list[dict[str, Any]], answer: Answer) -> list[dict[str, Any]]:
    """Keep the claims whose content shares the most words with what the question quotes, if any does."""
    m = re.search(r"\b(?:that|true|claim|claims|claimed|say|said|says|alleged|allege)\b(.*)$", reading.text,
                  re.IGNORECASE)
    if not m:
        return rows
    words = _overlap_words(m.group(1))
    words -= {"evidence", "contradicts", "contradict", "true", "trump", "claim", "claims", "what", "which"}
    if len(words) < 2:
        return rows
    scored = [(len(words & _overlap_words(f"{r.get('content') or ''} {r.get('summary') or ''}")), r)
              for r in rows]
    best = max((s for s, _ in scored), default=0)
    if best < 2:
        return rows
    answer.bindings["content"] = {"text": m.group(1).strip(), "value": "claims sharing the most words",
                                  "iris": [], "applied": "row filter"}
    return [r for s, r in scored if s == best]


def _sources(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        art = r.get("article")
        if art and art not in out:
            out[art] = {"article": art, "title": r.get("title"), "published": r.get("published")}
            if r.get("publisher"):
                out[art]["publisher"] = r["publisher"]
    return list(out.values())


# --- summaries ------------------------------------------------------------------------------------------


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _join(items: Iterable[Any]) -> str:
    xs = [str(x) for x in dict.fromkeys(i for i in items if i not in (None, ""))]
    if len(xs) <= 1:
        return "".join(xs)
    return ", ".join(xs[:-1]) + " and " + xs[-1]


def _dates(rows: list[dict[str, Any]]) -> str:
    ds = sorted({str(r["date"]) for r in rows if r.get("date")})
    if not ds:
        return ""
    return ds[0] if len(ds) == 1 else f"{ds[0]} to {ds[-1]}"


def _reported(rows: list[dict[str, Any]]) -> str:
    who = _join(r.get("attributedTo") for r in rows)
    status = {r.get("status") for r in rows if r.get("status")}
    text = f"reported by {who}" if who else ""
    if status == {"reported"}:
        text += " (not confirmed)" if text else "reported, not confirmed"
    elif status == {"confirmed"}:
        text += " (confirmed)" if text else "confirmed"
    return text


def _bound(answer: Answer, index: LabelIndex, pname: str, default: str = "") -> str:
    b = answer.bindings.get(pname)
    if not b:
        return default
    iris = [i for i in b.get("iris", []) if i in index.entities]
    names = [index.entities[i].name for i in iris if index.entities[i].label in b["value"].split(", ")]
    names = list(dict.fromkeys(names)) or [b["value"]]
    return _join(names)


def _strip(s: Any) -> str:
    return str(s or "").strip().rstrip(".")


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _summary(query: str, rows: list[dict[str, Any]], answer: Answer, index: LabelIndex, intent: Intent,
             runs: list[_Run] = ()) -> str:
    filters = [f"{k} {v['value']}" for k, v in answer.bindings.items() if v.get("applied") != "parameter"
               and k not in ("mentions",)]
    if not rows:
        what = intent.about
        named = "; ".join(f"{k}: {v['value']}" for k, v in answer.bindings.items())
        return f"No answer in the store: the {query} query found nothing" + (f" for {named}" if named else "") + \
            f" ({what})."
    n, when, rep = len(rows), _dates(rows), _reported(rows)
    tail = (f" ({when})" if when else "") + (f", {rep}" if rep else "") + "."
    about = answer.bindings.get("topic")
    about_s = f" regarding {about['value']}" if about else ""
    rnd = answer.bindings.get("round")
    in_round = f" in the {rnd['value']}" if rnd else ""
    if query == "requests":
        kept = {r.get("event") for r in rows}
        parts = [f"{run.names.get('by')} made {_plural(len(run.events & kept), 'request')} of {run.names.get('of')}"
                 for run in runs if run.names and run.events & kept]
        if not parts:
            parts = [f"{_bound(answer, index, 'by')} made {_plural(n, 'request')} of {_bound(answer, index, 'of')}"]
        return _cap("; ".join(parts) + f"{about_s}{in_round}{tail}")
    if query == "responses":
        by = _bound(answer, index, "by", _join(r.get("responder") for r in rows))
        what = "; ".join(_strip(r.get("summary")) for r in rows if r.get("summary"))
        return _cap(f"{by} responded {_times(n)}{in_round}{tail[:-1]}: {what}.")
    if query == "meetings":
        who = _bound(answer, index, "actor")
        extra = answer.bindings.get("with")
        who = f" between {who} and {extra['value']}" if extra else (f" involving {who}" if who else "")
        places = _join(r.get("location") for r in rows)
        return f"{_plural(n, 'meeting')}{who}{in_round}" + (f" ({when})" if when else "") + \
            (f", at {places}" if places else "") + ": " + "; ".join(_strip(r.get("summary")) for r in rows) + "."
    if query == "claims":
        claims = {r.get("event") for r in rows}
        by = _bound(answer, index, "by", _join(r.get("claimant") for r in rows))
        against = {r.get("event") for r in rows if r.get("relation") == "contradicted by"}
        by_whom = _join(r.get("statisticSource") for r in rows if r.get("relation") == "contradicted by")
        s = f"{by} made {_plural(len(claims), 'claim')}{tail[:-1]}"
        if against:
            verb = "is" if len(against) == 1 else "are"
            s += f"; {len(against)} of them {verb} contradicted by figures from {by_whom}"
        return _cap(s + ".")
    if query == "complaints":
        by = _bound(answer, index, "by", _join(r.get("complainant") for r in rows))
        topics = _join(r.get("topics") for r in rows)
        return _cap(f"{by} complained {_times(n)}" + (f" about {topics}" if topics else "") + tail)
    if query == "gifts":
        parts = [f"{r.get('giver')} gave {r.get('recipient') or 'someone'} a {r.get('gift') or 'gift'}"
                 + (f" ({r['date']})" if r.get("date") else "")
                 + (f": {_strip(r['reason'])}" if r.get("reason") else "") for r in rows]
        return _cap("; ".join(parts)) + (f" — {rep}." if rep else ".")
    if query == "invitations":
        parts = [f"{r.get('inviter')} invited {r.get('invitee') or 'someone'}"
                 + (f" to {r['topics']}" if r.get("topics") else "") + (f" ({r['date']})" if r.get("date") else "")
                 for r in rows]
        return _cap("; ".join(parts)) + (f" — {rep}." if rep else ".")
    if query == "notifications":
        parts = [_strip(r.get("summary") or f"{r.get('notifier')} informed {r.get('addressee')}") for r in rows]
        return "; ".join(parts) + (f" — {rep}." if rep else ".")
    if query == "announcements":
        parts = [_strip(r.get("summary") or f"{r.get('announcer')} made an announcement") for r in rows]
        return "; ".join(parts) + (f" — {rep}." if rep else ".")
    if query == "actors":
        people = []
        for r in rows:
            desc = ", ".join(x for x in (r.get("kind"), r.get("affiliation")) if x)
            roles = f"; {r['roles']}" if r.get("roles") else ""
            people.append(f"{r.get('label')} ({desc}{roles})")
        people = list(dict.fromkeys(people))
        return f"{_plural(len(people), 'actor')}: " + "; ".join(people) + "."
    if query == "sources":
        arts = {r.get("article") for r in rows}
        who = _join(r.get("attributedTo") for r in rows)
        return f"{_plural(n, 'statement')} from {_plural(len(arts), 'article')}" + \
            (f", attributed to {who}" if who else "") + (f" ({', '.join(filters)})" if filters else "") + "."
    if query == "timeline":
        undated = sum(1 for r in rows if not r.get("date"))
        who = _bound(answer, index, "actor")
        s = f"{_plural(n, 'event')}" + (f" involving {who}" if who else "") + in_round
        s += f", from {when}" if when and " to " in when else (f", on {when}" if when else "")
        if undated:
            s += f" ({undated} without a date, listed last)"
        return s + "."
    return f"{_plural(n, 'row')} from the {query} query{tail}"


# --- output ---------------------------------------------------------------------------------------------

_DISPLAY = {
    "requests": ["requester", "addressee", "topics", "summary", "date", "attributedTo", "status"],
    "responses": ["responder", "summary", "inResponseTo", "date", "attributedTo"],
    "meetings": ["participants", "location", "date", "timeNote", "round"],
    "claims": ["claimant", "content", "date", "relation", "measure", "value", "unit", "period",
               "statisticSource"],
    "complaints": ["complainant", "target", "topics", "date", "attributedTo"],
    "gifts": ["giver", "recipient", "gift", "reason", "location", "date", "timeNote"],
    "invitations": ["inviter", "invitee", "topics", "date", "timeNote"],
    "notifications": ["notifier", "addressee", "about", "timeNote", "summary"],
    "announcements": ["announcer", "channel", "topics", "summary"],
    "actors": ["label", "kind", "affiliation", "roles"],
    "sources": ["kind", "summary", "attributedTo", "status", "publisher"],
    "timeline": ["date", "timeNote", "type", "actors", "summary"],
}
_ALWAYS = ["title", "published", "evidence"]


def format_answer(answer: Answer, fmt: str = "table", *, show_sparql: bool = False) -> str:
    """The answer as text: ``table`` (summary, rows, sources), ``json`` (the whole answer) or ``csv`` (rows).

    >>> a = Answer("q?", "Nothing.", [{"title": "T", "published": "2025-04-19", "evidence": "E"}])
    >>> format_answer(a, "csv").splitlines()
    ['title,published,evidence', 'T,2025-04-19,E']
    """
    from tradekg.output import QueryResult, delimited, dumps_json, render_table

    if fmt == "json":
        return dumps_json(answer.to_dict(with_sparql=show_sparql)) + "\n"
    cols = [c for c in _DISPLAY.get(answer.query or "", []) if any(c in r for r in answer.rows)]
    cols += [c for c in _ALWAYS if any(c in r for r in answer.rows)]
    if fmt == "csv":
        allcols = list(dict.fromkeys(k for r in answer.rows for k in r))
        return delimited(QueryResult.from_dicts(answer.rows, allcols), "csv")
    if fmt != "table":
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    import io

    out = io.StringIO()
    out.write(answer.summary + "\n")
    if answer.rows:
        render_table(QueryResult.from_dicts([{c: r.get(c) for c in cols} for r in answer.rows], cols), out)
    if answer.sources:
        out.write("Sources:\n")
        for s in answer.sources:
            out.write(f"  - {s.get('title')} ({s.get('published')}) <{s.get('article')}>\n")
    for note in answer.notes:
        out.write(f"Note: {note}\n")
    if show_sparql:
        out.write(sparql_text(answer))
    return out.getvalue()


def sparql_text(answer: Answer) -> str:
    """The query that ran and the bindings used, as text for ``--show-sparql``."""
    lines = [f"# query: {answer.query}"]
    for k, b in answer.bindings.items():
        iris = f" -> {', '.join(b['iris'])}" if b.get("iris") else ""
        lines.append(f"# {k} = {b['value']!r} ({b['applied']}; from {b['text']!r}){iris}")
    return "\n".join(lines) + "\n" + answer.sparql + "\n"


def print_answer(answer: Answer, fmt: str = "table", *, show_sparql: bool = False, out: IO[str] | None = None,
                 err: IO[str] | None = None) -> int:
    """Print an answer the way ``tradekg ask`` does and return its exit code: 0 with rows, 1 without.

    Without rows nothing goes to ``out`` (data) and the summary goes to ``err`` (messages); for ``csv`` the
    summary and notes always go to ``err`` so the output stays a clean table.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if not answer.rows:
        err.write(answer.summary + "\n")
        for note in answer.notes:
            err.write(f"Note: {note}\n")
        if show_sparql:
            err.write(sparql_text(answer))
        return 1
    if fmt == "csv":
        err.write(answer.summary + "\n")
        for note in answer.notes:
            err.write(f"Note: {note}\n")
        if show_sparql:
            err.write(sparql_text(answer))
    out.write(format_answer(answer, fmt, show_sparql=show_sparql))
    return 0

