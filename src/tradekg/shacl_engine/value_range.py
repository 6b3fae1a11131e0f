"""Value range constraint components (SHACL 4.3): ``sh:minInclusive``, ``sh:maxInclusive``,
``sh:minExclusive``, ``sh:maxExclusive``; and the literal comparison they share with ``sh:lessThan``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import SH, XSD

from ..terms import XSD_INTEGER, is_ill_typed, to_ox, to_rdflib
from .data import Node
from .shape import Check, CompiledShape, Compiler, ShapeNode, each

_NUMERIC = {to_ox(d) for d in (XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long,
                                XSD.nonNegativeInteger)}
_INTEGER_LEXICAL = re.compile(r"[+-]?[0-9]+")


def checks(shapes: Compiler, node: ShapeNode, shape: CompiledShape) -> Iterator[Check]:
    """The checks of ``node``'s value range parameters."""
    one = shapes.graph.value
    for pred, component, ok in (
        (SH.minInclusive, SH.MinInclusiveConstraintComponent, lambda v, b: b <= v),
        (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, lambda v, b: v <= b),
        (SH.minExclusive, SH.MinExclusiveConstraintComponent, lambda v, b: b < v),
        (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, lambda v, b: v < b),
    ):
        if (bound := one(node, pred)) is not None:
            bound = to_ox(bound)
            yield each(shape, component,
                       lambda run, v, b=bound, ok=ok: v not in run.data.ill_typed and compare(v, b, ok))


def compare(value: Node, bound: Node, ok: Callable[[Any, Any], bool]) -> bool:
    """SHACL's value comparison (``<`` and friends) of two literals, as pySHACL makes it with rdflib."""
    if not isinstance(value, ox.Literal) or not isinstance(bound, ox.Literal):
        return False
    if (value.datatype == XSD_INTEGER and bound.datatype == XSD_INTEGER
            and _INTEGER_LEXICAL.fullmatch(value.value) and _INTEGER_LEXICAL.fullmatch(bound.value)):
        return bool(ok(int(value.value), int(bound.value)))  # offsets: what rdflib's toPython gives
    if is_ill_typed(value):
        return False
    a, b = to_rdflib(value).toPython(), to_rdflib(bound).toPython()
    if isinstance(a, str) or isinstance(b, str):
        if (value.datatype in _NUMERIC) != (bound.datatype in _NUMERIC):
            return False
    try:
        return bool(ok(a, b))
    except TypeError:
        return False
