"""Every command end to end through the CLI entry point, on temporary stores."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SEED_ID = "us-japan-first-round-2025-04"


def test_ingest_documents_query_export_remove(cli, tmp_path, seed_copy):
    store = tmp_path / "s"
    code, out, err = cli("--store", store, "ingest", seed_copy)
    assert code == 0 and f"ingested   {SEED_ID}: 16 events" in out and "warnings" in out
    code, out, _ = cli("--store", store, "ingest", seed_copy)
    assert code == 0 and out.startswith("unchanged")
    code, out, _ = cli("--store", store, "documents", "--format", "json")
    assert code == 0 and json.loads(out)[0]["id"] == SEED_ID
    code, out, _ = cli("--store", store, "query", "requests", "--param", "by", "United States",
                       "--param", "of", "Japan", "--format", "json")
    rows = json.loads(out)
    text = json.dumps(rows).lower()
    assert code == 0 and "safety standards" in text
    assert all(w in text for w in ("rice", "meat", "seafood", "potatoes"))
    code, out2, _ = cli("--store", store, "query", "requests", "--by", "US", "-p", "of=Japan", "-f", "json")
    assert code == 0 and json.loads(out2) == rows
    out_file = tmp_path / "out.ttl"
    code, out, err = cli("--store", store, "export", "--format", "turtle", "-o", out_file)
    assert code == 0 and out == "" and "wrote" in err and "@prefix tk:" in out_file.read_text()
    code, out, _ = cli("--store", store, "export", "--format", "nq", "--document", SEED_ID)
    assert code == 0 and out.count("\n") > 300
    code, _, err = cli("--store", store, "remove", SEED_ID)
    assert code == 0
    code, out, err = cli("--store", store, "documents", "-f", "json")
    assert json.loads(out) == [] and "no documents" in err


def test_store_from_environment(cli, monkeypatch, seeded_store):
    monkeypatch.setenv("TRADEKG_STORE", str(seeded_store))
    code, out, _ = cli("documents", "-f", "csv")
    assert code == 0 and out.splitlines()[0] == "id,title,publisher,date,events,triples"


def test_validate_text_and_json(cli, seed_copy, tmp_path):
    code, out, _ = cli("validate", seed_copy)
    assert code == 0 and "conforms" in out
    code, out, _ = cli("validate", "--format", "json", seed_copy)
    assert code == 0 and json.loads(out)[0]["status"] == "valid"
    bad = tmp_path / "bad.yaml"
    bad.write_text("document:\n\t- tab\n", encoding="utf-8")
    code, _, err = cli("validate", bad)
    assert code == 2 and "bad.yaml" in err
    code, _, err = cli("validate", tmp_path / "missing.yaml")
    assert code == 2 and "no such file" in err


def test_ingest_refused_document_exit_1_store_unchanged(cli, store_copy, seed_copy):
    code, before, _ = cli("--store", store_copy, "export", "-f", "nq", "--all")
    text = seed_copy.read_text(encoding="utf-8")
    seed_copy.write_text(text.replace("date: 2025-04-16", "date: 2025-02-30", 1), encoding="utf-8")
    code, out, err = cli("--store", store_copy, "ingest", seed_copy)
    assert code == 1 and "REFUSED" in err
    _, after, _ = cli("--store", store_copy, "export", "-f", "nq", "--all")
    assert sorted(after.splitlines()) == sorted(before.splitlines())


def test_many_documents_good_in_bad_listed(cli, tmp_path, seed_copy):
    folder = seed_copy.parent
    for i in range(4):  # more than a few: the progress bar path runs too
        (folder / f"empty-{i}.yaml").write_text("", encoding="utf-8")
    code, out, err = cli("--store", tmp_path / "s", "ingest", folder)
    assert code == 2 and f"ingested   {SEED_ID}" in out
    assert "4 of 5 documents refused" in err and "empty-0.yaml" in err
    code, out, err = cli("--store", tmp_path / "d", "ingest", "--dry-run", seed_copy)
    assert code == 0 and "conforms" in out
    _, out, _ = cli("--store", tmp_path / "d", "documents", "-f", "json")
    assert json.loads(out) == []


def test_queries_lists_named_queries(cli, seeded_store):
    code, out, _ = cli("--store", seeded_store, "queries", "-f", "json")
    names = {q["name"] for q in json.loads(out)}
    assert code == 0 and {"requests", "claims", "timeline", "actors", "sources"} <= names


@pytest.mark.parametrize("args,code,words", [
    (["query", "nope"], 2, "no named query 'nope'"),
    (["query", "events", "--param", "kind", "Nope"], 2, "no event kind 'Nope'"),
    (["query", "requests", "--by", "US", "--of", "Japan", "--colour", "red"], 2, "no parameter 'colour'"),
    (["query", "requests", "--by", "Atlantis", "--of", "Japan"], 2, "no actor called 'Atlantis'"),
    (["query", "requests", "--by", "Japan", "--of", "Japan"], 1, "no answer"),
    (["query", "timeline", "--from", "yesterday"], 2, "date like"),
    (["sparql", "DROP ALL"], 2, "updates are not allowed"),
    (["sparql", "LOAD <http://example.org/x>"], 2, "LOAD is not allowed"),
    (["sparql", "SELECT * WHERE { SERVICE <http://example.org/q> { ?s ?p ?o } }"], 2, "SERVICE"),
    (["sparql", "SELECT * WHERE {"], 2, "syntax error"),
    (["sparql"], 2, "give the query"),
    (["export", "--document", "nope"], 2, "no document 'nope'"),
    (["remove", "nope"], 2, "no document 'nope'"),
])
def test_errors_are_one_line_with_an_exit_code(cli, store_copy, args, code, words):
    _, before, _ = cli("--store", store_copy, "export", "-f", "nq", "--all")
    got, out, err = cli("--store", store_copy, *args)
    assert got == code, (out, err)
    assert words in err
    _, after, _ = cli("--store", store_copy, "export", "-f", "nq", "--all")
    assert after == before


def test_sparql_forms_formats_and_stdin(cli, seeded_store):
    s = ("--store", seeded_store)
    code, out, _ = cli(*s, "sparql", "SELECT ?e WHERE { ?e a tk:Gift }", "-f", "json")
    assert code == 0 and json.loads(out) == [{"e": f"https://w3id.org/tradekg/doc/{SEED_ID}#gift-piggy-bank"}]
    code, out, _ = cli(*s, "sparql", "ASK { ?e a tk:Gift }")
    assert out.strip() == "true"
    code, out, _ = cli(*s, "sparql", "CONSTRUCT { ?e tk:giver ?g } WHERE { ?e tk:giver ?g }")
    assert "tk:giver tkid:akazawa-ryosei" in out
    code, out, _ = cli(*s, "sparql", "DESCRIBE tkid:japan")
    assert code == 0 and "Japan" in out
    code, out, _ = cli(*s, "sparql", "-", "-f", "sparql-json", stdin="SELECT ?e WHERE { ?e a tk:Gift }")
    assert json.loads(out)["results"]["bindings"][0]["e"]["type"] == "uri"
    code, out, _ = cli(*s, "sparql", "SELECT ?e WHERE { ?e a tk:Gift }", "-f", "sparql-xml")
    assert "<uri>" in out
    code, out, err = cli(*s, "sparql", "SELECT ?s WHERE { ?s a tk:Request }", "--limit", "2", "-f", "tsv")
    assert len(out.splitlines()) == 3 and "--limit" in err
    code, out, _ = cli(*s, "sparql", "SELECT ?s WHERE { ?s a tk:Nothing }", "-f", "json")
    assert code == 0 and json.loads(out) == []


def test_sparql_from_file_and_timeout(cli, seeded_store, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?e a tk:Meeting }", encoding="utf-8")
    code, out, _ = cli("--store", seeded_store, "sparql", "--file", q, "-f", "csv")
    assert out.splitlines() == ["n", "2"]
    code, _, err = cli("--store", seeded_store, "sparql", "--timeout", "1",
                       "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert code == 2 and "stopped after 1 s" in err


def test_two_writers_second_is_told_store_in_use(cli, store_copy, seed_copy):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import pyoxigraph, sys, time; s = pyoxigraph.Store(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(30)", str(store_copy)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        code, _, err = cli("--store", store_copy, "ingest", seed_copy)
        assert code == 2 and "store in use by another process" in err
        code, _, err = cli("--store", store_copy, "remove", SEED_ID)
        assert code == 2 and "store in use" in err
        # Readers still work while the writer holds the store.
        code, out, _ = cli("--store", store_copy, "query", "gifts", "-f", "json")
        assert code == 0 and json.loads(out)
    finally:
        holder.kill()
        holder.wait()


def test_hostile_content_is_safe_in_every_format(cli, tmp_path, seed_copy):
    hostile = '=1+2 \u202eevil\u202c [red]x[/red] \x1b[31m <b>'
    text = seed_copy.read_text(encoding="utf-8")
    seed_copy.write_text(text.replace('summary: Akazawa invited Trump to visit the World Expo in Osaka.',
                                      f"summary: {json.dumps(hostile)}"), encoding="utf-8")
    store = tmp_path / "s"
    assert cli("--store", store, "ingest", seed_copy)[0] == 0
    q = ("--store", store, "sparql", "SELECT ?s WHERE { ?e a tk:Invitation ; tk:summary ?s }")
    _, out, _ = cli(*q, "-f", "json")
    assert json.loads(out) == [{"s": hostile}] and "\u202e" not in out and "\x1b" not in out
    _, out, _ = cli(*q, "-f", "csv")
    assert out.splitlines()[1].startswith("'=1+2") and "\u202e" not in out and "\x1b" not in out
    _, out, _ = cli(*q, "-f", "table")
    assert "[red]x[/red]" in out and "\\u202e" in out and "\x1b" not in out


def test_cli_subprocess_has_no_traceback_and_prints_help(tmp_path):
    exe = [sys.executable, "-m", "tradekg"]
    r = subprocess.run([*exe, "--store", str(tmp_path / "s"), "sparql", "DROP ALL"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1
    r = subprocess.run([*exe, "query", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "--param" in r.stdout


def test_network_command(cli, seeded_store, tmp_path):
    code, out, _ = cli("--store", seeded_store, "network", "-f", "json")
    assert code == 0 and json.loads(out)
    target = tmp_path / "net.graphml"
    code, _, err = cli("--store", seeded_store, "network", "-o", target)
    assert code == 0 and target.exists() and "actors" in err


def test_timeline_command(cli, seeded_store, tmp_path):
    code, out, _ = cli("--store", seeded_store, "timeline", "--actor", "Bessent", "-f", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 1 and rows[0]["date"] == "2025-04-16"
    code, _, err = cli("--store", seeded_store, "timeline", "--from", "2030-01-01", "-f", "json")
    assert code == 1 and "no events" in err
    page = tmp_path / "t.html"
    code, _, _ = cli("--store", seeded_store, "timeline", "-o", page)
    assert code == 0 and page.stat().st_size > 0


def test_extract_and_evaluate_commands(cli, tmp_path):
    from pathlib import Path

    article = Path(__file__).resolve().parent.parent / "seeds" / "us-japan-first-round-2025-04.txt"
    code, out, _ = cli("extract", article, "--published", "2025-04-19", "-f", "json")
    assert code == 0 and json.loads(out)["events"]
    draft = tmp_path / "draft.yaml"
    code, _, _ = cli("extract", article, "-o", draft)
    assert code == 0 and "events:" in draft.read_text(encoding="utf-8")
    code, _, err = cli("extract", article, "--published", "someday")
    assert code == 2 and "--published" in err
    code, out, _ = cli("evaluate", article.parent, "-f", "json")
    assert code == 0 and json.loads(out)
