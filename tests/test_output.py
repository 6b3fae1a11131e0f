"""Output writers: every format is valid for its medium and makes hostile text harmless."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from tradekg.output import (
    QueryResult,
    compact,
    delimited,
    dumps_json,
    render,
    resolve_format,
    safe_csv_cell,
    safe_text,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
HOSTILE = '@SUM(1+1)\u202e\u2066 [bold]b[/bold] <script>x</script>\x00\x07\x1b[2J\n"quoted"'


def result() -> QueryResult:
    return QueryResult(
        variables=["s", "label", "n", "missing"],
        terms=[{"s": ox.NamedNode("https://w3id.org/tradekg/id/japan"), "label": ox.Literal(HOSTILE),
                "n": ox.Literal("7.7", datatype=ox.NamedNode(XSD + "decimal")), "missing": None},
               {"s": ox.BlankNode("b1"), "label": ox.Literal("Japon", language="fr"),
                "n": ox.Literal("-3", datatype=ox.NamedNode(XSD + "integer")), "missing": None}],
    )


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+x", "'+x"), ("-x", "'-x"), ("@x", "'@x"), ("\tx", "' x"),
    ("-3", "-3"), ("1e5", "1e5"), ("plain", "plain"), (None, ""),
])
def test_csv_cells_cannot_be_formulas(value, expected):
    assert safe_csv_cell(value) == expected


def test_safe_text_escapes_controls_and_bidi():
    out = safe_text(HOSTILE)
    for bad in ("\u202e", "\u2066", "\x00", "\x07", "\x1b", "\n"):
        assert bad not in out
    assert "\\u202e" in out and "\\x1b" in out


def test_json_is_a_list_of_plain_objects_with_invisible_characters_escaped():
    text = io.StringIO()
    render(result(), "json", text)
    data = json.loads(text.getvalue())
    assert data[0] == {"s": "https://w3id.org/tradekg/id/japan", "label": HOSTILE, "n": 7.7, "missing": None}
    assert data[1]["n"] == -3 and data[1]["s"] == "_:b1"
    assert "\u202e" not in text.getvalue() and "\\u202e" in text.getvalue()
    assert json.loads(dumps_json({"a": "\u2028"})) == {"a": "\u2028"}


def test_csv_and_tsv_parse_back_and_are_neutralized():
    rows = list(csv.reader(io.StringIO(delimited(result(), "csv"))))
    assert rows[0] == ["s", "label", "n", "missing"]
    assert rows[1][1].startswith("'@SUM") and "\u202e" not in rows[1][1] and "\n" not in rows[1][1]
    assert rows[2][2] == "-3"
    tsv = delimited(result(), "tsv").splitlines()
    assert len(tsv) == 3 and all(line.count("\t") == 3 for line in tsv)


def test_table_shows_markup_literally_and_no_control_characters():
    out = io.StringIO()
    render(result(), "table", out)
    text = out.getvalue()
    assert "tkid:japan" in text and "[bold]b[/bold]" in text.replace("\n", "").replace("│", "").replace(" ", "") \
        or "[bold]" in text
    for bad in ("\u202e", "\u2066", "\x00", "\x07", "\x1b"):
        assert bad not in text


def test_sparql_json_and_xml_parse_back_with_pyoxigraph():
    for fmt, oxfmt in (("sparql-json", ox.QueryResultsFormat.JSON), ("sparql-xml", ox.QueryResultsFormat.XML)):
        out = io.StringIO()
        render(result(), fmt, out)
        parsed = list(ox.parse_query_results(out.getvalue().encode(), format=oxfmt))
        assert parsed[0]["s"] == ox.NamedNode("https://w3id.org/tradekg/id/japan")
        assert parsed[1]["label"] == ox.Literal("Japon", language="fr")
        if fmt == "sparql-json":
            assert parsed[0]["label"].value == HOSTILE  # JSON carries the exact data
    ask = io.StringIO()
    render(QueryResult(boolean=True), "sparql-xml", ask)
    assert bool(ox.parse_query_results(ask.getvalue().encode(), format=ox.QueryResultsFormat.XML))


def test_format_resolution_and_compact():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert resolve_format(None, Tty()) == "table" and resolve_format(None, io.StringIO()) == "json"
    assert resolve_format("csv") == "csv"
    assert compact("https://w3id.org/tradekg/doc/d#e1") == "tkdoc:d#e1"
    assert compact("http://example.org/x") == "http://example.org/x"
    with pytest.raises(Exception, match="unknown format"):
        resolve_format("yaml")


def test_from_dicts_round_trips_plain_values():
    r = QueryResult.from_dicts([{"id": "a", "n": 2, "ok": True, "x": None, "f": 1.5}])
    assert r.rows == [{"id": "a", "n": 2, "ok": True, "x": None, "f": 1.5}]


# --- tables say what the data says (tradekg.presentation) --------------------------------------------------

from tradekg.presentation import figure, readable, render_answer, source  # noqa: E402

DOC = "https://w3id.org/tradekg/doc/"


@pytest.mark.parametrize("value,unit,comparison,expected", [
    (10000, "units", "exceeded", "more than 10,000 units"),
    (7, "percent", "about", "about 7 percent"),
    (100, "units", "below", "less than 100 units"),
    (14900000000, "USD", "exactly", "14,900,000,000 USD"),
    (7.7, "percent", None, "7.7 percent"),
    (2.0, None, None, "2"),
    (None, "units", "exceeded", None),
])
def test_a_figure_reads_with_its_comparison(value, unit, comparison, expected):
    assert figure(value, unit, comparison) == expected


def test_readable_rows_keep_qualifiers_and_name_each_rows_article():
    rows = [
        {"event": DOC + "a#c1", "claimant": "Trump", "content": "No cars.", "hedge": "alleged", "value": 10000,
         "unit": "units", "comparison": "exceeded", "status": "reported", "article": DOC + "a",
         "title": "Talks in Washington", "published": "2025-04-19", "timeNote": None},
        {"event": DOC + "b#c2", "claimant": "Trump", "content": "Still no cars.", "hedge": None, "value": None,
         "unit": None, "comparison": None, "status": "confirmed", "article": DOC + "b", "title": None,
         "published": "2025-05-02", "timeNote": None},
    ]
    result = readable(rows)
    assert result.variables == ["event", "claimant", "content", "hedge", "value", "status", "source"]
    assert [r["source"] for r in result.rows] == ["Talks in Washington (2025-04-19)", "b (2025-05-02)"]
    assert result.rows[0]["value"] == "more than 10,000 units" and result.rows[0]["hedge"] == "alleged"
    out = io.StringIO()
    render(result, "table", out, width=200)
    text = out.getvalue()
    assert "tkdoc:a#c1" in text and "more than 10,000 units" in text and "confirmed" in text
    assert source(None, "Only a title") == "Only a title"


class _Answer:
    def __init__(self, rows):
        self.summary = f"Trump made {len(rows)} claims."
        self.rows = rows
        self.sources = [{"article": DOC + "a", "title": None, "published": None}]
        self.notes = ["one figure contradicts a claim"]

    def to_dict(self, *, with_sparql=True):
        return {"summary": self.summary, "rows": self.rows, **({"sparql": "SELECT"} if with_sparql else {})}


def test_an_answer_in_every_format():
    rows = [{"event": DOC + "a#c1", "claimant": "Trump", "value": 10000, "unit": "units", "comparison": "exceeded",
             "article": DOC + "a", "title": None, "published": None}]
    table, messages = render_answer(_Answer(rows), "table", width=120)
    assert messages == "" and table.startswith("Trump made 1 claims.\n")
    assert "more than 10,000 units" in table and "c1" not in table  # the event IRI is left to JSON
    assert "  - a <https://w3id.org/tradekg/doc/a>" in table and "Note: one figure" in table
    data, messages = render_answer(_Answer(rows), "csv")
    assert data.splitlines()[0].startswith("event,claimant,value,unit,comparison") and "Trump made" in messages
    data, _ = render_answer(_Answer(rows), "json", show_sparql="# query: claims\n")
    assert json.loads(data)["sparql"] == "SELECT"
    data, messages = render_answer(_Answer([]), "table")
    assert data == "" and messages.startswith("Trump made 0 claims.\nNote: one figure")
