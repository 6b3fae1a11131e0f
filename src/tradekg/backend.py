"""The interface every store implements, and the plain data that crosses it.

A store is an RDF dataset: one named graph per document (``tkdoc:<id>``), plus the system graphs
``tkg:ontology``, ``tkg:gazetteer`` and ``tkg:meta``. Everything above the store (ingest, queries, export,
ask) talks to a :class:`Backend`, and nothing above it asks which backend it has: the embedded on-disk
Oxigraph (:mod:`tradekg.store`) and a SPARQL 1.1 endpoint (:mod:`tradekg.store_remote`) both implement
every method here, each in its own fastest way.

This module imports only pyoxigraph, so that read commands start fast.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tradekg.errors import TradekgError
from tradekg.namespaces import GAZETTEER_GRAPH_IRI, META_GRAPH_IRI, ONTOLOGY_GRAPH_IRI

DEFAULT_STORE = "tradekg-store"
SYSTEM_GRAPHS = (ONTOLOGY_GRAPH_IRI, GAZETTEER_GRAPH_IRI, META_GRAPH_IRI)

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Subject = ox.NamedNode | ox.BlankNode

#: The export formats a store restores with :meth:`Backend.load_file` (they keep each document's graph).
LOAD_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}


class QueryTimeoutError(TradekgError):
    """A query that ran longer than its timeout and was stopped."""


@dataclass
class RawResult:
    """What a backend returns for a query, before formatting.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE). ``rows`` hold pyoxigraph terms
    (``None`` for an unbound variable); ``triples`` hold pyoxigraph triples; ``truncated`` says that
    ``limit`` cut the result.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False


def store_location(store: str | os.PathLike[str] | None = None) -> str:
    """The store to use: the argument, else ``$TRADEKG_STORE``, else ``./tradekg-store``.

    >>> store_location("/tmp/x")
    '/tmp/x'
    """
    if store:
        return os.fspath(store)
    return os.environ.get("TRADEKG_STORE") or DEFAULT_STORE


class Backend(ABC):
    """The operations tradekg needs from a store; the unit of atomicity is one named graph."""

    location: str

    @abstractmethod
    def query(
        self, sparql: str, *, limit: int | None = None, timeout: float | None = None, union: bool = True
    ) -> RawResult:
        """Run a read-only query (SELECT/ASK/CONSTRUCT/DESCRIBE) with the project prefixes declared."""

    @abstractmethod
    def replace_graph(self, graph: str, triples: list[ox.Triple], extra_update: str = "") -> bool:
        """Atomically make ``graph`` hold exactly ``triples``; False when it already did (nothing written).

        ``extra_update`` (SPARQL update operations) runs in the same transaction.
        """

    def write_triples(self, graph: str, triples: Sequence[tuple[Term, Term, Term]]) -> bool:
        """:meth:`replace_graph` from ``(s, p, o)`` tuples of pyoxigraph terms (a document's ``triples``).

        Blank nodes become fresh ones, so that two documents' ``_:b0`` stay apart. Backends may override
        this with a faster write.
        """
        return self.replace_graph(graph, [as_triple(t) for t in fresh_bnodes(triples)])

    @abstractmethod
    def drop_graph(self, graph: str) -> bool:
        """Remove one named graph; False when it did not exist."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update as one transaction (only on a writable backend)."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        """The names of all named graphs, sorted."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """All quads, or those of one named graph."""

    def quads_for_pattern(self, subject: Subject | None = None, predicate: ox.NamedNode | None = None,
                          object: Term | None = None, graph: ox.NamedNode | None = None,  # noqa: A002
                          ) -> Iterator[ox.Quad]:
        """The quads of the named graphs that match the given terms (``None`` matches anything).

        This default asks one SELECT with the terms written by pyoxigraph (escaped, never pasted text);
        the on-disk store overrides it with a direct scan of its indexes, which is much faster.
        """
        fixed = {"s": subject, "p": predicate, "o": object, "g": graph}
        bound = " ".join(f"VALUES ?{k} {{ {t} }}" for k, t in fixed.items() if t is not None)
        text = f"SELECT ?s ?p ?o ?g WHERE {{ {bound} GRAPH ?g {{ ?s ?p ?o }} }}"
        for row in self.query(text, union=False).rows:
            s, p, o, g = (row.get(k) for k in "spog")
            if isinstance(s, ox.NamedNode | ox.BlankNode) and isinstance(p, ox.NamedNode) and o is not None \
                    and isinstance(g, ox.NamedNode):
                yield ox.Quad(s, p, o, g)

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in the store or in one graph."""

    @abstractmethod
    def load_file(self, path: Path, *, jobs: int = 1, lenient: bool = False) -> None:
        """Add the quads of a TriG or N-Quads file (see :data:`LOAD_FORMATS`) by the backend's fastest path.

        No validation, no comparison with what the store holds: this is for restoring an export. ``jobs``
        and ``lenient`` (skip what cannot be parsed) are hints a backend may ignore. A file that cannot be
        read raises ``SyntaxError`` or ``OSError``; what was added before that stays (the caller cleans up).
        """

    def close(self) -> None:  # noqa: B027 - a backend without resources to release need not override it
        """Release the store (and its write lock)."""


def fresh_bnodes(triples: Sequence[tuple[Term, Term, Term]]) -> Sequence[tuple[Term, Term, Term]]:
    """The triples with each blank node replaced by a fresh one (the same one for the same label).

    >>> a = ox.BlankNode("a")
    >>> (s, _, o), = fresh_bnodes([(a, ox.NamedNode("http://e/p"), a)])
    >>> s == o and s != a
    True
    """
    bnode = ox.BlankNode
    if not any(isinstance(s, bnode) or isinstance(o, bnode) for s, _p, o in triples):
        return triples
    fresh: dict[ox.BlankNode, ox.BlankNode] = {}

    def swap(term: Any) -> Any:
        return fresh.setdefault(term, bnode()) if isinstance(term, bnode) else term

    return [(swap(s), p, swap(o)) for s, p, o in triples]


def as_triple(t: tuple[Term, Term, Term]) -> ox.Triple:
    """A ``(s, p, o)`` tuple as a pyoxigraph Triple; a literal subject or a non-IRI predicate is a TypeError,
    as pyoxigraph itself raises.

    >>> as_triple((ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("1"))).object
    <Literal value=1 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    s, p, o = t
    if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {s} {p} {o}")
    return ox.Triple(s, p, o)


def replace_graph_update(graph: str, triples: Iterable[ox.Triple]) -> str:
    """The SPARQL update that replaces one graph; terms are written by pyoxigraph, so they are escaped.

    >>> t = ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal('say "hi"'))
    >>> print(replace_graph_update("http://e/g", [t]))
    DROP SILENT GRAPH <http://e/g> ;
    INSERT DATA { GRAPH <http://e/g> {
    <http://e/a> <http://e/p> "say \\"hi\\"" .
    } }
    """
    g = ox.NamedNode(graph)
    body = "".join(f"{t} .\n" for t in triples)
    return f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}}} }}"


def term_to_json(t: Term | None) -> dict[str, str] | None:
    """A term in the W3C SPARQL-JSON results encoding.

    >>> term_to_json(ox.Literal("hi", language="en"))
    {'type': 'literal', 'value': 'hi', 'xml:lang': 'en'}
    """
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        if t.language:
            return {"type": "literal", "value": t.value, "xml:lang": t.language}
        return {"type": "literal", "value": t.value, "datatype": t.datatype.value}
    return {"type": "literal", "value": str(t)}  # an RDF 1.2 triple term: shown as text


def term_from_json(d: dict[str, str] | None) -> Term | None:
    """Inverse of :func:`term_to_json`.

    >>> term_from_json({"type": "uri", "value": "http://e/a"})
    <NamedNode value=http://e/a>
    """
    if d is None:
        return None
    if d["type"] == "uri":
        return ox.NamedNode(d["value"])
    if d["type"] == "bnode":
        return ox.BlankNode(d["value"])
    if "xml:lang" in d:
        return ox.Literal(d["value"], language=d["xml:lang"])
    return ox.Literal(d["value"], datatype=ox.NamedNode(d["datatype"]))
