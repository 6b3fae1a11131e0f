"""Validation (SHACL 3.4): run the compiled shapes over one data graph and collect the results.

Every targeted shape is applied to each of its focus nodes (3.4: "validation of a focus node against a
shape"); property shapes nested with ``sh:property`` are applied to the value nodes in turn, and
``sh:node``, ``sh:not``, ``sh:and`` and ``sh:or`` ask :meth:`Validation.conforms` without reporting.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ..terms import graph_to_ox
from .data import NONE, DataIndex, Node
from .report import Result
from .shape import CompiledShape, Compiler
from .targets import focus_nodes


class Validation:
    """One validation of one data graph."""

    def __init__(self, data: DataIndex, collect: bool = True) -> None:
        self.data = data
        self.results: list[Result] = []
        self._collect = collect
        self.failed = False

    def report(
        self,
        shape: CompiledShape,
        focus: Node,
        path: ox.NamedNode | None,
        value: Node | None,
        component: URIRef,
        messages: list[Literal] | None = None,
    ) -> None:
        self.failed = True
        if self._collect:
            self.results.append(
                Result(focus, path, value, shape.severity, messages or shape.messages, shape.node, component)
            )

    def apply(self, shape: CompiledShape, focus: Node) -> None:
        path = shape.path
        if path is None:
            values = [focus]
        elif shape.inverse:
            values = self.data.subjects(path, focus)
        else:
            by_s = self.data.spo.get(focus)
            values = by_s.get(path, NONE) if by_s is not None else NONE
        for check in shape.checks:
            check(self, focus, values)
        for prop in shape.properties:
            for value in values:
                self.apply(prop, value)

    def conforms(self, shape: CompiledShape, node: Node) -> bool:
        """Whether ``node`` conforms to ``shape`` (for sh:node, sh:or ...), without reporting."""
        probe = Validation(self.data, collect=False)
        probe.apply(shape, node)
        return not probe.failed



def validate(shapes: Compiler, triples: Iterable[tuple[Any, Any, Any]],
             ill_typed: frozenset[Node] = frozenset()) -> list[Result]:
    """Validate the data graph given by ``triples`` (pyoxigraph terms); return every result (any severity).

    ``ill_typed`` names literals to treat as ill-typed whatever their lexical form (see
    :func:`tradekg.terms.graph_to_ox`). rdflib triples (an rdflib ``Graph``) are converted first, blank
    nodes keeping their labels.
    """
    triples = list(triples)
    if triples and not isinstance(triples[0][0], ox.NamedNode | ox.BlankNode):
        triples, lost = graph_to_ox(triples)
        ill_typed = ill_typed | lost
    data = DataIndex(triples, shapes.sparql_predicates, ill_typed)
    run = Validation(data)
    spo_get = data.spo.get
    for shape in shapes.targeted:
        nodes = focus_nodes(shape, data)
        if not nodes:
            continue
        path, checks = shape.path, shape.checks
        if path is None or shape.inverse or shape.properties:
            for focus in nodes:
                run.apply(shape, focus)
            continue
        # Most shapes are a property shape without nested shapes: Validation.apply, inlined.
        for focus in nodes:
            by_s = spo_get(focus)
            values = by_s.get(path, NONE) if by_s is not None else NONE
            for check in checks:
                check(run, focus, values)
    return run.results
