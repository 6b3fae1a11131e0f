"""The Python API: ``KnowledgeGraph`` is the one way into tradekg; the CLI is a thin layer over it.

>>> import tempfile
>>> kg = KnowledgeGraph.open(tempfile.mkdtemp() + "/store")
>>> kg.ingest(["seeds/"]).exit_code
0
>>> kg.query("requests", by="United States", of="Japan").rows[0]["topics"]
"Automobiles, Japan's automobile safety standards"

The store is opened per call (:mod:`tradekg.store_open`): read-write, holding the lock, only for the length
of an ingest or remove; read-only otherwise, so readers never wait for a writer and a second writer is told
the store is busy. Making a ``KnowledgeGraph`` touches nothing on disk: :meth:`KnowledgeGraph.extract` and
:meth:`KnowledgeGraph.evaluate` never open the store, so a ``KnowledgeGraph`` made only to extract creates
none.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradekg.article_options import article_options
from tradekg.backend import SYSTEM_GRAPHS, Backend, store_location
from tradekg.errors import UsageError
from tradekg.index.api import IndexMethods
from tradekg.intake import Intake
from tradekg.output import QueryResult, to_python
from tradekg.results import BatchResult, DocumentOutcome, Progress, ResultGraph, document_graph_name, to_result
from tradekg.results import graph_triples as graph_triples  # re-exported: tests and benchmarks use it here
from tradekg.store_open import StoreOpener
from tradekg.text_methods import TextMethods

if TYPE_CHECKING:
    import networkx as nx

    from tradekg.ask import Answer
    from tradekg.bulk import LoadResult
    from tradekg.queries import NamedQuery
    from tradekg.serve import Server
    from tradekg.validate import Validator

EXPORT_FORMATS = ("turtle", "trig", "jsonld", "nt", "nq")
PathLike = str | os.PathLike[str]


class KnowledgeGraph(IndexMethods, TextMethods):
    """A tradekg store and everything that can be done with it (see the module docstring).

    >>> import tempfile; KnowledgeGraph.open(tempfile.mkdtemp()).documents()
    []
    """

    def __init__(self, location: PathLike | None = None, *, gazetteer: Iterable[PathLike] = ()) -> None:
        self.location = store_location(location)
        self.gazetteer_files = [Path(p) for p in gazetteer]
        self._opener = StoreOpener(self.location, self.gazetteer_files)  # adds $TRADEKG_GAZETTEER's files
        self._remote = self._opener.remote
        self.intake = Intake(self.gazetteer_files)

    @classmethod
    def open(cls, location: PathLike | None = None, *, gazetteer: Iterable[PathLike] = ()) -> KnowledgeGraph:
        """Open (or, on first write, create) the store at ``location``: a folder, or an endpoint URL.

        Without a location: ``$TRADEKG_STORE``, else ``./tradekg-store``.

        >>> KnowledgeGraph.open("/tmp/nothing-here-yet")
        KnowledgeGraph('/tmp/nothing-here-yet')
        """
        return cls(location, gazetteer=gazetteer)

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.location!r})"

    def writer(self) -> AbstractContextManager[Backend]:
        """The store opened read-write (the lock held) with its system graphs up to date.

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp())
        >>> with kg.writer() as backend: backend.drop_graph("https://w3id.org/tradekg/doc/nothing")
        False
        """
        return self._opener.writer()

    def reader(self) -> AbstractContextManager[Backend]:
        """The store opened read-only; created, or its system graphs refreshed, first if need be.

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp())
        >>> with kg.reader() as backend: "https://w3id.org/tradekg/graph/ontology" in backend.graph_names()
        True
        """
        return self._opener.reader()

    # -- validate and ingest -----------------------------------------------------------------------------
    def validate(self, paths: Iterable[PathLike], *, progress: Progress | None = None,
                 validator: Validator | None = None, **article: Any) -> BatchResult:
        """Check documents against the shapes without writing anything (``article``: as for :meth:`ingest`).

        >>> [o.status for o in KnowledgeGraph.open("/tmp/unused").validate(["seeds/"])]
        ['valid']
        """
        intake = self.intake.for_articles(article_options(article))
        return BatchResult([o for o, _ in intake.check(paths, validator, progress)])

    def ingest(self, paths: Iterable[PathLike], *, dry_run: bool = False, progress: Progress | None = None,
               validator: Validator | None = None, jobs: int = 1, replace: bool = False,
               title: str | None = None, published: str | dt.date | None = None, publisher: str | None = None,
               url: str | None = None, speaker: str | None = None) -> BatchResult:
        """Validate each document and write the valid ones: new documents in atomic batches of whole
        documents through the store's bulk path, a replaced document as one atomic replace of its graph
        (:mod:`tradekg.batch_write`).

        A refused document writes nothing; the others still go in. Re-ingesting an identical document
        writes nothing (status ``unchanged``); a document whose article text differs from the one stored
        under its id is refused unless ``replace`` (:mod:`tradekg.identity`). ``title``, ``published``,
        ``publisher``, ``url`` and ``speaker`` describe plain-text (.txt) articles, over their front matter.
        ``jobs`` > 1 validates in that many worker processes while this process stays the single writer
        (:func:`tradekg.bulk.ingest_parallel`).

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp())
        >>> [(o.document_id, o.status, o.events) for o in kg.ingest(["seeds/"])]
        [('us-japan-first-round-2025-04', 'ingested', 16)]
        >>> [o.status for o in kg.ingest(["seeds/"])]
        ['unchanged']
        """
        from tradekg.batch_write import write_all

        paths = list(paths)
        intake = self.intake.for_articles(article_options(
            {"title": title, "published": published, "publisher": publisher, "url": url, "speaker": speaker}))
        if jobs > 1:
            from tradekg.bulk import ingest_parallel

            return ingest_parallel(self, paths, jobs=jobs, dry_run=dry_run, progress=progress, replace=replace,
                                   intake=intake)
        if dry_run:
            return BatchResult([o for o, _ in intake.check(paths, validator, progress)])
        with self.writer() as backend:  # take the lock first: a busy store fails before the slow part
            # New documents go in bulk batches, replacements one transaction each (tradekg.batch_write).
            return write_all(backend, intake.check(paths, validator, progress), replace=replace)

    def load(self, path: PathLike, *, jobs: int = 1) -> LoadResult:
        """Restore a .trig/.nq export with the store's bulk loader (no per-document validation); ``jobs`` > 1
        loads an N-Quads file in that many parallel slices.

        >>> import tempfile
        >>> source = KnowledgeGraph.open(tempfile.mkdtemp() + "/a")
        >>> _ = source.ingest(["seeds/"]); backup = tempfile.mkdtemp() + "/backup.nq"
        >>> _ = source.export("nq", path=backup)
        >>> KnowledgeGraph.open(tempfile.mkdtemp() + "/b").load(backup).documents
        1
        """
        from tradekg.bulk import load

        return load(self, path, jobs=jobs)

    def remove(self, document: str) -> None:
        """Remove one document's graph, and nothing else.

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> kg.remove("us-japan-first-round-2025-04"); kg.documents()
        []
        """
        name = document_graph_name(document)
        if name in SYSTEM_GRAPHS:
            raise UsageError(f"{document} is a system graph, not a document")
        with self.writer() as backend:
            if not backend.drop_graph(name):
                raise UsageError(f"no document {document!r} in the store {self.location}")

    # -- reading -----------------------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        """The ingested documents: id, title, publisher, date, events, triples.

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> [(d["id"], d["date"], d["events"]) for d in kg.documents()]
        [('us-japan-first-round-2025-04', '2025-04-19', 16)]
        """
        from tradekg.catalog import list_documents

        with self.reader() as b:
            return list_documents(b)

    def queries(self) -> list[NamedQuery]:
        """The named queries shipped with tradekg.

        >>> "requests" in [q.name for q in KnowledgeGraph().queries()]
        True
        """
        from tradekg.queries import load_queries

        return list(load_queries().values())

    def named_query(self, name: str) -> NamedQuery:
        """One named query by name; an unknown name is a usage error listing the known ones.

        >>> [p.name for p in KnowledgeGraph().named_query("requests").params][:2]
        ['by', 'of']
        """
        from tradekg.queries import load_queries

        known = load_queries()
        if name not in known:
            raise UsageError(f"no named query {name!r}; known queries: {', '.join(sorted(known))}")
        return known[name]

    def query(self, name: str, *, limit: int | None = None, timeout: float | None = None, offset: int = 0,
              use_index: bool = True, **params: Any) -> QueryResult:
        """Run a named query with its parameters (``from_`` stands for ``from``).

        Values are resolved to RDF terms and bound as a VALUES block; they never become query text.
        On a local store whose answer index is current, the answer is read from the index
        (:mod:`tradekg.index.answers`: the same rows in the same order); otherwise the query runs through
        :func:`tradekg.queries.run`, in two phases where it declares them. ``limit`` and ``offset`` page the
        answer (newest first); ``result.total`` is the number of rows in all.

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> [(r["giver"], r["gift"]) for r in kg.query("gifts", by="Akazawa")]
        [('Ryosei Akazawa', 'gold-colored Myaku-Myaku piggy bank')]
        """
        from tradekg.index.api import paged_query

        return paged_query(self, self.named_query(name), params, limit=limit, offset=offset, timeout=timeout,
                           use_index=use_index)

    def sparql(self, text: str, *, timeout: float | None = 30.0, limit: int | None = None,
               allow_update: bool = False) -> QueryResult | ResultGraph | None:
        """Run a SPARQL query over the union of all graphs, with the project prefixes declared.

        Read-only: updates, LOAD and SERVICE raise :class:`~tradekg.errors.QueryRefusedError`.
        With ``allow_update`` an update runs (on a local store) and None is returned; LOAD and SERVICE
        stay refused. A query running longer than ``timeout`` seconds is stopped.

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?e a tk:Meeting }", timeout=None).rows
        [{'n': 2}]
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
        return to_result(raw, limit)

    def select_rows(self, text: str) -> list[dict[str, str | None]]:
        """A trusted SELECT (no guard) over the union of graphs, as rows of plain strings.

        This is the ``sparql`` callable the network and timeline modules take.

        >>> import tempfile; KnowledgeGraph.open(tempfile.mkdtemp()).select_rows("SELECT ?e WHERE { ?e a tk:Gift }")
        []
        """
        with self.reader() as b:
            raw = b.query(text)
        return [{k: (None if v is None else str(to_python(v))) for k, v in r.items()} for r in raw.rows]

    def quad_count(self) -> int:
        """How many quads the store holds, system graphs included.

        >>> import tempfile; KnowledgeGraph.open(tempfile.mkdtemp()).quad_count() > 1000   # ontology, gazetteer
        True
        """
        with self.reader() as b:
            return b.count()

    # -- export ------------------------------------------------------------------------------------------
    def export(self, fmt: str = "turtle", *, document: str | None = None, include_system: bool = False,
               path: PathLike | None = None) -> str:
        """Serialize documents (or one) as Turtle, TriG, JSON-LD, N-Triples or N-Quads.

        TriG, N-Quads and JSON-LD keep each document's named graph; Turtle and N-Triples merge them.
        ``include_system`` adds the ontology, gazetteer and meta graphs. With ``path`` the text is also
        written there.

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> "tkid:akazawa-ryosei" in kg.export("turtle", document="us-japan-first-round-2025-04")
        True
        """
        from tradekg.export import export_dataset

        with self.reader() as b:
            return export_dataset(b, fmt, document=document, include_system=include_system, path=path)

    # -- views built on queries --------------------------------------------------------------------------
    def network(self, *, document: str | None = None, actor: str | None = None, depth: int | None = None,
                kinds: Iterable[str] | None = None, date_from: str | None = None, date_to: str | None = None,
                by_country: bool = False) -> nx.MultiDiGraph:
        """The actor network as a ``networkx.MultiDiGraph`` (see :func:`tradekg.network.build_network`).

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> kg.network(actor="Akazawa").has_node("https://w3id.org/tradekg/id/donald-trump")
        True
        """
        from tradekg.network import build_network

        return build_network(self.select_rows, document=document, actor=actor, depth=depth, kinds=kinds,
                             date_from=date_from, date_to=date_to, by_country=by_country)

    def timeline(self, *, actor: str | None = None, date_from: str | None = None, date_to: str | None = None,
                 document: str | None = None) -> list[dict[str, Any]]:
        """Events in date order with who, what, when and which article (see :mod:`tradekg.timeline`).

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> [r["date"] for r in kg.timeline(actor="Bessent")]
        ['2025-04-16']
        """
        from tradekg.timeline import build_timeline

        return build_timeline(self.select_rows, actor, date_from, date_to, document=document)

    def ask(self, question: str) -> Answer:
        """Answer an English question through the named queries (see :mod:`tradekg.ask`).

        >>> import tempfile; kg = KnowledgeGraph.open(tempfile.mkdtemp()); _ = kg.ingest(["seeds/"])
        >>> sorted({r["giver"] for r in kg.ask("What did Akazawa give Trump?").rows})
        ['Ryosei Akazawa']
        """
        from tradekg.ask import answer_question

        return answer_question(self, question)

    # -- beside the store: draft, extract and evaluate are in tradekg.text_methods --------------------------
    def start_server(self, host: str = "127.0.0.1", port: int = 7878, *, read_only: bool = False,
                     allow_remote: bool = False) -> Server:
        """Serve the store as a SPARQL endpoint in the background; ``stop()`` the server when done.

        >>> import socket, tempfile
        >>> s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
        >>> kg = KnowledgeGraph.open(tempfile.mkdtemp() + "/store"); _ = kg.ingest(["seeds/"])
        >>> with kg.start_server(port=port) as server:
        ...     [d["id"] for d in KnowledgeGraph.open(server.url).documents()]
        ['us-japan-first-round-2025-04']
        """
        from tradekg.serve import start

        self._prepare_to_serve()
        return start(self.location, host, port, read_only, allow_remote)

    def serve(self, host: str = "127.0.0.1", port: int = 7878, *, read_only: bool = False,
              allow_remote: bool = False) -> int:
        """Serve the store as a SPARQL endpoint with Oxigraph's query UI until interrupted; the exit code.

        Loopback only unless ``allow_remote`` (Oxigraph's server has no authentication). See
        :meth:`start_server` for a server in the background, with an example.
        """
        from tradekg.serve import serve

        self._prepare_to_serve()
        return serve(self.location, host, port, read_only, allow_remote)

    def _prepare_to_serve(self) -> None:
        if self._remote:
            raise UsageError("serve needs a local store folder, not an endpoint")
        with self.writer():
            pass  # create the store and refresh its system graphs before Oxigraph takes the lock


__all__ = [
    "KnowledgeGraph", "BatchResult", "DocumentOutcome", "ResultGraph", "QueryResult", "EXPORT_FORMATS",
    "document_graph_name", "graph_triples",
]
