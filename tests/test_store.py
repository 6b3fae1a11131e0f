"""The on-disk store: atomic graph replaces, one writer, lock-free readers, system graphs, query guard."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from tradekg.errors import InputError, QueryRefusedError, StoreBusyError
from tradekg.namespaces import GAZETTEER_GRAPH, META_GRAPH, ONTOLOGY_GRAPH
from tradekg.sparql_guard import check_read_only, check_update
from tradekg.store import (
    OxigraphBackend,
    QueryTimeoutError,
    refresh_system_graphs,
    replace_graph_update,
    stored_fingerprint,
    system_fingerprint,
)

G = "http://example.org/g"


def triples(n: int, tag: str) -> list[ox.Triple]:
    p = ox.NamedNode("http://example.org/p")
    return [ox.Triple(ox.NamedNode(f"http://example.org/{tag}/{i}"), p, ox.Literal(str(i))) for i in range(n)]


def test_multi_operation_update_is_one_transaction(tmp_path):
    b = OxigraphBackend(tmp_path / "s", writable=True)
    b.replace_graph(G, triples(5, "a"))
    # The drop succeeds, then the last operation fails: nothing of the update may remain.
    with pytest.raises(Exception, match="does not exist"):
        b.store.update(replace_graph_update(G, triples(3, "b")) + " ;\nDROP GRAPH <http://example.org/none>")
    assert b.count(G) == 5
    assert {q.subject.value for q in b.quads(G)} == {f"http://example.org/a/{i}" for i in range(5)}


def test_replace_graph_replaces_and_identical_is_not_written(tmp_path):
    b = OxigraphBackend(tmp_path / "s", writable=True)
    assert b.replace_graph(G, triples(5, "a")) is True
    assert b.replace_graph(G, triples(5, "a")) is False
    assert b.replace_graph(G, triples(2, "b")) is True
    assert b.count(G) == 2 and b.count() == 2
    assert b.drop_graph(G) is True and b.drop_graph(G) is False and b.count() == 0


def test_readers_see_whole_graphs_during_replaces(tmp_path):
    path = tmp_path / "s"
    writer = OxigraphBackend(path, writable=True)
    writer.replace_graph(G, triples(1500, "a"))
    reads: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set() and len(reads) < 40:
            r = OxigraphBackend(path, writable=False)
            reads.append(r.count(G))
            r.close()

    t = threading.Thread(target=read)
    t.start()
    for i in range(6):
        writer.replace_graph(G, triples(500, "b") if i % 2 == 0 else triples(1500, "a"))
    stop.set()
    t.join()
    assert reads and set(reads) <= {500, 1500}, reads


def test_second_writer_is_told_the_store_is_busy(tmp_path):
    path = tmp_path / "s"
    OxigraphBackend(path, writable=True).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import pyoxigraph, sys, time; s = pyoxigraph.Store(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(30)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreBusyError, match="store in use by another process"):
            OxigraphBackend(path, writable=True)
        # Readers do not wait for the writer.
        assert OxigraphBackend(path, writable=False).count() == 0
    finally:
        holder.kill()
        holder.wait()


def test_close_releases_the_lock(tmp_path):
    b = OxigraphBackend(tmp_path / "s", writable=True)
    b.close()
    # Reopening for writing raises StoreBusyError if close() kept the lock.
    again = OxigraphBackend(tmp_path / "s", writable=True)
    assert again.graph_names() == []
    again.close()


def test_reading_a_missing_store_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no tradekg store"):
        OxigraphBackend(tmp_path / "nothing", writable=False)


def test_system_graphs_load_once_and_refresh_when_data_changes(tmp_path):
    b = OxigraphBackend(tmp_path / "s", writable=True)
    assert refresh_system_graphs(b) is True
    assert b.count(str(ONTOLOGY_GRAPH)) > 100 and b.count(str(GAZETTEER_GRAPH)) > 100
    assert stored_fingerprint(b) == system_fingerprint()
    assert refresh_system_graphs(b) is False
    extra = tmp_path / "mine.ttl"
    extra.write_text('@prefix tkid: <https://w3id.org/tradekg/id/> . @prefix skos: '
                     '<http://www.w3.org/2004/02/skos/core#> .\ntkid:someone skos:prefLabel "Someone" .\n')
    before = b.count(str(GAZETTEER_GRAPH))
    assert refresh_system_graphs(b, [extra]) is True
    assert b.count(str(GAZETTEER_GRAPH)) == before + 1
    assert b.count(str(META_GRAPH)) == 1


def test_timeout_stops_a_long_query(tmp_path):
    b = OxigraphBackend(tmp_path / "s", writable=True)
    b.replace_graph(G, triples(400, "a"))
    b.close()
    r = OxigraphBackend(tmp_path / "s", writable=False)
    start = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="stopped after 1 s"):
        r.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", timeout=1)
    assert time.monotonic() - start < 10
    assert r.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=20).rows[0]["n"].value == "400"


def test_limit_marks_truncation(tmp_path):
    b = OxigraphBackend(tmp_path / "s", writable=True)
    b.replace_graph(G, triples(10, "a"))
    res = b.query("SELECT ?s WHERE { ?s ?p ?o }", limit=3)
    assert len(res.rows) == 3 and res.truncated
    assert not b.query("SELECT ?s WHERE { ?s ?p ?o }", limit=10).truncated


@pytest.mark.parametrize("text,words", [
    ("DROP ALL", "updates are not allowed (DROP)"),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT DATA"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("LOAD <http://example.org/data.ttl>", "LOAD is not allowed"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE is not allowed"),
    ("SELECT * WHERE { { SELECT ?s WHERE { OPTIONAL { SERVICE SILENT <http://x.org/> { ?s ?p ?o } } } } }",
     "SERVICE"),
    ("ASK { FILTER EXISTS { SERVICE <http://x.org/> { ?s ?p ?o } } }", "SERVICE"),
])
def test_guard_refuses_updates_load_and_service(text, words):
    with pytest.raises(QueryRefusedError, match=words.replace("(", r"\(").replace(")", r"\)")):
        check_read_only(text)


def test_guard_accepts_queries_and_reads_the_tree_not_the_text():
    assert check_read_only("SELECT ?s WHERE { ?s a tk:Meeting }") == "SELECT"
    assert check_read_only('SELECT * WHERE { ?s ?p "SERVICE <http://x> LOAD DROP ALL" }') == "SELECT"
    assert check_read_only("# SERVICE in a comment\nASK { ?s ?p ?o }") == "ASK"
    assert check_read_only("CONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert check_read_only("DESCRIBE tkid:japan") == "DESCRIBE"
    with pytest.raises(InputError, match=r"syntax error.*line 2"):
        check_read_only("SELECT *\nWHERE { ?s ?p }")
    with pytest.raises(QueryRefusedError, match="nested"):
        check_read_only("SELECT * WHERE " + "{ " * 500 + "}" * 500)
    assert check_update("DROP GRAPH <http://example.org/g>") == "UPDATE"
    with pytest.raises(QueryRefusedError, match="LOAD"):
        check_update("LOAD <http://example.org/x>")


def test_store_location_default_and_env(monkeypatch):
    from tradekg.store import store_location

    monkeypatch.delenv("TRADEKG_STORE", raising=False)
    assert store_location() == "tradekg-store"
    monkeypatch.setenv("TRADEKG_STORE", "/x/y")
    assert store_location() == "/x/y" and store_location(Path("/a")) == "/a"


# -- write_triples: a document's (s, p, o) terms, a new graph in one extend --------------------------------------


def as_tuples(ts: list[ox.Triple]) -> list[tuple]:
    return [(t.subject, t.predicate, t.object) for t in ts]


def test_write_triples_new_existing_and_unchanged(tmp_path):
    b = OxigraphBackend(tmp_path / "s", writable=True)
    assert b.write_triples(G, as_tuples(triples(5, "a"))) is True  # new graph: one extend
    assert b.write_triples(G, as_tuples(triples(5, "a"))) is False  # identical: nothing written
    assert b.write_triples(G, as_tuples(triples(3, "b"))) is True  # existing graph: replaced, not merged
    assert {q.subject.value for q in b.quads(G)} == {f"http://example.org/b/{i}" for i in range(3)}
    # A literal the store canonicalizes ("10000.0" decimal is stored as "10000") still counts as unchanged.
    decimal = ox.Literal("10000.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    t = (ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/v"), decimal)
    assert b.write_triples(G + "2", [t]) is True and b.write_triples(G + "2", [t]) is False


def test_write_triples_gives_each_document_its_own_blank_nodes(tmp_path):
    b = OxigraphBackend(tmp_path / "s", writable=True)
    p = ox.NamedNode("http://example.org/p")
    doc = [(ox.BlankNode("b0"), p, ox.Literal("x")), (ox.NamedNode("http://example.org/a"), p, ox.BlankNode("b0"))]
    b.write_triples(G, doc)
    b.write_triples(G + "2", doc)
    first = {q.subject for q in b.quads(G) if isinstance(q.subject, ox.BlankNode)}
    second = {q.subject for q in b.quads(G + "2") if isinstance(q.subject, ox.BlankNode)}
    assert len(first) == len(second) == 1 and first != second
    # Within one document the same label stays one node.
    assert {q.object for q in b.quads(G) if q.predicate == p and isinstance(q.object, ox.BlankNode)} == first


def test_a_document_the_store_cannot_hold_writes_nothing(tmp_path):
    b = OxigraphBackend(tmp_path / "s", writable=True)
    good = as_tuples(triples(50, "a"))
    # pyoxigraph refuses a quad whose subject is a literal: refused before any quad of it is written.
    with pytest.raises(TypeError):
        b.write_triples(G, [*good, (ox.Literal("not a subject"), good[0][1], good[0][2])])
    assert b.count() == 0 and G not in b.graph_names()
