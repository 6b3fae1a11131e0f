"""Plain-text ingest: front matter, article options, document ids, refusing to replace a different
document, honest marking, incomplete events reported, and drafts that always load.

The articles here are our own words. Where a test needs a particular extraction (an event without its
agent, a place the gazetteer lacks) it builds the Extraction itself, so it tests the ingest path and not
what the extractor happens to find today.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tradekg import KnowledgeGraph
from tradekg.errors import InputError
from tradekg.extract.annotation_out import draft_annotation
from tradekg.extract.article import ArticleMeta, document_id, load_article
from tradekg.extract.core import Extraction
from tradekg.extract.frontmatter import split_front_matter
from tradekg.extract.model import Actor, Event, Evidence, Statistic

ARTICLE = ("Japan asked the United States to lower tariffs on cars.\n"
           "According to the Japan Automobile Importers Association, sales rose 7.7 percent in 2024.\n")
OTHER = "Japan asked the United States to drop its tariffs on steel.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def stored_text(kg: KnowledgeGraph, doc: str) -> str:
    rows = kg.sparql(f"SELECT ?t WHERE {{ <https://w3id.org/tradekg/doc/{doc}> tk:fullText ?t }}").rows
    return str(rows[0]["t"])


# ---------- front matter
def test_simple_front_matter_is_metadata_not_text() -> None:
    text = ("title: Tariff talks resume\nPublished: 2025-05-02\nsource: Our Newsroom\n"
            "speaker: Akazawa Ryosei\n\n\n" + ARTICLE)
    meta, body = split_front_matter(text)
    assert body == ARTICLE
    assert meta == ArticleMeta(title="Tariff talks resume", published=dt.date(2025, 5, 2),
                               publisher="Our Newsroom", speaker="Akazawa Ryosei")


def test_yaml_front_matter_and_source_as_url() -> None:
    text = "---\ntitle: \"Talks: day two\"\npublished: 2025-05-03\nsource: https://example.org/a\n---\n" + ARTICLE
    meta, body = split_front_matter(text)
    assert body == ARTICLE
    assert (meta.title, meta.published, meta.url, meta.publisher) == (
        "Talks: day two", dt.date(2025, 5, 3), "https://example.org/a", None)


@pytest.mark.parametrize("text", [
    ARTICLE,
    "Talks resume in Washington\n\n" + ARTICLE,  # a headline is text
    "Note: the talks resumed.\n\n" + ARTICLE,  # 'note' is not a front matter key, so not front matter
])
def test_text_without_front_matter_is_kept_whole(text: str) -> None:
    meta, body = split_front_matter(text)
    assert body == text and meta == ArticleMeta()


@pytest.mark.parametrize(("text", "line", "words"), [
    ("title: Talks\ndate: 2025-05-02\n\n" + ARTICLE, 2, "did you mean 'published'"),
    ("title: Talks\npublished: May 2\n\n" + ARTICLE, 2, "like 2025-04-19"),
    ("title: Talks\n" + ARTICLE, 2, "put a blank line before the article"),
    ("title: Talks\ntitle: Again\n\n" + ARTICLE, 2, "given twice"),
    ("---\ntitle: Talks\n" + ARTICLE, 1, "never closed"),
    ("---\ntitle: Talks\nauthor: Someone\n---\n" + ARTICLE, 3, "did you mean 'speaker'"),
    ("---\ntitle: [a, b]\n---\n" + ARTICLE, 2, "one value"),
])
def test_bad_front_matter_names_file_line_and_field(tmp_path: Path, text: str, line: int, words: str) -> None:
    p = write(tmp_path / "a.txt", text)
    with pytest.raises(InputError, match=words.replace("(", r"\(")) as err:
        load_article(p)
    assert err.value.path == str(p) and err.value.line == line


def test_front_matter_without_article_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no article text"):
        load_article(write(tmp_path / "a.txt", "title: Talks\npublished: 2025-05-02\n\n\n"))


def test_options_override_front_matter(tmp_path: Path) -> None:
    p = write(tmp_path / "a.txt", "title: From the file\npublished: 2025-05-02\nurl: https://a.example\n\n" + ARTICLE)
    a = load_article(p, title="From the option", published=dt.date(2025, 6, 1))
    assert (a.meta.title, a.meta.published, a.meta.url) == ("From the option", dt.date(2025, 6, 1), "https://a.example")
    assert a.text == ARTICLE and a.document_id == "from-the-option-2025-06-01"


# ---------- document ids
def test_ids_from_title_and_date_else_file_name_and_hash() -> None:
    dated = ArticleMeta(title="Šefčovič meets Greer in Brussels", published=dt.date(2025, 7, 1))
    assert document_id(dated, "x.txt", ARTICLE) == "sefcovic-meets-greer-in-brussels-2025-07-01"
    undated = ArticleMeta(title="Šefčovič meets Greer in Brussels")
    a, b = document_id(undated, "drafts/notes.txt", ARTICLE), document_id(undated, "other/notes.txt", OTHER)
    assert a.startswith("notes-") and b.startswith("notes-") and a != b
    assert document_id(ArticleMeta(), "drafts/notes.txt", ARTICLE) == a  # the same text: the same id


# ---------- ingest through the CLI, as a user would
def test_ingest_takes_the_extract_options_and_front_matter(cli, tmp_path: Path) -> None:
    store = tmp_path / "store"
    p = write(tmp_path / "in" / "talks.txt", "title: Ignored by the option\nsource: Our Newsroom\n\n" + ARTICLE)
    code, out, err = cli("--store", store, "ingest", p, "--title", "Tariff talks", "--published", "2025-05-02",
                         "--url", "https://example.org/talks", "--speaker", "Akazawa Ryosei")
    assert code == 0, err
    assert "ingested   tariff-talks-2025-05-02" in out
    code, out, _ = cli("--store", store, "documents", "-f", "json")
    (doc,) = json.loads(out)
    assert doc == {**doc, "id": "tariff-talks-2025-05-02", "title": "Tariff talks", "publisher": "Our Newsroom",
                   "date": "2025-05-02"}
    kg = KnowledgeGraph.open(store)
    assert stored_text(kg, "tariff-talks-2025-05-02") == ARTICLE  # no front matter line in the text
    url = kg.sparql("SELECT ?u WHERE { ?d schema:url ?u }").rows
    assert [str(r["u"]) for r in url] == ["https://example.org/talks"]
    # Every evidence quote is exactly the stored text at its offsets.
    rows = kg.sparql("SELECT ?q ?s ?e WHERE { ?x tk:quote ?q ; tk:startOffset ?s ; tk:endOffset ?e }").rows
    assert rows
    for r in rows:
        assert ARTICLE[int(r["s"]):int(r["e"])] == r["q"]


def test_extract_reads_front_matter_too(cli, tmp_path: Path) -> None:
    p = write(tmp_path / "talks.txt", "---\ntitle: Tariff talks\npublished: 2025-05-02\n---\n\n" + ARTICLE)
    code, out, err = cli("extract", p, "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["document"] == {"title": "Tariff talks", "published": "2025-05-02"}
    for e in data["events"] + data["statistics"]:
        assert ARTICLE[e["evidence"]["start"]:e["evidence"]["end"]] == e["evidence"]["text"]
    code, out, _ = cli("extract", p, "--published", "2025-06-01", "--publisher", "nhk-world-japan")
    assert code == 0 and "id: tariff-talks-2025-06-01" in out and "publisher: nhk-world-japan" in out
    assert "---" not in out.split("text: |", 1)[1].split("events:")[0]


def test_article_options_need_a_text_file(cli, tmp_path: Path, seed_copy: Path) -> None:
    code, _, err = cli("--store", tmp_path / "s", "ingest", seed_copy, "--title", "Talks")
    assert code == 2 and "--title" in err and ".txt" in err
    code, _, err = cli("--store", tmp_path / "s", "ingest", write(tmp_path / "a.txt", ARTICLE), "--published", "May")
    assert code == 2 and "--published must be a date" in err


def test_same_id_twice_in_one_run_names_both_files(cli, tmp_path: Path) -> None:
    a = write(tmp_path / "a" / "first.txt", ARTICLE)
    b = write(tmp_path / "b" / "second.txt", OTHER)
    store = tmp_path / "store"
    code, out, err = cli("--store", store, "ingest", a, b, "--title", "Same title", "--published", "2025-05-02")
    assert code == 1
    assert f"{b}: refused: document id 'same-title-2025-05-02' is also the id of {a}" in err
    assert "(unreadable)" not in err and f"{b} (refused)" in err
    assert "ingested   same-title-2025-05-02" in out
    assert stored_text(KnowledgeGraph.open(store), "same-title-2025-05-02") == ARTICLE


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_different_document_under_the_same_id_is_refused(cli, tmp_path: Path, jobs: str) -> None:
    store = tmp_path / "store"
    first = write(tmp_path / "one" / "talks.txt", ARTICLE)
    second = write(tmp_path / "two" / "talks.txt", OTHER)
    opts = ("--title", "Tariff talks", "--published", "2025-05-02", "--jobs", jobs)
    assert cli("--store", store, "ingest", first, *opts)[0] == 0
    before = KnowledgeGraph.open(store).export("nq")
    code, out, err = cli("--store", store, "ingest", first, *opts)  # the same again: a no-op
    assert code == 0 and "unchanged  tariff-talks-2025-05-02" in out
    code, out, err = cli("--store", store, "ingest", second, *opts)
    assert code == 1
    assert "document id 'tariff-talks-2025-05-02' is already in the store with a different article text" in err
    assert "--replace" in err and str(second) in err
    assert KnowledgeGraph.open(store).export("nq") == before  # nothing written
    code, out, err = cli("--store", store, "ingest", second, *opts, "--replace")
    assert code == 0 and "ingested   tariff-talks-2025-05-02" in out
    assert stored_text(KnowledgeGraph.open(store), "tariff-talks-2025-05-02") == OTHER


def test_two_untitled_drafts_keep_both(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(tmp_path / "store")
    r1 = kg.ingest([write(tmp_path / "a" / "article.txt", ARTICLE)])
    r2 = kg.ingest([write(tmp_path / "b" / "article.txt", OTHER)])
    assert r1.exit_code == r2.exit_code == 0
    ids = sorted(d["id"] for d in kg.documents())
    assert len(ids) == 2 and all(i.startswith("article-") for i in ids)


def test_python_api_takes_the_same_options(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(tmp_path / "store")
    result = kg.ingest([write(tmp_path / "a.txt", ARTICLE)], title="Tariff talks", published=dt.date(2025, 5, 2),
                       publisher="NHK World-Japan", url="https://example.org/t", speaker="Akazawa Ryosei")
    assert result.exit_code == 0 and result.outcomes[0].document_id == "tariff-talks-2025-05-02"
    (doc,) = kg.documents()
    assert doc["publisher"] == "NHK World-Japan"  # a gazetteer label becomes the gazetteer's publisher


# ---------- honest marking and nothing dropped silently
def _person(name: str) -> Actor:
    return Actor(key="new:" + name, label=name, kind="person", cls="Person", id=None, is_new=True)


JAPAN = Actor(key="https://w3id.org/tradekg/id/japan", label="Japan", kind="country", cls="Country",
              iri="https://w3id.org/tradekg/id/japan", id="japan")
TEXT = "Ms Aiko Tanaka visited the Kinki Plains. A visit to the Kinki Plains followed. It rose 5 percent."


def _extraction() -> Extraction:
    s1, s2, s3 = Evidence(TEXT[:40], 0, 40), Evidence(TEXT[41:79], 41, 79), Evidence(TEXT[80:], 80, len(TEXT))
    plains = Actor(key="new:kinki-plains", label="Kinki Plains", kind="place", cls="Place", id="kinki-plains",
                   is_new=True)
    tanaka = _person("Aiko Tanaka")
    return Extraction(
        text=TEXT, doc_id="doc", title="Visits", published=dt.date(2025, 5, 2), speaker=None,
        events=[
            Event("visit-1", "Visit", [tanaka], [plains], [], s1, "visited", 0.9),
            Event("visit-2", "Visit", [], [plains], [], s2, "visit", 0.6),  # no visitor
            Event("meeting-3", "Meeting", [JAPAN], [], [], s2, "met", 0.6),  # one participant only
            # A new actor whose name makes the same id as an event: it must get an id of its own.
            Event("claim-4", "Claim", [_person("Visit 2")], [], [], s1, "said", 0.5, content="it went well"),
        ],
        statistics=[Statistic("statistic-1", 5.0, "percent", "it rose", s3)],
        actors=[tanaka, JAPAN])


def test_draft_declares_every_entity_and_lists_what_it_left_out() -> None:
    from tradekg.annotation import load_annotation
    from tradekg.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    d = draft_annotation(_extraction(), gazetteer=gaz)
    assert [(e.id, why) for e, why in d.incomplete] == [
        ("visit-2", "needs 1 participant, found 0"), ("meeting-3", "needs 2 participants, found 1")]
    notes = d.notes()
    assert len(notes) == 2 and notes[0].startswith("left out Visit event visit-2 (needs 1 participant, found 0)")
    assert "evidence at offset 41" in notes[0]
    doc = load_annotation(d.yaml, gazetteer=gaz)  # loads: every reference resolves
    g = doc.graph
    q = """SELECT ?x ?type ?label WHERE { ?x tk:isNew true ; a ?type ; rdfs:label ?label }"""
    rows = {(str(r.label), str(r.type).rsplit("#", 1)[-1]) for r in g.query(q, initNs=_ns())}
    assert rows == {("Kinki Plains", "Place"), ("Aiko Tanaka", "Person"), ("Visit 2", "Person")}
    methods = {str(r.m).rsplit("#", 1)[-1] for r in g.query(
        "SELECT ?m WHERE { ?s a tk:Statistic ; tk:extractionMethod ?m }", initNs=_ns())}
    assert methods == {"MachineExtracted"}
    assert "\n  visit-2-2:\n    type: Person\n    label: Visit 2\n" in d.yaml  # not the event's id


def _ns() -> dict:
    from rdflib import Namespace
    from rdflib.namespace import RDFS

    return {"tk": Namespace("https://w3id.org/tradekg/ontology#"), "rdfs": RDFS}


def test_incomplete_events_reported_by_extract_and_ingest(cli, tmp_path: Path, monkeypatch) -> None:
    import tradekg.extract.draft as draft_module

    monkeypatch.setattr(draft_module, "extract", lambda text, **kw: _extraction())
    p = write(tmp_path / "visits.txt", TEXT)
    code, out, err = cli("extract", p)
    assert code == 0 and f"{p}: left out Visit event visit-2 (needs 1 participant, found 0)" in err
    assert "left out Meeting event meeting-3 (needs 2 participants, found 1)" in err
    assert "id: visit-1" in out
    code, out, err = cli("--store", tmp_path / "store", "ingest", p)
    assert code == 0, err
    assert f"{p}: left out Visit event visit-2" in err and "left out Meeting event meeting-3" in err
    assert "ingested   doc: 2 events" in out
    code, out, err = cli("--store", tmp_path / "store2", "ingest", p, "-f", "json")
    assert code == 0 and json.loads(out)[0]["notes"] and "left out Visit event visit-2" in err
    code, out, err = cli("extract", p, "-f", "json")
    assert code == 0 and "left out" not in err  # the JSON lists every event found, complete or not


def test_stored_statistics_and_events_say_machine_extracted(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(tmp_path / "store")
    assert kg.ingest([write(tmp_path / "a.txt", ARTICLE)], title="T", published="2025-05-02").exit_code == 0
    rows = kg.sparql("SELECT ?c ?m WHERE { ?s tk:source ?d ; a ?c ; tk:extractionMethod ?m "
                     "FILTER(?c IN (tk:Statistic, tk:Request)) }").rows
    assert {str(r["c"]).rsplit("#")[-1] for r in rows} == {"Statistic", "Request"}
    assert {str(r["m"]).rsplit("#")[-1] for r in rows} == {"MachineExtracted"}


# ---------- every dev-set text: the extractor's own drafts always ingest
def _devset() -> Path:
    """``../shared/devset`` beside the repository; from a git worktree, beside its main checkout."""
    root = Path(__file__).resolve().parents[1]
    found = root.parent / "shared" / "devset"
    dot_git = root / ".git"
    if not found.is_dir() and dot_git.is_file():  # a worktree: "gitdir: <main>/.git/worktrees/<name>"
        gitdir = Path(dot_git.read_text(encoding="utf-8").split(":", 1)[1].strip())
        found = gitdir.parents[2].parent / "shared" / "devset"
    return found


DEVSET = _devset()


def _devset_options(body: Path) -> list[str]:
    meta = json.loads((DEVSET / "bodies" / "meta.json").read_text(encoding="utf-8"))[body.name]
    opts = ["--title", meta["title"]]
    if len(meta["date"]) == 10:
        opts += ["--published", meta["date"]]
    gold = DEVSET / "gold" / (body.stem + ".json")
    speaker = json.loads(gold.read_text(encoding="utf-8")).get("speaker") if gold.exists() else None
    return opts + (["--speaker", speaker] if speaker else [])


@pytest.mark.skipif(not (DEVSET / "bodies").is_dir(), reason=f"the dev set is not at {DEVSET}")
def test_every_devset_draft_ingests(cli, tmp_path: Path) -> None:
    store = tmp_path / "store"
    bodies = sorted((DEVSET / "bodies").glob("*.txt"))
    assert len(bodies) >= 12
    expected = {}
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for body in bodies:
        opts = _devset_options(body)
        code, out, err = cli("extract", body, *opts, "-o", drafts / (body.stem + ".yaml"))
        assert code == 0, err
        code, out, err = cli("--store", store, "ingest", body, *opts)
        assert code == 0, f"{body.name}: exit {code}\n{err}"
        status, doc_id = out.split()[:2]
        assert status == "ingested", out
        expected[doc_id.rstrip(":")] = dict(zip(opts[::2], opts[1::2], strict=True))
    docs = {d["id"]: d for d in KnowledgeGraph.open(store).documents()}
    assert set(docs) == set(expected)  # twelve documents: none replaced another
    for doc_id, opts in expected.items():
        assert docs[doc_id]["title"] == opts["--title"]
        assert docs[doc_id]["date"] == opts.get("--published")
    # The drafts `tradekg extract` wrote, reviewed by nobody, ingest as they are, and are the same documents.
    code, out, err = cli("--store", tmp_path / "from-yaml", "ingest", drafts)
    assert code == 0, err
    assert sorted(line.split()[1].rstrip(":") for line in out.splitlines()) == sorted(expected)


def test_what_the_shapes_refuse_in_a_draft_is_left_out_and_reported(cli, tmp_path: Path, monkeypatch) -> None:
    import tradekg.extract.draft as draft_module

    def refused_parts(text: str, **kw) -> Extraction:
        x = _extraction()
        x.events[0].date = "2026-01-01"  # after the article's date: the field is dropped, the event kept
        x.statistics[0] = Statistic("statistic-1", 5.0, "percent", "it rose", Evidence("not in the text", 80, 95))
        return x

    monkeypatch.setattr(draft_module, "extract", refused_parts)
    p = write(tmp_path / "visits.txt", TEXT)
    code, out, err = cli("--store", tmp_path / "store", "ingest", p, "--published", "2025-05-02")
    assert code == 0, err
    assert "ingested   doc: 2 events" in out
    assert f"{p}: left out field 'date' of Visit event visit-1: The date (field 'date') 2026-01-01 is after" in err
    assert f"{p}: left out statistic statistic-1: " in err
    kg = KnowledgeGraph.open(tmp_path / "store")
    assert not kg.sparql("SELECT ?s WHERE { ?s a tk:Statistic }").rows
    assert not kg.sparql("SELECT ?d WHERE { ?e a tk:Visit ; tk:date ?d }").rows
    # The document's own metadata is the user's: a bad URL still refuses the article.
    code, _, err = cli("--store", tmp_path / "store", "ingest", p, "--url", "not a url", "--replace")
    assert code == 1 and "REFUSED" in err and "field url" in err


def test_every_reference_of_a_draft_is_declared_whatever_field_names_it() -> None:
    """The class of bug behind the refused fact sheet: a new place named only as an event's location (or a
    new topic, or a new statistic source) was referred to but never declared, and the draft did not load."""
    from tradekg.annotation import load_annotation
    from tradekg.gazetteer import Gazetteer

    text = "Japan met Korea at a plant in the Lakeside Region. Exports rose 5 percent, the Lakeside Council said."
    region = Actor(key="new:region", label="Lakeside Region", kind="place", cls="Place", id="lakeside-region",
                   is_new=True)
    topic = Actor(key="topic:quotas", label="quotas", kind="item", cls="Concept", id="quotas", is_new=True)
    council = Actor(key="new:council", label="Lakeside Council", kind="organization", cls="Organization",
                    id="lakeside-council", is_new=True)
    korea = Actor(key="https://w3id.org/tradekg/id/south-korea", label="South Korea", kind="country",
                  cls="Country", iri="https://w3id.org/tradekg/id/south-korea", id="south-korea")
    s1, s2 = Evidence(text[:50], 0, 50), Evidence(text[51:], 51, len(text))
    x = Extraction(text=text, doc_id="doc", title=None, published=None, speaker=None,
                   events=[Event("meeting-1", "Meeting", [JAPAN, korea], [], [topic], s1, "met", 0.8,
                                 location=region)],
                   statistics=[Statistic("statistic-1", 5.0, "percent", "exports rose", s2, source=council)],
                   actors=[JAPAN, korea])  # as the extractor lists them: the region and council are not here
    gaz = Gazetteer.load()
    d = draft_annotation(x, gazetteer=gaz)
    g = load_annotation(d.yaml, gazetteer=gaz).graph
    rows = {(str(r.label), str(r.type).rsplit("#", 1)[-1]) for r in g.query(
        "SELECT ?type ?label WHERE { ?x tk:isNew true ; a ?type ; rdfs:label ?label }", initNs=_ns())}
    assert rows == {("Lakeside Region", "Place"), ("quotas", "Concept"), ("Lakeside Council", "Organization")}
    assert "location: lakeside-region" in d.yaml and "statisticSource: lakeside-council" in d.yaml
