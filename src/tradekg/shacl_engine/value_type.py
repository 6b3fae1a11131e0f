"""Value type constraint components (SHACL 4.1): ``sh:class``, ``sh:datatype``, ``sh:nodeKind``."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib.namespace import SH

from ..terms import is_ill_typed, to_ox
from .data import Node
from .shape import Check, CompiledShape, Compiler, Run, ShapeNode, each

_KIND_TESTS: dict[ShapeNode, tuple[type, ...]] = {
    SH.IRI: (ox.NamedNode,),
    SH.BlankNode: (ox.BlankNode,),
    SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}


def checks(shapes: Compiler, node: ShapeNode, shape: CompiledShape) -> Iterator[Check]:
    """The checks of ``node``'s value type parameters."""
    one = shapes.graph.value
    if (cls := one(node, SH["class"])) is not None:
        yield _class(shape, to_ox(cls))
    if (dt := one(node, SH.datatype)) is not None:
        dt = to_ox(dt)
        yield each(shape, SH.DatatypeConstraintComponent,
                   lambda run, v, d=dt: _has_datatype(v, d) and v not in run.data.ill_typed)
    if (kind := one(node, SH.nodeKind)) is not None:
        yield _node_kind(shape, _KIND_TESTS.get(kind, ()))


def _class(shape: CompiledShape, cls: Node) -> Check:
    # sh:class is the most frequent check (every role of every event): no per-value lambda.
    component = SH.ClassConstraintComponent

    def check(run: Run, focus: Node, values: list[Node]) -> None:
        classes = run.data.classes
        for value in values:
            if cls not in classes(value):
                run.report(shape, focus, shape.path, value, component)

    return check


def _has_datatype(value: Node, datatype: Node) -> bool:
    # pyoxigraph gives a simple literal xsd:string and a language-tagged one rdf:langString, as SHACL does.
    return isinstance(value, ox.Literal) and value.datatype == datatype and not is_ill_typed(value)


def _node_kind(shape: CompiledShape, kinds: tuple[type, ...]) -> Check:
    component = SH.NodeKindConstraintComponent

    def check(run: Run, focus: Node, values: list[Node]) -> None:
        for value in values:
            if not isinstance(value, kinds):
                run.report(shape, focus, shape.path, value, component)

    return check
