"""The loaded document: one article's triples, the graph they name, and the YAML line of each.

Both loaders (YAML built here, Turtle/TriG/JSON-LD parsed by rdflib) return a :class:`Document`; the
validator, the store and the extractor's draft all read it. It holds pyoxigraph triples and builds the
rdflib graph only when asked, because converting between the two cost most of a bulk ingest.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..terms import graph_to_ox, to_ox, to_rdflib

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Term, Term, Term]


class _QuietIllTyped(logging.Filter):
    # rdflib logs a full traceback for every ill-typed literal ("2025-02-30"^^xsd:date). Such a literal is
    # a finding that SHACL reports in words; the traceback would only frighten the user.
    def filter(self, record: logging.LogRecord) -> bool:
        return "Failed to convert Literal lexical form" not in record.getMessage()


logging.getLogger("rdflib.term").addFilter(_QuietIllTyped())


class Document:
    """One source document as RDF: its id, IRI, triples and the YAML lines its triples came from.

    ``triples`` are pyoxigraph terms ``(s, p, o)``, without duplicates; ``graph`` is the same as an rdflib
    graph named by the document (built on first use from the triples, or the other way round for RDF
    input, which rdflib parses). ``lines`` maps ``(subject, predicate or None)``, as pyoxigraph terms, to
    the YAML line (1-based); :meth:`line_for` takes rdflib or pyoxigraph terms.
    """

    def __init__(
        self,
        id: str,  # noqa: A002 - the documented attribute name
        iri: URIRef,
        graph: Graph | None = None,
        path: Path | None = None,
        lines: dict[tuple[Any, Any], int] | None = None,
        format: str = "yaml",  # noqa: A002 - the documented attribute name
        *,
        triples: list[Triple] | None = None,
    ) -> None:
        if graph is None and triples is None:
            raise ValueError("a Document needs its graph or its triples")
        self.id, self.iri, self.path, self.format = id, iri, path, format
        self.lines: dict[tuple[Any, Any], int] = lines if lines is not None else {}
        self._graph, self._triples = graph, triples
        self._ill_typed: frozenset[ox.Literal] = frozenset()

    def __repr__(self) -> str:
        return f"Document({self.id!r}, path={str(self.path) if self.path else None!r}, format={self.format!r})"

    @property
    def graph(self) -> Graph:
        """The document's triples as an rdflib graph whose identifier is the document IRI."""
        if self._graph is None:
            # SimpleMemory: per-document graphs need no contexts, and its adds cost half of Memory's.
            graph = Graph(store="SimpleMemory", identifier=self.iri)
            for s, p, o in self._triples or ():
                graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
            self._graph = graph
        return self._graph

    @graph.setter
    def graph(self, graph: Graph) -> None:
        self._graph, self._triples = graph, None

    @property
    def triples(self) -> list[Triple]:
        """The document's triples as pyoxigraph terms (blank nodes keep their rdflib labels)."""
        if self._triples is None:
            assert self._graph is not None
            self._triples, self._ill_typed = graph_to_ox(self._graph)
        return self._triples

    @property
    def ill_typed(self) -> frozenset[ox.Literal]:
        """Literals of an rdflib-parsed document that rdflib found ill-typed but whose pyoxigraph form
        does not show it (see :func:`tradekg.terms.graph_to_ox`); validation refuses them."""
        _ = self.triples
        return self._ill_typed

    def __len__(self) -> int:
        """The number of triples."""
        return len(self.triples)

    def line_for(self, subject: Any, predicate: Any = None) -> int | None:
        """The YAML line that wrote ``subject``'s ``predicate`` (or ``subject`` itself), if known."""
        if not self.lines:
            return None
        subject = _as_ox(subject)
        if predicate is not None:
            line = self.lines.get((subject, _as_ox(predicate)))
            if line:
                return line
        return self.lines.get((subject, None))


def _as_ox(term: Any) -> Any:
    return term if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else to_ox(term)
