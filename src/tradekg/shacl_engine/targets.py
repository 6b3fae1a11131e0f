"""Focus nodes (SHACL 2.1.3): which data nodes a shape's targets select.

``sh:targetClass`` takes instances through ``rdfs:subClassOf`` in the data graph (2.1.3.2),
``sh:targetNode`` the node itself, ``sh:targetSubjectsOf`` and ``sh:targetObjectsOf`` the subjects or
objects of a predicate.
"""

from __future__ import annotations

from rdflib.namespace import SH

from .data import DataIndex, Node
from .shape import CompiledShape

#: The target predicates, in the order shapes list them; the compiler stores these very objects so that
#: :func:`focus_nodes` can compare them by identity.
TARGET_KINDS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_TARGET_CLASS, _TARGET_NODE, _TARGET_SUBJECTS_OF = TARGET_KINDS[:3]


def focus_nodes(shape: CompiledShape, data: DataIndex) -> list[Node]:
    """The focus nodes of a shape's targets (SHACL 2.1.3), each once, in a stable order."""
    targets = shape.targets
    if len(targets) == 1:  # the common case: no merging
        kind, target = targets[0]
        if kind is _TARGET_CLASS:
            return data.instances(target)
        if kind is _TARGET_SUBJECTS_OF:
            return data.subjects_of(target)
    found: dict[Node, None] = {}
    for kind, target in targets:
        if kind is _TARGET_CLASS:
            nodes = data.instances(target)
        elif kind is _TARGET_NODE:
            nodes = [target]
        elif kind is _TARGET_SUBJECTS_OF:
            nodes = data.subjects_of(target)
        else:
            nodes = [o for _, o in data.by_predicate.get(target, ())]
        found.update(dict.fromkeys(nodes))
    return list(found)
