"""One text normalizer and one actor resolver, for the named queries, ``ask`` and whoever needs them.

- :func:`fold` and :func:`tokenize` turn what a person typed into comparable words: typographic quotes,
  dashes and accents folded, acronym dots dropped ("U.S." is "us"), the possessive "'s" split off.
- :func:`resolve_terms` turns a value (a label, an alias, a gazetteer id or an IRI, in any case) into the
  RDF terms it stands for in a store. For an actor, a country or organization also brings its gazetteer
  officials and bodies, and a place standing for a country ("Tokyo") means the country. For a concept, the
  narrower concepts come with it; for a place, the places inside it.

``tradekg.network`` runs the same label lookups (:func:`label_lookups`) through its SPARQL callable.

Imports stay light (no rdflib): ``ask`` and ``query`` start with them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tradekg.errors import UsageError
from tradekg.namespaces import GAZETTEER_GRAPH_IRI, PREFIXES

if TYPE_CHECKING:
    from tradekg.store import Backend

_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
                       "«": '"', "»": '"', "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "\u00a0": " "})
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.&'\-][A-Za-z0-9]+)*\.?|'s\b|[^\sA-Za-z0-9]")


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
    """A word of a text: ``norm`` is what is matched, ``orig`` what was written."""

    norm: str
    orig: str


def tokenize(text: str) -> list[Token]:
    """Words of ``text``: lower-cased, acronym dots dropped ("U.S." is "us"), "'s" split off, no punctuation.

    >>> [t.norm for t in tokenize("What did the U.S. ask of Japan's side?")]
    ['what', 'did', 'the', 'us', 'ask', 'of', 'japan', "'s", 'side']
    >>> [t.norm for t in tokenize("the US-Japan deal in mid-July")]
    ['the', 'us', 'japan', 'deal', 'in', 'mid', 'july']
    """
    out: list[Token] = []
    for m in _TOKEN.finditer(fold(text)):
        word = m.group()
        if not (word[0].isalnum() or word == "'s"):
            continue
        if "-" in word.strip("-"):
            # "US-Japan agreement", "mid-July": each part is a word ("Myaku-Myaku" in a label splits alike).
            out.extend(tokenize(word.replace("-", " ")))
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


@cache
def key(label: str) -> tuple[str, ...]:
    """A label as the tuple of its normalized words: what two spellings of one name share.

    >>> key("the U.S.") == key("The US")
    True
    """
    return tuple(t.norm for t in tokenize(label))


# --- resolving a value to RDF terms ---------------------------------------------------------------------

# Scanning every label case-insensitively costs ~250 ms at 5k documents, so the lookup first tries the
# gazetteer graph (scanned, small) and the usual spellings of the value (index lookups); the full scan only
# runs when neither finds anything.
_LABELS = "skos:prefLabel|skos:altLabel|rdfs:label"
_LABEL_LOOKUP = """
SELECT DISTINCT ?s WHERE {
  { GRAPH <@GAZ@> { ?s @LABELS@ ?l . FILTER(LCASE(STR(?l)) = ?needle) } VALUES ?needle { %(needle)s } }
  UNION
  { VALUES ?l { %(spellings)s } ?s @LABELS@ ?l }
  UNION
  { VALUES ?s { %(iri)s } FILTER EXISTS { ?s ?p ?o } }
}
""".replace("@GAZ@", GAZETTEER_GRAPH_IRI).replace("@LABELS@", _LABELS)
_LABEL_SCAN = """
SELECT DISTINCT ?s WHERE {
  VALUES ?needle { %s } ?s @LABELS@ ?l . FILTER(LCASE(STR(?l)) = ?needle)
}
""".replace("@LABELS@", _LABELS)
# Only the gazetteer is expanded here (officials and bodies of a country, places standing for it): the
# document-local members are reached by the query itself (see tradekg.queries).
_EXPAND_ACTOR = """
SELECT DISTINCT ?x WHERE {
  { VALUES ?x { %(given)s } }
  UNION
  { VALUES ?given { %(given)s }
    GRAPH <@GAZ@> { ?given tk:metonymFor? ?base .
                 ?x (tk:nationality|tk:affiliation|tk:metonymFor|(tk:holdsRole/tk:roleFor))* ?base } }
}
""".replace("@GAZ@", GAZETTEER_GRAPH_IRI)
_EXPAND_CONCEPT = """
SELECT DISTINCT ?x WHERE {
  VALUES ?base { %s }
  ?x skos:broader* ?base .
}
"""
# A place is itself and what lies inside it (the White House is in Washington, D.C.); a country named as a
# place also covers the places standing for it (its capital).
_EXPAND_PLACE = """
SELECT DISTINCT ?x WHERE {
  VALUES ?base { %s }
  ?x (schema:containedInPlace|tk:metonymFor)* ?base .
}
"""
_EXPAND = {"actor": _EXPAND_ACTOR, "concept": _EXPAND_CONCEPT, "place": _EXPAND_PLACE}


def as_iri(value: str) -> ox.NamedNode | None:
    """A full IRI, ``prefix:local`` of a project prefix, or None.

    >>> as_iri("tkid:japan")
    <NamedNode value=https://w3id.org/tradekg/id/japan>
    >>> as_iri("Japan") is None
    True
    """
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    prefix, sep, local = v.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        v = PREFIXES[prefix] + local
    elif not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", v):
        return None
    try:
        return ox.NamedNode(v)
    except ValueError:
        return None


def resolve_terms(backend: Backend, value: str, kind: str) -> list[ox.NamedNode]:
    """The IRIs an actor, concept or place value stands for: label, alias, id or IRI, case-insensitively.

    For an actor, a country or organization also brings its gazetteer officials and bodies: persons of
    that nationality, groups affiliated with it, holders of a role for it, places standing for it. A place
    standing for a country ("Tokyo") means that country. Document-local members (an article's "US
    officials") are not listed here: each query matches them with
    ``?member (tk:affiliation|tk:nationality|tk:metonymFor|(tk:holdsRole/tk:roleFor))? ?entity``.
    A concept brings its narrower concepts, a place the places inside it. Nothing found is a usage error.
    """
    text = value.strip()
    if not text:
        raise UsageError(f"an empty {kind} was given")
    found = find_labelled(backend, text)
    if not found:
        raise UsageError(
            f"no {kind} called {value!r} in the store"
            + (" (list them with: tradekg query actors)" if kind == "actor" else "")
        )
    return expand(backend, found, kind)


def label_lookups(text: str) -> tuple[str, str]:
    """The two SELECTs (``?s``) that find what ``text`` names: the quick lookup, then the full label scan
    for when it finds nothing. The value is written as RDF terms (``ox.Literal``/``NamedNode`` serialize and
    escape it), never pasted as query syntax. Every caller resolves names through these two queries, whatever
    runs them (a :class:`Backend`, or the network's SPARQL callable).
    """
    iri = as_iri(text)
    if iri is None and re.fullmatch(r"[A-Za-z0-9._-]+", text):
        iri = ox.NamedNode(PREFIXES["tkid"] + text)  # a gazetteer id such as "akazawa-ryosei"
    needle = ox.Literal(text.lower())
    spellings = {text, text.lower(), text.upper(), text.title(), text.capitalize()}
    lookup = _LABEL_LOOKUP % {
        "needle": needle, "iri": iri or "",
        "spellings": " ".join(str(ox.Literal(v)) + " " + str(ox.Literal(v, language="en")) for v in sorted(spellings)),
    }
    return lookup, _LABEL_SCAN % needle


def find_labelled(backend: Backend, text: str) -> list[ox.NamedNode]:
    """The things whose label, alias, id or IRI is ``text`` (any case)."""
    lookup, scan = label_lookups(text)
    found = [s for r in backend.query(lookup).rows if isinstance(s := r.get("s"), ox.NamedNode)]
    if not found:
        found = [s for r in backend.query(scan).rows if isinstance(s := r.get("s"), ox.NamedNode)]
    return found


def expand(backend: Backend, found: list[ox.NamedNode], kind: str) -> list[ox.NamedNode]:
    """``found`` with what it stands for as an actor, concept or place (see :func:`resolve_terms`)."""
    given = " ".join(str(t) for t in found)
    template = _EXPAND.get(kind, _EXPAND_CONCEPT)
    rows = backend.query(template % ({"given": given} if kind == "actor" else given)).rows
    out = {x for r in rows if isinstance(x := r.get("x"), ox.NamedNode)} | set(found)
    return sorted(out, key=lambda t: t.value)


def resolve_actor(backend: Backend, value: str) -> list[ox.NamedNode]:
    """An actor value's terms: :func:`resolve_terms` for an actor (the one resolver network should use)."""
    return resolve_terms(backend, value, "actor")
