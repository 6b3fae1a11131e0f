"""The validation report (SHACL 3.6): one :class:`Result` per violated constraint, and the report graph.

The engine keeps results as plain objects (the validator reads them directly); :func:`results_graph`
writes them as the ``sh:ValidationReport`` graph pySHACL returns, for callers that want RDF.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ..terms import to_rdflib
from .data import Node
from .shape import ShapeNode


@dataclass
class Result:
    """One validation result, in the terms of SHACL's results vocabulary (section 3.6).

    ``focus``, ``path`` and ``value`` are data-graph terms (pyoxigraph); the rest come from the shapes
    graph (rdflib).
    """

    focus: Node
    path: ox.NamedNode | None
    value: Node | None
    severity: URIRef
    messages: list[Literal]
    shape: ShapeNode
    component: URIRef


def results_graph(results: list[Result]) -> Graph:
    """The results as a SHACL validation report graph (sh:ValidationReport), as pySHACL returns it."""
    g = Graph()
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not results)))
    for r in results:
        node = BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, to_rdflib(r.focus)))
        g.add((node, SH.resultSeverity, r.severity))
        g.add((node, SH.sourceShape, r.shape))
        g.add((node, SH.sourceConstraintComponent, r.component))
        if r.path is not None:
            g.add((node, SH.resultPath, to_rdflib(r.path)))
        if r.value is not None:
            g.add((node, SH.value, to_rdflib(r.value)))
        for message in r.messages:
            g.add((node, SH.resultMessage, message))
    return g
