"""The shapes graph (SHACL 2), compiled once: every shape to a :class:`~.shape.CompiledShape`.

Shapes are found as SHACL says (2.1: instances of ``sh:NodeShape`` or ``sh:PropertyShape`` and subjects
of a target), their paths and targets read, and their parameters handed to the constraint component
modules in the order the checks have always run (it decides the order of the results): value type (4.1),
cardinality (4.2), value range (4.3), string-based (4.4), other (4.8: ``sh:in``, ``sh:hasValue``),
property pair (4.5), shape-based (4.7), logical (4.6), SPARQL-based (5). A parameter none of them knows
raises :class:`~.shape.UnsupportedShapes`, and the caller falls back to pySHACL.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from ..terms import to_ox
from . import cardinality, logical, other, property_pair, shape_based, sparql, string_based, value_range, value_type
from .data import Node
from .shape import Check, CompiledShape, ShapeNode, UnsupportedShapes
from .targets import TARGET_KINDS

_SUPPORTED = {
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.path, SH.property,
    SH.severity, SH.message, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive, SH.pattern, SH.flags, SH["in"], SH.hasValue, SH.disjoint, SH.equals,
    SH.lessThan, SH.node, SH["not"], SH["and"], SH["or"], SH.sparql, SH.declare, SH.prefixes,
    RDF.type, RDFS.label, RDFS.comment,
}
# The component modules, in the order their checks run.
_COMPONENTS = (value_type, cardinality, value_range, string_based, other, property_pair, shape_based, logical,
               sparql)


class CompiledShapes:
    """The shapes graph, compiled once; :func:`tradekg.shacl_engine.validate` runs it over a data graph."""

    def __init__(self, shapes: Graph) -> None:
        self.graph = shapes
        self._compiled: dict[ShapeNode, CompiledShape] = {}
        #: Predicates the SPARQL constraints read; None once one reads any (a variable or path predicate).
        self.sparql_predicates: frozenset[Node] | None = frozenset()
        roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
        for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            roots |= set(shapes.subjects(pred, None))
        self.targeted = [self.shape(node) for node in sorted(roots, key=str)]
        self.targeted = [s for s in self.targeted if s.targets]

    def shape(self, node: ShapeNode) -> CompiledShape:
        """The compiled form of the shape ``node`` (compiled once, so recursive shapes terminate)."""
        if node in self._compiled:
            return self._compiled[node]
        g = self.graph
        for pred in set(g.predicates(node, None)):
            if pred not in _SUPPORTED and not str(pred).startswith("https://w3id.org/tradekg/"):
                raise UnsupportedShapes(f"{pred} on shape {node}")
        compiled = CompiledShape(node)
        self._compiled[node] = compiled
        if g.value(node, SH.deactivated) == Literal(True):
            return compiled
        path = g.value(node, SH.path)
        if path is not None:
            if isinstance(path, URIRef):
                compiled.path = to_ox(path)
            elif (inv := g.value(path, SH.inversePath)) is not None and isinstance(inv, URIRef):
                compiled.path, compiled.inverse = to_ox(inv), True
            else:
                raise UnsupportedShapes(f"complex property path on {node}")
        compiled.severity = g.value(node, SH.severity) or SH.Violation
        compiled.messages = sorted(m for m in g.objects(node, SH.message) if isinstance(m, Literal))
        for pred in TARGET_KINDS:  # these very objects: focus_nodes compares them by identity
            compiled.targets += [(pred, to_ox(t)) for t in g.objects(node, pred)]
        compiled.checks = list(self._checks(node, compiled))
        compiled.properties = [self.shape(p) for p in g.objects(node, SH.property)]
        return compiled

    def list_of(self, node: ShapeNode) -> list[ShapeNode]:
        """The members of the RDF list ``node`` (``sh:in``, ``sh:and``, ``sh:or``)."""
        return list(Collection(self.graph, node))

    def _checks(self, node: ShapeNode, shape: CompiledShape) -> Iterable[Check]:
        for component in _COMPONENTS:
            yield from component.checks(self, node, shape)
