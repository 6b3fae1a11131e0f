"""Hostile inputs: none may hang, fetch anything, exhaust memory or print a traceback.

Every command runs in a child process under an address-space limit (``RLIMIT_AS``, 1.5 GB) and a time
limit, with a local listener standing in for the network: URLs in the files point at it and the proxy
variables send any other HTTP(S) fetch to it, so a single connection fails the test. The corpus is in
``tests/hostile/`` (see its README); big and unstorable inputs are made here in a temporary folder.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hostile import (
    CORPUS,
    SEED_ID,
    SEED_YAML,
    Listener,
    document_part,
    dump_store,
    run_tradekg,
    seed_yaml_text,
    variant_yaml,
)

from tradekg.errors import InputError, TradekgError

# How every corpus file must end: the statuses it may get, and words its error must contain.
EXPECTED: dict[str, tuple[set[str], str | None]] = {
    "billion-laughs.rdf": ({"unreadable"}, "unsupported file type"),
    "xxe.rdf": ({"unreadable"}, "unsupported file type"),
    "xml-in-turtle.ttl": ({"unreadable"}, "not valid turtle"),
    "xml-in-trig.trig": ({"unreadable"}, "not valid trig"),
    "xml-in-jsonld.jsonld": ({"unreadable"}, "not valid JSON"),
    "xml-in-yaml.yaml": ({"unreadable"}, None),
    "remote-context.jsonld": ({"unreadable"}, "remote"),
    "remote-context-list.jsonld": ({"unreadable"}, "remote"),
    "remote-context-scoped.jsonld": ({"unreadable"}, "remote"),
    "remote-context-import.jsonld": ({"unreadable"}, "remote"),
    "remote-context-graph.jsonld": ({"unreadable"}, "remote"),
    # A keyword alias of @context is not a context in JSON-LD: read as data, judged by the shapes.
    "remote-context-alias.jsonld": ({"unreadable", "refused"}, None),
    "owl-imports.ttl": ({"refused", "valid"}, None),
    "owl-imports.trig": ({"refused", "valid"}, None),
    "alias-bomb.yaml": ({"unreadable"}, "nodes"),
    "alias-bomb-in-document.yaml": ({"unreadable"}, "nodes"),
    "self-referencing-alias.yaml": ({"unreadable"}, None),
    "python-tag.yaml": ({"unreadable", "refused"}, None),  # tags are ignored: plain data
    "two-graphs.trig": ({"unreadable"}, "one named graph"),
    "not-an-annotation.yaml": ({"unreadable"}, "mapping"),
    "latin1.yaml": ({"unreadable"}, "UTF-8"),
    "latin1.ttl": ({"unreadable"}, "UTF-8"),
    "utf16.yaml": ({"unreadable"}, None),
    "nul-bytes.yaml": ({"unreadable"}, "NUL"),
    "nul-bytes.jsonld": ({"unreadable"}, "NUL"),
    "invalid-iri.ttl": ({"unreadable"}, "IRI"),
    "invalid-iri.jsonld": ({"unreadable"}, "IRI"),
    "relative-iri.ttl": ({"unreadable", "refused"}, None),
}
#: Peak memory a refusal may take: tradekg itself needs about 100 MB.
MAX_RSS_MB = 400


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.name in EXPECTED)


def test_corpus_is_complete() -> None:
    """Every expectation has its file and every attack file has an expectation."""
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix not in (".py", ".md") and p.is_file()}
    assert on_disk == set(EXPECTED)


def instantiate(folder: Path, port: int, mark: Path) -> list[Path]:
    """Copies of the corpus with the listener's port and the must-not-exist marker filled in."""
    folder.mkdir()
    out = []
    for src in corpus_files():
        data = src.read_bytes().replace(b"@PORT@", str(port).encode()).replace(b"@MARK@", str(mark).encode())
        dst = folder / src.name
        dst.write_bytes(data)
        out.append(dst)
    return out


def _check_corpus(tmp_path: Path, command: str, store: Path | None) -> None:
    mark = tmp_path / "PWNED"
    before = document_part(dump_store(store)) if store else None
    with Listener() as net:
        files = instantiate(tmp_path / "corpus", net.port, mark)
        args = ("--store", store) if store else ()
        run = run_tradekg(*args, command, "--format", "json", *files, env=net.env, timeout=120)
        time.sleep(0.3)  # a late connection attempt would still be seen
        assert net.connections == [], f"tradekg reached the network: {net.connections}"
    run.assert_clean()
    assert run.code in (1, 2)
    assert run.max_rss_mb < MAX_RSS_MB, f"peak memory {run.max_rss_mb:.0f} MB"
    outcomes = {Path(o["path"]).name: o for o in json.loads(run.out)}
    assert set(outcomes) == set(EXPECTED)
    for name, (statuses, words) in EXPECTED.items():
        o = outcomes[name]
        assert o["status"] in statuses, (name, o)
        if words:
            assert words.lower() in (o["error"] or "").lower(), (name, o["error"])
        assert "Traceback" not in (o["error"] or "")
    assert not mark.exists(), "a YAML tag ran a command"
    if store:
        assert document_part(dump_store(store)) == before, "a refused document changed the store"


def test_corpus_ingest_refused_without_fetching(tmp_path: Path, store_copy: Path) -> None:
    """``ingest`` of every corpus file into the seeded store: refused (or harmless data), nothing fetched,
    the store unchanged."""
    _check_corpus(tmp_path, "ingest", store_copy)


@pytest.mark.slow
def test_corpus_validate_refused_without_fetching(tmp_path: Path) -> None:
    """``validate`` of every corpus file: the same outcomes, nothing fetched."""
    _check_corpus(tmp_path, "validate", None)


def test_corpus_in_process_raises_only_input_errors() -> None:
    """Loader and validator on each corpus file: a report, or an InputError naming the file; nothing else."""
    from tradekg.annotation import load_document
    from tradekg.gazetteer import Gazetteer
    from tradekg.validate import Validator

    gaz = Gazetteer.load()
    validator = Validator(gaz)
    for path in corpus_files():
        try:
            doc = load_document(path, gazetteer=gaz)
            report = validator.validate(doc)
        except InputError as err:
            assert str(path) in str(err), f"{path.name}: the error does not name the file: {err}"
        else:
            assert EXPECTED[path.name][0] & {"refused", "valid"}, f"{path.name} was read as a document"
            assert report.conforms == ("valid" in EXPECTED[path.name][0]) or not report.conforms


def test_one_bad_document_does_not_stop_the_others(tmp_path: Path, store_copy: Path) -> None:
    """ingest of a folder with an unreadable document and a good one: the good one goes in, the bad one is
    listed, exit 2."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a-invalid-iri.ttl").write_bytes((CORPUS / "invalid-iri.ttl").read_bytes())
    _, text = variant_yaml(7)
    (folder / "b-good.yaml").write_text(text, encoding="utf-8")
    run = run_tradekg("--store", store_copy, "ingest", "--format", "json", folder)
    run.assert_clean()
    assert run.code == 2, run.err
    outcomes = {Path(o["path"]).name: o["status"] for o in json.loads(run.out)}
    assert outcomes == {"a-invalid-iri.ttl": "unreadable", "b-good.yaml": "ingested"}, (outcomes, run.err)
    assert "https://w3id.org/tradekg/doc/variant-007" in dump_store(store_copy)


def test_relative_iris_do_not_pick_up_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative IRI must not become file:///<the folder tradekg runs in>/...: that leaks a local path
    into the store and makes the same file mean different things from different folders."""
    from tradekg.annotation import load_document

    monkeypatch.chdir(tmp_path)
    try:
        doc = load_document(CORPUS / "relative-iri.ttl")
    except InputError:
        return  # refusing relative IRIs is fine
    iris = {str(t) for triple in doc.graph for t in triple}
    assert not [i for i in iris if i.startswith("file:") or str(tmp_path) in i], sorted(iris)


def test_peak_memory_is_the_child_own(tmp_path: Path) -> None:
    """The measured peak is tradekg's, not the test runner's: ballast here must not show up in the child."""
    ballast = bytearray(300 * 1024 * 1024)
    for i in range(0, len(ballast), 4096):  # touch every page so it is resident
        ballast[i] = 1
    run = run_tradekg("validate", "--format", "json", SEED_YAML)
    del ballast
    run.assert_clean()
    assert run.code == 0
    assert 20 < run.max_rss_mb < 250, f"peak {run.max_rss_mb:.0f} MB"


@pytest.mark.slow
def test_100_mb_file_refused_quickly(tmp_path: Path) -> None:
    """A 100 MB annotation (and Turtle file) is refused by its size before it is read."""
    line = b"# " + b"x" * 97 + b"\n"
    files = []
    for name in ("huge.yaml", "huge.ttl"):
        path = tmp_path / name
        with path.open("wb") as f:
            f.write(b"document:\n  id: huge\n")
            for _ in range(10):
                f.write(line * 100_000)
        assert path.stat().st_size > 100_000_000
        files.append(path)
    run = run_tradekg("validate", "--format", "json", *files, timeout=60)
    run.assert_clean()
    assert run.code == 2
    assert run.seconds < 20
    # tradekg alone peaks near 65 MB; reading either file would add 100 MB.
    assert run.max_rss_mb < 150, f"the file was read: peak memory {run.max_rss_mb:.0f} MB"
    for o in json.loads(run.out):
        assert o["status"] == "unreadable" and "limit" in o["error"], o


def _deep_files(folder: Path, depth: int) -> list[Path]:
    folder.mkdir()
    article = '<https://w3id.org/tradekg/doc/deep> a <https://w3id.org/tradekg/ontology#NewsArticle> ;\n'
    texts = {
        "deep-flow.yaml": "document: " + "[" * depth + "]" * depth + "\n",
        "deep-block.yaml": "document:\n" + "".join(" " * i + "- \n" for i in range(min(depth, 3000))),
        "deep-mapping.yaml": "document: " + "{a: " * depth + "1" + "}" * depth + "\n",
        "deep.jsonld": "[" * depth + "]" * depth,
        "deep-object.json": '{"a": ' * depth + "1" + "}" * depth,
        "deep-bnodes.ttl": article + "  <http://e/p> " + "[ <http://e/p> " * depth + "1" + " ]" * depth + " .\n",
        "deep-lists.ttl": article + "  <http://e/p> " + "( " * depth + ")" * depth + " .\n",
        "deep-bnodes.trig": "<https://w3id.org/tradekg/doc/deep> {\n" + article + "  <http://e/p> "
        + "[ <http://e/p> " * depth + "1" + " ]" * depth + " .\n}\n",
    }
    out = []
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        out.append(folder / name)
    return out


@pytest.mark.slow
def test_deeply_nested_inputs_refused(tmp_path: Path) -> None:
    """YAML, JSON-LD, Turtle and TriG nested 100,000 levels: refused with a message, no crash, no hang."""
    files = _deep_files(tmp_path / "deep", 100_000)
    run = run_tradekg("validate", "--format", "json", *files, timeout=120)
    run.assert_clean()
    assert run.code == 2, run.err
    assert run.max_rss_mb < MAX_RSS_MB
    for o in json.loads(run.out):
        assert o["status"] == "unreadable", o
        assert o["error"] and "Traceback" not in o["error"]


@pytest.mark.slow
def test_symlink_loops_in_input_folder(tmp_path: Path) -> None:
    """A folder linking to itself, a self-link and a two-link cycle: the walk ends and reports the bad links."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "seed.yaml").write_text(seed_yaml_text(), encoding="utf-8")
    os.symlink(folder, folder / "sub" / "back-to-top")
    os.symlink(".", folder / "here")
    os.symlink("self.yaml", folder / "self.yaml")
    os.symlink("b.yaml", folder / "a.yaml")
    os.symlink("a.yaml", folder / "b.yaml")
    run = run_tradekg("validate", "--format", "json", folder, timeout=60)
    run.assert_clean()
    assert run.code == 2
    outcomes = {Path(o["path"]).name: o for o in json.loads(run.out)}
    assert outcomes["seed.yaml"]["status"] == "valid"
    for name in ("self.yaml", "a.yaml", "b.yaml"):
        assert outcomes[name]["status"] == "unreadable", outcomes[name]
    # The seed is read once: the looping folder links were not followed.
    assert sum(1 for o in outcomes.values() if o["document"] == SEED_ID) == 1
    from tradekg.annotation import iter_document_paths

    with pytest.raises(InputError, match="symbolic link"):
        list(iter_document_paths([folder / "self.yaml"]))


def test_device_file_in_input_folder(tmp_path: Path) -> None:
    """A link to /dev/zero named like an annotation: refused at the size limit, not read until memory runs out."""
    folder = tmp_path / "in"
    folder.mkdir()
    os.symlink("/dev/zero", folder / "zero.yaml")
    os.symlink("/dev/urandom", folder / "random.ttl")
    # A lower memory cap than elsewhere: reading /dev/zero would otherwise take a while to hit it.
    run = run_tradekg("validate", "--format", "json", folder, timeout=60, memory_limit=700 * 1024 * 1024)
    run.assert_clean()
    assert run.code == 2
    assert run.max_rss_mb < MAX_RSS_MB
    for o in json.loads(run.out):
        assert o["status"] == "unreadable", o


def test_named_pipe_in_input_folder(tmp_path: Path) -> None:
    """A FIFO named like an annotation, with no writer: refused, not waited on forever."""
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.yaml")
    (folder / "seed.yaml").write_text(seed_yaml_text(), encoding="utf-8")
    run = run_tradekg("validate", "--format", "json", folder, timeout=15)
    run.assert_clean()
    assert run.code == 2
    outcomes = {Path(o["path"]).name: o for o in json.loads(run.out)}
    assert outcomes["pipe.yaml"]["status"] == "unreadable"
    assert outcomes["seed.yaml"]["status"] == "valid"


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../../../etc/hostname"])
def test_text_file_stays_beside_the_annotation(tmp_path: Path, target: str) -> None:
    """``text_file`` is relative to the annotation: a path out of its folder must not pull a local file in.

    Otherwise an annotation received from someone else copies any file the user can read (keys, tokens,
    /proc/self/environ) into the store and every export of it.
    """
    from tradekg.annotation import load_annotation
    from tradekg.gazetteer import Gazetteer

    text = (
        "document:\n  id: exfiltrate\n  title: t\n  publisherName: p\n  published: 2025-04-19\n"
        f"  text_file: {target}\n"
    )
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    if not (folder / target).resolve().is_file():
        pytest.skip(f"{target} does not exist here")
    with pytest.raises(TradekgError):
        load_annotation(text, path=folder / "x.yaml", gazetteer=Gazetteer.load())


# --- hostile queries ----------------------------------------------------------------------------------------

REFUSED_QUERIES = [
    "DROP ALL",
    "CLEAR DEFAULT",
    "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }",
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "WITH <urn:x> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <{url}/load.ttl>",
    "LOAD SILENT <{url}/load.ttl> INTO GRAPH <urn:x>",
    "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {{ SELECT ?x WHERE {{ SERVICE <{url}/sub> {{ ?x ?y ?z }} }} }} }} }}",
    "SELECT * WHERE {{ BIND(<{url}/var> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}/escaped> {{ ?s ?p ?o }} }}",
    "# a comment\nSELECT * WHERE {{ ?s ?p ?o }} ;\nDROP ALL",
]


@pytest.mark.parametrize("allow_update", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_sparql_updates_load_and_service_refused(cli, store_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                 allow_update: bool) -> None:
    """Updates, LOAD and SERVICE are refused (exit 2), the store unchanged, nothing fetched.

    With ``--allow-update`` a plain update may run, but LOAD and SERVICE stay refused.
    """
    before = document_part(dump_store(store_copy))
    with Listener() as net:
        for k, v in net.env.items():
            monkeypatch.setenv(k, v)
        for template in REFUSED_QUERIES:
            query = template.replace("{url}", net.url).replace("{{", "{").replace("}}", "}")
            networked = net.url in query
            if allow_update and not networked:
                continue
            args = ["--store", store_copy, "sparql", query, "--format", "json"]
            code, out, err = cli(*args, *(["--allow-update"] if allow_update else []))
            assert code == 2, (query, code, out, err)
            assert "refused" in err or "syntax error" in err, (query, err)
        time.sleep(0.3)
        assert net.connections == [], net.connections
    assert document_part(dump_store(store_copy)) == before


def _processes_with(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker.encode() in (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def test_sparql_timeout_stops_a_long_query(store_copy: Path) -> None:
    """A three-way cross join (about 10^10 rows) with --timeout 1 ends within seconds, its worker gone."""
    marker = f"TRADEKG_TIMEOUT_TEST={os.getpid()}-{time.time_ns()}"
    key, value = marker.split("=")
    run = run_tradekg("--store", store_copy, "sparql", "--timeout", "1", "--format", "json",
                      "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", env={key: value},
                      timeout=60)
    run.assert_clean()
    assert run.code == 2, run.err
    assert "stopped after 1 s" in run.err and "--timeout" in run.err
    assert run.seconds < 8, f"took {run.seconds:.1f} s"
    assert _processes_with(marker) == [], "the query process outlived its timeout"


@pytest.mark.slow
def test_sparql_and_query_limit_cap_with_notice(cli, store_copy: Path) -> None:
    code, out, err = cli("--store", store_copy, "sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--limit", "3",
                         "--format", "json")
    assert code == 0 and len(json.loads(out)) == 3
    assert "only the first 3 rows" in err and "--limit" in err
    code, out, err = cli("--store", store_copy, "sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                         "--limit", "5")
    assert code == 0 and "only the first 5 triples" in err
    code, out, err = cli("--store", store_copy, "query", "actors", "--limit", "2", "--format", "json")
    # named queries page (issue 16): the notice gives the page, the total and how to see the rest
    assert code == 0 and len(json.loads(out)) == 2 and "rows 1–2 of " in err and "--offset" in err
    code, out, err = cli("--store", store_copy, "sparql", "SELECT ?s WHERE { ?s a tk:Meeting }", "--limit", "100",
                         "--format", "json")
    assert code == 0 and len(json.loads(out)) < 100 and "only the first" not in err
