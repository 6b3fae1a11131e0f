"""Other constraint components (SHACL 4.8): ``sh:in`` and ``sh:hasValue``.

``sh:closed`` is not used by our shapes; the compiler refuses it and validation falls back to pySHACL.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.namespace import SH

from ..terms import to_ox
from .data import Node
from .shape import Check, CompiledShape, Compiler, Run, ShapeNode, each


def checks(shapes: Compiler, node: ShapeNode, shape: CompiledShape) -> Iterator[Check]:
    """The checks of ``node``'s ``sh:in`` and ``sh:hasValue``."""
    one = shapes.graph.value
    if (members := one(node, SH["in"])) is not None:
        allowed = {to_ox(m) for m in shapes.list_of(members)}
        yield each(shape, SH.InConstraintComponent, lambda run, v, a=allowed: v in a)
    if (wanted := one(node, SH.hasValue)) is not None:
        yield _has_value(shape, to_ox(wanted))


def _has_value(shape: CompiledShape, wanted: Node) -> Check:
    def check(run: Run, focus: Node, values: list[Node]) -> None:
        if wanted not in values:
            run.report(shape, focus, shape.path, None, SH.HasValueConstraintComponent)

    return check
