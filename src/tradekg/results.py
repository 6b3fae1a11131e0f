"""What the library hands back: outcomes of validate/ingest, graphs from CONSTRUCT, and document names.

These types are shared by :mod:`tradekg.kg` (sequential ingest) and :mod:`tradekg.bulk` (parallel ingest),
so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from tradekg.namespaces import PREFIXES, TKDOC_IRI
from tradekg.output import QueryResult

if TYPE_CHECKING:
    import rdflib

    from tradekg.store import RawResult
    from tradekg.validate import ValidationReport

#: ``progress(done, total, path)``, called as documents are checked.
Progress = Callable[[int, int, str], None]


@dataclass
class DocumentOutcome:
    """What happened to one input file in ``validate`` or ``ingest``.

    ``status`` is ``ingested``, ``unchanged`` (identical to what the store held: nothing written),
    ``valid`` (validate or dry run), ``refused`` (a Violation, an id another input file or a different
    stored document already has: nothing written; ``error`` says which) or ``unreadable`` (bad input:
    ``error`` says why). ``notes`` are messages about a plain-text article's draft, such as the events
    the extractor found but had to leave out.

    >>> DocumentOutcome("a.yaml", "refused", "a").exit_code
    1
    """

    path: str
    status: str
    document_id: str | None = None
    report: ValidationReport | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def events(self) -> int:
        """Events in the document (0 when it could not be read)."""
        return self.report.events if self.report else 0

    @property
    def triples(self) -> int:
        """Triples in the document's graph (0 when it could not be read)."""
        return self.report.triples if self.report else 0

    @property
    def warnings(self) -> int:
        """SHACL warnings reported (and kept) for the document."""
        return len(self.report.warnings) if self.report else 0

    @property
    def exit_code(self) -> int:
        """0 written or valid, 1 refused by validation, 2 unreadable."""
        return {"refused": 1, "unreadable": 2}.get(self.status, 0)

    def to_dict(self) -> dict[str, Any]:
        """One row of the ingest/validate summary."""
        return {
            "document": self.document_id, "path": self.path, "status": self.status, "events": self.events,
            "triples": self.triples, "warnings": self.warnings, "error": self.error, "notes": self.notes,
        }


@dataclass
class BatchResult:
    """The outcome of ``validate`` or ``ingest`` over several files; ``exit_code`` is the worst one.

    >>> r = BatchResult([DocumentOutcome("a.yaml", "ingested", "a"), DocumentOutcome("b.yaml", "unreadable")])
    >>> r.exit_code, [o.path for o in r.refused]
    (2, ['b.yaml'])
    """

    outcomes: list[DocumentOutcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """The worst exit code of the documents: 0 all good, 1 some refused, 2 some unreadable."""
        return max((o.exit_code for o in self.outcomes), default=0)

    @property
    def refused(self) -> list[DocumentOutcome]:
        """Documents not written: violations and unreadable inputs."""
        return [o for o in self.outcomes if o.exit_code]

    @property
    def reports(self) -> list[ValidationReport]:
        """The validation reports of the documents that could be read."""
        return [o.report for o in self.outcomes if o.report is not None]

    def __iter__(self) -> Iterator[DocumentOutcome]:
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)


class DuplicateIds:
    """Refuses a document whose id an earlier file of the same batch already used.

    >>> seen = DuplicateIds()
    >>> seen.check("a.yaml", "doc")
    >>> seen.check("b.yaml", "doc").startswith("b.yaml: refused: document id 'doc' is also the id of a.yaml,")
    True
    """

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def check(self, path: str, document_id: str) -> str | None:
        """None the first time an id is seen; the error message after that."""
        if document_id in self._first:
            return (f"{path}: refused: document id '{document_id}' is also the id of {self._first[document_id]}, "
                    "earlier in this run; give the articles different titles or dates (a .txt without both gets "
                    "an id from its file name and text)")
        self._first[document_id] = path
        return None


class ResultGraph:
    """The triples of a CONSTRUCT or DESCRIBE answer; ``graph`` gives them as an rdflib Graph.

    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/tradekg/id/japan"), ox.NamedNode(
    ...     "http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Japan"))
    >>> print(ResultGraph([t]).turtle().splitlines()[-1])
    tkid:japan rdfs:label "Japan" .
    """

    def __init__(self, triples: list[ox.Triple], truncated: bool = False, limit: int | None = None) -> None:
        self.triples = triples
        self.truncated = truncated
        self.limit = limit

    def __len__(self) -> int:
        return len(self.triples)

    @cached_property
    def graph(self) -> rdflib.Graph:
        """The triples as an rdflib Graph with the project prefixes bound."""
        import rdflib

        g = rdflib.Graph()
        for p, ns in PREFIXES.items():
            g.bind(p, ns)
        data = "".join(f"{t} .\n" for t in self.triples)
        g.parse(data=data, format="nt")
        return g

    def turtle(self) -> str:
        """The triples as Turtle with the project prefixes."""
        from tradekg.output import turtle

        return turtle(self.triples)


def to_result(raw: RawResult, limit: int | None) -> QueryResult | ResultGraph:
    """A backend's raw answer as rows (SELECT, ASK) or triples (CONSTRUCT, DESCRIBE)."""
    if raw.kind == "graph":
        return ResultGraph(raw.triples, raw.truncated, limit)
    return QueryResult(raw.variables, list(raw.rows), raw.boolean, raw.truncated, limit)


def graph_triples(graph: rdflib.Graph) -> list[ox.Triple]:
    """An rdflib graph's triples as pyoxigraph triples (blank nodes mapped to fresh ones)."""
    from tradekg.terms import to_ox

    bnodes: dict[Any, ox.BlankNode] = {}
    return [ox.Triple(to_ox(s, bnodes), to_ox(p, bnodes), to_ox(o, bnodes)) for s, p, o in graph]


def document_graph_name(doc: str) -> str:
    """A document id, ``tkdoc:`` name or IRI as the IRI of its graph.

    >>> document_graph_name("us-japan-first-round-2025-04")
    'https://w3id.org/tradekg/doc/us-japan-first-round-2025-04'
    """
    doc = doc.strip()
    if doc.startswith("tkdoc:"):
        doc = doc[len("tkdoc:"):]
    if doc.startswith(("http://", "https://")):
        return doc
    return TKDOC_IRI + doc
