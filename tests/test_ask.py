"""``tradekg ask``: plain-English questions answered from the seed store through the named queries.

Each competency question of the seed README is asked in several phrasings (some of them worded unlike
anything in ask_patterns.yaml), and the answers are checked against the seed article's facts. Every row
must carry its article title, date and evidence sentence.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tradekg.ask import (
    Answer,
    NoAnswerError,
    answer_question,
    date_range,
    format_answer,
    load_patterns,
    print_answer,
    tokenize,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"
US = "https://w3id.org/tradekg/id/united-states"
JAPAN = "https://w3id.org/tradekg/id/japan"
TRUMP = "https://w3id.org/tradekg/id/donald-trump"
AKAZAWA = "https://w3id.org/tradekg/id/akazawa-ryosei"
ARTICLE_TITLE = "Automobiles, produce among US's requests in Japan tariff talks"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tradekg.kg import KnowledgeGraph

    path = tmp_path_factory.mktemp("ask") / "store"
    result = KnowledgeGraph.open(path).ingest([SEED])
    assert result.exit_code == 0, [o.to_dict() for o in result]
    return path


@pytest.fixture(scope="module")
def kg(store: Path, tmp_path_factory: pytest.TempPathFactory):
    from tradekg.kg import KnowledgeGraph

    # Keep the label-index and pattern caches out of the user's home.
    os.environ["TRADEKG_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    return KnowledgeGraph.open(store)


def ask(kg, question: str, *, evidence: bool = True) -> Answer:
    answer = answer_question(kg, question)
    assert answer.rows, f"no rows for {question!r}: {answer.summary}"
    for row in answer.rows:  # every answer row is traceable to its article and sentence
        assert row["title"] == ARTICLE_TITLE
        assert row["published"] == "2025-04-19"
        assert row["evidence"] or not evidence, row
    assert answer.sources and answer.sources[0]["title"] == ARTICLE_TITLE
    assert answer.sparql.strip()
    return answer


def col(answer: Answer, name: str) -> list:
    return [r.get(name) for r in answer.rows]


# --- 1. What did the US request of Japan? -------------------------------------------------------------------

US_REQUESTS = [
    "What did the US request of Japan?",
    "what did the united states ask japan to do",
    "What were the US's requests of Japan",
    "Which requests did Japan receive from the US?",
    "What does Washington want from Tokyo?",
    "What did US officials push the Japanese side to do?",
    "What was Japan asked to do by the US?",
    "What was requested of Japan by Washington?",
    "tell me what the U.S. demanded from Japan",
    "What did American negotiators press Tokyo for?",
    "What demands did the United States make on Japan?",
    "What did the Trump administration ask of the Japanese government?",
]


@pytest.mark.parametrize("question", US_REQUESTS)
def test_us_requests_of_japan(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "requests"
    assert US in a.bindings["by"]["iris"] and JAPAN in a.bindings["of"]["iris"]
    assert len(a.rows) == 4
    topics = ", ".join(col(a, "topics")).lower()
    for item in ("rice", "meat", "seafood", "potatoes", "automobiles", "safety standards"):
        assert item in topics
    assert set(col(a, "attributedTo")) == {"multiple Japanese government sources"}
    assert set(col(a, "status")) == {"reported"}
    assert a.summary.startswith("The United States made 4 requests of Japan (2025-04-16)")
    assert "multiple Japanese government sources" in a.summary


@pytest.mark.parametrize("question", [
    "What did Japan request of the US?",
    "what did japan ask the americans for",
    "What did Tokyo want from Washington?",
])
def test_direction_japan_requests_of_us(kg, question: str) -> None:
    a = ask(kg, question)
    assert JAPAN in a.bindings["by"]["iris"] and US in a.bindings["of"]["iris"]
    assert len(a.rows) == 1
    assert "prioritize" in a.rows[0]["summary"]


@pytest.mark.parametrize("question, n, item", [
    ("What did the US request of Japan regarding automobiles?", 2, "automobiles"),
    ("what did the US ask Japan for about cars", 2, "automobiles"),
    ("What did the US demand from Japan on rice?", 1, "rice"),
])
def test_topic_narrows_requests(kg, question: str, n: int, item: str) -> None:
    a = ask(kg, question)
    assert "topic" in a.bindings and len(a.rows) == n
    assert all(item in r["topics"].lower() for r in a.rows)


def test_request_without_counterpart_uses_the_store(kg) -> None:
    a = ask(kg, "What did the US request?")
    assert len(a.rows) == 4 and JAPAN in a.bindings["of"]["iris"]
    assert "from the store" in a.bindings["of"]["applied"]


# --- 2. How did Japan respond? ------------------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "How did Japan respond?",
    "How did Tokyo react to the US requests?",
    "What was Japan's response?",
    "how did Akazawa reply to the Americans",
    "What did Japan say in response to the requests?",
])
def test_japan_response(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "responses"
    assert col(a, "responder") == ["Ryosei Akazawa"]
    assert "prioritize the items" in a.rows[0]["summary"]
    assert "prioritize" in a.summary


# --- 3. Who met whom, where and when? -----------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "Who met whom, where and when?",
    "who met whom",
    "Who did Akazawa meet?",
    "Who sat down with Akazawa in Washington?",
    "Which meetings took place in the first round?",
])
def test_meetings(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "meetings"
    assert len(a.rows) == 2
    participants = " ".join(col(a, "participants"))
    assert "Donald Trump" in participants and "Scott Bessent" in participants
    assert "White House" in col(a, "location")
    assert set(col(a, "date")) == {"2025-04-16"}
    assert all("First round" in r["round"] for r in a.rows)


@pytest.mark.parametrize("question, other", [
    ("Did Akazawa meet Trump?", "Donald Trump"),
    ("Where and when did Akazawa hold talks with Bessent?", "Scott Bessent"),
])
def test_meeting_between_two(kg, question: str, other: str) -> None:
    a = ask(kg, question)
    assert len(a.rows) == 1 and other in a.rows[0]["participants"]
    assert a.bindings["with"]["applied"] == "row filter"


# --- 4. What did Trump claim, and what contradicts it? ------------------------------------------------------


@pytest.mark.parametrize("question", [
    "What did Trump claim, and what evidence contradicts it?",
    "What did Trump allege?",
    "what evidence contradicts trump's claims",
    "Which of the president's assertions are refuted by figures?",
])
def test_trump_claims(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "claims"
    contents = " ".join(col(a, "content"))
    assert "no American cars" in contents and "does not buy farm produce" in contents
    assert "trade deficit" in contents
    contradicted = {(r["statisticSource"], r["value"]) for r in a.rows if r["relation"] == "contradicted by"}
    assert ("Japan Automobile Importers Association", 10000) in contradicted
    assert ("Bureau of Industry and Security", 14900000000) in contradicted
    assert ("Bureau of Industry and Security", 7.7) in contradicted
    assert "contradicted" in a.summary


@pytest.mark.parametrize("question, claim", [
    ("Is it true that there are no American cars on Japanese roads?", "claim-no-american-cars"),
    ("Is it true Japan does not buy farm produce from the US?", "claim-no-farm-purchases"),
])
def test_claim_check_picks_the_claim(kg, question: str, claim: str) -> None:
    a = ask(kg, question)
    assert {r["event"].rsplit("#", 1)[1] for r in a.rows} == {claim}
    assert all(r["relation"] == "contradicted by" for r in a.rows)


# --- 5. What did Trump complain about? ----------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "What did Trump complain about?",
    "What did Trump grumble about?",
    "What did the US president criticize Tokyo for?",
    "Who complained about the costs of the security alliance?",
])
def test_complaints(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "complaints"
    assert col(a, "complainant") == ["Donald Trump"]
    assert "security alliance" in a.rows[0]["topics"]
    assert "Tokyo is not shouldering" in a.rows[0]["evidence"]


# --- 6. Gifts and invitations -------------------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "What gifts were given, by whom, to whom, and why?",
    "What did Akazawa give Trump?",
    "What did Trump receive from Akazawa?",
    "Who handed Trump a present?",
    "why did akazawa choose a piggy bank as a gift",
])
def test_gifts(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "gifts"
    r = a.rows[0]
    assert (r["giver"], r["recipient"]) == ("Ryosei Akazawa", "Donald Trump")
    assert "piggy bank" in r["gift"] and "gold" in r["reason"]
    assert r["timeNote"] == "at the end of the meeting"


def test_gift_direction(kg) -> None:
    a = answer_question(kg, "What did Trump give Akazawa?")
    assert not a.rows and "No answer" in a.summary
    assert TRUMP in a.bindings["by"]["iris"]


@pytest.mark.parametrize("question", [
    "Whom did Akazawa invite to the Expo?",
    "Did Akazawa invite Trump to anything?",
    "Who got an invitation from Akazawa?",
])
def test_invitations(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "invitations"
    assert (a.rows[0]["inviter"], a.rows[0]["invitee"]) == ("Ryosei Akazawa", "Donald Trump")
    assert "Expo" in a.rows[0]["topics"]


# --- 7. How did Akazawa learn that Trump would attend? ------------------------------------------------------


@pytest.mark.parametrize("question", [
    "How did Akazawa learn that Trump would attend?",
    "How did Akazawa find out Trump would be at the talks?",
    "Who told Akazawa about Trump's plan to attend?",
    "when was akazawa informed of the president's attendance",
])
def test_notification(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "notifications"
    r = a.rows[0]
    assert r["addressee"] == "Ryosei Akazawa"
    assert "ministries" in r["notifier"] and "plane" in r["timeNote"]
    assert "social media" in r["about"]


# --- 8. Who are the actors and what roles do they hold? -----------------------------------------------------


@pytest.mark.parametrize("question", [
    "Who are the actors and what roles do they hold?",
    "Who are the actors?",
    "list the people and organizations involved",
])
def test_actors(kg, question: str) -> None:
    # An actor the article names outside any event (USTR) has no evidence sentence of its own.
    a = ask(kg, question, evidence=False)
    assert a.query == "actors"
    assert all(r["evidence"] for r in a.rows if r["kind"] == "Person")
    labels = set(col(a, "label"))
    assert {"Ryosei Akazawa", "Donald Trump", "Scott Bessent", "Japan Automobile Importers Association",
            "Bureau of Industry and Security", "Liberal Democratic Party"} <= labels
    roles = {r["label"]: r["roles"] or "" for r in a.rows}
    assert "negotiator" in roles["Ryosei Akazawa"].lower()
    assert "President" in roles["Donald Trump"] and "Treasury" in roles["Scott Bessent"]


@pytest.mark.parametrize("question, label, role", [
    ("Who is Akazawa?", "Ryosei Akazawa", "Economic Revitalization"),
    ("What role does Bessent hold?", "Scott Bessent", "Treasury"),
    ("Scott Bessent?", "Scott Bessent", "Treasury"),
    ("what position does the US president hold", "Donald Trump", "President"),
    ("Who is the US Treasury Secretary?", "Scott Bessent", "Treasury"),
])
def test_who_is(kg, question: str, label: str, role: str) -> None:
    a = ask(kg, question)
    assert col(a, "label") == [label] and role in a.rows[0]["roles"]


# --- 9. Which source supports each statement? ---------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "Which source supports each statement?",
    "According to whom? List the sources of every statement",
    "where does each statement come from",
])
def test_sources(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "sources"
    by_kind: dict[str, set] = {}
    for r in a.rows:
        by_kind.setdefault(r["kind"], set()).add(r["attributedTo"])
    assert by_kind["Request"] == {"multiple Japanese government sources"}
    assert by_kind["Gift"] == {"Ryosei Akazawa"}
    assert by_kind["Statistic"] == {"Japan Automobile Importers Association", "Bureau of Industry and Security"}


@pytest.mark.parametrize("question, kind, source", [
    ("Which statements come from JAIA?", "Statistic", "Japan Automobile Importers Association"),
    ("Where does the claim about American cars come from?", "Claim", "multiple Japanese government sources"),
    ("Which source supports the figures on car sales?", "Statistic", "Japan Automobile Importers Association"),
])
def test_source_of_one_statement(kg, question: str, kind: str, source: str) -> None:
    a = ask(kg, question)
    assert len(a.rows) == 1
    assert (a.rows[0]["kind"], a.rows[0]["attributedTo"]) == (kind, source)


# --- 10. What happened in what order? -----------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "What happened in what order?",
    "Give me a timeline of the talks",
    "chronology please",
    "Walk me through what happened",
])
def test_timeline(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "timeline" and len(a.rows) == 16
    dates = [r["date"] for r in a.rows]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[: len(dated)] == dated  # undated events come last


@pytest.mark.parametrize("question", [
    "What happened in the first round?",
    "Summarize round 1",
    "Give me an overview of round one",
    "what happened between April and May",
    "What happened on 16 April 2025?",
])
def test_round_and_date_summaries(kg, question: str) -> None:
    a = ask(kg, question)
    assert a.query == "timeline" and len(a.rows) == 13
    assert {r["date"] for r in a.rows} == {"2025-04-16"}


def test_timeline_for_one_actor(kg) -> None:
    a = ask(kg, "Chronology of events involving Trump")
    assert a.bindings["actor"]["value"] == "Donald Trump"
    assert all("Trump" in (r["actors"] + r["summary"]) for r in a.rows)


def test_unknown_round_says_which_rounds_exist(kg) -> None:
    with pytest.raises(NoAnswerError) as err:
        answer_question(kg, "What happened in the third round?")
    assert "First round" in str(err.value)


# --- what it cannot answer ----------------------------------------------------------------------------------


@pytest.mark.parametrize("question, name, suggestion", [
    ("What did Macron request of Japan?", "Macron", None),
    ("what did macron request of japan", "macron", None),
    ("What did Akazwa give Trump?", "Akazwa", "Ryosei Akazawa"),
    ("what did the us request of japn", "japn", "Japan"),
])
def test_unknown_names(kg, question: str, name: str, suggestion: str | None) -> None:
    with pytest.raises(NoAnswerError) as err:
        answer_question(kg, question)
    assert err.value.reason == "unknown_name" and err.value.exit_code == 1
    assert repr(name) in str(err.value)
    if suggestion:
        assert suggestion in err.value.suggestions


@pytest.mark.parametrize("question", ["", "   ", "?", "\n\t"])
def test_empty_questions(kg, question: str) -> None:
    with pytest.raises(NoAnswerError) as err:
        answer_question(kg, question)
    assert err.value.reason in ("empty", "not_understood")
    assert "for example" in str(err.value).lower() or "I can answer" in str(err.value)


def test_not_understood_lists_what_it_can_answer(kg) -> None:
    with pytest.raises(NoAnswerError) as err:
        answer_question(kg, "What is the weather like in Osaka?")
    message = str(err.value)
    assert err.value.reason == "not_understood" and "I can answer questions like" in message
    assert "What did the US request of Japan" in message


INJECTIONS = [
    'What did the US request of Japan regarding "} ; DROP ALL ; {',
    "SELECT ?s WHERE { ?s ?p ?o }",
    "What did <http://example.org/x> request of Japan?",
    "What did Japan\\\" } DROP GRAPH <x> { request?",
    "what did the US request of Japan; DELETE WHERE { ?s ?p ?o }",
    "What did the US INSERT DATA request",
]


@pytest.mark.parametrize("question", INJECTIONS)
def test_injection_attempts_are_refused(kg, question: str) -> None:
    with pytest.raises(NoAnswerError) as err:
        answer_question(kg, question)
    assert err.value.exit_code == 1


def test_quotes_in_a_question_change_only_the_values(kg) -> None:
    plain = ask(kg, "What did the US request of Japan?")
    quoted = ask(kg, "What did the \"US\" request of 'Japan'?")
    assert quoted.sparql == plain.sparql
    # The question's own words never reach the query text: only IRIs the store already holds do.
    odd = answer_question(kg, "What did the US request of Japan, said O'Brien \"loudly\"?")
    assert "O'Brien" not in odd.sparql and "loudly" not in odd.sparql


def test_no_question_changes_the_store(kg, store: Path) -> None:
    before = kg.quad_count()
    for q in [*INJECTIONS, "What did the US request of Japan?", "who met whom"]:
        try:
            answer_question(kg, q)
        except NoAnswerError:
            pass
    assert kg.quad_count() == before


# --- output -------------------------------------------------------------------------------------------------


def test_formats(kg) -> None:
    a = ask(kg, "What did the US request of Japan?")
    table = format_answer(a, "table")
    assert table.startswith("The United States made 4 requests") and "Sources:" in table
    data = json.loads(format_answer(a, "json", show_sparql=True))
    assert data["query"] == "requests" and len(data["rows"]) == 4 and "VALUES ?by" in data["sparql"]
    assert "sparql" not in json.loads(format_answer(a, "json"))
    csv_text = format_answer(a, "csv")
    assert csv_text.splitlines()[0].startswith("event,requester,addressee")
    assert len(csv_text.strip().splitlines()) == 5


def test_print_answer_exit_codes(kg, capsys: pytest.CaptureFixture[str]) -> None:
    assert print_answer(ask(kg, "who met whom"), "json") == 0
    out = capsys.readouterr()
    assert len(json.loads(out.out)["rows"]) == 2
    empty = answer_question(kg, "What did Japan request of the US regarding rice?")
    assert print_answer(empty, "table", show_sparql=True) == 1
    out = capsys.readouterr()
    assert out.out == "" and "No answer" in out.err and "VALUES ?topic" in out.err


# --- pieces -------------------------------------------------------------------------------------------------


def test_tokenize_folds_typography() -> None:
    assert [t.norm for t in tokenize("Japan’s “U.S.” side")] == ["japan", "'s", "us", "side"]


def test_date_range_year_from_the_store() -> None:
    import datetime as dt

    latest = dt.date(2025, 4, 19)
    assert date_range("in april", latest)[:2] == (dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert date_range("in june", latest)[:2] == (dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    assert date_range("before 2025-04-16", latest)[:2] == (None, dt.date(2025, 4, 15))
    assert date_range("what may happen", latest)[:2] == (None, None)


def test_user_patterns_file_extends_ask(kg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    question = "What is on the US shopping list for Japan?"
    with pytest.raises(NoAnswerError):
        answer_question(kg, question)
    text = (ROOT / "src" / "tradekg" / "ask_patterns.yaml").read_text(encoding="utf-8")
    marker = '      - "\\\\b(?:request|requests|requested'
    assert marker in text
    mine = tmp_path / "patterns.yaml"
    mine.write_text(text.replace(marker, '      - "\\\\bshopping list\\\\b"\n' + marker, 1), encoding="utf-8")
    monkeypatch.setenv("TRADEKG_ASK_PATTERNS", str(mine))
    a = ask(kg, question)
    assert a.query == "requests" and len(a.rows) == 4


def test_bad_patterns_file_names_the_file(kg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradekg.errors import InputError

    bad = tmp_path / "bad.yaml"
    bad.write_text("intents:\n  - name: x\n    query: requests\n    strong: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_patterns(bad)
    assert "bad.yaml" in str(err.value) and "intents[0].strong" in str(err.value)


def test_label_index_cache_follows_the_store(kg, store: Path, tmp_path: Path) -> None:
    """A cached label index is used only while the store is unchanged."""
    from tradekg.kg import KnowledgeGraph

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    other = KnowledgeGraph.open(copy)
    assert ask(other, "Who did Akazawa meet?").rows
    other.remove("us-japan-first-round-2025-04")
    # The document's own actors are gone with it: the index was rebuilt, not read from the cache.
    with pytest.raises(NoAnswerError) as err:
        answer_question(other, "What did the multiple Japanese government sources report?")
    assert err.value.reason in ("unknown_name", "not_understood")
    assert not answer_question(other, "Who did Akazawa meet?").rows


# --- the command line ---------------------------------------------------------------------------------------


def _cli(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "tradekg", "--store", str(store), "ask", *args],
                          capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture(scope="module")
def cli_has_ask(store: Path) -> None:
    from tradekg import cli

    if not any(getattr(c, "name", None) == "ask" or (c.callback and c.callback.__name__ == "ask")
               for c in cli.app.registered_commands):
        pytest.skip("the `tradekg ask` command is not wired into the CLI yet")


@pytest.mark.parametrize("args, needle", [
    (["What did Macron request of Japan?"], "Macron"),
    ([""], "empty"),
    (['What did the US request of Japan regarding "} ; DROP ALL ; {'], "query syntax"),
    (["What did Japan request of the US regarding rice?"], "No answer"),
])
def test_cli_failures_exit_1_without_rows(store: Path, cli_has_ask: None, args: list[str], needle: str) -> None:
    proc = _cli(store, *args, "--format", "json")
    assert proc.returncode == 1, proc
    assert needle in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout.strip() == ""


def test_cli_answers(store: Path, cli_has_ask: None) -> None:
    proc = _cli(store, "what did the US request of Japan", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["query"] == "requests" and len(data["rows"]) == 4
    proc = _cli(store, "who met whom", "--show-sparql", "--format", "table")
    assert proc.returncode == 0 and "2 meetings" in proc.stdout and "SELECT" in proc.stdout + proc.stderr


def test_document_local_things_with_the_same_labels_are_one_entity_in_the_index() -> None:
    from tradekg.ask import TKDOC_IRI, LabelIndex

    rows = [(f"{TKDOC_IRI}a#officials", "US officials", "actor"),
            (f"{TKDOC_IRI}b#officials", "US officials", "actor"),
            (f"{TKDOC_IRI}c#vase", "a ceramic vase", "concept"),
            (JAPAN, "Japan", "country"), (JAPAN, "Tokyo", "country")]
    index = LabelIndex(rows, {JAPAN: "Japan"})
    assert len(index.entities) == 3
    (group,) = index.lookup(("us", "officials"))
    assert group.startswith("urn:tradekg:same-labels:") and index.entities[group].labels == ("US officials",)
    assert index.lookup(("tokyo",)) == {JAPAN}
    again = LabelIndex.from_data(json.loads(json.dumps(index.to_data())))
    assert {k: vars(e) for k, e in again.entities.items()} == {k: vars(e) for k, e in index.entities.items()}


def test_a_group_of_local_things_resolves_to_all_of_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradekg.ask import _terms, label_index
    from tradekg.kg import KnowledgeGraph

    monkeypatch.setenv("TRADEKG_CACHE", str(tmp_path / "cache"))
    # The seed twice, under two document ids: each copy has its own "other senior US officials".
    text = SEED.read_text(encoding="utf-8")
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(SEED.with_suffix(".txt"), tmp_path)  # the article text both copies quote
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("id: us-japan-first-round-2025-04", "id: us-japan-first-round-copy", 1),
                      encoding="utf-8")
    assert "us-japan-first-round-copy" in second.read_text(encoding="utf-8")
    kg = KnowledgeGraph.open(tmp_path / "store")
    assert kg.ingest([first, second]).exit_code == 0
    with kg.reader() as backend:
        index = label_index(kg, backend)
        (group,) = index.lookup(("other", "senior", "us", "officials"))
        terms = _terms(backend, [group], "actor", index)
    assert [t.value.rsplit("/", 1)[1] for t in terms] == [
        "us-japan-first-round-2025-04#senior-officials", "us-japan-first-round-copy#senior-officials"]


def test_the_scanned_label_index_is_the_queried_one(store: Path) -> None:
    """On a local store the index is read by scanning pyoxigraph's indexes; a remote store runs the SPARQL
    queries. Both must give the same index."""
    from tradekg.ask import _build_index
    from tradekg.store import OxigraphBackend

    class ThroughSparql:  # what a remote backend offers: queries only
        def __init__(self, backend: OxigraphBackend) -> None:
            self.backend = backend

        def query(self, text: str):
            return self.backend.query(text)

    backend = OxigraphBackend(store, writable=False)
    scanned, queried = _build_index(backend), _build_index(ThroughSparql(backend))
    assert len(scanned.entities) > 20
    assert {k: vars(e) for k, e in scanned.entities.items()} == {k: vars(e) for k, e in queried.entities.items()}
    assert scanned.variant_keys == queried.variant_keys and scanned.words == queried.words


def test_index_caches_of_old_versions_and_deleted_stores_are_pruned(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from tradekg.ask import label_index
    from tradekg.kg import KnowledgeGraph

    cache = tmp_path / "cache"
    monkeypatch.setenv("TRADEKG_CACHE", str(cache))
    cache.mkdir()
    (cache / "ask-index-1-0123456789abcdef01234567.json").write_text("{}")  # an older version's file
    (cache / "ask-patterns-1.json").write_text("{}")  # not an index: left alone

    def index_of(name: str) -> None:
        kg = KnowledgeGraph.open(tmp_path / name)
        assert kg.ingest([SEED]).exit_code == 0
        with kg.reader() as backend:
            label_index(kg, backend)

    index_of("a")
    assert len(list(cache.glob("ask-index-*.json"))) == 1  # a's; the old version's is gone
    shutil.rmtree(tmp_path / "a")
    index_of("b")
    files = list(cache.glob("ask-index-*.json"))
    assert len(files) == 1 and str(tmp_path / "b") in (cache / "ask-index-stores.txt").read_text()
    assert (cache / "ask-patterns-1.json").exists()
