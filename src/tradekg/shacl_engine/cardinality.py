"""Cardinality constraint components (SHACL 4.2): ``sh:minCount``, ``sh:maxCount``."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.namespace import SH

from .data import Node
from .shape import Check, CompiledShape, Compiler, Run, ShapeNode


def checks(shapes: Compiler, node: ShapeNode, shape: CompiledShape) -> Iterator[Check]:
    """The checks of ``node``'s cardinality parameters."""
    one = shapes.graph.value
    if (n := one(node, SH.minCount)) is not None:
        yield _count(shape, SH.MinCountConstraintComponent, int(n), None)
    if (n := one(node, SH.maxCount)) is not None:
        yield _count(shape, SH.MaxCountConstraintComponent, None, int(n))


def _count(shape: CompiledShape, component: URIRef, low: int | None, high: int | None) -> Check:
    def check(run: Run, focus: Node, values: list[Node]) -> None:
        k = len(values)
        if k > 1:
            k = len(set(values))  # the same triple may come from the document and the gazetteer
        if (low is not None and k < low) or (high is not None and k > high):
            run.report(shape, focus, shape.path, None, component)

    return check
