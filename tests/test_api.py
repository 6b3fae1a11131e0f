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


# --- KnowledgeGraph is the only way in -------------------------------------------------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def test_extract_and_evaluate_are_methods_that_never_open_the_store(tmp_path):
    store = tmp_path / "never-created"
    kg = KnowledgeGraph.open(store)
    draft = kg.extract(ROOT / "seeds" / "us-japan-first-round-2025-04.txt", published="2025-04-19")
    events = draft.to_json()["events"]
    assert {"Request", "Meeting"} <= {e["type"] for e in events}
    assert "events:" in draft.to_annotation_yaml()
    report = kg.evaluate(ROOT / "examples")
    assert report.files and 0 < report.overall().events.f1 <= 1
    assert not store.exists()
    with pytest.raises(UsageError, match="--published"):
        kg.extract(ROOT / "seeds" / "us-japan-first-round-2025-04.txt", published="someday")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_served_store_answers_as_the_local_one_and_restores_through_the_endpoint(tmp_path, seed_copy):
    """start_server is a method; the remote Backend does what the local one does, load included."""
    kg = KnowledgeGraph.open(tmp_path / "served")
    backup = tmp_path / "backup.nq"
    source = KnowledgeGraph.open(tmp_path / "source")
    assert source.ingest([seed_copy]).exit_code == 0
    source.export("nq", path=backup)
    with kg.start_server(port=free_port()) as server:
        remote = KnowledgeGraph.open(server.url)
        assert remote.documents() == []
        restored = remote.load(backup)  # one Graph Store POST (RemoteBackend.load_file)
        assert restored.documents == 1 and restored.quads > 300
        assert [d["id"] for d in remote.documents()] == [SEED_ID]
        assert remote.query("gifts").rows == source.query("gifts").rows
        giver = ox.NamedNode("https://w3id.org/tradekg/ontology#giver")
        with remote.reader() as far, source.reader() as near:
            assert {str(q) for q in far.quads_for_pattern(predicate=giver)} == \
                {str(q) for q in near.quads_for_pattern(predicate=giver)} != set()
    with pytest.raises(UsageError, match="local store"):
        remote.start_server(port=free_port())


def test_backend_pattern_reads_agree_on_both_paths(seeded_store):
    """The index scan of the on-disk store and the SPARQL form every backend inherits give the same quads."""
    from tradekg.backend import Backend
    from tradekg.store import OxigraphBackend

    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    japan = ox.NamedNode("https://w3id.org/tradekg/id/japan")
    b = OxigraphBackend(seeded_store, writable=False)
    try:
        for pattern in ({"predicate": label}, {"subject": japan}, {"subject": japan, "predicate": label}):
            scanned = {str(q) for q in b.quads_for_pattern(**pattern)}
            asked = {str(q) for q in Backend.quads_for_pattern(b, **pattern)}
            assert scanned and scanned == asked, pattern
        assert any('"Japan"@en' in q for q in scanned)
    finally:
        b.close()


def test_public_methods_are_typed_and_show_a_runnable_example():
    import inspect

    from tradekg.kg import KnowledgeGraph as KG

    for name, member in inspect.getmembers(KG, inspect.isfunction):
        if name.startswith("_"):
            continue
        returns = inspect.signature(member).return_annotation
        assert returns is not inspect.Signature.empty and "Any" != returns, name
        doc = inspect.getdoc(member) or ""
        assert ">>>" in doc or "start_server" in doc, f"{name} has no example"  # serve blocks: its example is
        assert "+SKIP" not in doc, name                                          # start_server's


def _imports(module: str, source: str, known: set[str], *, type_checking: bool) -> set[str]:
    """The tradekg modules ``module`` imports anywhere in its text (in functions too)."""
    import ast

    package = module if source.endswith("__init__.py") else module.rpartition(".")[0]
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            test = node.test
            guarded = getattr(test, "id", getattr(test, "attr", None)) == "TYPE_CHECKING"
            for child in (node.body if type_checking or not guarded else []) + node.orelse:
                self.visit(child)

        def visit_Import(self, node: ast.Import) -> None:
            found.update(a.name for a in node.names)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            subs = {f"{base}.{a.name}" for a in node.names} & known
            found.update(subs or {base})

    Visitor().visit(ast.parse(__import__("pathlib").Path(source).read_text(encoding="utf-8")))
    out = set()
    for name in found:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != module:
            out.add(name)
    return out


def test_no_import_cycles():
    """No two modules import each other, even inside functions; kg and bulk not even for type checking."""
    src = ROOT / "src"
    files = {".".join(p.relative_to(src).with_suffix("").parts).removesuffix(".__init__"): str(p)
             for p in (src / "tradekg").rglob("*.py")}
    known = set(files)
    graph = {m: _imports(m, f, known, type_checking=False) for m, f in files.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()]:
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    # Being taken apart by their own changes (issue 15), so not held here: network <-> network_html, and
    # the extractor's extract.mentions <-> extract.mention_cues. Nothing else may cycle.
    elsewhere = {"tradekg.network", "tradekg.network_html", "tradekg.extract.mentions",
                 "tradekg.extract.mention_cues"}
    cycles = sorted(m for m in graph if m not in elsewhere and reaches(m, m))
    assert cycles == []
    assert "tradekg.kg" not in _imports("tradekg.bulk", files["tradekg.bulk"], known, type_checking=True)
