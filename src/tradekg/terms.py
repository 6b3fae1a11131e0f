"""RDF terms between rdflib and pyoxigraph, converted once.

Documents are built, validated and stored as pyoxigraph terms (constructed in Rust, hashable, written to
the store as they are); rdflib terms remain for the consumers that need them (pySHACL, a document's
``graph`` view, RDF input parsed by rdflib). The same ontology, gazetteer and datatype IRIs recur in every
document, so conversions are kept in bounded caches.

Typed literals keep rdflib's lexical normalization (``"01"^^xsd:integer`` is ``"1"``), so a document built
directly as pyoxigraph terms holds exactly the literals the rdflib-built one did; whether a literal is
ill-typed (``"2025-02-30"^^xsd:date``) is rdflib's judgement too, which is what pySHACL decides by.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from .errors import InputError

XSD_IRI = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = ox.NamedNode(XSD_IRI + "string")
XSD_INTEGER = ox.NamedNode(XSD_IRI + "integer")
RDF_LANG_STRING = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")

_CACHE: dict[Any, Any] = {}  # rdflib term -> pyoxigraph term
_BACK: dict[Any, Any] = {}  # pyoxigraph term -> rdflib term
_TYPED: dict[tuple[str, str], ox.Literal] = {}  # (lexical as written, datatype IRI) -> normalized literal
_CACHE_LIMIT = 200_000
_PLAIN_INTEGER = re.compile(r"[+-]?[0-9]+")


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()  # a bulk ingest of millions of distinct offsets must not grow without bound
    cache[key] = value
    return value


def to_ox(term: Any, bnodes: dict[Any, ox.BlankNode] | None = None) -> Any:
    """The pyoxigraph form of an rdflib ``URIRef``, ``Literal`` or ``BNode``.

    Blank nodes map through ``bnodes`` to fresh ones when it is given (so two documents' ``_:b0`` stay
    apart), else keep their label.

    >>> from rdflib import Literal, URIRef
    >>> to_ox(URIRef("https://w3id.org/tradekg/id/japan"))
    <NamedNode value=https://w3id.org/tradekg/id/japan>
    >>> to_ox(Literal("7.7", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))).value
    '7.7'
    """
    from rdflib import BNode

    if isinstance(term, BNode):
        if bnodes is None:
            return ox.BlankNode(str(term))
        return bnodes.setdefault(term, ox.BlankNode())
    converted = _CACHE.get(term)
    if converted is None:
        converted = _remember(_CACHE, term, _convert(term))
    return converted


def _convert(term: Any) -> Any:
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return named_node(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise InputError(f"unsupported RDF term {term!r}")


def named_node(iri: str, path: Any = None, line: int | None = None) -> ox.NamedNode:
    """``ox.NamedNode(iri)``, with an IRI Oxigraph refuses reported as an :class:`InputError`."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise InputError(f"invalid IRI <{iri}>", path, line) from None


def typed_literal(lexical: str, datatype: str) -> ox.Literal:
    """The literal rdflib's ``Literal(lexical, datatype=datatype)`` is, as a pyoxigraph literal.

    >>> typed_literal("01", XSD_IRI + "integer").value
    '1'
    >>> typed_literal("2025-02-30", XSD_IRI + "date").value   # ill-typed: kept as written
    '2025-02-30'
    """
    key = (lexical, datatype)
    found = _TYPED.get(key)
    if found is None:
        from rdflib import Literal, URIRef

        rdf = Literal(lexical, datatype=URIRef(datatype))
        # An ill-typed literal keeps what was written: rdflib turns "maybe"^^xsd:boolean into "false", a
        # well-typed form that would pass sh:datatype.
        found = ox.Literal(lexical if rdf.ill_typed else str(rdf), datatype=ox.NamedNode(datatype))
        _remember(_TYPED, key, found)
        _remember(_BACK, found, rdf)
    return found


def to_rdflib(term: Any) -> Any:
    """The rdflib form of a pyoxigraph term (a simple literal becomes a plain rdflib ``Literal``).

    >>> to_rdflib(ox.Literal("7", datatype=XSD_INTEGER)).toPython()
    7
    """
    found = _BACK.get(term)
    if found is not None:
        return found
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)  # cheap, and IRIs are many: not cached
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if not isinstance(term, ox.Literal):
        raise InputError(f"unsupported RDF term {term!r}")
    if term.language:
        converted = Literal(term.value, lang=term.language)
    elif term.datatype == XSD_STRING:
        converted = Literal(term.value)
    else:
        converted = Literal(term.value, datatype=URIRef(term.datatype.value))
    return _remember(_BACK, term, converted)


def is_ill_typed(literal: ox.Literal) -> bool:
    """Whether rdflib finds the literal's lexical form invalid for its datatype ("2025-02-30"^^xsd:date)."""
    datatype = literal.datatype
    if datatype == XSD_STRING or datatype == RDF_LANG_STRING:
        return False
    if datatype == XSD_INTEGER and _PLAIN_INTEGER.fullmatch(literal.value):
        return False  # the common case (offsets), decided without building an rdflib literal
    return bool(to_rdflib(literal).ill_typed)


def graph_to_ox(triples: Iterable[tuple[Any, Any, Any]]) -> tuple[list[tuple[Any, Any, Any]], frozenset[Any]]:
    """rdflib triples as pyoxigraph triples (without duplicates), and the literals among them that rdflib
    found ill-typed though their pyoxigraph form is not.

    rdflib keeps only a normalized form of some ill-typed literals ("maybe"^^xsd:boolean prints as
    "false"), so that judgement cannot be made again from the pyoxigraph literal: it travels beside it.
    """
    from rdflib import Literal

    out: dict[tuple[Any, Any, Any], None] = {}
    lost: set[Any] = set()
    for s, p, o in triples:
        converted = to_ox(o)
        if isinstance(o, Literal) and o.ill_typed and not is_ill_typed(converted):
            lost.add(converted)
        out[(to_ox(s), to_ox(p), converted)] = None
    return list(out), frozenset(lost)
