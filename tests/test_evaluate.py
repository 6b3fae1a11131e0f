"""Scoring the extractor against gold files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tradekg.errors import InputError
from tradekg.extract import evaluate, format_report, read_article
from tradekg.extract.evaluate import score_file

ROOT = Path(__file__).resolve().parents[1]


def ev(start: int, end: int) -> dict:
    return {"text": "x" * (end - start), "start": start, "end": end}


def event(type_: str, start: int, end: int, agents=(), addressees=(), topics=()) -> dict:
    return {"type": type_, "agents": list(agents), "addressees": list(addressees), "topics": list(topics),
            "evidence": ev(start, end)}


def test_matching_needs_same_type_and_overlap() -> None:
    gold = {"events": [event("Request", 0, 50, ["United States"], ["Japan"], ["Rice", "Meat"]),
                       event("Meeting", 60, 100, ["A", "B"]),
                       event("Gift", 200, 250, ["A"], ["B"])]}
    pred = {"events": [event("Request", 10, 40, ["united states"], ["China"], ["Rice"]),
                       event("Call", 60, 100, ["A", "B"]),      # wrong type: no match
                       event("Gift", 300, 350, ["A"], ["B"])]}  # no overlap: no match
    fs = score_file("t", gold, pred)
    assert (fs.events.tp, fs.events.pred, fs.events.gold) == (1, 3, 3)
    assert fs.roles["agents"].tp == 1  # labels compare case-insensitively
    assert (fs.roles["addressees"].tp, fs.roles["addressees"].pred) == (0, 1)
    assert (fs.roles["topics"].precision, fs.roles["topics"].recall) == (1.0, 0.5)
    assert fs.by_type["Meeting"].recall == 0.0 and fs.by_type["Call"].precision == 0.0


def test_one_to_one_and_same_sentence_pairing() -> None:
    gold = {"events": [event("Meeting", 0, 100, ["A", "B"]), event("Meeting", 0, 100, ["A", "C"])]}
    pred = {"events": [event("Meeting", 0, 100, ["A", "C"]), event("Meeting", 0, 100, ["A", "B"]),
                       event("Meeting", 0, 100, ["A", "D"])]}
    fs = score_file("t", gold, pred)
    assert (fs.events.tp, fs.events.pred) == (2, 3)
    assert fs.roles["agents"].tp == 4  # paired by shared agents, not by order


def test_statistics_match_on_value_and_overlap() -> None:
    gold = {"events": [], "statistics": [{"value": 14.9e9, "evidence": ev(0, 10)},
                                         {"value": 7.7, "evidence": ev(20, 30)}]}
    pred = {"events": [], "statistics": [{"value": 14.9e9, "evidence": ev(0, 40)},
                                         {"value": 7.0, "evidence": ev(20, 30)}]}
    st = score_file("t", gold, pred).statistics
    assert (st.tp, st.pred, st.gold) == (1, 2, 2)


def test_gold_files_quote_their_articles() -> None:
    golds = sorted([*ROOT.glob("examples/*.gold.json"), *ROOT.glob("seeds/*.gold.json")])
    assert len(golds) >= 7
    for g in golds:
        gold = json.loads(g.read_text(encoding="utf-8"))
        text = read_article(g.with_name(g.name[: -len(".gold.json")] + ".txt"))
        for item in [*gold["events"], *gold["statistics"]]:
            e = item["evidence"]
            assert text[e["start"]:e["end"]] == e["text"], (g.name, e)


def test_evaluate_examples_and_format() -> None:
    report = evaluate(ROOT / "examples")
    total = report.overall()
    # A floor, so that a change that breaks the extractor shows here; figures are in docs/extract.md. The
    # examples were written beside the extractor, so real-text accuracy is tests/test_devset.py's job.
    assert total.events.f1 >= 0.65 and total.roles["agents"].f1 >= 0.8
    table = format_report(report)
    assert "Events per type" in table and "us-uk-deal-2025-05" in table and "overall events" in table
    assert set(report.to_json()["overall"]) >= {"events", "statistics", "agents", "addressees", "topics"}


def test_evaluate_seed() -> None:
    total = evaluate(ROOT / "seeds").overall()
    assert total.by_type["Request"].f1 == 1.0


def test_bad_gold_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no \\*.gold.json"):
        evaluate(tmp_path)
    with pytest.raises(InputError, match="not a folder"):
        evaluate(tmp_path / "missing")
    (tmp_path / "a.gold.json").write_text('{"events": [\n  {"type": "Request",}\n]}', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON") as err:
        evaluate(tmp_path)
    assert err.value.line == 2
    (tmp_path / "a.gold.json").write_text('{"events": [{"type": "Party", "evidence": {"start": 0, "end": 1}}]}',
                                          encoding="utf-8")
    with pytest.raises(InputError, match="events\\[0\\].type"):
        evaluate(tmp_path)
    (tmp_path / "a.gold.json").write_text('{"events": []}', encoding="utf-8")
    with pytest.raises(InputError, match="no article text a.txt"):
        evaluate(tmp_path)


def test_meta_yaml_gives_publication_and_speaker(tmp_path: Path) -> None:
    text = "I asked the US side on Wednesday to review the tariffs on automobiles."
    (tmp_path / "pc.txt").write_text(text, encoding="utf-8")
    start = 0
    gold = {"events": [{"type": "Request", "agents": ["Ryosei Akazawa"], "addressees": ["United States"],
                        "topics": ["Automobiles"], "evidence": {"text": text, "start": start, "end": len(text)}}]}
    (tmp_path / "pc.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "pc.meta.yaml").write_text("published: 2025-05-30\nspeaker: Ryosei Akazawa\n", encoding="utf-8")
    fs = evaluate(tmp_path).files[0]
    assert fs.events.tp == 1 and fs.roles["agents"].f1 == 1.0
    (tmp_path / "pc.meta.yaml").write_text("published: someday\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a date"):
        evaluate(tmp_path)
