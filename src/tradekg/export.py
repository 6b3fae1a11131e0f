"""Serialize quads from the store as standard RDF, offline and losslessly.

- ``turtle`` and ``nt`` hold triples: the named graphs are merged (a triple two documents share is
  written once). Turtle is grouped by subject and uses the project prefixes.
- ``trig`` and ``nq`` keep every quad with its graph: importing them back gives the same dataset.
- ``jsonld`` keeps the graphs too (one ``@graph`` per document) and carries its ``@context`` inline,
  never as a link to fetch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

from tradekg.errors import UsageError
from tradekg.namespaces import PREFIXES

_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
}
SUFFIXES = {"turtle": ".ttl", "trig": ".trig", "nt": ".nt", "nq": ".nq", "jsonld": ".jsonld"}


def serialize(quads: Iterable[ox.Quad], fmt: str) -> str:
    """Quads as text in ``fmt`` (turtle, trig, jsonld, nt, nq).

    >>> q = ox.Quad(ox.NamedNode("https://w3id.org/tradekg/id/japan"),
    ...             ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), ox.Literal("Japan"),
    ...             ox.NamedNode("https://w3id.org/tradekg/doc/d"))
    >>> serialize([q], "nq").split()[-2]
    '<https://w3id.org/tradekg/doc/d>'
    """
    quads = list(quads)
    if fmt == "jsonld":
        return jsonld(quads)
    if fmt not in _FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(SUFFIXES)}")
    if fmt in ("turtle", "nt"):
        items: list = list(dict.fromkeys(q.triple for q in quads))
    else:
        items = quads
    prefixes = PREFIXES if fmt in ("turtle", "trig") else None
    return ox.serialize(items, format=_FORMATS[fmt], prefixes=prefixes).decode("utf-8")


def jsonld(quads: list[ox.Quad]) -> str:
    """JSON-LD (compacted with the project prefixes as an inline context), one ``@graph`` per graph."""
    import rdflib

    ds = rdflib.Dataset()
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    if data:
        ds.parse(data=data, format="nquads")
    text = ds.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    # Re-dump to make sure what we write is plain JSON with the context inline (never a URL).
    doc = json.loads(text)
    ctx = doc.get("@context") if isinstance(doc, dict) else None
    if isinstance(doc, dict) and not isinstance(ctx, dict):
        doc["@context"] = dict(PREFIXES)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
