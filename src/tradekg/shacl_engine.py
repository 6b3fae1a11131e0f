"""A compiled SHACL engine for the subset of SHACL our shapes use, about fifty times faster than pySHACL.

Bulk ingest validates every document, and pySHACL's interpretation of 120 shapes costs tens of
milliseconds per document. This engine compiles the shapes graph once into plain Python checks over an
index of the data graph (pyoxigraph terms, as the annotation loader builds them: hashed and compared in
Rust, nothing converted), and runs SPARQL-based constraints on an in-memory Oxigraph store that holds only
the triples whose predicates those queries name. The shapes
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

from .terms import XSD_INTEGER, graph_to_ox, is_ill_typed, to_ox, to_rdflib

#: A data-graph term: the engine indexes pyoxigraph terms (hashed and compared in Rust).
Node = ox.NamedNode | ox.BlankNode | ox.Literal
#: A shapes-graph term (shape nodes, severities, components, messages stay rdflib terms). Any, because
#: rdflib types what Graph.value/objects return as its abstract Node, which none of its methods accept
#: back; the shapes graph holds only IRIs, blank nodes and literals.
ShapeNode = Any


class UnsupportedShapes(Exception):
    """The shapes use a SHACL feature this engine does not implement."""


@dataclass
class Result:
    """One validation result, in the terms of SHACL's results vocabulary (section 3.6).

    ``focus``, ``path`` and ``value`` are data-graph terms (pyoxigraph); the rest come from the shapes
    graph (rdflib).
    """

    focus: Node
    path: ox.NamedNode | None
    value: Node | None
    severity: URIRef
    messages: list[Literal]
    shape: ShapeNode
    component: URIRef


_TYPE, _SUBCLASS = to_ox(RDF.type), to_ox(RDFS.subClassOf)
_TARGET_KINDS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

# -- the data graph, indexed once per validation --------------------------------------------------------


class DataIndex:
    """Subject → predicate → objects (and the inverse) of a graph, plus each node's class closure.

    ``sparql_predicates`` names the predicates the SPARQL constraints read (None: any), so the in-memory
    store they run on holds only those triples.
    """

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]],
                 sparql_predicates: frozenset[Node] | None = None, ill_typed: frozenset[Node] = frozenset()) -> None:
        #: Literals known to be ill-typed beyond what their lexical form says (see terms.graph_to_ox).
        self.ill_typed = ill_typed
        spo: dict[Node, dict[Node, list[Node]]] = {}
        by_predicate: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        for s, p, o in triples:
            by_s = spo.get(s)
            if by_s is None:
                by_s = spo[s] = {}
            objs = by_s.get(p)
            if objs is None:
                by_s[p] = [o]
            else:
                objs.append(o)
            by_predicate[p].append((s, o))
        self.spo, self.by_predicate = spo, by_predicate
        self._ops: dict[Node, dict[Node, list[Node]]] | None = None
        supers: dict[Node, set[Node]] = defaultdict(set)
        for s, o in by_predicate.get(_SUBCLASS, ()):
            supers[s].add(o)
        self._closure: dict[Node, set[Node]] = {}
        self._classes: dict[Node, frozenset[Node]] = {}
        self._subjects_of: dict[Node, list[Node]] = {}
        self._supers = supers
        self._sparql_predicates = sparql_predicates
        self._store: ox.Store | None = None
        self._instances: dict[Node, list[Node]] | None = None

    def objects(self, s: Node, p: Node) -> list[Node]:
        by_s = self.spo.get(s)
        return by_s.get(p, _NONE) if by_s is not None else _NONE

    def subjects(self, p: Node, o: Node) -> list[Node]:
        if self._ops is None:  # inverse paths are rare: index them on first use
            ops: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
            for pred, pairs in self.by_predicate.items():
                for s, obj in pairs:
                    ops[obj][pred].append(s)
            self._ops = ops
        return self._ops.get(o, {}).get(p, _NONE)

    def subjects_of(self, p: Node) -> list[Node]:
        """The distinct subjects of ``p``, in order."""
        found = self._subjects_of.get(p)
        if found is None:
            found = self._subjects_of[p] = list(dict.fromkeys(s for s, _ in self.by_predicate.get(p, ())))
        return found

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

    def classes(self, node: Node) -> frozenset[Node]:
        """Every class ``node`` is an instance of (its types and their superclasses)."""
        found = self._classes.get(node)
        if found is None:
            found = frozenset(c for t in self.objects(node, _TYPE) for c in self.superclasses(t))
            self._classes[node] = found
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        return cls in self.classes(node)

    def instances(self, cls: Node) -> list[Node]:
        if self._instances is None:
            by_class: dict[Node, dict[Node, None]] = defaultdict(dict)
            for s, t in self.by_predicate.get(_TYPE, ()):
                for sup in self.superclasses(t):
                    by_class[sup][s] = None
            self._instances = {c: list(members) for c, members in by_class.items()}
        return self._instances.get(cls, _NONE)

    def store(self) -> ox.Store:
        """The triples SPARQL constraints read, in an in-memory Oxigraph store built on first use."""
        if self._store is None:
            wanted = self._sparql_predicates
            preds = self.by_predicate if wanted is None else [p for p in wanted if p in self.by_predicate]
            self._store = ox.Store()
            # Triples read from a graph: the predicates are IRIs and no subject is a literal.
            self._store.extend(ox.Quad(s, p, o) for p in preds for s, o in self.by_predicate[p])  # type: ignore[arg-type]
        return self._store


_NONE: list[Any] = []  # an empty answer, shared (never mutated)


# -- compiled shapes ------------------------------------------------------------------------------------

#: One constraint of one shape: (run, focus node, value nodes) -> None, reporting through ``run``.
Check = Callable[["_Run", Node, list[Node]], None]


@dataclass
class CompiledShape:
    node: ShapeNode
    path: ox.NamedNode | None = None
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
        self._compiled: dict[ShapeNode, CompiledShape] = {}
        #: Predicates the SPARQL constraints read; None once one reads any (a variable or path predicate).
        self.sparql_predicates: frozenset[Node] | None = frozenset()
        roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
        for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            roots |= set(shapes.subjects(pred, None))
        self.targeted = [self.shape(node) for node in sorted(roots, key=str)]
        self.targeted = [s for s in self.targeted if s.targets]

    def shape(self, node: ShapeNode) -> CompiledShape:
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
                compiled.path = to_ox(path)
            elif (inv := g.value(path, SH.inversePath)) is not None and isinstance(inv, URIRef):
                compiled.path, compiled.inverse = to_ox(inv), True
            else:
                raise UnsupportedShapes(f"complex property path on {node}")
        compiled.severity = g.value(node, SH.severity) or SH.Violation
        compiled.messages = sorted(m for m in g.objects(node, SH.message) if isinstance(m, Literal))
        for pred in _TARGET_KINDS:  # these very objects: focus_nodes compares them by identity
            compiled.targets += [(pred, to_ox(t)) for t in g.objects(node, pred)]
        compiled.checks = list(self._checks(node, compiled))
        compiled.properties = [self.shape(p) for p in g.objects(node, SH.property)]
        return compiled

    def _list(self, node: ShapeNode) -> list[ShapeNode]:
        return list(Collection(self.graph, node))

    def _checks(self, node: ShapeNode, shape: CompiledShape) -> Iterable[Check]:  # noqa: C901 - one branch per component
        g = self.graph
        one = g.value
        if (cls := one(node, SH["class"])) is not None:
            yield _class(shape, to_ox(cls))
        if (dt := one(node, SH.datatype)) is not None:
            dt = to_ox(dt)
            yield _each(shape, SH.DatatypeConstraintComponent,
                        lambda run, v, d=dt: _has_datatype(v, d) and v not in run.data.ill_typed)
        if (kind := one(node, SH.nodeKind)) is not None:
            yield _node_kind(shape, _KIND_TESTS.get(kind, ()))
        if (n := one(node, SH.minCount)) is not None:
            yield _count(shape, SH.MinCountConstraintComponent, int(n), None)
        if (n := one(node, SH.maxCount)) is not None:
            yield _count(shape, SH.MaxCountConstraintComponent, None, int(n))
        for pred, component, ok in (
            (SH.minInclusive, SH.MinInclusiveConstraintComponent, lambda v, b: b <= v),
            (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, lambda v, b: v <= b),
            (SH.minExclusive, SH.MinExclusiveConstraintComponent, lambda v, b: b < v),
            (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, lambda v, b: v < b),
        ):
            if (bound := one(node, pred)) is not None:
                bound = to_ox(bound)
                yield _each(shape, component,
                            lambda run, v, b=bound, ok=ok: v not in run.data.ill_typed and _compare(v, b, ok))
        if (pattern := one(node, SH.pattern)) is not None:
            flags = str(one(node, SH.flags) or "")
            rx = re.compile(str(pattern), re.IGNORECASE if "i" in flags else 0)
            yield _each(
                shape, SH.PatternConstraintComponent,
                lambda run, v, rx=rx: not isinstance(v, ox.BlankNode) and rx.search(v.value) is not None,
            )
        if (members := one(node, SH["in"])) is not None:
            allowed = {to_ox(m) for m in self._list(members)}
            yield _each(shape, SH.InConstraintComponent, lambda run, v, a=allowed: v in a)
        if (wanted := one(node, SH.hasValue)) is not None:
            yield _has_value(shape, to_ox(wanted))
        for pred, component in (
            (SH.disjoint, SH.DisjointConstraintComponent),
            (SH.equals, SH.EqualsConstraintComponent),
            (SH.lessThan, SH.LessThanConstraintComponent),
        ):
            for other in g.objects(node, pred):
                yield _pair(shape, component, to_ox(other))
        for other in g.objects(node, SH.node):
            yield _each(shape, SH.NodeConstraintComponent, _conforms(all, [self.shape(other)]))
        for other in g.objects(node, SH["not"]):
            yield _each(shape, SH.NotConstraintComponent, _conforms(_none, [self.shape(other)]))
        for members in g.objects(node, SH["and"]):
            yield _each(shape, SH.AndConstraintComponent, _conforms(all, [self.shape(m) for m in self._list(members)]))
        for members in g.objects(node, SH["or"]):
            yield _each(shape, SH.OrConstraintComponent, _conforms(any, [self.shape(m) for m in self._list(members)]))
        for constraint in g.objects(node, SH.sparql):
            yield self._sparql(constraint, shape)

    def _sparql(self, constraint: ShapeNode, shape: CompiledShape) -> Check:
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
        read = _predicates_read(query)
        if read is None or self.sparql_predicates is None:
            self.sparql_predicates = None
        else:
            self.sparql_predicates = self.sparql_predicates | read
        own_messages = sorted(g.objects(constraint, SH.message))
        this = ox.Variable("this")

        def check(run: _Run, focus: Node, values: list[Node]) -> None:
            solutions = run.data.store().query(query, substitutions={this: focus})
            names = [v.value for v in solutions.variables]
            for solution in solutions:
                row = {name: solution[name] for name in names if solution[name] is not None}
                value = row.get("value", focus if shape.path is None else None)
                result_path = row.get("path", shape.path)
                messages = own_messages or shape.messages
                run.report(shape, focus, result_path, value, SH.SPARQLConstraintComponent, _fill(messages, row, focus))

        return check


def _predicates_read(query: str) -> frozenset[Node] | None:
    """The predicates of every triple pattern of ``query``; None when one is a variable or a path.

    A query whose patterns all have constant predicates can only match triples with those predicates,
    so it gives the same answers on the data graph and on just those triples.
    """
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        algebra = prepareQuery(query).algebra
    except Exception:  # rdflib cannot parse what Oxigraph can: assume the query reads everything
        return None
    found: set[Node] = set()
    todo: list[Any] = [algebra]
    while todo:
        node = todo.pop()
        if isinstance(node, CompValue):
            # BGP in the translated algebra; TriplesBlock inside EXISTS, which rdflib leaves untranslated.
            if node.name in ("BGP", "TriplesBlock"):
                for triple in node.get("triples") or ():
                    if len(triple) != 3 or not isinstance(triple[1], URIRef):
                        return None
                    found.add(to_ox(triple[1]))
            todo.extend(node.values())
        elif isinstance(node, list | tuple | set):
            todo.extend(node)
    return frozenset(found)


def _text(term: Node) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else str(term)


def _fill(messages: list[Literal], row: dict[str, Node], focus: Node) -> list[Literal]:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "this":
            return _text(focus)
        return _text(row[name]) if name in row else match.group(0)

    return [Literal(re.sub(r"\{[?$](\w+)\}", sub, str(m)), lang=m.language) for m in messages]


def _none(results: Iterable[bool]) -> bool:
    return not any(results)


def _conforms(combine: Callable[[Iterable[bool]], bool], shapes: list[CompiledShape]) -> Callable[[_Run, Node], bool]:
    """A value test: whether the value conforms to ``shapes``, combined by ``all``, ``any`` or ``_none``."""
    return lambda run, v: combine(run.conforms(s, v) for s in shapes)


def _each(shape: CompiledShape, component: URIRef, ok: Callable[[_Run, Node], bool]) -> Check:
    def check(run: _Run, focus: Node, values: list[Node]) -> None:
        for value in values:
            if not ok(run, value):
                run.report(shape, focus, shape.path, value, component)

    return check


def _class(shape: CompiledShape, cls: Node) -> Check:
    # sh:class is the most frequent check (every role of every event): no per-value lambda.
    component = SH.ClassConstraintComponent

    def check(run: _Run, focus: Node, values: list[Node]) -> None:
        classes = run.data.classes
        for value in values:
            if cls not in classes(value):
                run.report(shape, focus, shape.path, value, component)

    return check


def _node_kind(shape: CompiledShape, kinds: tuple[type, ...]) -> Check:
    component = SH.NodeKindConstraintComponent

    def check(run: _Run, focus: Node, values: list[Node]) -> None:
        for value in values:
            if not isinstance(value, kinds):
                run.report(shape, focus, shape.path, value, component)

    return check


def _count(shape: CompiledShape, component: URIRef, low: int | None, high: int | None) -> Check:
    def check(run: _Run, focus: Node, values: list[Node]) -> None:
        k = len(values)
        if k > 1:
            k = len(set(values))  # the same triple may come from the document and the gazetteer
        if (low is not None and k < low) or (high is not None and k > high):
            run.report(shape, focus, shape.path, None, component)

    return check


def _has_value(shape: CompiledShape, wanted: Node) -> Check:
    def check(run: _Run, focus: Node, values: list[Node]) -> None:
        if wanted not in values:
            run.report(shape, focus, shape.path, None, SH.HasValueConstraintComponent)

    return check


def _pair(shape: CompiledShape, component: URIRef, other: Node) -> Check:
    kind = {SH.DisjointConstraintComponent: "disjoint", SH.EqualsConstraintComponent: "equals"}.get(component)

    def check(run: _Run, focus: Node, values: list[Node]) -> None:
        others = run.data.objects(focus, other)
        if kind == "disjoint":
            bad = [v for v in values if v in others]
        elif kind == "equals":
            bad = [v for v in values if v not in others] + [o for o in others if o not in values]
        else:
            ill = run.data.ill_typed
            bad = [v for v in values if any(v in ill or not _compare(v, o, lambda a, b: a < b) for o in others)]
        for value in dict.fromkeys(bad):
            run.report(shape, focus, shape.path, value, component)

    return check


_NUMERIC = {to_ox(d) for d in (XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long,
                                XSD.nonNegativeInteger)}
_INTEGER_LEXICAL = re.compile(r"[+-]?[0-9]+")


def _has_datatype(value: Node, datatype: Node) -> bool:
    # pyoxigraph gives a simple literal xsd:string and a language-tagged one rdf:langString, as SHACL does.
    return isinstance(value, ox.Literal) and value.datatype == datatype and not is_ill_typed(value)


_KIND_TESTS: dict[ShapeNode, tuple[type, ...]] = {
    SH.IRI: (ox.NamedNode,),
    SH.BlankNode: (ox.BlankNode,),
    SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}


def _compare(value: Node, bound: Node, ok: Callable[[Any, Any], bool]) -> bool:
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


# -- running ---------------------------------------------------------------------------------------------


class _Run:
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
            values = by_s.get(path, _NONE) if by_s is not None else _NONE
        for check in shape.checks:
            check(self, focus, values)
        for prop in shape.properties:
            for value in values:
                self.apply(prop, value)

    def conforms(self, shape: CompiledShape, node: Node) -> bool:
        """Whether ``node`` conforms to ``shape`` (for sh:node, sh:or ...), without reporting."""
        probe = _Run(self.data, collect=False)
        probe.apply(shape, node)
        return not probe.failed


_TARGET_CLASS, _TARGET_NODE, _TARGET_SUBJECTS_OF = _TARGET_KINDS[:3]


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


def validate(shapes: CompiledShapes, triples: Iterable[tuple[Any, Any, Any]],
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
    run = _Run(data)
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
        # Most shapes are a property shape without nested shapes: _Run.apply, inlined.
        for focus in nodes:
            by_s = spo_get(focus)
            values = by_s.get(path, _NONE) if by_s is not None else _NONE
            for check in checks:
                check(run, focus, values)
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
        g.add((node, SH.focusNode, to_rdflib(r.focus)))
        g.add((node, SH.resultSeverity, r.severity))
        g.add((node, SH.sourceShape, r.shape))
        g.add((node, SH.sourceConstraintComponent, r.component))
        if r.path is not None:
            g.add((node, SH.resultPath, to_rdflib(r.path)))
        if r.value is not None:
            g.add((node, SH.value, to_rdflib(r.value)))
        for message in r.messages:
            g.add((node, SH.resultMessage, message))
    return g
