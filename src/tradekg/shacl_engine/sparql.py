"""SPARQL-based constraints (SHACL 5): ``sh:sparql`` with ``sh:select``, ``$this`` pre-bound, ``sh:prefixes``.

Each query runs on the data index's in-memory Oxigraph store (:meth:`.data.DataIndex.store`), which holds
only the triples whose predicates the queries name (:func:`predicates_read`), so it is small and cheap
to build. Each solution is one result; ``{?var}`` and ``{$this}`` in the messages are filled from it
(5.3.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import SH

from ..terms import to_ox
from .data import Node
from .shape import Check, CompiledShape, Compiler, Run, ShapeNode, UnsupportedShapes


def checks(shapes: Compiler, node: ShapeNode, shape: CompiledShape) -> Iterator[Check]:
    """The checks of ``node``'s SPARQL constraints; widens ``shapes.sparql_predicates`` to what they read."""
    for constraint in shapes.graph.objects(node, SH.sparql):
        yield _sparql(shapes, constraint, shape)


def _sparql(shapes: Compiler, constraint: ShapeNode, shape: CompiledShape) -> Check:
    g = shapes.graph
    select = g.value(constraint, SH.select)
    if select is None:
        raise UnsupportedShapes(f"SPARQL constraint without sh:select on {shape.node}")
    prologue = "".join(
        f"PREFIX {g.value(decl, SH.prefix)}: <{g.value(decl, SH.namespace)}>\n"
        for source in g.objects(constraint, SH.prefixes)
        for decl in g.objects(source, SH.declare)
    )
    query = prologue + str(select)
    read = predicates_read(query)
    if read is None or shapes.sparql_predicates is None:
        shapes.sparql_predicates = None
    else:
        shapes.sparql_predicates = shapes.sparql_predicates | read
    own_messages = sorted(g.objects(constraint, SH.message))
    this = ox.Variable("this")

    def check(run: Run, focus: Node, values: list[Node]) -> None:
        solutions = run.data.store().query(query, substitutions={this: focus})
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {name: solution[name] for name in names if solution[name] is not None}
            value = row.get("value", focus if shape.path is None else None)
            result_path = row.get("path", shape.path)
            messages = own_messages or shape.messages
            run.report(shape, focus, result_path, value, SH.SPARQLConstraintComponent, _fill(messages, row, focus))

    return check


def predicates_read(query: str) -> frozenset[Node] | None:
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
