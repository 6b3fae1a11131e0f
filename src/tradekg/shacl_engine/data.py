"""The data graph as the engine reads it: an index built once per validation.

SHACL evaluates every constraint against the data graph (spec section 1.5): value nodes by a path, class
membership through ``rdfs:subClassOf`` (2.1.3.1, 4.1.1), and the SPARQL constraints' queries (5). The
index answers each of those from pyoxigraph terms, hashed and compared in Rust, without converting them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS

from ..terms import to_ox

#: A data-graph term: the engine indexes pyoxigraph terms (hashed and compared in Rust).
Node = ox.NamedNode | ox.BlankNode | ox.Literal

_TYPE, _SUBCLASS = to_ox(RDF.type), to_ox(RDFS.subClassOf)
#: An empty answer, shared (never mutated).
NONE: list[Any] = []


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
        return by_s.get(p, NONE) if by_s is not None else NONE

    def subjects(self, p: Node, o: Node) -> list[Node]:
        if self._ops is None:  # inverse paths are rare: index them on first use
            ops: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
            for pred, pairs in self.by_predicate.items():
                for s, obj in pairs:
                    ops[obj][pred].append(s)
            self._ops = ops
        return self._ops.get(o, {}).get(p, NONE)

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
        return self._instances.get(cls, NONE)

    def store(self) -> ox.Store:
        """The triples SPARQL constraints read, in an in-memory Oxigraph store built on first use."""
        if self._store is None:
            wanted = self._sparql_predicates
            preds = self.by_predicate if wanted is None else [p for p in wanted if p in self.by_predicate]
            self._store = ox.Store()
            # Triples read from a graph: the predicates are IRIs and no subject is a literal.
            self._store.extend(ox.Quad(s, p, o) for p in preds for s, o in self.by_predicate[p])  # type: ignore[arg-type]
        return self._store

