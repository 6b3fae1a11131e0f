"""A compiled shape (SHACL 2.1 shapes, 2.3 property paths) and the form every compiled constraint takes.

A shape compiles to its path (a predicate, or ``sh:inversePath`` of one), severity, messages, targets and
a list of checks; each constraint component module (value type, cardinality ...) turns its parameters into
checks with the helpers here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from .data import DataIndex, Node

#: A shapes-graph term (shape nodes, severities, components, messages stay rdflib terms). Any, because
#: rdflib types what Graph.value/objects return as its abstract Node, which none of its methods accept
#: back; the shapes graph holds only IRIs, blank nodes and literals.
ShapeNode = Any

#: One constraint of one shape: (run, focus node, value nodes) -> None, reporting through ``run``.
Check = Callable[["Run", Node, list[Node]], None]


class Run(Protocol):
    """What a check sees of one validation (:class:`.run.Validation`): the data, and where to report.

    Declared here, beside the checks that use it, so that the constraint component modules depend on
    this module alone and the modules that run and compile them can depend on those.
    """

    data: DataIndex

    def report(self, shape: CompiledShape, focus: Node, path: ox.NamedNode | None, value: Node | None,
               component: URIRef, messages: list[Literal] | None = None) -> None:
        """Record that ``focus`` (or its ``value``) violates ``component`` of ``shape``."""

    def conforms(self, shape: CompiledShape, node: Node) -> bool:
        """Whether ``node`` conforms to ``shape``, without reporting."""


class Compiler(Protocol):
    """What a constraint component module sees of the shapes graph being compiled
    (:class:`.shapes_graph.CompiledShapes`)."""

    graph: Graph
    #: Predicates the SPARQL constraints read; None once one reads any.
    sparql_predicates: frozenset[Node] | None
    targeted: list[CompiledShape]

    def shape(self, node: ShapeNode) -> CompiledShape:
        """The compiled form of the shape ``node``."""

    def list_of(self, node: ShapeNode) -> list[ShapeNode]:
        """The members of the RDF list ``node``."""


class UnsupportedShapes(Exception):
    """The shapes use a SHACL feature this engine does not implement."""


@dataclass
class CompiledShape:
    """One node or property shape, compiled: ``path`` None for a node shape (its value node is the focus)."""

    node: ShapeNode
    path: ox.NamedNode | None = None
    inverse: bool = False
    severity: URIRef = SH.Violation
    messages: list[Literal] = field(default_factory=list)
    targets: list[tuple[URIRef, Node]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    properties: list[CompiledShape] = field(default_factory=list)

    def value_nodes(self, data: DataIndex, focus: Node) -> list[Node]:
        """The value nodes of ``focus`` (SHACL 2.3): the focus itself, or what the path reaches."""
        if self.path is None:
            return [focus]
        return data.subjects(self.path, focus) if self.inverse else data.objects(focus, self.path)


def each(shape: CompiledShape, component: URIRef, ok: Callable[[Run, Node], bool]) -> Check:
    """A check that reports every value node for which ``ok`` is false (most components work value by value)."""
    def check(run: Run, focus: Node, values: list[Node]) -> None:
        for value in values:
            if not ok(run, value):
                run.report(shape, focus, shape.path, value, component)

    return check


def conforms(combine: Callable[[Iterable[bool]], bool], shapes: list[CompiledShape]) -> Callable[[Run, Node], bool]:
    """A value test: whether the value conforms to ``shapes``, combined by ``all``, ``any`` or ``none``."""
    return lambda run, v: combine(run.conforms(s, v) for s in shapes)


def none(results: Iterable[bool]) -> bool:
    """True when no result is true (``sh:not``'s combination)."""
    return not any(results)
