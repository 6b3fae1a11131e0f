"""Validation: check one document graph against the SHACL shapes and report findings a person can act on.

The shapes (``shapes/tradekg.shacl.ttl``) are the whole contract; this module only prepares the data graph
the shapes need, runs them (with :mod:`tradekg.shacl_engine`, or pySHACL) and turns the results graph
into :class:`Finding` objects that name the file, the YAML line, the event, the field and what is wrong
(the findings, the report and its printed form are :mod:`tradekg.validation_report`).

>>> from tradekg.annotation import load_document
>>> report = Validator().validate(load_document("seeds/us-japan-first-round-2025-04.yaml"))
>>> report.conforms, report.events > 0
(True, True)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from pyshacl import Validator as _ShaclValidator
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import prepareQuery

from . import shacl_engine
from .errors import InputError
from .namespaces import TK, TKDOC, TKID
from .terms import to_ox, to_rdflib
from .validation_report import Finding, ValidationReport, format_report

if TYPE_CHECKING:
    from .annotation import Document
    from .gazetteer import Gazetteer

__all__ = ["Finding", "TKSH", "ValidationReport", "Validator", "format_report"]

TKSH = Namespace("https://w3id.org/tradekg/shapes#")

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
# What a focus node is called in a report, by the most specific of these classes it is an instance of.
_KINDS = (
    (TK.Event, "event"),
    (TK.Statistic, "statistic"),
    (TK.Evidence, "evidence"),
    (TK.NewsArticle, "article"),
    (TK.NegotiationRound, "round"),
    (TK.Negotiation, "negotiation"),
    (TK.Actor, "actor"),
    (TK.Artifact, "artifact"),
    (TK.Place, "place"),
    (SKOS.Concept, "concept"),
)


class _PreparedQueryGraph(Graph):
    # pySHACL passes each SPARQL constraint to the data graph as text, for every document and focus node;
    # rdflib parses text on every call (~18 ms a query). Parsed once and cached, the same query costs only
    # its evaluation. Same query, same answer.
    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@functools.lru_cache(maxsize=256)
def _prepared(text: str) -> Any:
    return prepareQuery(text)


_TYPE, _EVIDENCE = to_ox(RDF.type), to_ox(TK.evidence)


class Validator:
    """Checks documents against the shapes; prepares shapes, ontology and gazetteer once.

    ``shapes`` and ``ontology`` default to the packaged files; ``gazetteer`` to :meth:`Gazetteer.load`.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        shapes: Graph | None = None,
        ontology: Graph | None = None,
        engine: str = "compiled",
    ) -> None:
        from .resources import load_ontology, shapes_path

        if gazetteer is None:
            from .gazetteer import Gazetteer

            gazetteer = Gazetteer.load()
        if shapes is None:
            shapes = _load_shapes(shapes_path())
        if ontology is None:
            ontology = load_ontology()
        self._shapes_rdf = shapes
        # The compiled engine gives pySHACL's results at a fraction of the cost (tests/test_shacl_engine.py
        # holds it to that); pySHACL remains the reference, and the fallback for shapes it cannot compile.
        self._compiled: shacl_engine.CompiledShapes | None = None
        if engine == "compiled":
            try:
                self._compiled = shacl_engine.CompiledShapes(shapes)
            except shacl_engine.UnsupportedShapes:
                self._compiled = None
        elif engine != "pyshacl":
            raise ValueError(f"engine must be 'compiled' or 'pyshacl', not {engine!r}")
        self._shapes: ShapesGraph | None = None
        if self._compiled is None:
            # Harvesting shapes from the graph is the costly part of pySHACL's setup: do it once, reuse it.
            self._shapes = ShapesGraph(shapes)
            try:
                _ = self._shapes.shapes
            except Exception as exc:  # pySHACL's ConstraintLoadError and friends: the shapes file is broken
                raise InputError(f"the SHACL shapes are not valid SHACL: {exc}", shapes_path()) from exc
        self._owner, self._field = self._describe_shapes(shapes)
        self._on_value = set(shapes.subjects(TKSH.reportsOnValue, Literal(True)))
        # sh:class and sh:targetClass follow rdfs:subClassOf in the data graph. Carry only the part of the
        # hierarchy below the classes the shapes name, not the whole ontology.
        named = set(shapes.objects(None, SH["class"])) | set(shapes.objects(None, SH.targetClass))
        below = named | {sub for cls in named for sub in ontology.transitive_subjects(RDFS.subClassOf, cls)}
        self._hierarchy = [
            (to_ox(s), to_ox(RDFS.subClassOf), to_ox(o))
            for s, o in ontology.subject_objects(RDFS.subClassOf)
            if isinstance(s, URIRef) and o in below
        ]
        self._kind_classes = {
            kind: {to_ox(cls) for cls in ontology.transitive_subjects(RDFS.subClassOf, root)} | {to_ox(root)}
            for root, kind in _KINDS
        }
        # A referenced gazetteer entry needs its type (for sh:class) and label (the actor shape asks for
        # one) in the data graph; nothing more of the gazetteer is read by the shapes.
        self._entries: dict[Any, list[tuple[Any, Any, Any]]] = {}
        for s, p, o in gazetteer.graph:
            if isinstance(s, URIRef) and p in (RDF.type, RDFS.label):
                self._entries.setdefault(to_ox(s), []).append((to_ox(s), to_ox(p), to_ox(o)))

    @staticmethod
    def _describe_shapes(shapes: Graph) -> tuple[dict[Any, str], dict[Any, str]]:
        owner: dict[Any, str] = {}
        for node_shape, prop_shape in shapes.subject_objects(SH.property):
            if isinstance(node_shape, URIRef):
                owner[prop_shape] = _local(node_shape)
        fields = {s: str(o) for s, o in shapes.subject_objects(TKSH.field)}
        return owner, fields

    def data_triples(self, doc: Document) -> list[tuple[Any, Any, Any]]:
        """What the shapes see, as pyoxigraph terms: the document, the class hierarchy, and the gazetteer
        entries it uses."""
        triples = list(doc.triples)
        entries = self._entries
        used = {o for _s, _p, o in triples if o in entries}
        triples.extend(self._hierarchy)
        for node in used:
            triples.extend(entries[node])
        return triples

    def data_graph(self, doc: Document) -> Graph:
        """:meth:`data_triples` as an rdflib graph (pySHACL's input)."""
        g = _PreparedQueryGraph()
        for s, p, o in self.data_triples(doc):
            g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
        return g

    def validate(self, doc: Document) -> ValidationReport:
        """Check one document; the report lists every finding, sorted by line."""
        doc_triples = doc.triples
        if self._compiled is not None:
            results = shacl_engine.validate(self._compiled, self.data_triples(doc), ill_typed=doc.ill_typed)
            # Findings describe nodes by the document's own triples (a gazetteer actor has no kind here).
            data = doc_triples
        else:
            data = self.data_triples(doc)
            results = self._pyshacl(doc)
        types = _types(doc_triples)
        return ValidationReport(
            document_id=doc.id,
            path=str(doc.path) if doc.path is not None else None,
            findings=self._findings(doc, data, results) if results else [],
            triples=len(doc_triples),
            events=sum(1 for node_types in types.values() if self._kind_of(node_types) == "event"),
        )

    def _pyshacl(self, doc: Document) -> list[shacl_engine.Result]:
        runner = _ShaclValidator(
            DataGraph.from_rdflib(self.data_graph(doc)),
            shacl_graph=self._shapes_rdf,
            options={"inplace": True, "allow_warnings": True, "allow_infos": True, "advanced": False},
        )
        # Swap in the shapes harvested in __init__ (pySHACL's Validator would harvest them again).
        runner.shacl_graph = self._shapes  # type: ignore[assignment]  # set in __init__ whenever pySHACL runs
        _conforms, report, _text = runner.run()
        results = []
        for r in report.objects(None, SH.result):
            def data_term(pred: Any, r: Any = r) -> Any:
                value = report.value(r, pred)
                return to_ox(value) if value is not None else None

            results.append(shacl_engine.Result(
                data_term(SH.focusNode), data_term(SH.resultPath), data_term(SH.value),
                report.value(r, SH.resultSeverity), list(report.objects(r, SH.resultMessage)),
                report.value(r, SH.sourceShape), report.value(r, SH.sourceConstraintComponent),
            ))
        return results

    def _findings(self, doc: Document, data: list[Any], results: list[shacl_engine.Result]) -> list[Finding]:
        types = _types(data)
        owners: dict[Any, Any] = {}
        for s, p, o in data:
            if p == _EVIDENCE:
                owners.setdefault(o, s)
        findings: list[Finding] = []
        seen: set[tuple[Any, ...]] = set()
        for result in results:
            focus, path, value, shape = result.focus, result.path, result.value, result.shape
            severity = _SEVERITY.get(result.severity, "Violation")
            message = " ".join(sorted(str(m) for m in result.messages))
            key = (severity, message, focus, path, value)
            if key in seen:
                continue
            seen.add(key)
            kind = self._kind_of(types.get(focus, ()))
            if shape in self._on_value and isinstance(value, ox.NamedNode):
                # A whole-article check names the event or quote at fault as its value: report it there.
                focus, value = value, None
                kind = self._kind_of(types.get(focus, ()))
            line = doc.line_for(focus, path) if isinstance(path, ox.NamedNode) else None
            if line is None:
                line = doc.line_for(focus)
            field_name = self._field.get(shape) or (_local(path.value) if isinstance(path, ox.NamedNode) else None)
            if kind == "evidence":
                # The user wrote the quote as the `evidence` of an event or statistic: report it there.
                owner = owners.get(focus)
                if owner is not None:
                    focus, kind, field_name = owner, self._kind_of(types.get(owner, ())), "evidence"
                    line = doc.line_for(owner, _EVIDENCE) or line
            findings.append(
                Finding(
                    severity=severity,
                    message=message or "does not conform to the shapes",
                    path=str(doc.path) if doc.path is not None else None,
                    line=line,
                    focus=_local_id(focus, doc),
                    field=field_name,
                    value=_local_id(value, doc) if value is not None else None,
                    shape=self._owner.get(shape) or (_local(shape) if isinstance(shape, URIRef) else None),
                    kind=kind,
                )
            )
        big = 1 << 62
        findings.sort(
            key=lambda f: (f.line if f.line is not None else big, _SEVERITY_ORDER.get(f.severity, 3),
                           f.focus or "", f.field or "", f.message)
        )
        return findings

    def _kind_of(self, types: Iterable[Any]) -> str | None:
        types = set(types)
        for _root, kind in _KINDS:
            if types & self._kind_classes[kind]:
                return kind
        return None


def _types(triples: Iterable[tuple[Any, Any, Any]]) -> dict[Any, set[Any]]:
    out: dict[Any, set[Any]] = {}
    for s, p, o in triples:
        if p == _TYPE:
            out.setdefault(s, set()).add(o)
    return out


def _load_shapes(path: Path) -> Graph:
    if not path.is_file():
        raise InputError("the SHACL shapes file is missing; reinstall tradekg", path)
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:  # a broken packaged file is an installation problem, reported as input
        raise InputError(f"cannot parse the SHACL shapes: {exc}", path) from exc


def _local(iri: Any) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _local_id(node: Any, doc: Document) -> str | None:
    """A node as the user wrote it: a local id, a gazetteer id, or a literal's text."""
    if node is None:
        return None
    if isinstance(node, ox.Literal):
        return node.value
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    text = node.value if isinstance(node, ox.NamedNode) else str(node)
    doc_prefix = f"{doc.iri}#"
    if text.startswith(doc_prefix):
        return text[len(doc_prefix):]
    if text == str(doc.iri):
        return doc.id
    for ns in (TKID, TKDOC):
        if text.startswith(str(ns)):
            return text[len(str(ns)):]
    return text
