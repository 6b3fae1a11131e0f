"""Logical constraint components (SHACL 4.6): ``sh:not``, ``sh:and``, ``sh:or``.

Each value node is tested against the other shapes without reporting (:meth:`.run.Validation.conforms`) and the
answers combined. ``sh:xone`` is not used by our shapes and is refused.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.namespace import SH

from .shape import Check, CompiledShape, Compiler, ShapeNode, conforms, each, none


def checks(shapes: Compiler, node: ShapeNode, shape: CompiledShape) -> Iterator[Check]:
    """The checks of ``node``'s logical parameters."""
    g = shapes.graph
    for other in g.objects(node, SH["not"]):
        yield each(shape, SH.NotConstraintComponent, conforms(none, [shapes.shape(other)]))
    for members in g.objects(node, SH["and"]):
        yield each(shape, SH.AndConstraintComponent, conforms(all, [shapes.shape(m) for m in shapes.list_of(members)]))
    for members in g.objects(node, SH["or"]):
        yield each(shape, SH.OrConstraintComponent, conforms(any, [shapes.shape(m) for m in shapes.list_of(members)]))
