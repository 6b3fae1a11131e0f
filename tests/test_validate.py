"""Validation of annotation documents: the seed conforms, and broken copies of it are refused.

Each broken copy edits one field of one entry of the seed YAML (text edits, so line numbers stay real) and
checks that the report names the entry, the field and the YAML line, in a message that names the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tradekg.annotation import Document, load_annotation, load_document
from tradekg.gazetteer import Gazetteer
from tradekg.validate import Finding, ValidationReport, Validator, format_report

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_ID = "us-japan-first-round-2025-04"
DROP = object()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def validator(gazetteer) -> Validator:
    return Validator(gazetteer)


@pytest.fixture(scope="module")
def seed(gazetteer) -> Document:
    return load_document(SEED, gazetteer=gazetteer)


# -- editing the seed YAML as text -------------------------------------------------------------------------

def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block(lines: list[str], name: str) -> tuple[int, int, int, bool]:
    """(header index, end index, key indent, is a list item) of the entry `- id: name` or `name:`."""
    item = re.compile(rf"^(\s*)- id: {re.escape(name)}\s*$")
    entry = re.compile(rf"^(\s*){re.escape(name)}:\s*$")
    for i, line in enumerate(lines):
        m = item.match(line) or entry.match(line)
        if m:
            head = len(m.group(1))
            end = i + 1
            while end < len(lines):
                nxt = lines[end]
                if nxt.strip() and not nxt.lstrip().startswith("#") and _indent(nxt) <= head:
                    break
                end += 1
            return i, end, head + 2, bool(item.match(line))
    raise AssertionError(f"no entry {name!r} in the seed")


def edit(text: str, name: str, key: str, value: object) -> str:
    """The YAML text with `key` of entry `name` set to `value` (YAML source text), or removed (DROP)."""
    lines = text.splitlines(keepends=True)
    start, end, indent, _ = _block(lines, name)
    key_re = re.compile(rf"^ {{{indent}}}{re.escape(key)}:")
    new = None if value is DROP else f"{' ' * indent}{key}: {value}\n"
    for i in range(start + 1, end):
        if key_re.match(lines[i]):
            if new is None:
                del lines[i]
            else:
                lines[i] = new
            return "".join(lines)
    assert new is not None, f"{name} has no {key} to remove"
    lines.insert(start + 1, new)
    return "".join(lines)


def expected_line(text: str, name: str, key: str) -> int:
    """The YAML line a finding about `key` of `name` should name: the key's line, else the entry's."""
    lines = text.splitlines(keepends=True)
    start, end, indent, is_item = _block(lines, name)
    key_re = re.compile(rf"^ {{{indent}}}{re.escape(key)}:")
    for i in range(start + 1, end):
        if key_re.match(lines[i]):
            return i + 1
    # A list item starts on its `- id:` line; a mapping entry on its first key, the line after its name.
    return start + 1 if is_item else start + 2


# -- the cases ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    name: str
    entry: str
    edits: tuple[tuple[str, object], ...]
    field: str
    words: str

    def __str__(self) -> str:
        return self.name


def case(name, entry, edits, field, words) -> Case:
    return Case(name, entry, tuple(edits), field, words)


REQUIRED = [
    case("meeting-participants", "meeting-trump", [("participant", "[akazawa]")], "participant",
         "at least two participants"),
    case("request-requester", "request-trade-items", [("requester", DROP)], "requester", "needs a requester"),
    case("request-addressee", "request-trade-items", [("addressee", DROP)], "addressee", "needs an addressee"),
    case("claim-claimant", "claim-trade-deficit", [("claimant", DROP)], "claimant", "needs a claimant"),
    case("claim-content", "claim-trade-deficit", [("content", DROP)], "content", "needs its content"),
    case("complaint-complainant", "complaint-alliance-costs", [("complainant", DROP)], "complainant",
         "needs a complainant"),
    case("gift-giver", "gift-piggy-bank", [("giver", DROP)], "giver", "needs a giver"),
    case("gift-recipient", "gift-piggy-bank", [("recipient", DROP)], "recipient", "needs a recipient"),
    case("gift-object", "gift-piggy-bank", [("object", DROP)], "object", "needs its object"),
    case("invitation-inviter", "invitation-expo", [("inviter", DROP)], "inviter", "needs an inviter"),
    case("invitation-invitee", "invitation-expo", [("invitee", DROP)], "invitee", "needs an invitee"),
    case("announcement-announcer", "announcement-attendance", [("announcer", DROP)], "announcer",
         "needs an announcer"),
    case("notification-notifier", "notification-on-plane", [("notifier", DROP)], "notifier", "needs a notifier"),
    case("notification-addressee", "notification-on-plane", [("addressee", DROP)], "addressee",
         "needs an addressee"),
    case("appearance-appearedBy", "youtube-appearance", [("appearedBy", DROP)], "appearedBy", "needs who appeared"),
    case("statistic-measure", "stat-us-car-sales-japan", [("measure", DROP)], "measure", "needs a measure"),
    case("statistic-value", "stat-us-car-sales-japan", [("value", DROP)], "value", "exactly one value"),
    case("event-evidence", "request-trade-items", [("evidence", DROP)], "evidence", "has no evidence"),
    case("statistic-evidence", "stat-us-car-sales-japan", [("evidence", DROP)], "evidence", "has no evidence"),
    case("negotiation-parties", "us-japan-tariffs-2025", [("party", "[us]")], "party", "at least two parties"),
    case("actor-label", "gov-sources", [("label", DROP)], "label", "actor needs a label"),
    case("artifact-label", "piggy-bank", [("label", DROP)], "label", "Artifact needs a label"),
] + [
    # Event kinds the seed does not use: the complaint, retyped, without its complainant.
    case(f"{kind.lower()}-{role}", "complaint-alliance-costs", [("type", kind), ("complainant", DROP)], role,
         f"A{'n' if kind[0] in 'AEIOU' else ''} {kind} needs")
    for kind, role in (("Call", "participant"), ("Visit", "participant"), ("Agreement", "participant"),
                       ("Commitment", "participant"), ("TariffAction", "imposer"), ("Threat", "threatener"))
]

WRONG_VALUES = [
    case("date-impossible", "request-trade-items", [("date", "2025-02-30")], "date", "real calendar date"),
    case("date-not-a-date", "request-trade-items", [("date", "last Wednesday")], "date", "real calendar date"),
    case("published-impossible", "document", [("published", "2025-02-30")], "published", "real calendar date"),
    case("value-words", "stat-us-car-sales-japan", [("value", "ten thousand")], "value", "must be a number"),
    case("round-number-words", "us-japan-tariffs-2025-round-1", [("roundNumber", "first")], "roundNumber",
         "whole number"),
    case("confidence-above-one", "request-trade-items", [("confidence", "1.5")], "confidence", "from 0 to 1"),
    case("requester-not-actor", "request-trade-items", [("requester", "rice")], "requester", "must be an actor"),
    case("participant-not-actor", "meeting-trump", [("participant", "[akazawa, rice]")], "participant",
         "must be an actor"),
    case("object-not-artifact", "gift-piggy-bank", [("object", "trump")], "object", "must be an Artifact"),
    case("location-not-place", "meeting-trump", [("location", "rice")], "location", "place or a country"),
    case("source-not-organization", "stat-us-car-sales-japan", [("statisticSource", "japan")], "statisticSource",
         "must be an organization"),
    case("contradicts-not-claim", "stat-us-car-sales-japan", [("contradicts", "[request-trade-items]")],
         "contradicts", "must be a Claim"),
    case("response-to-non-event", "response-prioritize", [("inResponseTo", "[rice]")], "inResponseTo",
         "must be an event"),
    case("attributed-to-non-actor", "request-trade-items", [("attributedTo", "rice")], "attributedTo",
         "must be an actor"),
    case("affiliation-not-actor", "gov-sources", [("affiliation", "rice")], "affiliation",
         "country or organization"),
]

CROSS_CHECKS = [
    case("requester-is-addressee", "request-trade-items", [("addressee", "us")], "requester",
         "also the addressee"),
    case("giver-is-recipient", "gift-piggy-bank", [("recipient", "akazawa")], "giver", "also the recipient"),
    case("inviter-is-invitee", "invitation-expo", [("invitee", "akazawa")], "inviter", "also the invitee"),
    case("notifier-is-addressee", "notification-on-plane", [("addressee", "ministry-officials")], "notifier",
         "also the addressee"),
    case("date-after-published", "meeting-trump", [("date", "2025-04-20")], "date",
         "2025-04-20 is after the article was published (2025-04-19)"),
    case("quote-not-in-text", "request-trade-items", [("evidence", '"The US officials listed rice and wheat."')],
         "evidence", "does not occur in the article text"),
    case("quote-at-wrong-offset", "request-trade-items", [("evidence", '{quote: "The sources also said", start: 3}')],
         "evidence", "between offsets 3 and 24"),
    case("statistic-quote-not-in-text", "stat-us-car-sales-japan",
         [("evidence", '"Sales of US cars in Japan fell."')], "evidence", "does not occur in the article text"),
]

WARNINGS = [
    case("event-without-date", "meeting-trump", [("date", DROP)], "date", "has no date"),
    case("event-without-attribution", "request-trade-items", [("attributedTo", DROP)], "attributedTo",
         "not attributed to anyone"),
    case("request-without-topic", "request-trade-items", [("topic", DROP)], "topic", "has no topic"),
    case("statistic-without-unit", "stat-us-car-sales-japan", [("unit", DROP)], "unit", "has no unit"),
    case("article-without-title", "document", [("title", DROP)], "title", "has no title"),
    case("source-without-affiliation", "gov-sources", [("affiliation", DROP)], "affiliation",
         "whom it speaks for"),
]


def broken(c: Case, gazetteer: Gazetteer) -> tuple[Document, int]:
    text = SEED_TEXT
    for key, value in c.edits:
        text = edit(text, c.entry, key, value)
    assert text != SEED_TEXT
    field_key = "published" if c.entry == "document" and c.field == "published" else c.field
    return load_annotation(text, path=SEED, gazetteer=gazetteer), expected_line(text, c.entry, field_key)


def focus_of(c: Case) -> str:
    return SEED_ID if c.entry == "document" else c.entry


def _matching(report: ValidationReport, c: Case, severity: str) -> list[Finding]:
    return [
        f for f in report.findings
        if f.severity == severity and f.focus == focus_of(c) and f.field == c.field and c.words in f.message
    ]


@pytest.mark.parametrize("c", REQUIRED + WRONG_VALUES + CROSS_CHECKS, ids=str)
def test_a_broken_seed_is_refused_naming_entry_field_and_line(c, validator, gazetteer):
    doc, line = broken(c, gazetteer)
    report = validator.validate(doc)
    assert not report.conforms
    hits = _matching(report, c, "Violation")
    assert hits, format_report([report])
    hit = hits[0]
    assert hit.line == line, (hit, line)
    assert f"(field '{c.field}'" in hit.message
    assert hit.path == str(SEED)
    # One edit, one thing wrong: every violation is about the entry that was broken.
    assert {f.focus for f in report.violations} == {focus_of(c)}, format_report([report])
    assert f"{SEED}:{line}: Violation: [" in format_report([report])


@pytest.mark.parametrize("c", WARNINGS, ids=str)
def test_what_is_merely_incomplete_is_a_warning_and_still_conforms(c, validator, gazetteer):
    doc, line = broken(c, gazetteer)
    report = validator.validate(doc)
    assert report.conforms, format_report([report])
    hits = _matching(report, c, "Warning")
    assert hits, format_report([report])
    assert hits[0].line == line


# -- the seed and the report -------------------------------------------------------------------------------

def test_the_seed_conforms(validator, seed):
    report = validator.validate(seed)
    assert report.conforms, format_report([report])
    assert report.violations == []
    assert report.document_id == SEED_ID
    assert report.triples == len(seed.graph)
    assert report.events == SEED_TEXT.split("\nstatistics:")[0].split("\nevents:")[1].count("\n  - id: ")
    assert all(f.line is not None and f.focus for f in report.findings)


def test_validation_leaves_the_document_graph_alone(validator, seed):
    before = Graph()
    for t in seed.graph:
        before.add(t)
    first = validator.validate(seed)
    second = validator.validate(seed)
    assert isomorphic(before, seed.graph)
    # The prepared shapes are reused: a second run reports exactly what the first did.
    assert first == second


def test_report_as_json_and_as_text(validator, gazetteer):
    doc, line = broken(CROSS_CHECKS[0], gazetteer)
    report = validator.validate(doc)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["document"] == SEED_ID and data["conforms"] is False and data["violations"] >= 1
    assert data["events"] == report.events and data["triples"] == report.triples
    first = data["findings"][0]
    assert set(first) >= {"severity", "message", "path", "line", "focus", "field", "value", "shape"}
    text = format_report([report, validator.validate(load_document(SEED, gazetteer=gazetteer))])
    assert (
        f"{SEED}:{line}: Violation: [event request-trade-items, field requester] The requester (field "
        "'requester') is also the addressee" in text
    )
    assert f"{SEED}: REFUSED: " in text and f"{SEED}: conforms: " in text
    lines = [f.line for f in report.findings if f.line is not None]
    assert lines == sorted(lines)


def test_a_document_without_lines_reports_without_them(validator, gazetteer):
    doc, _ = broken(CROSS_CHECKS[0], gazetteer)
    bare = Document(doc.id, doc.iri, doc.graph, None, {}, "turtle")
    report = validator.validate(bare)
    assert not report.conforms
    assert all(f.line is None and f.path is None for f in report.findings)
    assert f"{SEED_ID}: Violation: [event request-trade-items, field requester]" in format_report([report])
