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


# --- output: one renderer, one set of options ------------------------------------------------------------

SECOND_ARTICLE = """\
document:
  id: trump-remarks-2025-05
  title: Trump repeats his complaint about Japanese car imports
  publisher: nhk-world-japan
  published: 2025-05-02
  language: en
  text: Trump said again that Japan takes almost no American cars, officials reportedly said.
events:
  - id: claim-cars-again
    type: Claim
    claimant: donald-trump
    content: Japan takes almost no American cars.
    date: 2025-05-01
    hedge: reportedly
    attributedTo: nhk-world-japan
    reportingStatus: reported
    summary: Trump claimed again that Japan takes almost no American cars.
    evidence: Trump said again that Japan takes almost no American cars, officials reportedly said.
"""


@pytest.fixture
def two_article_store(cli, tmp_path, seed_copy):
    (seed_copy.parent / "trump-remarks-2025-05.yaml").write_text(SECOND_ARTICLE, encoding="utf-8")
    store = tmp_path / "two"
    code, _, err = cli("--store", store, "ingest", seed_copy.parent)
    assert code == 0, err
    return store


def test_table_says_what_the_data_says(cli, two_article_store):
    """The table keeps hedges, comparisons and reporting status, and names each row's article and date."""
    s = ("--store", two_article_store)
    _, data, _ = cli(*s, "query", "claims", "--by", "Trump", "-f", "json")
    rows = json.loads(data)
    assert any(r["comparison"] == "exceeded" and r["value"] == 10000 for r in rows)
    for args in (("query", "claims", "--by", "Trump"), ("ask", "What did Trump claim?")):
        code, table, _ = cli(*s, *args, "-f", "table")
        flat = " ".join(table.split())
        assert code == 0
        assert "more than 10,000 units" in flat  # not a bare "10000" that reads as exact
        assert "alleged" in flat and "reportedly" in flat and "reported" in flat
        assert "Automobiles, produce among US's requests in Japan tariff talks (2025-04-19)" in flat
        assert "Trump repeats his complaint about Japanese car imports (2025-05-02)" in flat


def test_output_file_format_follows_its_suffix(cli, seeded_store, tmp_path):
    s = ("--store", seeded_store)
    code, out, err = cli(*s, "export", "-o", tmp_path / "backup.trig")
    assert code == 0 and out == "" and "wrote" in err
    assert "tkdoc:us-japan-first-round-2025-04 {" in (tmp_path / "backup.trig").read_text()
    code, out, _ = cli(*s, "query", "gifts", "-o", tmp_path / "gifts.csv")
    assert code == 0 and out == "" and (tmp_path / "gifts.csv").read_text().startswith("event,giver,")
    code, _, _ = cli(*s, "timeline", "-o", tmp_path / "t.tsv")
    assert "\tdate\t" in (tmp_path / "t.tsv").read_text().split("\n", 1)[0]
    code, _, err = cli(*s, "documents", "-f", "yaml")
    assert code == 2 and "yaml" in err  # a format the command does not have is bad usage


PAGER_SCRIPT = "import sys; open(sys.argv[1], 'w', encoding='utf-8').write(sys.stdin.read())"


def run_in_terminal(args: list[str], env: dict[str, str], rows: int = 12, cols: int = 100,
                    keys: bytes = b"", timeout: float = 60) -> tuple[int, str]:
    """Run ``tradekg ARGS`` with a real pseudo-terminal of ``rows`` x ``cols`` as its stdin/stdout."""
    import fcntl
    import os
    import pty
    import select
    import struct
    import termios
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: stdout is the terminal, sized before the command starts
        try:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execvpe(sys.executable, [sys.executable, "-m", "tradekg", *args], env)
        finally:
            os._exit(127)
    seen = b""
    deadline = time.monotonic() + timeout
    sent = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break  # the child closed the terminal
            if not chunk:
                break
            seen += chunk
        elif keys and not sent and seen:
            os.write(fd, keys)  # the output has stopped: a pager waits for a key
            sent = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", "replace")


@pytest.fixture
def terminal_env(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("PAGER", "TRADEKG_PAGER", "LESS", "COLUMNS", "LINES")}
    return env


def test_long_output_on_a_terminal_goes_through_the_pager(seeded_store, tmp_path, terminal_env):
    paged = tmp_path / "paged.txt"
    env = {**terminal_env, "PAGER": f"{sys.executable} -c \"{PAGER_SCRIPT}\" {paged}"}
    query = ["--store", str(seeded_store), "query", "claims", "-f", "table"]
    code, screen = run_in_terminal(query, env, rows=12)
    assert code == 0 and "more than 10,000 units" in " ".join(paged.read_text().split())
    assert "Donald Trump" not in screen  # it all went to the pager
    paged.unlink()
    for off in (["--no-pager", *query], [*query, "--no-pager"]):
        code, screen = run_in_terminal(off, env, rows=12)
        assert code == 0 and not paged.exists() and "Donald Trump" in screen
    # Output that fits the screen is printed as it is.
    code, screen = run_in_terminal(["--store", str(seeded_store), "documents", "-f", "csv"], env, rows=40)
    assert code == 0 and not paged.exists() and "us-japan-first-round-2025-04" in screen
    # Never in a pipe.
    r = subprocess.run([sys.executable, "-m", "tradekg", *query], env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and not paged.exists() and "Donald Trump" in r.stdout


def test_the_default_pager_is_less(seeded_store, terminal_env):
    import shutil

    if not shutil.which("less"):
        pytest.skip("less is not installed")
    query = ["--store", str(seeded_store), "query", "claims", "-f", "table"]
    code, screen = run_in_terminal(query, terminal_env, rows=12, keys=b"q")
    # less showed the first screen, waited, and quit on q; the command then ended normally.
    assert code == 0 and "claimant" in screen and "Donald Trump" in screen


def test_load_reports_in_any_format_and_network_rows_go_to_a_file(cli, seeded_store, tmp_path):
    backup = tmp_path / "b.nq"
    assert cli("--store", seeded_store, "export", "-o", backup)[0] == 0
    code, out, err = cli("--store", tmp_path / "restored", "load", backup, "-f", "json")
    (row,) = json.loads(out)
    assert code == 0 and row["documents"] == 1 and row["triples"] > 300 and err == ""
    code, out, err = cli("--store", seeded_store, "network", "-o", tmp_path / "top.csv")
    assert code == 0 and "label,type,degree" in (tmp_path / "top.csv").read_text().split("\n")[0] and "wrote" in err


def test_validate_and_ingest_reports_in_every_format(cli, seed_copy, tmp_path):
    code, out, err = cli("validate", seed_copy, "-f", "csv")
    assert code == 0 and out.splitlines()[0] == "document,path,status,events,triples,warnings,error"
    assert "Warning" in err  # findings are messages when the data is one row per document
    code, out, _ = cli("validate", seed_copy, "-f", "table")
    assert code == 0 and "valid" in out and "16" in out
    code, out, _ = cli("--store", tmp_path / "s", "ingest", seed_copy, "-f", "tsv")
    assert code == 0 and out.splitlines()[1].split("\t")[:3] == [SEED_ID, str(seed_copy), "ingested"]
