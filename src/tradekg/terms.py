"""rdflib terms as pyoxigraph terms, converted once.

Documents are built with rdflib and stored and validated with pyoxigraph. The same ontology, gazetteer
and datatype IRIs recur in every document, so converted IRIs and literals are kept in a bounded cache:
bulk ingest converted each term three times per document before.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from .errors import InputError

_CACHE: dict[Any, Any] = {}
_CACHE_LIMIT = 200_000


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
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        converted = _CACHE[term] = _convert(term)
    return converted


def _convert(term: Any) -> Any:
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        try:
            return ox.NamedNode(str(term))
        except ValueError:
            raise InputError(f"invalid IRI <{term}>") from None
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise InputError(f"unsupported RDF term {term!r}")
