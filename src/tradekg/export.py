"""Serialize quads from the store as standard RDF, offline and losslessly.

- ``turtle`` and ``nt`` hold triples: the named graphs are merged (a triple two documents share is
  written once). Turtle is grouped by subject and uses the project prefixes.
- ``trig`` and ``nq`` keep every quad with its graph: importing them back gives the same dataset.
- ``jsonld`` keeps the graphs too (one ``@graph`` per document) and carries its ``@context`` inline,
  never as a link to fetch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tradekg.errors import InputError, UsageError
from tradekg.namespaces import PREFIXES

if TYPE_CHECKING:
    from tradekg.backend import Backend

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
    return (ox.serialize(items, format=_FORMATS[fmt], prefixes=prefixes) or b"").decode("utf-8")


def jsonld(quads: list[ox.Quad]) -> str:
    """JSON-LD (compacted with the project prefixes as an inline context), one ``@graph`` per graph."""
    import rdflib

    ds = rdflib.Dataset()
    data = (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
    if data:
        ds.parse(data=data, format="nquads")
    text = ds.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    # Re-dump to make sure what we write is plain JSON with the context inline (never a URL).
    doc = json.loads(text)
    ctx = doc.get("@context") if isinstance(doc, dict) else None
    if isinstance(doc, dict) and not isinstance(ctx, dict):
        doc["@context"] = dict(PREFIXES)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def export_dataset(backend: Backend, fmt: str, *, document: str | None = None, include_system: bool = False,
                   path: str | os.PathLike[str] | None = None) -> str:
    """The store's documents (or one) serialized in ``fmt``; with ``path`` also written there.

    ``include_system`` adds the ontology, gazetteer and meta graphs. An unknown document is a UsageError.
    """
    from tradekg.backend import SYSTEM_GRAPHS
    from tradekg.results import document_graph_name

    if fmt not in SUFFIXES:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(SUFFIXES)}")
    names = backend.graph_names()
    if document is not None:
        name = document_graph_name(document)
        if name not in names or name in SYSTEM_GRAPHS:
            raise UsageError(f"no document {document!r} in the store {backend.location}")
        wanted = [name]
    else:
        wanted = [g for g in names if include_system or g not in SYSTEM_GRAPHS]
    text = serialize([q for g in wanted for q in backend.quads(g)], fmt)
    if path is not None:
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as err:
            raise InputError(f"cannot write: {err.strerror or err}", path=Path(path)) from None
    return text
