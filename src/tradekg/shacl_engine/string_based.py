"""String-based constraint components (SHACL 4.4): ``sh:pattern`` with ``sh:flags``.

``sh:minLength``, ``sh:maxLength``, ``sh:languageIn`` and ``sh:uniqueLang`` are not used by our shapes;
the compiler refuses them (:class:`~tradekg.shacl_engine.UnsupportedShapes`) and validation falls back to
pySHACL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib.namespace import SH

from .shape import Check, CompiledShape, Compiler, ShapeNode, each


def checks(shapes: Compiler, node: ShapeNode, shape: CompiledShape) -> Iterator[Check]:
    """The checks of ``node``'s string-based parameters."""
    one = shapes.graph.value
    if (pattern := one(node, SH.pattern)) is not None:
        flags = str(one(node, SH.flags) or "")
        rx = re.compile(str(pattern), re.IGNORECASE if "i" in flags else 0)
        yield each(
            shape, SH.PatternConstraintComponent,
            lambda run, v, rx=rx: not isinstance(v, ox.BlankNode) and rx.search(v.value) is not None,
        )
