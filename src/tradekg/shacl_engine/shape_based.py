"""Shape-based constraint components (SHACL 4.7): ``sh:node``.

``sh:property`` is compiled as a shape's nested property shapes (see :mod:`.shapes_graph`);
``sh:qualifiedValueShape`` is not used by our shapes and is refused.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.namespace import SH

from .shape import Check, CompiledShape, Compiler, ShapeNode, conforms, each


def checks(shapes: Compiler, node: ShapeNode, shape: CompiledShape) -> Iterator[Check]:
    """The checks of ``node``'s ``sh:node``: each value node must conform to the named shape."""
    for other in shapes.graph.objects(node, SH.node):
        yield each(shape, SH.NodeConstraintComponent, conforms(all, [shapes.shape(other)]))
