"""The Python API: ``KnowledgeGraph`` opens a store and does everything the CLI does.

>>> import tempfile
>>> kg = KnowledgeGraph.open(tempfile.mkdtemp() + "/store")
>>> result = kg.ingest(["seeds/"])                      # doctest: +SKIP
>>> kg.query("requests", by="United States", of="Japan").rows[0]["topics"]   # doctest: +SKIP
'automobiles, farm produce'

The store is opened per call: read-write (holding the lock) only for the length of an ingest or remove,
read-only otherwise, so readers never wait for a writer and a second writer is told the store is busy.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from tradekg.errors import InputError, StoreBusyError, TradekgError, UsageError
from tradekg.namespaces import ONTOLOGY_GRAPH_IRI, PREFIXES, TKDOC_IRI
from tradekg.output import QueryResult, to_python
from tradekg.store import (
    SYSTEM_GRAPHS,
    Backend,
    OxigraphBackend,
    RawResult,
    refresh_system_graphs,
    store_location,
    stored_fingerprint,
    system_fingerprint,
)

if TYPE_CHECKING:
    import rdflib

    from tradekg.annotation import Document
    from tradekg.queries import NamedQuery
    from tradekg.validate import ValidationReport, Validator

EXPORT_FORMATS = ("turtle", "trig", "jsonld", "nt", "nq")
Progress = Callable[[int, int, str], None]


@dataclass
class DocumentOutcome:
    """What happened to one input file in ``validate`` or ``ingest``.

    ``status`` is ``ingested``, ``unchanged`` (identical to what the store held: nothing written),
    ``valid`` (validate or dry run), ``refused`` (a Violation: nothing written) or ``unreadable``
    (bad input: ``error`` says why).
    """

    path: str
    status: str
    document_id: str | None = None
    report: ValidationReport | None = None
    error: str | None = None

    @property
    def events(self) -> int:
        return self.report.events if self.report else 0

    @property
    def triples(self) -> int:
        return self.report.triples if self.report else 0

    @property
    def warnings(self) -> int:
        return len(self.report.warnings) if self.report else 0

    @property
    def exit_code(self) -> int:
        return {"refused": 1, "unreadable": 2}.get(self.status, 0)

    def to_dict(self) -> dict[str, Any]:
        """One row of the ingest/validate summary."""
        return {
            "document": self.document_id, "path": self.path, "status": self.status, "events": self.events,
            "triples": self.triples, "warnings": self.warnings, "error": self.error,
        }


@dataclass
class BatchResult:
    """The outcome of ``validate`` or ``ingest`` over several files; ``exit_code`` is the worst one."""

    outcomes: list[DocumentOutcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return max((o.exit_code for o in self.outcomes), default=0)

    @property
    def refused(self) -> list[DocumentOutcome]:
        """Documents not written: violations and unreadable inputs."""
        return [o for o in self.outcomes if o.exit_code]

    @property
    def reports(self) -> list[ValidationReport]:
        return [o.report for o in self.outcomes if o.report is not None]

    def __iter__(self) -> Iterator[DocumentOutcome]:
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)


class ResultGraph:
    """The triples of a CONSTRUCT or DESCRIBE answer; ``graph`` gives them as an rdflib Graph."""

    def __init__(self, triples: list[ox.Triple], truncated: bool = False, limit: int | None = None) -> None:
        self.triples = triples
        self.truncated = truncated
        self.limit = limit

    def __len__(self) -> int:
        return len(self.triples)

    @cached_property
    def graph(self) -> rdflib.Graph:
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


def _to_result(raw: RawResult, limit: int | None) -> QueryResult | ResultGraph:
    if raw.kind == "graph":
        return ResultGraph(raw.triples, raw.truncated, limit)
    return QueryResult(raw.variables, raw.rows, raw.boolean, raw.truncated, limit)


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


class KnowledgeGraph:
    """A tradekg store and everything that can be done with it (see the module docstring)."""

    def __init__(self, location: str | os.PathLike[str] | None = None, *,
                 gazetteer: Iterable[str | os.PathLike[str]] = ()) -> None:
        self.location = store_location(location)
        env = [p for p in os.environ.get("TRADEKG_GAZETTEER", "").split(os.pathsep) if p]
        self.gazetteer_files = [Path(p) for p in gazetteer]
        # The store's gazetteer graph holds the packaged files, then the user's (options, environment).
        self._all_gazetteers = [*self.gazetteer_files, *(Path(p) for p in env)]
        for p in self._all_gazetteers:
            if not p.is_file():
                raise InputError("gazetteer file not found", path=p)
        self._remote = self.location.startswith(("http://", "https://"))

    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None, *,
             gazetteer: Iterable[str | os.PathLike[str]] = ()) -> KnowledgeGraph:
        """Open (or, on first write, create) the store at ``location``: a folder, or an endpoint URL.

        Without a location: ``$TRADEKG_STORE``, else ``./tradekg-store``.
        """
        return cls(location, gazetteer=gazetteer)

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.location!r})"

    # -- opening the store -------------------------------------------------------------------------------
    @cached_property
    def _fingerprint(self) -> str:
        return system_fingerprint(self._all_gazetteers)

    def _backend(self, writable: bool) -> Backend:
        if self._remote:
            try:
                from tradekg.store_remote import RemoteBackend  # type: ignore[import-not-found]
            except ImportError:
                raise UsageError(f"SPARQL endpoints are not supported by this version: {self.location}") from None
            return RemoteBackend(self.location)
        if writable:
            # The writer keeps the answer index beside Oxigraph (tradekg.index): every document write is
            # followed by the index's, and the index is checked and repaired here, as the store opens.
            from tradekg.index.backend import IndexedOxigraphBackend

            return IndexedOxigraphBackend(self.location, self._fingerprint)
        return OxigraphBackend(self.location, writable=writable)

    @contextmanager
    def writer(self) -> Iterator[Backend]:
        """The store opened read-write (the lock held) with its system graphs up to date, and its answer
        index repaired (a local store)."""
        backend = self._backend(writable=True)
        try:
            if hasattr(backend, "reconcile_index"):
                with backend.system_updates():
                    refresh_system_graphs(backend, self._all_gazetteers)
                backend.reconcile_index()
            else:
                refresh_system_graphs(backend, self._all_gazetteers)
            yield backend
        finally:
            backend.close()

    @contextmanager
    def reader(self) -> Iterator[Backend]:
        """The store opened read-only; created, or its system graphs refreshed, first if need be."""
        if not self._remote and not Path(self.location, "CURRENT").exists():
            with self.writer():
                pass
        backend = self._backend(writable=False)
        try:
            if stored_fingerprint(backend) != self._fingerprint:
                backend.close()
                try:
                    with self.writer():
                        pass
                except StoreBusyError:
                    pass  # a writer holds the store and refreshes the system graphs itself
                backend = self._backend(writable=False)
            yield backend
        finally:
            backend.close()

    # -- validate and ingest -----------------------------------------------------------------------------
    def _gazetteer(self) -> Any:
        from tradekg.gazetteer import Gazetteer

        return Gazetteer.load(self.gazetteer_files)

    def _load(self, path: Path, gazetteer: Any) -> Document:
        from tradekg.annotation import load_annotation, load_document

        if path.suffix.lower() == ".txt":
            try:
                from tradekg.extract import extract, read_article
            except ImportError:
                raise InputError("plain-text articles need the extractor, which is not available", path) from None
            draft = extract(read_article(path), doc_id=path.stem, gazetteer=gazetteer)
            doc = load_annotation(draft.to_annotation_yaml(), path=path, gazetteer=gazetteer)
            # Lines would point into a YAML draft the user never saw; `tradekg extract` shows that draft.
            doc.lines.clear()
            return doc
        return load_document(path, gazetteer=gazetteer)

    @staticmethod
    def _extractor_available() -> bool:
        import importlib.util

        return importlib.util.find_spec("tradekg.extract") is not None

    def _paths(self, paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
        from tradekg.annotation import SUFFIXES, iter_document_paths

        paths = [Path(p) for p in paths]
        suffixes = set(SUFFIXES) | ({".txt"} if self._extractor_available() else set())
        named = {p for p in paths if p.is_file()}
        found = []
        for p in iter_document_paths(paths, suffixes):
            # In a folder, an article with its annotation beside it is the annotation's text, not a
            # second document; a .txt named on the command line is always extracted.
            if p.suffix.lower() == ".txt" and p not in named and any(
                p.with_suffix(s).exists() for s in (".yaml", ".yml")
            ):
                continue
            found.append(p)
        if not found:
            raise InputError(f"no documents found in {', '.join(map(str, paths))} "
                             f"(looked for {', '.join(sorted(suffixes))})")
        return found

    def _check(self, paths: Iterable[str | os.PathLike[str]], validator: Validator | None,
               progress: Progress | None) -> Iterator[tuple[DocumentOutcome, Document | None]]:
        from tradekg.validate import Validator

        files = self._paths(paths)
        gazetteer = self._gazetteer()
        validator = validator or Validator(gazetteer)  # prepared once for every document
        seen: dict[str, str] = {}
        for i, path in enumerate(files):
            if progress:
                progress(i, len(files), str(path))
            try:
                doc = self._load(path, gazetteer)
            except TradekgError as err:
                yield DocumentOutcome(str(path), "unreadable", error=str(err)), None
                continue
            if doc.id in seen:
                yield DocumentOutcome(str(path), "unreadable", doc.id, error=(
                    f"{path}: document id '{doc.id}' is also the id of {seen[doc.id]}")), None
                continue
            seen[doc.id] = str(path)
            try:
                report = validator.validate(doc)
            except TradekgError as err:  # e.g. an IRI Oxigraph refuses: this document only, named
                yield DocumentOutcome(str(path), "unreadable", doc.id, error=f"{path}: {err}"), None
                continue
            status = "valid" if report.conforms else "refused"
            yield DocumentOutcome(str(path), status, doc.id, report), (doc if report.conforms else None)
        if progress:
            progress(len(files), len(files), "")

    def validate(self, paths: Iterable[str | os.PathLike[str]], *, progress: Progress | None = None,
                 validator: Validator | None = None) -> BatchResult:
        """Check documents against the shapes without writing anything.

        >>> KnowledgeGraph.open("/tmp/unused").validate(["seeds/"]).exit_code   # doctest: +SKIP
        0
        """
        return BatchResult([o for o, _ in self._check(paths, validator, progress)])

    def ingest(self, paths: Iterable[str | os.PathLike[str]], *, dry_run: bool = False,
               progress: Progress | None = None, validator: Validator | None = None,
               jobs: int = 1) -> BatchResult:
        """Validate each document and write the valid ones, each as one atomic replace of its graph.

        A refused document writes nothing; the others still go in. Re-ingesting an identical document
        writes nothing (status ``unchanged``). ``jobs`` > 1 validates in that many worker processes while
        this process stays the single writer (:func:`tradekg.bulk.ingest_parallel`).
        """
        paths = list(paths)
        if jobs > 1:
            from tradekg.bulk import ingest_parallel

            return ingest_parallel(self, paths, jobs=jobs, dry_run=dry_run, progress=progress)
        if dry_run:
            return self.validate(paths, progress=progress, validator=validator)
        result = BatchResult()
        with self.writer() as backend:  # take the lock first: a busy store fails before the slow part
            for outcome, doc in self._check(paths, validator, progress):
                if doc is not None:
                    changed = backend.write_triples(str(doc.iri), doc.triples)
                    outcome.status = "ingested" if changed else "unchanged"
                result.outcomes.append(outcome)
        return result

    def load(self, path: str | os.PathLike[str], *, jobs: int = 1) -> Any:
        """Restore a .trig/.nq export with Oxigraph's bulk loader (no per-document validation); ``jobs`` > 1
        loads an N-Quads file in that many parallel slices."""
        from tradekg.bulk import load

        return load(self, path, jobs=jobs)

    def remove(self, document: str) -> None:
        """Remove one document's graph, and nothing else."""
        name = document_graph_name(document)
        if name in SYSTEM_GRAPHS:
            raise UsageError(f"{document} is a system graph, not a document")
        with self.writer() as backend:
            if not backend.drop_graph(name):
                raise UsageError(f"no document {document!r} in the store {self.location}")

    # -- reading -----------------------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        """The ingested documents: id, title, publisher, date, events, triples."""
        q = f"""
        SELECT ?doc ?title ?publisher ?date (COUNT(DISTINCT ?e) AS ?events) WHERE {{
          GRAPH ?doc {{ ?doc a tk:NewsArticle }}
          FILTER(STRSTARTS(STR(?doc), "{TKDOC_IRI}"))
          OPTIONAL {{ GRAPH ?doc {{ ?doc dcterms:title ?title }} }}
          OPTIONAL {{ GRAPH ?doc {{ ?doc dcterms:date ?date }} }}
          OPTIONAL {{ {{ GRAPH ?doc {{ ?doc tk:publisherName ?publisher }} }} UNION
                     {{ GRAPH ?doc {{ ?doc tk:publisher ?pub }} GRAPH ?pg {{ ?pub skos:prefLabel ?publisher }} }} }}
          OPTIONAL {{ GRAPH ?doc {{ ?e tk:source ?doc ; a ?c }}
                     GRAPH <{ONTOLOGY_GRAPH_IRI}> {{ ?c rdfs:subClassOf* tk:Event }} }}
        }} GROUP BY ?doc ?title ?publisher ?date ORDER BY ?date ?doc"""
        counts = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        with self.reader() as b:
            rows = b.query(q, union=False).rows
            sizes = {r["g"].value: int(r["n"].value) for r in b.query(counts, union=False).rows}
        out: dict[str, dict[str, Any]] = {}
        for r in rows:
            iri = r["doc"].value
            if iri in out:
                continue
            out[iri] = {
                "id": iri[len(TKDOC_IRI):], "title": to_python(r.get("title")),
                "publisher": to_python(r.get("publisher")), "date": to_python(r.get("date")),
                "events": to_python(r.get("events")), "triples": sizes.get(iri, 0),
            }
        return list(out.values())

    def queries(self) -> list[NamedQuery]:
        """The named queries shipped with tradekg."""
        from tradekg.queries import load_queries

        return list(load_queries().values())

    def named_query(self, name: str) -> NamedQuery:
        """One named query by name; an unknown name is a usage error listing the known ones."""
        from tradekg.queries import load_queries

        known = load_queries()
        if name not in known:
            raise UsageError(f"no named query {name!r}; known queries: {', '.join(sorted(known))}")
        return known[name]

    def query(self, name: str, *, limit: int | None = None, timeout: float | None = None, offset: int = 0,
              use_index: bool = True, **params: Any) -> QueryResult:
        """Run a named query with its parameters (``from_`` stands for ``from``).

        Values are resolved to RDF terms and bound as a VALUES block; they never become query text.
        On a local store whose answer index is current the answer is read from the index
        (:mod:`tradekg.index.answers`: the same rows in the same order); otherwise the query runs through
        :func:`tradekg.queries.run`, in two phases where it declares them. ``limit`` and ``offset`` page the
        answer; ``result.total`` is the number of rows in all.
        """
        from tradekg.queries import check_params, run

        nq = self.named_query(name)
        if offset < 0:
            raise UsageError(f"--offset must be 0 or more, not {offset}")
        check_params(nq, params)
        answer = self._index_answer_alone(nq, params, limit, offset) if use_index else None
        if answer is not None:
            result = _to_result(answer.result, limit)
            assert isinstance(result, QueryResult)
            result.total = answer.total  # type: ignore[attr-defined]
            return result
        with self.reader() as b:
            answer = self._index_answer(b, nq, params, limit, offset) if use_index else None
            if answer is not None:
                raw, total = answer.result, answer.total
            else:
                raw = run(b, nq, params, timeout=timeout)
                total = len(raw.rows)
                end = None if limit is None else offset + limit
                raw.rows = raw.rows[offset:end]
                raw.truncated = end is not None and end < total
        result = _to_result(raw, limit)
        assert isinstance(result, QueryResult)
        result.total = total  # type: ignore[attr-defined]
        return result

    def iter_query(self, name: str, *, page: int = 500, **params: Any) -> Iterator[dict[str, Any]]:
        """Every row of a named query, newest first, read ``page`` rows at a time (plain Python values)."""
        offset = 0
        while True:
            result = self.query(name, limit=page, offset=offset, **params)
            yield from result.rows
            offset += len(result)
            if len(result) < page or offset >= result.total:  # type: ignore[attr-defined]
                return

    def _index_answer(self, backend: Backend, nq: NamedQuery, params: dict[str, Any], limit: int | None,
                      offset: int) -> Any:
        """The answer from the index, or None where SPARQL answers: a remote store, a query the index does
        not answer, or an index that is not current and cannot be repaired now (another writer)."""
        from tradekg.index.answers import answers_from_index
        from tradekg.index.answers import run as run_index

        if self._remote or not answers_from_index(nq.name) or not isinstance(backend, OxigraphBackend):
            return None
        index = self._current_index(backend)
        if index is None:
            return None
        try:
            return run_index(index.db, backend, nq.name, params, limit=limit, offset=offset)
        finally:
            index.close()

    def _index_answer_alone(self, nq: NamedQuery, params: dict[str, Any], limit: int | None,
                            offset: int) -> Any:
        """The answer from the index without opening Oxigraph: when the index is current (Oxigraph's files
        as the writer left them) and resolves every parameter itself; else None."""
        from tradekg.index import AnswerIndex
        from tradekg.index.answers import answers_from_index
        from tradekg.index.answers import run as run_index
        from tradekg.index.resolve import NeedsStore

        if self._remote or not answers_from_index(nq.name):
            return None
        index = AnswerIndex.existing(self.location, self._fingerprint)
        if index is None:
            return None
        try:
            if not index.is_current():
                return None
            return run_index(index.db, None, nq.name, params, limit=limit, offset=offset)
        except NeedsStore:
            return None
        finally:
            index.close()

    def _current_index(self, backend: OxigraphBackend) -> Any:
        """The store's answer index if it matches ``backend``'s view of Oxigraph, repaired first if need be."""
        from tradekg.index import AnswerIndex

        for attempt in range(2):
            index = AnswerIndex.existing(self.location, self._fingerprint)
            if index is not None:
                if index.is_fresh(backend.store):
                    return index
                index.close()
            if attempt:
                return None
            try:
                with self.writer():
                    pass  # the writer repairs the index as it opens
            except StoreBusyError:
                return None
        return None

    def reindex(self) -> dict[str, Any]:
        """Rebuild the answer index of a local store from scratch: documents indexed and seconds taken."""
        if self._remote:
            raise UsageError("the answer index belongs to a local store; a SPARQL endpoint has none")
        from tradekg.index import AnswerIndex

        if Path(self.location, "CURRENT").exists():
            index = AnswerIndex(self.location, self._fingerprint)
            try:
                index.mark_dirty()  # the writer rebuilds it as it opens, and says what it did
            finally:
                index.close()
        with self.writer() as backend:
            done = backend.last_reconcile  # type: ignore[attr-defined]
        return done if "seconds" in done else {"documents": 0, "seconds": 0.0, **done}

    def search(self, text: str, *, limit: int | None = None, offset: int = 0) -> QueryResult:
        """Events whose evidence sentence matches ``text`` (SQLite FTS5 query syntax), with their sources."""
        from tradekg.index.search import search

        if self._remote:
            raise UsageError("search reads the answer index of a local store; a SPARQL endpoint has none")
        with self.reader() as b:
            index = self._current_index(b)  # type: ignore[arg-type]
            if index is None:
                raise StoreBusyError(f"the answer index of {self.location} is being updated; try again")
            try:
                rows, total = search(index.db, text, limit=limit, offset=offset)
            finally:
                index.close()
        result = QueryResult.from_dicts(rows, ["event", "kind", "date", "summary", "evidence", "article",
                                               "title", "published"])
        result.limit = limit
        result.truncated = limit is not None and offset + len(rows) < total
        result.total = total  # type: ignore[attr-defined]
        return result

    def sparql(self, text: str, *, timeout: float | None = 30.0, limit: int | None = None,
               allow_update: bool = False) -> QueryResult | ResultGraph | None:
        """Run a SPARQL query over the union of all graphs, with the project prefixes declared.

        Read-only: updates, LOAD and SERVICE raise :class:`~tradekg.errors.QueryRefusedError`.
        With ``allow_update`` an update runs (on a local store) and None is returned; LOAD and SERVICE
        stay refused. A query running longer than ``timeout`` seconds is stopped.
        """
        from tradekg.errors import QueryRefusedError
        from tradekg.sparql_guard import check_read_only, check_update

        try:
            check_read_only(text)
        except QueryRefusedError as refused:
            if not allow_update or "updates are not allowed" not in str(refused):
                raise
            if self._remote:
                raise QueryRefusedError("updates through tradekg sparql need a local store") from None
            check_update(text)
            with self.writer() as b:
                b.update(text)
            return None
        with self.reader() as b:
            raw = b.query(text, limit=limit, timeout=timeout)
        return _to_result(raw, limit)

    def select_rows(self, text: str) -> list[dict[str, str | None]]:
        """A trusted SELECT (no guard) over the union of graphs, as rows of plain strings.

        This is the ``sparql`` callable the network and timeline modules take.
        """
        with self.reader() as b:
            raw = b.query(text)
        return [{k: (None if v is None else str(to_python(v))) for k, v in r.items()} for r in raw.rows]

    def quad_count(self) -> int:
        """How many quads the store holds, system graphs included."""
        with self.reader() as b:
            return b.count()

    # -- export ------------------------------------------------------------------------------------------
    def export(self, fmt: str = "turtle", *, document: str | None = None, include_system: bool = False,
               path: str | os.PathLike[str] | None = None) -> str:
        """Serialize documents (or one) as Turtle, TriG, JSON-LD, N-Triples or N-Quads.

        TriG, N-Quads and JSON-LD keep each document's named graph; Turtle and N-Triples merge them.
        ``include_system`` adds the ontology, gazetteer and meta graphs. With ``path`` the text is also
        written there.
        """
        from tradekg.export import serialize

        if fmt not in EXPORT_FORMATS:
            raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        with self.reader() as b:
            names = b.graph_names()
            if document is not None:
                name = document_graph_name(document)
                if name not in names or name in SYSTEM_GRAPHS:
                    raise UsageError(f"no document {document!r} in the store {self.location}")
                wanted = [name]
            else:
                wanted = [g for g in names if include_system or g not in SYSTEM_GRAPHS]
            quads = [q for g in wanted for q in b.quads(g)]
        text = serialize(quads, fmt)
        if path is not None:
            try:
                Path(path).write_text(text, encoding="utf-8")
            except OSError as err:
                raise InputError(f"cannot write: {err.strerror or err}", path=path) from None
        return text

    # -- views built on queries --------------------------------------------------------------------------
    def network(self, *, document: str | None = None, actor: str | None = None, depth: int | None = None,
                kinds: Iterable[str] | None = None, date_from: str | None = None, date_to: str | None = None,
                by_country: bool = False) -> Any:
        """The actor network as a ``networkx.MultiDiGraph`` (see :func:`tradekg.network.build_network`)."""
        from tradekg.network import build_network

        return build_network(self.select_rows, document=document, actor=actor, depth=depth, kinds=kinds,
                             date_from=date_from, date_to=date_to, by_country=by_country)

    def timeline(self, *, actor: str | None = None, date_from: str | None = None, date_to: str | None = None,
                 document: str | None = None) -> list[dict[str, Any]]:
        """Events in date order with who, what, when and which article (see :mod:`tradekg.timeline`)."""
        from tradekg.timeline import build_timeline

        return build_timeline(self.select_rows, actor, date_from, date_to, document=document)

    def ask(self, question: str) -> Any:
        """Answer an English question through the named queries (see :mod:`tradekg.ask`)."""
        from tradekg.ask import answer_question

        return answer_question(self, question)


__all__ = [
    "KnowledgeGraph", "BatchResult", "DocumentOutcome", "ResultGraph", "QueryResult", "EXPORT_FORMATS",
]
