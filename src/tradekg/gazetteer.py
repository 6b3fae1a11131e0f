"""The gazetteer: stable IRIs for actors, places, organizations, trade items and positions, with their aliases.

It is read from the packaged Turtle files (``ontology/gazetteer/*.ttl``), then from the user's own files
(``Gazetteer.load(extra=[...])`` and the ``TRADEKG_GAZETTEER`` environment variable, a list of paths
separated by ``os.pathsep``, ":" on POSIX). It runs at every CLI start, so it is parsed with pyoxigraph
(fast) and the rdflib view (``Gazetteer.graph``) is only built when someone asks for it. Finding and
parsing those files is :mod:`tradekg.gazetteer_files`; this module makes entries of their triples.

``resolve`` turns what an article calls something into its IRI: "Akazawa Ryosei", "Japan’s chief
negotiator" and "the Japanese minister" all give ``tkid:akazawa-ryosei``. Matching ignores case, accents,
the kind of apostrophe and extra whitespace. One label names one entry: a user file that gives an existing
label to another entry is refused, because an ambiguous alias silently links the wrong actor.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef

from tradekg.errors import InputError
from tradekg.gazetteer_files import ENV_VAR as ENV_VAR  # the variable's name is part of this module's API
from tradekg.gazetteer_files import Triple, packaged_triples, parse_file, user_paths
from tradekg.namespaces import GAZETTEER_GRAPH, TK, TKID

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_COUNTRY_LINKS = (str(TK.nationality), str(TK.affiliation), str(TK.metonymFor))
_ROLE = str(TK.Role)

# Characters that articles and hand-typed labels use interchangeably.
_FOLD = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
    }
)
_SPACES = re.compile(r"\s+")


def normalize_label(text: str) -> str:
    """The key a label is matched on: case-folded, accents and apostrophe kinds folded, spaces collapsed.

    >>> normalize_label("  Japan’s   Chief Negotiator ")
    "japan's chief negotiator"
    >>> normalize_label("Maroš Šefčovič")
    'maros sefcovic'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip().casefold()


def _without_article(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


def _without_possessive(key: str) -> str:
    return key[:-2] if key.endswith("'s") else key


@dataclass(frozen=True)
class GazetteerEntry:
    """One gazetteer entry: an actor, place, organization, trade item, barrier or position."""

    iri: URIRef
    id: str  # the local part for tkid: IRIs ("akazawa-ryosei"), else the full IRI
    types: tuple[URIRef, ...]
    pref_label: str
    alt_labels: tuple[str, ...]
    country: URIRef | None  # the country it acts for or stands for: nationality, affiliation or metonymFor
    hs_codes: tuple[str, ...] = ()
    wikidata: str | None = None
    iso3166: str | None = None

    @property
    def hs_code(self) -> str | None:
        """The first HS code (most items have exactly one), or None."""
        return self.hs_codes[0] if self.hs_codes else None

    @property
    def labels(self) -> tuple[str, ...]:
        """The preferred label followed by the alternative labels."""
        return (self.pref_label, *self.alt_labels)


class _Record:
    """What the triples say about one subject, gathered while loading."""

    __slots__ = ("types", "pref", "labels", "alts", "country", "hs", "wikidata", "iso", "first_path", "label_paths")

    def __init__(self, path: Path) -> None:
        self.types: list[str] = []
        self.pref: list[ox.Literal] = []
        self.labels: list[ox.Literal] = []
        self.alts: list[str] = []
        self.country: str | None = None
        self.hs: list[str] = []
        self.wikidata: str | None = None
        self.iso: str | None = None
        self.first_path = path
        self.label_paths: dict[str, Path] = {}  # label -> the file that gave it, to blame the right file


def _best_label(literals: list[ox.Literal]) -> str | None:
    """The English (or untagged) label if there is one, so that label() is stable across languages."""
    if not literals:
        return None
    for lit in literals:
        if lit.language in (None, "en") or (lit.language or "").startswith("en-"):
            return lit.value
    return sorted(lit.value for lit in literals)[0]


class Gazetteer:
    """Stable IRIs and aliases for everything articles talk about.

    >>> gaz = Gazetteer.load()
    >>> gaz.resolve("Japan’s chief negotiator") == gaz.by_id("akazawa-ryosei")
    True
    >>> gaz.label(gaz.resolve("the US side"))
    'United States'
    """

    def __init__(self, sources: list[tuple[Path, list[Triple]]]) -> None:
        """Build from parsed files, in order (packaged first). Prefer :meth:`load`."""
        self.paths: list[Path] = [path for path, _ in sources]
        self._triples: list[Triple] = [t for _, triples in sources for t in triples]
        self._graph: rdflib.Graph | None = None
        self._subjects: set[str] = set()
        records: dict[str, _Record] = {}
        for path, triples in sources:
            self._collect(path, triples, records)
        self._entries: dict[str, GazetteerEntry] = {}
        for iri, rec in records.items():
            entry = self._make_entry(iri, rec)
            if entry is not None:
                self._entries[iri] = entry
        self._exact: dict[str, str] = {}
        self._loose: dict[str, str | None] = {}  # keys with a leading "the " removed; None when ambiguous
        self._index(records)

    # -- loading -------------------------------------------------------------------------------------------

    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> Gazetteer:
        """The packaged gazetteer, then the files in ``extra``, then those in $TRADEKG_GAZETTEER.

        A user file may add entries or aliases of its own, and aliases to packaged entries. Raises
        :class:`InputError` naming the file (and the parser's line) when one cannot be read or parsed, or
        when it gives an existing label to a different entry.

        >>> len(Gazetteer.load().entries()) > 50
        True
        """
        sources = list(packaged_triples())
        sources += [(path, parse_file(path)) for path in user_paths(extra)]
        return cls(sources)

    def _collect(self, path: Path, triples: list[Triple], records: dict[str, _Record]) -> None:
        for s, p, o in triples:
            if not isinstance(s, ox.NamedNode):
                continue
            subject = s.value
            self._subjects.add(subject)
            rec = records.get(subject)
            if rec is None:
                rec = records[subject] = _Record(path)
            pred = p.value
            if pred == _RDF_TYPE and isinstance(o, ox.NamedNode):
                rec.types.append(o.value)
            elif not isinstance(o, ox.Literal):
                if pred in _COUNTRY_LINKS and rec.country is None:
                    rec.country = o.value
            elif pred in (_PREF, _ALT, _RDFS_LABEL):
                rec.label_paths.setdefault(o.value, path)
                if pred == _PREF:
                    rec.pref.append(o)
                elif pred == _ALT:
                    rec.alts.append(o.value)
                else:
                    rec.labels.append(o)
            elif pred == str(TK.hsCode):
                rec.hs.append(o.value)
            elif pred == str(TK.wikidata):
                rec.wikidata = o.value
            elif pred == str(TK.iso3166):
                rec.iso = o.value

    def _make_entry(self, iri: str, rec: _Record) -> GazetteerEntry | None:
        tk_types = [t for t in rec.types if t.startswith(str(TK))]
        # Entries are what has a preferred label, or a tradekg type and an rdfs:label (a user file that
        # forgot skos:prefLabel). Roles and concept schemes carry rdfs:label only for display.
        if not rec.pref and not (rec.labels and tk_types and _ROLE not in tk_types):
            return None
        if not rec.types:
            raise InputError(
                f"<{iri}> has a label but no rdf:type; give it a class such as tk:Person", path=rec.first_path
            )
        pref = _best_label(rec.pref) or _best_label(rec.labels) or ""
        alts = tuple(dict.fromkeys(a for a in rec.alts if a != pref))
        local = iri[len(str(TKID)) :] if iri.startswith(str(TKID)) else iri
        return GazetteerEntry(
            iri=URIRef(iri),
            id=local,
            types=tuple(URIRef(t) for t in dict.fromkeys(rec.types)),
            pref_label=pref,
            alt_labels=alts,
            country=URIRef(rec.country) if rec.country else None,
            hs_codes=tuple(sorted(set(rec.hs))),
            wikidata=rec.wikidata,
            iso3166=rec.iso,
        )

    def _index(self, records: dict[str, _Record]) -> None:
        order = {path: n for n, path in enumerate(self.paths)}
        key_paths: dict[str, Path] = {}
        for iri in self._entries:
            rec = records[iri]
            for label, path in rec.label_paths.items():
                key = normalize_label(label)
                if not key:
                    continue
                owner = self._exact.setdefault(key, iri)
                key_paths.setdefault(key, path)
                if owner != iri:
                    # Blame the later file: the packaged data is checked by the tests, a user file is not.
                    blamed = max(path, key_paths[key], key=lambda p: order.get(p, -1))
                    raise InputError(
                        f"the label {label!r} of <{iri}> also names <{owner}>; one label may name only "
                        "one entry (remove it from one of them, or make it more specific)",
                        path=blamed,
                    )
        for key, iri in self._exact.items():
            loose = _without_article(key)
            if loose == key:
                continue
            if self._loose.get(loose, iri) != iri:
                self._loose[loose] = None
            else:
                self._loose[loose] = iri

    # -- lookups -------------------------------------------------------------------------------------------

    def resolve(self, text: str) -> URIRef | None:
        """The IRI a label or alias names, or None.

        Case, accents, apostrophe kinds and spacing are ignored. When nothing matches exactly, a leading
        "the " is dropped or added, then a trailing possessive "'s" is dropped ("Japan's" -> Japan).

        >>> gaz = Gazetteer.load()
        >>> str(gaz.resolve("TOKYO"))
        'https://w3id.org/tradekg/id/japan'
        >>> gaz.resolve("US side") == gaz.resolve("the U.S. side")
        True
        >>> gaz.resolve("nobody in particular") is None
        True
        """
        key = normalize_label(text)
        for candidate in dict.fromkeys(
            (key, _without_article(key), _without_possessive(key), _without_article(_without_possessive(key)))
        ):
            if not candidate:
                continue
            iri = self._exact.get(candidate) or self._loose.get(candidate)
            if iri:
                return URIRef(iri)
        return None

    def by_id(self, local_id: str) -> URIRef | None:
        """The IRI of a gazetteer resource from its id ("akazawa-ryosei", or "tkid:akazawa-ryosei").

        Roles, positions and concept schemes count too. None when the gazetteer has no such resource.

        >>> str(Gazetteer.load().by_id("akazawa-ryosei"))
        'https://w3id.org/tradekg/id/akazawa-ryosei'
        """
        local = local_id.strip()
        if local.startswith("tkid:"):
            local = local[5:]
        iri = local if local.startswith(("http://", "https://")) else str(TKID) + local
        return URIRef(iri) if iri in self._subjects else None

    def entry(self, iri: str | URIRef) -> GazetteerEntry | None:
        """The entry for an IRI, or None."""
        return self._entries.get(str(iri))

    def label(self, iri: str | URIRef) -> str:
        """The preferred label of an entry; for anything else, the last part of its IRI.

        >>> Gazetteer.load().label("https://w3id.org/tradekg/id/donald-trump")
        'Donald Trump'
        """
        entry = self._entries.get(str(iri))
        if entry is not None:
            return entry.pref_label
        text = str(iri)
        return re.split(r"[#/]", text.rstrip("/#"))[-1] or text

    def entries(self) -> list[GazetteerEntry]:
        """Every entry, sorted by id."""
        return sorted(self._entries.values(), key=lambda e: e.id)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self._entries)

    # -- the rdflib view -----------------------------------------------------------------------------------

    @property
    def graph(self) -> rdflib.Graph:
        """All gazetteer triples as an rdflib graph named ``tkg:gazetteer``, built on first use.

        It is a copy: changing it does not change what :meth:`resolve` finds.
        """
        if self._graph is None:
            graph = rdflib.Graph(identifier=GAZETTEER_GRAPH)
            for prefix, ns in (("tk", TK), ("tkid", TKID)):
                graph.bind(prefix, ns)
            convert = _TermConverter()
            graph.addN((convert(s), convert(p), convert(o), graph) for s, p, o in self._triples)
            self._graph = graph
        return self._graph


class _TermConverter:
    """pyoxigraph terms to rdflib terms, reusing IRIs (most repeat) to keep the conversion quick."""

    def __init__(self) -> None:
        self._iris: dict[str, URIRef] = {}

    def __call__(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
        if isinstance(term, ox.NamedNode):
            iri = self._iris.get(term.value)
            if iri is None:
                iri = self._iris[term.value] = URIRef(term.value)
            return iri
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # what rdflib's own Turtle parser gives for a plain string
        return Literal(term.value, datatype=self(term.datatype))
