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
