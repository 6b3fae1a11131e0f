"""The Python API: everything the CLI does, from ``from tradekg import KnowledgeGraph``."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from tradekg import KnowledgeGraph, QueryResult
from tradekg.errors import QueryRefusedError, UsageError

SEED_ID = "us-japan-first-round-2025-04"


def dataset(path) -> set[str]:
    from tradekg.store import OxigraphBackend

    b = OxigraphBackend(path, writable=False)
    try:
        return {str(q) for q in b.quads()}
    finally:
        b.close()


def test_documents_lists_the_seed(seeded_kg):
    (doc,) = seeded_kg.documents()
    assert doc["id"] == SEED_ID and doc["publisher"] == "NHK World-Japan" and doc["date"] == "2025-04-19"
    assert doc["events"] == 16 and doc["triples"] > 300


def test_query_and_sparql_give_rows_as_dicts(seeded_kg):
    result = seeded_kg.query("gifts")
    assert isinstance(result, QueryResult) and result.rows[0]["giver"] == "Ryosei Akazawa"
    res = seeded_kg.sparql("SELECT ?e WHERE { ?e a tk:Gift }")
    assert res.rows == [{"e": f"https://w3id.org/tradekg/doc/{SEED_ID}#gift-piggy-bank"}]
    assert seeded_kg.sparql("ASK { ?e a tk:Invitation }").boolean is True
    g = seeded_kg.sparql("CONSTRUCT { ?e tk:giver ?g } WHERE { ?e tk:giver ?g }")
    assert len(g) == 1 and len(g.graph) == 1 and "tk:giver" in g.turtle()
    assert len(seeded_kg.queries()) >= 12


def test_sparql_refuses_updates_and_leaves_the_store_unchanged(store_copy):
    kg = KnowledgeGraph.open(store_copy)
    before = dataset(store_copy)
    for text in ("DROP ALL", "CLEAR DEFAULT", "LOAD <http://example.org/x>",
                 "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"):
        with pytest.raises(QueryRefusedError):
            kg.sparql(text)
    assert dataset(store_copy) == before
    with pytest.raises(QueryRefusedError, match="LOAD"):
        kg.sparql("LOAD <http://example.org/x>", allow_update=True)
    kg.sparql(f"DROP GRAPH <https://w3id.org/tradekg/doc/{SEED_ID}>", allow_update=True)
    assert kg.documents() == []


def test_reingest_identical_leaves_store_identical(store_copy, seed_copy):
    kg = KnowledgeGraph.open(store_copy)
    before = dataset(store_copy)
    result = kg.ingest([seed_copy])
    assert [o.status for o in result] == ["unchanged"] and result.exit_code == 0
    assert dataset(store_copy) == before


def test_changed_document_replaces_what_it_said(store_copy, seed_copy):
    kg = KnowledgeGraph.open(store_copy)
    text = seed_copy.read_text(encoding="utf-8")
    seed_copy.write_text(text.replace("Akazawa invited Trump to visit the World Expo in Osaka.",
                                      "Akazawa asked Trump to come to the Expo."), encoding="utf-8")
    assert [o.status for o in kg.ingest([seed_copy])] == ["ingested"]
    summaries = [r["summary"] for r in kg.query("invitations").rows]
    assert summaries == ["Akazawa asked Trump to come to the Expo."]
    assert len(kg.documents()) == 1


def test_refused_document_writes_nothing(store_copy, seed_copy):
    kg = KnowledgeGraph.open(store_copy)
    before = dataset(store_copy)
    text = seed_copy.read_text(encoding="utf-8")
    # An impossible date is a Violation: the whole document is refused, even its good parts.
    seed_copy.write_text(text.replace("date: 2025-04-16\n    location: white-house",
                                      "date: 2025-02-30\n    location: white-house", 1), encoding="utf-8")
    result = kg.ingest([seed_copy])
    assert result.exit_code == 1 and result.refused[0].status == "refused"
    assert dataset(store_copy) == before


def test_good_documents_go_in_and_bad_ones_are_listed(tmp_path, seed_copy):
    folder = seed_copy.parent
    (folder / "broken.yaml").write_text("document: [unclosed\n", encoding="utf-8")
    kg = KnowledgeGraph.open(tmp_path / "fresh")
    result = kg.ingest([folder])
    assert result.exit_code == 2
    assert {o.status for o in result} == {"ingested", "unreadable"}
    assert [d["id"] for d in kg.documents()] == [SEED_ID]
    dry = KnowledgeGraph.open(tmp_path / "dry").ingest([seed_copy], dry_run=True)
    assert [o.status for o in dry] == ["valid"]
    assert KnowledgeGraph.open(tmp_path / "dry").documents() == []


def test_remove_removes_exactly_one_document(store_copy):
    kg = KnowledgeGraph.open(store_copy)
    system_before = {q for q in dataset(store_copy) if "/graph/" in q.rsplit(" ", 2)[-2]}
    kg.remove(SEED_ID)
    assert kg.documents() == []
    after = dataset(store_copy)
    assert {q for q in after if "/graph/" in q.rsplit(" ", 2)[-2]} == system_before
    assert all("/doc/" not in q.rsplit(" ", 2)[-2] for q in after)
    with pytest.raises(UsageError, match="no document"):
        kg.remove(SEED_ID)
    with pytest.raises(UsageError, match="system graph"):
        kg.remove("https://w3id.org/tradekg/graph/ontology")


def test_export_and_network(seeded_kg):
    ttl = seeded_kg.export("turtle")
    assert "@prefix tk:" in ttl
    g = seeded_kg.network()
    assert g.number_of_nodes() > 3
    with pytest.raises(UsageError, match="unknown export format"):
        seeded_kg.export("rdfxml")


def test_hostile_text_is_stored_as_data(tmp_path, seed_copy):
    hostile = '=HYPERLINK("http://evil") \u202eevil\u202c [bold]x[/bold] <script>alert(1)</script> \x07 " } DROP ALL'
    import json

    text = seed_copy.read_text(encoding="utf-8")
    seed_copy.write_text(text.replace('summary: Akazawa invited Trump to visit the World Expo in Osaka.',
                                      f"summary: {json.dumps(hostile)}"), encoding="utf-8")
    kg = KnowledgeGraph.open(tmp_path / "s")
    assert kg.ingest([seed_copy]).exit_code == 0
    assert kg.query("invitations").rows[0]["summary"] == hostile
    assert len(kg.documents()) == 1
    assert isinstance(kg.sparql("SELECT * WHERE { ?s ?p ?o } LIMIT 1").terms[0]["s"], ox.NamedNode)
