"""Hostile article text is stored as data and shown safely in every output.

One annotation's actor labels, summaries and evidence quotes hold HTML and JavaScript, spreadsheet
formulas, SPARQL syntax, terminal escape sequences and other control characters, a right-to-left
override and rich markup. After ``ingest``: JSON and SPARQL-JSON give back the exact strings; the table
shows them with visible escapes and no live control characters; CSV/TSV neutralize a leading
``= + - @``; SPARQL-XML is well-formed; the HTML network page carries them as inert, escaped JSON; the
RDF exports give them back exactly; and bound as query parameters they match as text and never run.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hostile import document_part, dump_store

DOC_ID = "hostile-output"
HOSTILE = {
    "html": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "formula": '=HYPERLINK("http://127.0.0.1:9/x","click me")',
    "plus": "+SUM(1,2)",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(A1:A2)",
    "sparql": '"} ; DROP ALL ; INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> "c" } } #',
    "control": "bell\x07 escape\x1b[31mred\x1b[0m backspace\x08 delete\x7f c1\x9b end",
    "rlo": "invoice\u202egnp.exe and \u2066isolate\u2069",
    "markup": "[bold red]rich markup[/] and ${jndi:ldap://127.0.0.1:9/x}",
}
# Characters that must never reach a terminal or a cell as themselves.
LIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _annotation() -> str:
    """A valid annotation whose every free-text field is hostile."""
    names = list(HOSTILE)
    quotes = {k: f"Reporters wrote {HOSTILE[k]} in the {k} story." for k in names}
    text = "\n".join(quotes.values()) + "\n"
    actors = {f"actor-{k}": {"type": "Person", "label": HOSTILE[k], "nationality": "japan"} for k in names}
    events = []
    for i, k in enumerate(names):
        other = names[(i + 1) % len(names)]
        events.append({
            "id": f"meeting-{k}", "type": "Meeting", "participant": [f"actor-{k}", f"actor-{other}"],
            "date": "2025-04-16", "reportingStatus": "reported", "attributedTo": f"actor-{other}",
            "summary": HOSTILE[k], "timeNote": HOSTILE[other], "evidence": quotes[k],
        })
    data = {
        "document": {"id": DOC_ID, "title": HOSTILE["html"] + " " + HOSTILE["rlo"], "publisherName": HOSTILE["formula"],
                     "published": "2025-04-19", "language": "en", "text": text},
        "actors": actors,
        "events": events,
    }
    return yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=10_000)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tradekg import KnowledgeGraph

    folder = tmp_path_factory.mktemp("hostile-output")
    path = folder / f"{DOC_ID}.yaml"
    path.write_text(_annotation(), encoding="utf-8")
    result = KnowledgeGraph.open(folder / "store").ingest([path])
    assert result.exit_code == 0, [(o.to_dict(), o.report and [f.message for f in o.report.findings])
                                   for o in result]
    return folder / "store"


@pytest.fixture
def run(cli, hostile_store: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLUMNS", "4000")  # one table row per line, so cells can be read back

    def go(*args: str) -> tuple[int, str, str]:
        return cli("--store", hostile_store, *args)

    return go


LABELS_QUERY = (
    f"SELECT ?actor ?label WHERE {{ GRAPH tkdoc:{DOC_ID} {{ ?actor a tk:Person ; rdfs:label ?label }} }} "
    "ORDER BY ?actor"
)
QUOTES_QUERY = f"SELECT ?event ?quote WHERE {{ GRAPH tkdoc:{DOC_ID} {{ ?event tk:evidence/tk:quote ?quote }} }}"


def test_stored_as_data(hostile_store: Path) -> None:
    """Every hostile string is one literal, exactly as written; the SPARQL-looking text ran nothing."""
    dump = dump_store(hostile_store)
    graphs = set(dump)
    assert "urn:x" not in graphs
    assert f"https://w3id.org/tradekg/doc/{DOC_ID}" in graphs
    store = ox.Store.read_only(str(hostile_store))
    labels = {q.object.value for q in store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None,
        ox.NamedNode(f"https://w3id.org/tradekg/doc/{DOC_ID}"))}
    assert set(HOSTILE.values()) <= labels


def test_json_round_trips_exactly(run) -> None:
    code, out, _ = run("sparql", LABELS_QUERY, "--format", "json")
    assert code == 0
    assert sorted(r["label"] for r in json.loads(out)) == sorted(HOSTILE.values())
    assert not LIVE.search(out), "a live control or bidi character in JSON output"
    code, out, _ = run("sparql", QUOTES_QUERY, "--format", "json")
    quotes = {r["quote"] for r in json.loads(out)}
    for value in HOSTILE.values():
        assert any(value in q for q in quotes)


@pytest.mark.slow
def test_sparql_json_and_xml_round_trip(run) -> None:
    code, out, _ = run("sparql", LABELS_QUERY, "--format", "sparql-json")
    assert code == 0
    data = json.loads(out)
    assert sorted(b["label"]["value"] for b in data["results"]["bindings"]) == sorted(HOSTILE.values())
    code, out, _ = run("sparql", LABELS_QUERY, "--format", "sparql-xml")
    assert code == 0
    root = ET.fromstring(out.encode("utf-8"))  # well-formed, whatever the labels hold
    ns = "{http://www.w3.org/2005/sparql-results#}"
    got = {lit.text for lit in root.iter(f"{ns}literal")}
    # XML 1.0 cannot carry C0 controls: they are replaced, everything else is exact.
    expected = {re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", v) for v in HOSTILE.values()}
    assert got == expected


def test_table_shows_escapes_not_live_characters(run) -> None:
    code, out, _ = run("sparql", LABELS_QUERY, "--format", "table")
    assert code == 0
    assert not LIVE.search(out), repr(LIVE.search(out))
    assert "\\u202e" in out and "\\x1b" in out and "\\x07" in out  # shown, visibly
    assert "[bold red]rich markup[/]" in out  # printed as text, not applied
    assert '<script>alert("x")</script>' in out
    code, out, _ = run("query", "meetings", "--format", "table")
    assert code == 0
    assert not LIVE.search(out)


@pytest.mark.parametrize("fmt", ["csv", pytest.param("tsv", marks=pytest.mark.slow)])
def test_delimited_neutralizes_formulas(run, fmt: str) -> None:
    for query in (LABELS_QUERY, ):
        code, out, _ = run("sparql", query, "--format", fmt)
        assert code == 0
        assert not LIVE.search(out.replace("\r\n", "\n").replace("\t", " ")), "live control character"
        rows = list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
        cells = [c for row in rows[1:] for c in row]
        for c in cells:
            assert c[:1] not in ("=", "+", "-", "@", "\t", "\r"), f"a cell a spreadsheet would run: {c!r}"
        labels = [row[1] for row in rows[1:]]
        for key in ("formula", "plus", "minus", "at"):
            assert "'" + HOSTILE[key] in labels, (key, labels)
    code, out, _ = run("query", "meetings", "--format", fmt)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
    for row in rows[1:]:
        for c in row:
            assert c[:1] not in ("=", "+", "-", "@"), c


@pytest.mark.slow
def test_documents_listing_is_safe(run) -> None:
    code, out, _ = run("documents", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["publisher"] == "'" + HOSTILE["formula"]
    code, out, _ = run("documents", "--format", "json")
    assert json.loads(out)[0]["title"] == HOSTILE["html"] + " " + HOSTILE["rlo"]


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data_island: list[str] = []
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_data = tag == "script" and dict(attrs).get("id") == "tradekg-data"

    def handle_endtag(self, tag: str) -> None:
        self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data_island.append(data)


def test_network_page_escapes_everything(run, tmp_path: Path) -> None:
    page = tmp_path / "network.html"
    code, _, err = run("network", "--document", DOC_ID, "-o", page)
    assert code == 0, err
    text = page.read_text(encoding="utf-8")
    assert '<script>alert("x")' not in text and "<img src=x" not in text
    parser = _Tags()
    parser.feed(text)
    assert [t for t, _ in parser.tags if t == "script"] == ["script", "script"], "an injected script element"
    assert not [t for t, _ in parser.tags if t in ("img", "iframe", "object", "embed")]
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs), "an injected event handler"
    data = json.loads("".join(parser.data_island))
    labels = set(data["nodes"]["label"])
    assert set(HOSTILE.values()) <= labels, labels  # inert in the page, exact once read by the script


@pytest.mark.parametrize("fmt", ["nq", *(pytest.param(f, marks=pytest.mark.slow) for f in ("trig", "jsonld"))])
def test_exports_give_the_strings_back(run, fmt: str) -> None:
    code, out, _ = run("export", "--format", fmt, "--document", DOC_ID)
    assert code == 0
    if fmt == "jsonld":
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(data=out, format="json-ld")
        labels = {str(o) for _, p, o, _ in ds.quads((None, rdflib.RDFS.label, None, None))}
    else:
        quads = ox.parse(out.encode("utf-8"), format=ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TRIG)
        labels = {q.object.value for q in quads if q.predicate.value.endswith("rdf-schema#label")}
    assert set(HOSTILE.values()) <= labels


@pytest.mark.parametrize("key", ["sparql", *(pytest.param(k, marks=pytest.mark.slow) for k in ("html", "rlo"))])
def test_hostile_parameter_is_bound_not_pasted(run, hostile_store: Path, key: str) -> None:
    """A query parameter holding markup or SPARQL matches the actor so labelled, and runs nothing."""
    before = document_part(dump_store(hostile_store))
    code, out, err = run("query", "meetings", "--param", "actor", HOSTILE[key], "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert {r["event"].rsplit("#", 1)[-1] for r in rows} >= {f"meeting-{key}"}
    assert document_part(dump_store(hostile_store)) == before
