"""Property pair constraint components (SHACL 4.5): ``sh:equals``, ``sh:disjoint``, ``sh:lessThan``.

Each compares a focus node's value nodes with its values of another property.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.namespace import SH

from ..terms import to_ox
from .data import Node
from .shape import Check, CompiledShape, Compiler, Run, ShapeNode
from .value_range import compare


def checks(shapes: Compiler, node: ShapeNode, shape: CompiledShape) -> Iterator[Check]:
    """The checks of ``node``'s property pair parameters."""
    for pred, component in (
        (SH.disjoint, SH.DisjointConstraintComponent),
        (SH.equals, SH.EqualsConstraintComponent),
        (SH.lessThan, SH.LessThanConstraintComponent),
    ):
        for other in shapes.graph.objects(node, pred):
            yield _pair(shape, component, to_ox(other))


def _pair(shape: CompiledShape, component: URIRef, other: Node) -> Check:
    kind = {SH.DisjointConstraintComponent: "disjoint", SH.EqualsConstraintComponent: "equals"}.get(component)

    def check(run: Run, focus: Node, values: list[Node]) -> None:
        others = run.data.objects(focus, other)
        if kind == "disjoint":
            bad = [v for v in values if v in others]
        elif kind == "equals":
            bad = [v for v in values if v not in others] + [o for o in others if o not in values]
        else:
            ill = run.data.ill_typed
            bad = [v for v in values if any(v in ill or not compare(v, o, lambda a, b: a < b) for o in others)]
        for value in dict.fromkeys(bad):
            run.report(shape, focus, shape.path, value, component)

    return check
