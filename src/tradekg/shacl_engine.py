"""A compiled SHACL engine for the subset of SHACL our shapes use, about fifty times faster than pySHACL.

Bulk ingest validates every document, and pySHACL's interpretation of 120 shapes costs tens of
milliseconds per document. This engine compiles the shapes graph once into plain Python checks over an
index of the data graph, and runs SPARQL-based constraints on an in-memory Oxigraph store. The shapes
file stays the single contract: the engine reads it, and ``tests/test_shacl_engine.py`` holds the engine
to pySHACL's results on the seed, on every broken case and on fuzzed documents.

Sections follow the SHACL specification (https://www.w3.org/TR/shacl/):

- 2.1.3 targets: ``sh:targetClass`` (with ``rdfs:subClassOf`` in the data graph), ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``;
- 2.3 property paths: predicate paths and ``sh:inversePath`` of a predicate;
- 4 core constraint components: ``class``, ``datatype``, ``nodeKind``, ``minCount``, ``maxCount``,
  ``minInclusive``, ``maxInclusive``, ``minExclusive``, ``maxExclusive``, ``pattern`` (with ``flags``),
  ``in``, ``hasValue``, ``disjoint``, ``equals``, ``lessThan``, ``node``, ``not``, ``and``, ``or``;
- 5 SPARQL-based constraints (``sh:sparql`` with ``sh:select``, ``$this`` pre-bound, ``sh:prefixes``).

Anything else raises :class:`UnsupportedShapes` at compile time, and the caller falls back to pySHACL.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from .terms import to_ox as _ox

Node = URIRef | BNode | Literal


class UnsupportedShapes(Exception):
    """The shapes use a SHACL feature this engine does not implement."""


@dataclass
class Result:
    """One validation result, in the terms of SHACL's results vocabulary (section 3.6)."""

    focus: Node
    path: URIRef | None
    value: Node | None
    severity: URIRef
    messages: list[Literal]
    shape: Node
    component: URIRef


# -- the data graph, indexed once per validation --------------------------------------------------------


class DataIndex:
    """Subject → predicate → objects (and the inverse) of a graph, plus each node's class closure."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.triples = list(triples)
        spo: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        ops: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        by_predicate: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        for s, p, o in self.triples:
            spo[s][p].append(o)
            ops[o][p].append(s)
            by_predicate[p].append((s, o))
        self.spo, self.ops, self.by_predicate = spo, ops, by_predicate
        supers: dict[Node, set[Node]] = defaultdict(set)
        for s, o in by_predicate.get(RDFS.subClassOf, ()):
            supers[s].add(o)
        self._closure: dict[Node, set[Node]] = {}
        self._supers = supers
        self._store: ox.Store | None = None
        self._instances: dict[Node, list[Node]] | None = None

    def objects(self, s: Node, p: Node) -> list[Node]:
        return self.spo.get(s, {}).get(p, [])

    def subjects(self, p: Node, o: Node) -> list[Node]:
        return self.ops.get(o, {}).get(p, [])

    def superclasses(self, cls: Node) -> set[Node]:
        """``cls`` and every class above it by rdfs:subClassOf."""
        found = self._closure.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for sup in self._supers.get(todo.pop(), ()):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._closure[cls] = found
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        return any(cls in self.superclasses(t) for t in self.objects(node, RDF.type))

    def instances(self, cls: Node) -> list[Node]:
        if self._instances is None:
            by_class: dict[Node, dict[Node, None]] = defaultdict(dict)
            for s, t in self.by_predicate.get(RDF.type, ()):
                for sup in self.superclasses(t):
                    by_class[sup][s] = None
            self._instances = {c: list(members) for c, members in by_class.items()}
        return self._instances.get(cls, [])

    def store(self) -> ox.Store:
        """The same triples in an in-memory Oxigraph store, built on first use (for SPARQL constraints)."""
        if self._store is None:
            self._store = ox.Store()
            self._store.extend(ox.Quad(_ox(s), _ox(p), _ox(o)) for s, p, o in self.triples)
        return self._store


def _rdflib(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


# -- compiled shapes ------------------------------------------------------------------------------------

Check = Callable[["_Run", Node, URIRef | None, list[Node]], None]


@dataclass
class CompiledShape:
    node: Node
    path: URIRef | None = None
    inverse: bool = False
    severity: URIRef = SH.Violation
    messages: list[Literal] = field(default_factory=list)
    targets: list[tuple[URIRef, Node]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    properties: list[CompiledShape] = field(default_factory=list)

    def value_nodes(self, data: DataIndex, focus: Node) -> list[Node]:
        if self.path is None:
            return [focus]
        return data.subjects(self.path, focus) if self.inverse else data.objects(focus, self.path)


_SUPPORTED = {
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.path, SH.property,
    SH.severity, SH.message, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive, SH.pattern, SH.flags, SH["in"], SH.hasValue, SH.disjoint, SH.equals,
    SH.lessThan, SH.node, SH["not"], SH["and"], SH["or"], SH.sparql, SH.declare, SH.prefixes,
    RDF.type, RDFS.label, RDFS.comment,
}


class CompiledShapes:
    """The shapes graph, compiled once; :meth:`validate` runs it over a data graph."""

    def __init__(self, shapes: Graph) -> None:
        self.graph = shapes
        self._compiled: dict[Node, CompiledShape] = {}
        roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
        for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            roots |= set(shapes.subjects(pred, None))
        self.targeted = [self.shape(node) for node in sorted(roots, key=str)]
        self.targeted = [s for s in self.targeted if s.targets]

    def shape(self, node: Node) -> CompiledShape:
        if node in self._compiled:
            return self._compiled[node]
        g = self.graph
        for pred in set(g.predicates(node, None)):
            if pred not in _SUPPORTED and not str(pred).startswith("https://w3id.org/tradekg/"):
                raise UnsupportedShapes(f"{pred} on shape {node}")
        compiled = CompiledShape(node)
        self._compiled[node] = compiled
        if g.value(node, SH.deactivated) == Literal(True):
            return compiled
        path = g.value(node, SH.path)
        if path is not None:
            if isinstance(path, URIRef):
                compiled.path = path
            elif (inv := g.value(path, SH.inversePath)) is not None and isinstance(inv, URIRef):
                compiled.path, compiled.inverse = inv, True
            else:
                raise UnsupportedShapes(f"complex property path on {node}")
        compiled.severity = g.value(node, SH.severity) or SH.Violation
        compiled.messages = sorted(g.objects(node, SH.message))
        for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            compiled.targets += [(pred, t) for t in g.objects(node, pred)]
        compiled.checks = list(self._checks(node, compiled))
        compiled.properties = [self.shape(p) for p in g.objects(node, SH.property)]
        return compiled

    def _list(self, node: Node) -> list[Node]:
        return list(Collection(self.graph, node))

    def _checks(self, node: Node, shape: CompiledShape) -> Iterable[Check]:  # noqa: C901 - one branch per component
        g = self.graph
        one = g.value
        if (cls := one(node, SH["class"])) is not None:
            yield _each(SH.ClassConstraintComponent, lambda run, v, c=cls: run.data.is_instance(v, c))
        if (dt := one(node, SH.datatype)) is not None:
            yield _each(SH.DatatypeConstraintComponent, lambda run, v, d=dt: _has_datatype(v, d))
        if (kind := one(node, SH.nodeKind)) is not None:
            yield _each(SH.NodeKindConstraintComponent, lambda run, v, k=kind: _has_kind(v, k))
        if (n := one(node, SH.minCount)) is not None:
            yield _count(SH.MinCountConstraintComponent, lambda k, n=int(n): k >= n)
        if (n := one(node, SH.maxCount)) is not None:
            yield _count(SH.MaxCountConstraintComponent, lambda k, n=int(n): k <= n)
        for pred, component, ok in (
            (SH.minInclusive, SH.MinInclusiveConstraintComponent, lambda v, b: b <= v),
            (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, lambda v, b: v <= b),
            (SH.minExclusive, SH.MinExclusiveConstraintComponent, lambda v, b: b < v),
            (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, lambda v, b: v < b),
        ):
            if (bound := one(node, pred)) is not None:
                yield _each(component, lambda run, v, b=bound, ok=ok: _compare(v, b, ok))
        if (pattern := one(node, SH.pattern)) is not None:
            flags = str(one(node, SH.flags) or "")
            rx = re.compile(str(pattern), re.IGNORECASE if "i" in flags else 0)
            yield _each(
                SH.PatternConstraintComponent,
                lambda run, v, rx=rx: not isinstance(v, BNode) and rx.search(str(v)) is not None,
            )
        if (members := one(node, SH["in"])) is not None:
            allowed = set(self._list(members))
            yield _each(SH.InConstraintComponent, lambda run, v, a=allowed: v in a)
        if (wanted := one(node, SH.hasValue)) is not None:
            yield _has_value(wanted)
        for pred, component in (
            (SH.disjoint, SH.DisjointConstraintComponent),
            (SH.equals, SH.EqualsConstraintComponent),
            (SH.lessThan, SH.LessThanConstraintComponent),
        ):
            for other in g.objects(node, pred):
                yield _pair(component, other)
        for other in g.objects(node, SH.node):
            target = self.shape(other)
            yield _each(SH.NodeConstraintComponent, lambda run, v, s=target: run.conforms(s, v))
        for other in g.objects(node, SH["not"]):
            target = self.shape(other)
            yield _each(SH.NotConstraintComponent, lambda run, v, s=target: not run.conforms(s, v))
        for members in g.objects(node, SH["and"]):
            shapes = [self.shape(m) for m in self._list(members)]
            yield _each(SH.AndConstraintComponent, lambda run, v, ss=shapes: all(run.conforms(s, v) for s in ss))
        for members in g.objects(node, SH["or"]):
            shapes = [self.shape(m) for m in self._list(members)]
            yield _each(SH.OrConstraintComponent, lambda run, v, ss=shapes: any(run.conforms(s, v) for s in ss))
        for constraint in g.objects(node, SH.sparql):
            yield self._sparql(constraint, shape)

    def _sparql(self, constraint: Node, shape: CompiledShape) -> Check:
        g = self.graph
        select = g.value(constraint, SH.select)
        if select is None:
            raise UnsupportedShapes(f"SPARQL constraint without sh:select on {shape.node}")
        prologue = "".join(
            f"PREFIX {g.value(decl, SH.prefix)}: <{g.value(decl, SH.namespace)}>\n"
            for source in g.objects(constraint, SH.prefixes)
            for decl in g.objects(source, SH.declare)
        )
        query = prologue + str(select)
        own_messages = sorted(g.objects(constraint, SH.message))

        def check(run: _Run, focus: Node, path: URIRef | None, values: list[Node]) -> None:
            solutions = run.data.store().query(query, substitutions={ox.Variable("this"): _ox(focus)})
            names = [v.value for v in solutions.variables]
            for solution in solutions:
                row = {name: _rdflib(solution[name]) for name in names if solution[name] is not None}
                value = row.get("value", focus if shape.path is None else None)
                result_path = row.get("path", path)
                messages = own_messages or shape.messages
                run.report(shape, focus, result_path, value, SH.SPARQLConstraintComponent, _fill(messages, row, focus))

        return check


def _fill(messages: list[Literal], row: dict[str, Node], focus: Node) -> list[Literal]:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "this":
            return str(focus)
        return str(row[name]) if name in row else match.group(0)

    return [Literal(re.sub(r"\{[?$](\w+)\}", sub, str(m)), lang=m.language) for m in messages]


def _each(component: URIRef, ok: Callable[[_Run, Node], bool]) -> Check:
    def check(run: _Run, focus: Node, path: URIRef | None, values: list[Node]) -> None:
        for value in values:
            if not ok(run, value):
                run.report(run.shape, focus, path, value, component)

    return check


def _count(component: URIRef, ok: Callable[[int], bool]) -> Check:
    def check(run: _Run, focus: Node, path: URIRef | None, values: list[Node]) -> None:
        if not ok(len(set(values))):
            run.report(run.shape, focus, path, None, component)

    return check


def _has_value(wanted: Node) -> Check:
    def check(run: _Run, focus: Node, path: URIRef | None, values: list[Node]) -> None:
        if wanted not in values:
            run.report(run.shape, focus, path, None, SH.HasValueConstraintComponent)

    return check


def _pair(component: URIRef, other: Node) -> Check:
    def check(run: _Run, focus: Node, path: URIRef | None, values: list[Node]) -> None:
        others = run.data.objects(focus, other)
        if component == SH.DisjointConstraintComponent:
            bad = [v for v in values if v in others]
        elif component == SH.EqualsConstraintComponent:
            bad = [v for v in values if v not in others] + [o for o in others if o not in values]
        else:
            bad = [v for v in values if any(not _compare(v, o, lambda a, b: a < b) for o in others)]
        for value in dict.fromkeys(bad):
            run.report(run.shape, focus, path, value, component)

    return check


_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}


_LANG_STRING, _STRING = RDF.langString, XSD.string


def _has_datatype(value: Node, datatype: Node) -> bool:
    if not isinstance(value, Literal):
        return False
    actual = value.datatype or (_LANG_STRING if value.language else _STRING)
    return actual == datatype and not value.ill_typed


_KIND_TESTS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


def _has_kind(value: Node, kind: Node) -> bool:
    return isinstance(value, _KIND_TESTS.get(kind, ()))


def _compare(value: Node, bound: Node, ok: Callable[[Any, Any], bool]) -> bool:
    if not isinstance(value, Literal) or not isinstance(bound, Literal) or value.ill_typed:
        return False
    a, b = value.toPython(), bound.toPython()
    if isinstance(a, str) or isinstance(b, str):
        if (value.datatype in _NUMERIC) != (bound.datatype in _NUMERIC):
            return False
    try:
        return bool(ok(a, b))
    except TypeError:
        return False


# -- running ---------------------------------------------------------------------------------------------


class _Run:
    """One validation of one data graph."""

    def __init__(self, data: DataIndex, collect: bool = True) -> None:
        self.data = data
        self.results: list[Result] = []
        self.shape: CompiledShape | None = None
        self._collect = collect
        self.failed = False

    def report(
        self,
        shape: CompiledShape | None,
        focus: Node,
        path: URIRef | None,
        value: Node | None,
        component: URIRef,
        messages: list[Literal] | None = None,
    ) -> None:
        self.failed = True
        if self._collect and shape is not None:
            self.results.append(
                Result(focus, path, value, shape.severity, messages or shape.messages, shape.node, component)
            )

    def apply(self, shape: CompiledShape, focus: Node) -> None:
        values = shape.value_nodes(self.data, focus)
        outer, self.shape = self.shape, shape
        try:
            for check in shape.checks:
                check(self, focus, shape.path, values)
            for prop in shape.properties:
                for value in values:
                    self.apply(prop, value)
        finally:
            self.shape = outer

    def conforms(self, shape: CompiledShape, node: Node) -> bool:
        """Whether ``node`` conforms to ``shape`` (for sh:node, sh:or ...), without reporting."""
        probe = _Run(self.data, collect=False)
        probe.apply(shape, node)
        return not probe.failed


_TARGET_CLASS, _TARGET_NODE, _TARGET_SUBJECTS_OF = SH.targetClass, SH.targetNode, SH.targetSubjectsOf


def focus_nodes(shape: CompiledShape, data: DataIndex) -> list[Node]:
    """The focus nodes of a shape's targets (SHACL 2.1.3), each once, in a stable order."""
    found: dict[Node, None] = {}
    for kind, target in shape.targets:
        if kind == _TARGET_CLASS:
            nodes = data.instances(target)
        elif kind == _TARGET_NODE:
            nodes = [target]
        elif kind == _TARGET_SUBJECTS_OF:
            nodes = [s for s, _ in data.by_predicate.get(target, ())]
        else:
            nodes = [o for _, o in data.by_predicate.get(target, ())]
        found.update(dict.fromkeys(nodes))
    return list(found)


def validate(shapes: CompiledShapes, triples: Iterable[tuple[Node, Node, Node]]) -> list[Result]:
    """Validate the data graph given by ``triples``; return every result (any severity)."""
    data = DataIndex(triples)
    run = _Run(data)
    for shape in shapes.targeted:
        for focus in focus_nodes(shape, data):
            run.apply(shape, focus)
    return run.results


def results_graph(results: list[Result]) -> Graph:
    """The results as a SHACL validation report graph (sh:ValidationReport), as pySHACL returns it."""
    g = Graph()
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not results)))
    for r in results:
        node = BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, r.focus))
        g.add((node, SH.resultSeverity, r.severity))
        g.add((node, SH.sourceShape, r.shape))
        g.add((node, SH.sourceConstraintComponent, r.component))
        if r.path is not None:
            g.add((node, SH.resultPath, r.path))
        if r.value is not None:
            g.add((node, SH.value, r.value))
        for message in r.messages:
            g.add((node, SH.resultMessage, message))
    return g
