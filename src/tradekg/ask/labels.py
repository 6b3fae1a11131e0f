"""The label index: every label and alias in the store, keyed by its words, for the longest-match name finder."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tradekg.resolve import key as _key

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
            kind = min((k for k in ks if k in _KIND_RANK), key=lambda k: _KIND_RANK[k], default="concept")
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

    from tradekg.backend import Backend

    # A backend that scans its own indexes (the on-disk store overrides Backend.quads_for_pattern) gives the
    # labels fastest by scanning; one that would turn each pattern into a query (a SPARQL endpoint) is
    # asked the two queries below instead.
    scan = getattr(type(backend), "quads_for_pattern", None)
    if scan is not None and scan is not Backend.quads_for_pattern:
        return LabelIndex(*_scan_labels(backend))
    rows = []
    for r in backend.query(_LABELS_QUERY).rows:
        s, lab, top = r.get("s"), r.get("l"), r.get("top")
        # The ontology's own individuals (tk:Reported, tk:Exceeded...) are vocabulary, not things asked about.
        if isinstance(s, ox.NamedNode) and isinstance(lab, ox.Literal) and top is not None \
                and not s.value.startswith(_TK):
            if lab.language in (None, "", "en") or lab.language.startswith("en"):
                rows.append((s.value, lab.value, _KIND_OF_CLASS.get(top.value, "concept")))
    pref: dict[str, str] = {}
    for r in backend.query(_PREF_QUERY).rows:
        s, lab = r.get("s"), r.get("l")
        if isinstance(s, ox.NamedNode) and isinstance(lab, ox.Literal) and (lab.language or "en").startswith("en"):
            pref.setdefault(s.value, lab.value)
    return LabelIndex(rows, pref)
