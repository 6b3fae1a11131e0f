"""The annotation loader: YAML (and Turtle, TriG, JSON-LD) to one graph per document, with lines."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from tradekg.annotation import iter_document_paths, load_annotation, load_document
from tradekg.errors import InputError
from tradekg.namespaces import TK, TKDOC, TKID

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"
SEED_TEXT = (ROOT / "seeds" / "us-japan-first-round-2025-04.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed():
    return load_document(SEED)


def event(doc, local_id):
    return TKDOC[f"{doc.id}#{local_id}"]


def test_seed_is_one_graph_named_by_its_document(seed):
    assert seed.id == "us-japan-first-round-2025-04"
    assert seed.graph.identifier == seed.iri == TKDOC["us-japan-first-round-2025-04"]
    assert (seed.iri, RDF.type, TK.NewsArticle) in seed.graph
    assert seed.graph.value(seed.iri, TK.fullText) == Literal(SEED_TEXT)


def test_every_evidence_quote_has_offsets_into_the_text(seed):
    g = seed.graph
    evidences = list(g.subjects(RDF.type, TK.Evidence))
    assert len([ev for ev in evidences if (None, TK.evidence, ev) in g]) == 19
    for ev in evidences:
        start, end = g.value(ev, TK.startOffset).toPython(), g.value(ev, TK.endOffset).toPython()
        assert SEED_TEXT[start:end] == str(g.value(ev, TK.quote))


def test_roles_resolve_to_gazetteer_and_local_ids(seed):
    g = seed.graph
    req = event(seed, "request-trade-items")
    assert (req, RDF.type, TK.Request) in g
    assert (req, TK.requester, TKID["united-states"]) in g
    assert (req, TK.addressee, TKID["japan"]) in g
    assert {TKID[i] for i in ("rice", "meat", "seafood", "potatoes")} <= set(g.objects(req, TK.topic))
    assert g.value(req, TK.attributedTo) == event(seed, "gov-sources")
    assert g.value(req, TK.reportingStatus) == TK.Reported
    assert g.value(req, TK.partOf) == TKID["us-japan-tariffs-2025-round-1"]
    assert g.value(req, TK.date) == Literal("2025-04-16", datatype=XSD.date)


def test_inverse_links_are_written_both_ways(seed):
    claim = event(seed, "claim-no-farm-purchases")
    stats = set(seed.graph.objects(claim, TK.contradictedBy))
    assert stats == {event(seed, "stat-japan-farm-imports-value"), event(seed, "stat-japan-farm-imports-share")}


def test_lines_point_at_the_yaml(seed):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    req = event(seed, "request-trade-items")
    assert lines[seed.line_for(req) - 1].strip() == "- id: request-trade-items"
    assert lines[seed.line_for(req, TK.addressee) - 1].strip() == "addressee: japan"


def test_the_example_in_the_docs_is_the_example_file_and_loads():
    md = (ROOT / "docs" / "annotation.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", md, re.S).group(1)
    path = ROOT / "docs" / "example" / "us-uk-deal-2025-05.yaml"
    assert block == path.read_text(encoding="utf-8")
    doc = load_document(path)
    assert len(list(doc.graph.subjects(RDF.type, TK.Agreement))) == 1
    assert all(doc.graph.value(ev, TK.startOffset) is not None for ev in doc.graph.subjects(RDF.type, TK.Evidence))


MINIMAL = """\
document:
  id: mini
  published: 2025-04-19
  text: "Japan asked the US to drop tariffs."
events:
  - id: e1
    type: Request
    requester: japan
    addressee: united-states
    evidence: "Japan asked the US to drop tariffs."
"""


def test_minimal_document_loads():
    doc = load_annotation(MINIMAL, path="mini.yaml")
    assert (TKDOC["mini#e1"], TK.requester, TKID["japan"]) in doc.graph


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("document:\n  id: x\n  title: [unclosed\n", 4, "not valid YAML"),
        ("document:\n\tid: x\n", 2, "tabs"),
        ("- just\n- a list\n", 1, "mapping"),
        ("document:\n  id: x\nevent: []\n", 3, "unknown section 'event'"),
        ("document:\n  id: x\n  id: y\n", 3, "duplicate key 'id'"),
        ("document:\n  id: 'bad id!'\n", 2, "letters, digits"),
        (MINIMAL.replace("    requester: japan", "    requestor: japan"), 8, "did you mean 'requester'"),
        (MINIMAL.replace("type: Request", "type: Reqest"), 7, "did you mean 'Request'"),
        (MINIMAL.replace("requester: japan", "requester: atlantis"), 8, "neither an id in this document"),
        (
            MINIMAL.replace("  - id: e1\n", "  - id: e1\n    reportingStatus: rumoured\n"),
            7,
            "not a valid reportingStatus",
        ),
        (MINIMAL + "  - id: e1\n    type: Claim\n", 11, "used twice"),
        (
            MINIMAL.replace('  text: "Japan asked the US to drop tariffs."\n', "  text_file: missing.txt\n"),
            4,
            "not found",
        ),
    ],
)
def test_malformed_yaml_is_an_input_error_with_its_line(text, line, words):
    with pytest.raises(InputError) as info:
        load_annotation(text, path="broken.yaml")
    assert info.value.line == line
    assert words in str(info.value)
    assert str(info.value).startswith(f"broken.yaml:{line}")


def test_impossible_date_is_kept_for_validation_not_a_crash():
    doc = load_annotation(MINIMAL.replace("2025-04-19", "2025-02-30"), path="d.yaml")
    published = doc.graph.value(doc.iri, DCTERMS.date)
    assert published.ill_typed and str(published) == "2025-02-30"


def test_alias_bomb_and_deep_nesting_are_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 12):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join('*' + chr(96 + i) for _ in range(9))}]\n"
    with pytest.raises(InputError, match="alias"):
        load_annotation(bomb, path="bomb.yaml")
    with pytest.raises(InputError, match="nested too deeply"):
        load_annotation("a: " + "[" * 5000 + "]" * 5000, path="deep.yaml")


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "empty"), (b"\x00\x01binary", "binary"), (b"document:\n  id: caf\xe9\n", "not UTF-8")],
)
def test_unreadable_files(tmp_path, content, words):
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words):
        load_document(path)


def test_rdf_formats_load_to_the_same_graph(seed, tmp_path):
    ttl = tmp_path / "seed.ttl"
    ttl.write_text(seed.graph.serialize(format="turtle"), encoding="utf-8")
    assert isomorphic(load_document(ttl).graph, seed.graph)
    ds = Dataset()
    ds.graph(seed.iri).__iadd__(seed.graph)
    trig = tmp_path / "seed.trig"
    trig.write_text(ds.serialize(format="trig"), encoding="utf-8")
    doc = load_document(trig)
    assert doc.id == seed.id and isomorphic(doc.graph, seed.graph)
    jsonld = tmp_path / "seed.jsonld"
    jsonld.write_text(seed.graph.serialize(format="json-ld"), encoding="utf-8")
    assert isomorphic(load_document(jsonld).graph, seed.graph)


def test_remote_jsonld_context_is_refused_without_fetching(tmp_path):
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "http://203.0.113.1/ctx.jsonld", "@id": "x"}), encoding="utf-8")
    with pytest.raises(InputError, match="remote"):
        load_document(path)


def test_bad_turtle_names_its_line(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c ;\n ex:d .\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid turtle") as info:
        load_document(path)
    assert info.value.line == 2


def test_rdfxml_is_not_accepted(tmp_path):
    path = tmp_path / "x.rdf"
    path.write_text("<rdf:RDF/>", encoding="utf-8")
    with pytest.raises(InputError, match="unsupported file type"):
        load_document(path)


def test_folder_walk_survives_a_symlink_loop(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    os.symlink(tmp_path / "docs", tmp_path / "docs" / "loop")
    (tmp_path / "docs" / "a.gold.json").write_text("{}", encoding="utf-8")
    assert [p.name for p in iter_document_paths([tmp_path])] == ["a.yaml"]
    with pytest.raises(InputError, match="no such file"):
        list(iter_document_paths([tmp_path / "missing"]))


# -- the document's two forms: pyoxigraph triples (built directly) and the rdflib graph view ------------------


def test_triples_and_graph_are_the_same_document(seed, tmp_path):
    from tradekg.terms import to_ox

    assert len(seed.triples) == len(set(seed.triples)) == len(seed.graph) == len(seed)
    assert set(seed.triples) == {(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in seed.graph}
    # RDF input goes the other way: rdflib parses, the triples are derived from its graph.
    ttl = tmp_path / "seed.ttl"
    ttl.write_text(seed.graph.serialize(format="turtle"), encoding="utf-8")
    turtle = load_document(ttl)
    assert set(turtle.triples) == set(seed.triples)


def test_typed_literals_keep_rdflib_normalization_and_line_for_takes_both_term_kinds():
    import pyoxigraph as ox
    from rdflib import URIRef

    # YAML reads "01" as text; the decimal literal is "01.0", which rdflib normalizes to "1.0".
    text = MINIMAL.replace("    requester: japan\n", "    requester: japan\n    confidence: '01'\n")
    doc = load_annotation(text, path="m.yaml")
    e1 = TKDOC["mini#e1"]
    # What rdflib makes of the same lexical forms, which is what was validated and stored before.
    assert doc.graph.value(e1, TK.confidence) == Literal("01.0", datatype=XSD.decimal)
    stored = {(s.value, p.value): o for s, p, o in doc.triples}
    assert stored[(str(e1), str(TK.confidence))].value == "1.0" == str(Literal("01.0", datatype=XSD.decimal))
    assert stored[(str(doc.iri), str(DCTERMS.date))] == ox.Literal("2025-04-19", datatype=ox.NamedNode(str(XSD.date)))
    line = doc.line_for(e1, TK.confidence)
    assert line == text.splitlines().index("    confidence: '01'") + 1
    assert doc.line_for(ox.NamedNode(str(e1)), ox.NamedNode(str(TK.confidence))) == line
    assert doc.line_for(URIRef(str(e1)), TK.notAProperty) == doc.line_for(e1) == 6


def test_an_iri_oxigraph_refuses_is_an_input_error_with_its_line():
    with pytest.raises(InputError) as info:
        load_annotation(MINIMAL.replace("requester: japan", "requester: https://exa mple.org/x"), path="m.yaml")
    assert info.value.line == 8 and "invalid IRI" in str(info.value)


def test_an_ill_typed_boolean_stays_ill_typed_in_both_forms():
    from tradekg.terms import is_ill_typed

    # rdflib prints "maybe"^^xsd:boolean as "false": the pyoxigraph form must not turn it into a valid one.
    text = MINIMAL + "actors:\n  src:\n    type: UnnamedSource\n    label: sources\n    isNew: maybe\n"
    doc = load_annotation(text, path="m.yaml")
    (flag,) = [o for _s, p, o in doc.triples if p.value == str(TK.isNew)]
    assert flag.value == "maybe" and is_ill_typed(flag)
    # A document rdflib parsed holds rdflib's literal, whose lexical form "maybe" is lost: the judgement
    # travels beside the triples instead.
    import pyoxigraph as ox

    from tradekg.annotation import Document

    graph = doc.graph
    assert next(graph.objects(None, TK.isNew)).ill_typed
    parsed = Document(doc.id, doc.iri, graph, None, {}, "turtle")
    assert parsed.ill_typed == {ox.Literal("false", datatype=ox.NamedNode(str(XSD.boolean)))}
    assert not load_annotation(MINIMAL, path="m.yaml").ill_typed
