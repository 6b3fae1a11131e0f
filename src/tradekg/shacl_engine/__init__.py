"""A compiled SHACL engine for the subset of SHACL our shapes use, about fifty times faster than pySHACL.

Bulk ingest validates every document, and pySHACL's interpretation of 120 shapes costs tens of
milliseconds per document. This engine compiles the shapes graph once into plain Python checks over an
index of the data graph (pyoxigraph terms, as the annotation loader builds them: hashed and compared in
Rust, nothing converted), and runs SPARQL-based constraints on an in-memory Oxigraph store that holds only
the triples whose predicates those queries name. The shapes
file stays the single contract: the engine reads it, and ``tests/test_shacl_engine.py`` holds the engine
to pySHACL's results on the seed, on every broken case and on fuzzed documents.

The modules follow the SHACL specification (https://www.w3.org/TR/shacl/), as pySHACL's do:

- :mod:`.shapes_graph`: 2 shapes, compiled (``CompiledShapes``); :mod:`.shape`: a compiled shape and 2.3
  property paths (predicate paths and ``sh:inversePath`` of a predicate);
- :mod:`.targets`: 2.1.3 targets: ``sh:targetClass`` (with ``rdfs:subClassOf`` in the data graph),
  ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``;
- 4 core constraint components: :mod:`.value_type` (4.1 ``class``, ``datatype``, ``nodeKind``),
  :mod:`.cardinality` (4.2 ``minCount``, ``maxCount``), :mod:`.value_range` (4.3 ``minInclusive``,
  ``maxInclusive``, ``minExclusive``, ``maxExclusive``), :mod:`.string_based` (4.4 ``pattern`` with
  ``flags``), :mod:`.property_pair` (4.5 ``disjoint``, ``equals``, ``lessThan``), :mod:`.logical`
  (4.6 ``not``, ``and``, ``or``), :mod:`.shape_based` (4.7 ``node``), :mod:`.other` (4.8 ``in``,
  ``hasValue``);
- :mod:`.sparql`: 5 SPARQL-based constraints (``sh:sparql`` with ``sh:select``, ``$this`` pre-bound,
  ``sh:prefixes``);
- :mod:`.data`: the data graph's index; :mod:`.run`: 3.4 validation; :mod:`.report`: 3.6 the report.

Anything else raises :class:`UnsupportedShapes` at compile time, and the caller falls back to pySHACL.
"""

from __future__ import annotations

from .data import DataIndex, Node
from .report import Result, results_graph
from .run import validate
from .shape import CompiledShape, ShapeNode, UnsupportedShapes
from .shapes_graph import CompiledShapes
from .sparql import predicates_read
from .targets import focus_nodes

#: The name ``tests/test_shacl_engine.py`` reads the SPARQL predicate analysis by.
_predicates_read = predicates_read

__all__ = [
    "CompiledShape", "CompiledShapes", "DataIndex", "Node", "Result", "ShapeNode", "UnsupportedShapes",
    "focus_nodes", "predicates_read", "results_graph", "validate",
]
