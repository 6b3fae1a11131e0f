"""The SPARQL-endpoint backend against real servers: ``oxigraph serve`` and Virtuoso Open Source.

Every test here runs once per server (the ``server`` fixture is parametrized, one server of each kind per
test session). The answers of the named queries, ``ask``, ``documents``, the timeline, the network and
the export must be identical to the local store's on the seed. Failures no real server gives on demand are
in test_remote_faults.py.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from cutting_proxy import CuttingProxy
from oxigraph_server import OxigraphServer
from virtuoso_server import VirtuosoServer

from tradekg.errors import RemoteStoreError
from tradekg.kg import KnowledgeGraph
from tradekg.store import refresh_system_graphs, stored_fingerprint
from tradekg.store_remote import RemoteBackend, canonical

# One worker runs all of them, so that a test session starts one server of each kind, not one per worker.
pytestmark = pytest.mark.xdist_group("sparql-servers")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"
SEED_ID = "us-japan-first-round-2025-04"
DOC = "https://w3id.org/tradekg/doc/" + SEED_ID


@dataclass
class Served:
    """A running server: its kind, the URL a user gives with --store, its port and its credentials."""

    kind: str
    url: str
    port: int
    env: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if request.param == "oxigraph":
        with OxigraphServer(tmp_path_factory.mktemp("oxi") / "db") as oxi:
            yield Served("oxigraph", oxi.url, oxi.port)
    else:
        with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as virt:
            yield Served("virtuoso", virt.url, virt.port, virt.env)


@pytest.fixture()
def remote(server: Served) -> Iterator[RemoteBackend]:
    backend = RemoteBackend(server.url, env=dict(server.env), backoff=0.01)
    yield backend
    for g in backend.graph_names():
        backend.drop_graph(g)


@pytest.fixture()
def as_user(server: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Served:
    """The server's credentials in the environment, as a user would export them."""
    for name, value in server.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TRADEKG_CACHE", str(tmp_path / "cache"))
    return server


@pytest.fixture()
def seeded_remote(as_user: Served) -> KnowledgeGraph:
    """The seed ingested on the server (again only if a test removed it)."""
    kg = KnowledgeGraph.open(as_user.url)
    assert kg.ingest([SEED]).exit_code == 0
    return kg


def seed_triples() -> list[ox.Triple]:
    from tradekg.annotation import load_document

    graph = load_document(SEED).graph
    return [q.triple for q in ox.parse(graph.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)]


# --- the backend ------------------------------------------------------------------------------------------


def test_the_server_is_recognised(server: Served) -> None:
    backend = RemoteBackend(server.url, env={})
    assert backend.dialect.name == server.kind


def test_seed_written_queried_exported_and_removed(remote: RemoteBackend) -> None:
    triples = seed_triples()
    assert remote.replace_graph(DOC, triples) is True
    assert remote.replace_graph(DOC, triples) is False  # same content: nothing written
    assert remote.graph_names() == [DOC]  # the server's own graphs (Virtuoso's schemas) are not listed
    assert remote.count(DOC) == len(triples) == remote.count()

    res = remote.query(
        "SELECT ?e ?quote WHERE { ?e a tk:Request ; tk:requester tkid:united-states ; tk:addressee tkid:japan ;"
        " tk:evidence/tk:quote ?quote }"
    )
    assert len(res.rows) == 4
    assert any("safety standards" in r["quote"].value for r in res.rows)
    # Oxigraph's own default graph is empty: the document lives in its named graph. Virtuoso's default
    # graph is always the union of every graph.
    isolated = remote.dialect.isolated_default_graph
    assert remote.query("ASK { ?s a tk:Request }", union=False).boolean is not isolated
    assert remote.query("ASK { GRAPH ?g { ?s a tk:Request } }", union=False).boolean is True

    # The servers keep numbers by value, so "14900000000.0" comes back as "14900000000".
    exported = {canonical(q.triple) for q in remote.quads(DOC)}
    assert exported == {canonical(t) for t in triples}
    assert {q.graph_name.value for q in remote.quads()} == {DOC}

    built = remote.query("CONSTRUCT { ?e tk:requester ?who } WHERE { ?e tk:requester ?who }")
    assert built.kind == "graph" and len(built.triples) == 5

    assert remote.drop_graph(DOC) is True
    assert remote.drop_graph(DOC) is False
    assert remote.graph_names() == [] and remote.count() == 0


def test_replacing_a_document_replaces_the_whole_graph(remote: RemoteBackend) -> None:
    a, p = ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p")
    remote.replace_graph(DOC, [ox.Triple(a, p, ox.Literal("old")), ox.Triple(a, p, ox.Literal("both"))])
    remote.replace_graph(DOC, [ox.Triple(a, p, ox.Literal("new")), ox.Triple(a, p, ox.Literal("both"))])
    assert {q.object.value for q in remote.quads(DOC)} == {"new", "both"}


def test_literals_survive_in_every_spelling(remote: RemoteBackend) -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    a, p = ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p")
    values = [
        ox.Literal('He said "no" — \\ } ; GRAPH <x> { } \n日本'), ox.Literal("Tokyo", language="en-GB"),
        ox.Literal("2025-04-16", datatype=ox.NamedNode(xsd + "date")),
        ox.Literal("14900000000.0", datatype=ox.NamedNode(xsd + "decimal")),
        ox.Literal("7.7", datatype=ox.NamedNode(xsd + "decimal")),
        ox.Literal("42", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("2025-04-16T09:30:00Z", datatype=ox.NamedNode(xsd + "dateTime")),
    ]
    triples = [ox.Triple(a, p, v) for v in values]
    assert remote.replace_graph(DOC, triples) is True
    assert {canonical(q.triple) for q in remote.quads(DOC)} == {canonical(t) for t in triples}
    assert remote.replace_graph(DOC, triples) is False  # read back, every spelling compares equal
    row = remote.query("SELECT ?d WHERE { ?a ?p ?d FILTER(DATATYPE(?d) = xsd:date) }").rows[0]
    assert row["d"] == values[2]
    found = remote.query("SELECT ?o WHERE { ?a ?p ?o FILTER(LANGMATCHES(LANG(?o), 'en')) }").rows
    assert [r["o"].value for r in found] == ["Tokyo"]


def test_blank_nodes_are_written_and_read(remote: RemoteBackend) -> None:
    b, p = ox.BlankNode(), ox.NamedNode("http://example.org/p")
    remote.replace_graph(DOC, [ox.Triple(ox.NamedNode("http://example.org/a"), p, b),
                               ox.Triple(b, p, ox.Literal("inner"))])
    quads = list(remote.quads(DOC))
    assert len(quads) == 2 and sum(isinstance(q.object, ox.BlankNode) for q in quads) == 1
    row = remote.query("SELECT ?b WHERE { ?b <http://example.org/p> 'inner' }").rows[0]
    assert isinstance(row["b"], ox.BlankNode)


def test_system_graphs_load_once_through_update_and_query(remote: RemoteBackend) -> None:
    assert refresh_system_graphs(remote) is True
    assert stored_fingerprint(remote) is not None
    assert refresh_system_graphs(remote) is False
    assert "https://w3id.org/tradekg/graph/ontology" in remote.graph_names()


def test_a_dataset_loads_in_one_go(remote: RemoteBackend) -> None:
    nq = "".join(f"{t} <{DOC}> .\n" for t in seed_triples()) + '<http://e/a> <http://e/p> "x" <http://e/g2> .\n'
    remote.load_dataset(nq.encode(), "application/n-quads")
    assert remote.graph_names() == sorted([DOC, "http://e/g2"])
    assert remote.count() == len(seed_triples()) + 1


def test_long_query_goes_by_post(remote: RemoteBackend) -> None:
    filler = "x" * 6000
    res = remote.query(f"SELECT ?s WHERE {{ ?s ?p ?o FILTER(STR(?o) = '{filler}') }}")
    assert res.kind == "select" and res.rows == []


def test_bad_query_is_a_clear_error(remote: RemoteBackend) -> None:
    with pytest.raises(RemoteStoreError, match=r"HTTP 400.*"):
        remote.query("SELECT WHERE nonsense")
    with pytest.raises(RemoteStoreError, match=r"POST \S+: HTTP 400"):
        remote.update("INSERT nonsense")


def test_limit_truncates(remote: RemoteBackend) -> None:
    remote.replace_graph(DOC, seed_triples())
    res = remote.query("SELECT ?s WHERE { ?s ?p ?o }", limit=3)
    assert len(res.rows) == 3 and res.truncated


def test_writes_without_credentials(server: Served, remote: RemoteBackend) -> None:
    """Oxigraph takes anonymous writes; Virtuoso refuses them and asks for Digest credentials."""
    anonymous = RemoteBackend(server.url, env={}, retries=0)
    a = ox.NamedNode("http://example.org/a")
    triples = [ox.Triple(a, a, ox.Literal("x"))]
    if server.kind == "oxigraph":
        assert anonymous.replace_graph(DOC, triples) is True
        return
    with pytest.raises(RemoteStoreError, match=r"PUT \S+/sparql-graph-crud-auth: HTTP 401.*TRADEKG_USER"):
        anonymous.replace_graph(DOC, triples)
    wrong = RemoteBackend(server.url, env={"TRADEKG_USER": "dba", "TRADEKG_PASSWORD": "wrong"}, retries=0)
    with pytest.raises(RemoteStoreError, match=r"HTTP 401") as err:
        wrong.update("DROP SILENT GRAPH <http://example.org/g>")
    assert "wrong" not in str(err.value)
    assert remote.graph_names() == []


# --- a connection cut in the middle of the upload ------------------------------------------------------


def _through(proxy: CuttingProxy, server: Served, **kw: Any) -> RemoteBackend:
    path = server.url.split(str(server.port), 1)[1]
    return RemoteBackend(proxy.url + path, env=dict(server.env), dialect=server.kind, backoff=0.01, timeout=5, **kw)


def test_cut_upload_leaves_the_previous_document_intact(remote: RemoteBackend, server: Served) -> None:
    old = seed_triples()
    remote.replace_graph(DOC, old)
    proxy = CuttingProxy(server.port, authorized_only=bool(server.env))
    try:
        through = _through(proxy, server, retries=1)
        a = ox.NamedNode("http://example.org/a")
        new = [ox.Triple(a, ox.NamedNode("http://example.org/p"), ox.Literal(str(i))) for i in range(2000)]
        with pytest.raises(RemoteStoreError, match="PUT"):
            through.replace_graph(DOC, new)
        assert proxy.puts == 2  # a PUT is idempotent: retried once, cut again
    finally:
        proxy.close()
    time.sleep(0.2)
    assert {canonical(q.triple) for q in remote.quads(DOC)} == {canonical(t) for t in old}


def test_cut_upload_of_a_new_document_leaves_nothing(remote: RemoteBackend, server: Served) -> None:
    proxy = CuttingProxy(server.port, authorized_only=bool(server.env))
    try:
        through = _through(proxy, server, retries=0)
        with pytest.raises(RemoteStoreError):
            through.replace_graph(DOC, seed_triples())
    finally:
        proxy.close()
    time.sleep(0.2)
    assert remote.graph_names() == []


# --- the same answers as the local store ------------------------------------------------------------------

#: Every named query without parameters, and these with parameters (labels, aliases, dates, topics).
CALLS: list[tuple[str, dict[str, str]]] = [
    ("requests", {"by": "United States", "of": "Japan"}), ("requests", {"by": "Japan", "of": "US"}),
    ("requests", {"by": "United States", "of": "Japan", "topic": "rice"}), ("meetings", {"actor": "Japan"}),
    ("claims", {"by": "Trump"}), ("timeline", {"actor": "Japan", "from_": "2025-04-16"}),
    ("timeline", {"to": "2025-04-16"}), ("actors", {"actor": "United States"}), ("sources", {"source": "Japan"}),
    ("complaints", {"by": "United States"}), ("responses", {"by": "Japan"}),
]
QUESTIONS = ["What did the US request of Japan?", "What did Japan ask of the US?", "who met whom, where and when",
             "What did Trump claim?", "Chronology of events involving Trump"]


#: What Virtuoso 7.2 cannot run, and the error it gives (docs/remote-stores.md): the timeline query orders
#: by expressions over its aggregates, ``ORDER BY (!BOUND(?date)) ?date (MIN(?offset_))``, which its
#: compiler refuses (SP031, and SP030 for an aggregate in ORDER BY).
VIRTUOSO_CANNOT: dict[str, str] = {}


def _calls() -> list[tuple[str, dict[str, str]]]:
    from tradekg.queries import load_queries

    bare = [(q.name, {}) for q in load_queries().values() if not any(p.required for p in q.params)]
    return sorted(bare) + CALLS


def _lists(name: str) -> dict[str, str]:
    """The GROUP_CONCAT columns of a named query and their separators."""
    from tradekg.queries import load_queries

    found = re.findall(r'GROUP_CONCAT\((?:DISTINCT\s+)?\?\w+\s*;\s*separator\s*=\s*"([^"]*)"\)\s+AS\s+\?(\w+)',
                       load_queries()[name].text)
    return {col: sep for sep, col in found}


def _rows(name: str, result: Any) -> list[dict[str, Any]]:
    """The rows, each GROUP_CONCAT column as its sorted items: SPARQL leaves their order to the server."""
    lists = _lists(name)
    return [{k: sorted(v.split(lists[k])) if k in lists and isinstance(v, str) else v for k, v in r.items()}
            for r in result.rows]


def test_named_queries_answer_as_the_local_store(server: Served, seeded_kg: KnowledgeGraph,
                                                 seeded_remote: KnowledgeGraph) -> None:
    for name, params in _calls():
        here = _rows(name, seeded_kg.query(name, **params))
        assert here or name == "responses", f"{name} {params} answers nothing on the seed"
        if server.kind == "virtuoso" and name in VIRTUOSO_CANNOT:
            with pytest.raises(RemoteStoreError, match=VIRTUOSO_CANNOT[name]):
                seeded_remote.query(name, **params)
            continue
        assert _rows(name, seeded_remote.query(name, **params)) == here, f"{name} {params}"


def test_ask_documents_timeline_and_network_answer_as_the_local_store(server: Served, seeded_kg: KnowledgeGraph,
                                                                    seeded_remote: KnowledgeGraph) -> None:
    for question in QUESTIONS:
        here = seeded_kg.ask(question)
        if server.kind == "virtuoso" and here.query in VIRTUOSO_CANNOT:
            with pytest.raises(RemoteStoreError, match=VIRTUOSO_CANNOT[here.query]):
                seeded_remote.ask(question)
            continue
        there = seeded_remote.ask(question)
        assert (there.summary, there.query) == (here.summary, here.query), question
        assert _rows(there.query, there) == _rows(here.query, here), question
    assert seeded_remote.documents() == seeded_kg.documents()
    assert seeded_remote.timeline() == seeded_kg.timeline()
    assert seeded_remote.timeline(actor="Japan") == seeded_kg.timeline(actor="Japan")
    here_net, there_net = seeded_kg.network(), seeded_remote.network()
    assert sorted(there_net.nodes(data=True)) == sorted(here_net.nodes(data=True))
    assert sorted(map(json.dumps, there_net.edges(data=True))) == sorted(map(json.dumps, here_net.edges(data=True)))


def test_export_holds_the_same_quads(seeded_kg: KnowledgeGraph, seeded_remote: KnowledgeGraph) -> None:
    def quads(kg: KnowledgeGraph, **kw: Any) -> set[str]:
        text = kg.export("nq", **kw)
        return {f"{canonical(q.triple)} {q.graph_name}" for q in ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS)}

    assert quads(seeded_remote) == quads(seeded_kg)
    assert quads(seeded_remote, include_system=True) == quads(seeded_kg, include_system=True)
    assert seeded_remote.quad_count() == seeded_kg.quad_count()


def _listed(rows: Any) -> Any:
    """JSON output with the items of the list columns (topics, participants) sorted, as in :func:`_rows`."""
    if isinstance(rows, dict):
        rows = rows.get("rows", rows)
    if not isinstance(rows, list):
        return rows
    return [{k: sorted(v.split(", ")) if k in ("topics", "participants") and isinstance(v, str) else v
             for k, v in r.items()} if isinstance(r, dict) else r for r in rows]


def test_the_cli_as_a_user_runs_it(as_user: Served, cli: Any, seeded_store: Path) -> None:
    """ingest, query, ask, export and remove with --store http://… (credentials from the environment)."""
    code, _out, err = cli("--store", as_user.url, "ingest", str(ROOT / "seeds"))
    assert code == 0 and SEED_ID in err
    for args in (["query", "requests", "--param", "by", "United States", "--param", "of", "Japan"],
                 ["ask", "What did the US request of Japan?"], ["documents"]):
        here = cli("--store", str(seeded_store), *args, "--format", "json")
        there = cli("--store", as_user.url, *args, "--format", "json")
        assert there[0] == here[0] == 0, args
        assert _listed(json.loads(there[1])) == _listed(json.loads(here[1])), args
    code, out, _err = cli("--store", as_user.url, "export", "--format", "nt")
    assert code == 0 and len(out.splitlines()) == len(seed_triples())
    code, _out, err = cli("--store", as_user.url, "remove", SEED_ID)
    assert code == 0
    assert json.loads(cli("--store", as_user.url, "documents", "--format", "json")[1]) == []
