"""The extractor: input handling, mentions and resolution, triggers, dates, figures, output contracts."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from tradekg.errors import InputError, UsageError
from tradekg.extract import MAX_BYTES, extract, load_lexicons, read_article
from tradekg.extract.dates import find_dates
from tradekg.extract.figures import find_figures
from tradekg.extract.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.txt"
GOLDS = sorted([*ROOT.glob("examples/*.gold.json"), *ROOT.glob("seeds/*.gold.json")])


def events(text: str, **kw) -> list[dict]:
    return extract(text, **kw).to_json()["events"]


def one(text: str, type_: str, **kw) -> dict:
    found = [e for e in events(text, **kw) if e["type"] == type_]
    assert len(found) == 1, events(text, **kw)
    return found[0]


# ---------- reading files
def test_read_article_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n\t")
    with pytest.raises(InputError, match="empty article"):
        read_article(empty)
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"PK\x03\x04\x00\x00junk")
    with pytest.raises(InputError, match="NUL byte at offset 4"):
        read_article(binary)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 talks".encode("latin-1"))
    with pytest.raises(InputError, match=r"invalid byte 0xe9 at byte offset 3") as err:
        read_article(latin)
    assert err.value.path == str(latin)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(InputError, match="limit for one article is 1,000 bytes"):
        read_article(big, max_bytes=1000)
    with pytest.raises(InputError, match="file not found"):
        read_article(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="folder"):
        read_article(tmp_path)
    assert MAX_BYTES >= 1_000_000  # a 1 MB article is accepted


def test_read_article_normalizes_bom_and_crlf(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbfJapan met the US.\r\nThen talks.")
    assert read_article(p) == "Japan met the US.\nThen talks."


# ---------- degenerate input: clear results, never a traceback
@pytest.mark.parametrize("text", ["", "   \n\n", "The weather was mild and the markets were calm today.",
                                  "日本と米国は水曜日に関税交渉を行った。赤沢大臣が出席した。",
                                  "Le Japon et les États-Unis ont négocié mercredi à Washington.",
                                  "\x01\x02\x7f\ufffd" * 50, "." * 5000, "A" * 10000])
def test_degenerate_texts_give_a_result(text: str) -> None:
    x = extract(text, published=dt.date(2025, 4, 19))
    out = x.to_json()
    assert out["events"] == [] or all(text[e["evidence"]["start"]:e["evidence"]["end"]] == e["evidence"]["text"]
                                      for e in out["events"])
    assert isinstance(x.to_annotation_yaml(), str)


def test_non_str_input_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="as a str"):
        extract(b"bytes")  # type: ignore[arg-type]


def test_long_text_is_linear() -> None:
    base = SEED.read_text(encoding="utf-8")
    small = base * 4
    big = base * 40
    t0 = time.perf_counter()
    extract(small, published=dt.date(2025, 4, 19))
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    x = extract(big, published=dt.date(2025, 4, 19))
    t_big = time.perf_counter() - t0
    assert len(x.events) == 10 * len(extract(small, published=dt.date(2025, 4, 19)).events)
    assert t_big < 10 * t_small * 3 + 1  # ten times the text, not a hundred times the time


@pytest.mark.slow
def test_one_megabyte_text_finishes() -> None:
    # How long it takes is benchmarks/bench_extract.py's to measure; here: it ends, with exact offsets.
    base = SEED.read_text(encoding="utf-8")
    big = (base + "\n") * (1_000_000 // len(base) + 1)
    x = extract(big, published=dt.date(2025, 4, 19))
    assert x.events and all(big[e.evidence.start:e.evidence.end] == e.evidence.text for e in x.events)
    assert len(x.events) == (1_000_000 // len(base) + 1) * len(extract(base, published=dt.date(2025, 4, 19)).events)
    extract("Aaa " * 250_000)  # one huge run of capitalized words and no sentence stops


# ---------- sentences, dates, figures
def test_sentences_keep_offsets_and_abbreviations() -> None:
    text = "Mr. Akazawa met U.S. officials on Jan. 5. He left.\nHeadline without stop\n\n“Quote.” Next one."
    spans = [s.of(text) for s in split_sentences(text)]
    assert spans == ["Mr. Akazawa met U.S. officials on Jan. 5.", "He left.", "Headline without stop",
                     "“Quote.”", "Next one."]


@pytest.mark.parametrize("phrase,value", [
    ("on Wednesday", "2025-04-16"), ("on Saturday", "2025-04-19"), ("last Saturday", "2025-04-12"),
    ("yesterday", "2025-04-18"), ("on April 16", "2025-04-16"), ("April 16, 2024", "2024-04-16"),
    ("16 April", "2025-04-16"), ("last month", "2025-03"), ("in July", "2024-07"), ("in March", "2025-03"),
    ("on December 30", "2024-12-30"),
])
def test_dates_resolve_against_publication(phrase: str, value: str) -> None:
    found = find_dates(phrase, 0, len(phrase), dt.date(2025, 4, 19))
    assert [d.value for d in found] == [value]


def test_dates_without_publication_only_absolute() -> None:
    assert [d.value for d in find_dates("on Wednesday, April 16, 2025", 0, 28, None)] == [None, "2025-04-16"]


def test_figures_units_periods_comparisons() -> None:
    text = ("sales in fiscal 2024 exceeded 10,000 units; imports were 14.9 billion dollars in 2022, "
            "or 7.7 percent; Japan pledged $550 billion and about ¥3 trillion; the talks took 90 days.")
    got = [(f.value, f.unit, f.period, f.comparison) for f in find_figures(text, 0, len(text))]
    assert got[0] == (10000, "units", "fiscal 2024", "exceeded")
    assert got[1][:3] == (14.9e9, "dollars", "2022")
    assert got[2][:2] == (7.7, "percent")
    assert got[3][:2] == (550e9, "dollars")
    assert got[4][:2] == (3e12, "yen") and got[4][3] == "about"
    assert len(got) == 5  # 90 days is a duration, not a figure


# ---------- mentions, resolution and argument patterns
def test_role_mention_and_metonymy_resolve() -> None:
    e = one("In response, Japan’s chief negotiator asked the US side to prioritize the items.", "Request",
            published=dt.date(2025, 4, 19))
    assert (e["agents"], e["addressees"]) == (["Ryosei Akazawa"], ["United States"])
    e = one("Trump complained that Tokyo is not paying enough.", "Complaint")
    assert (e["agents"], e["addressees"]) == (["Donald Trump"], ["Japan"])


def test_passive_voice_swaps_roles() -> None:
    e = one("Japan was asked by the United States to buy more corn and soybeans.", "Request")
    assert e["agents"] == ["United States"] and e["addressees"] == ["Japan"]
    assert e["topics"] == ["Corn", "Soybeans"]


def test_joint_subject_and_verb_coordination() -> None:
    e = one("Scott Bessent and He Lifeng held talks in Geneva on Saturday.", "Meeting",
            published=dt.date(2025, 5, 12))
    assert e["agents"] == ["Scott Bessent", "He Lifeng"] and e["date"] == "2025-05-10"
    ms = events("Akazawa met President Donald Trump at the White House, and later held talks with "
                "Treasury Secretary Scott Bessent.")
    assert [m["agents"] for m in ms if m["type"] == "Meeting"] == [
        ["Ryosei Akazawa", "Donald Trump"], ["Ryosei Akazawa", "Scott Bessent"]]


def test_pronouns_and_pairs() -> None:
    text = ("Prime Minister Shigeru Ishiba spoke with President Donald Trump by phone. "
            "Ishiba told the US president that tariffs hurt investment, and he urged Washington to act. "
            "The two leaders agreed to appoint ministers.")
    got = {(e["type"], frozenset(e["agents"]), frozenset(e["addressees"])) for e in events(text)}
    both = frozenset({"Shigeru Ishiba", "Donald Trump"})
    assert ("Request", frozenset({"Shigeru Ishiba"}), frozenset({"United States"})) in got
    assert ("Agreement", both, frozenset()) in got
    assert ("Call", both, frozenset()) in got


def test_first_person_through_speaker() -> None:
    text = "I asked the US side to review the tariffs on automobiles. We agreed to meet again."
    e = one(text, "Request", speaker="Ryosei Akazawa")
    assert e["agents"] == ["Ryosei Akazawa"] and e["topics"] == ["Automobiles", "tariffs"]
    assert all(e["agents"] == [] for e in events(text) if e["type"] == "Request")  # no speaker: no "I"


def test_negation_cancels_an_event() -> None:
    assert events("I was not asked to make concessions on rice.", speaker="Ryosei Akazawa") == []


def test_new_actors_are_flagged_and_sources_attributed() -> None:
    text = ("Trade minister Jane Doeville met Scott Bessent on Monday, according to "
            "two senior Ruritanian government sources. The sources said Bessent reportedly asked Japan to buy corn.")
    x = extract(text, published=dt.date(2025, 5, 2))
    meeting, request = x.events
    assert [a.label for a in meeting.agents] == ["Jane Doeville", "Scott Bessent"]
    assert meeting.agents[0].is_new and not meeting.agents[1].is_new
    assert request.hedge == "reportedly"
    assert [a.label for a in meeting.attributed_to] == ["two senior Ruritanian government sources"]
    assert request.attributed_to == meeting.attributed_to  # "the sources" is the same group
    assert meeting.date == "2025-04-28"


def test_statistics_take_their_source() -> None:
    text = ("According to the Japan Automobile Importers Association, sales of American cars in Japan in "
            "fiscal 2024 exceeded 10,000 units, excluding Tesla.")
    (s,) = extract(text).to_json()["statistics"]
    assert (s["value"], s["unit"], s["period"], s["source"]) == (
        10000, "units", "fiscal 2024", "Japan Automobile Importers Association")


# ---------- the seed: the requests the curated annotation lists
def test_seed_requests_match_curated_items() -> None:
    out = extract(read_article(SEED), published=dt.date(2025, 4, 19)).to_json()
    reqs = [e for e in out["events"] if e["type"] == "Request"
            and e["agents"] == ["United States"] and e["addressees"] == ["Japan"]]
    items = {t for e in reqs for t in e["topics"]}
    # the curated items, plus the canonical topic of the USTR report on "foreign trade barriers"
    assert items == {"Automobiles", "Agricultural products", "Japan's automobile safety standards", "Rice",
                     "Meat", "Seafood", "Potatoes", "trade barriers"}
    first = reqs[0]
    assert first["date"] == "2025-04-16" and first["confidence"] < 0.8  # hedged: "reportedly"


# ---------- contracts: JSON shape, offsets, determinism, YAML that validates
def test_json_contract_shape() -> None:
    out = extract(read_article(SEED), published=dt.date(2025, 4, 19), title="T").to_json()
    assert set(out) == {"document", "speaker", "events", "statistics"}
    assert out["document"] == {"title": "T", "published": "2025-04-19"}
    for e in out["events"]:
        assert set(e) == {"id", "type", "agents", "addressees", "topics", "date", "evidence", "trigger",
                          "confidence", "attributedTo"}
        assert 0 < e["confidence"] <= 1 and e["trigger"]
    for s in out["statistics"]:
        assert set(s) == {"value", "unit", "period", "source", "evidence"}
    json.dumps(out)


@pytest.mark.parametrize("gold", GOLDS, ids=lambda p: p.name)
def test_offsets_invariant_and_deterministic(gold: Path) -> None:
    meta = json.loads(gold.read_text(encoding="utf-8"))["document"]
    text = read_article(gold.with_name(gold.name[: -len(".gold.json")] + ".txt"))
    kw = {"published": dt.date.fromisoformat(meta["published"]), "speaker": meta.get("speaker")}
    a = extract(text, **kw).to_json()
    for item in [*a["events"], *a["statistics"]]:
        ev = item["evidence"]
        assert text[ev["start"]:ev["end"]] == ev["text"]
    assert json.dumps(a) == json.dumps(extract(text, **kw).to_json())
    assert a["events"], "every example has events"


def test_annotation_yaml_loads_and_validates() -> None:
    annotation = pytest.importorskip("tradekg.annotation")
    validate = pytest.importorskip("tradekg.validate")
    x = extract(read_article(SEED), published=dt.date(2025, 4, 19), title="Seed", doc_id="seed-machine")
    text = x.to_annotation_yaml()
    assert "extractionMethod: machine-extracted" in text and "isNew: true" in text
    doc = annotation.load_annotation(text)
    report = validate.Validator().validate(doc)
    assert report.conforms, [f.message for f in report.findings if f.severity == "Violation"]
    assert report.events >= 10


def test_user_lexicon_extends_and_bad_lexicon_is_named(tmp_path: Path) -> None:
    (tmp_path / "extra.yaml").write_text(
        "type: Threat\nframes:\n  - verbs: [menace]\n    addressee: [object]\n", encoding="utf-8")
    e = one("Trump menaced Japan with new tariffs.", "Threat", lexicon_dirs=(tmp_path,))
    assert e["addressees"] == ["Japan"]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.yaml").write_text("type: Party\nframes: [x]\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an event class of the ontology") as err:
        load_lexicons((bad,))
    assert err.value.path.endswith("broken.yaml")


def test_text_that_is_not_english_is_said_so() -> None:
    fr = "Le Japon et les États-Unis ont signé un accord commercial mardi à Washington, selon le gouvernement."
    x = extract(fr)
    assert x.events == [] and "does not look like English" in x.notes[0]
    assert extract("Japan and the United States signed a trade agreement in Washington on Tuesday.").notes == []


def test_a_country_turned_to_is_the_topic_and_a_destination_is_not() -> None:
    (agreed,) = events("Turning to Ukraine, the leaders agreed that they must keep up the pressure.")
    assert agreed["type"] == "Agreement" and "Ukraine" in agreed["topics"]
    (visit,) = [e for e in events("Akazawa traveled to Washington for talks.") if e["type"] == "Visit"]
    assert visit["addressees"] == ["United States"] and "United States" not in visit["topics"]
