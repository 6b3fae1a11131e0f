"""Exports parse in rdflib and pyoxigraph and re-import losslessly."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from tradekg import KnowledgeGraph

SEED_ID = "us-japan-first-round-2025-04"

DOC = f"https://w3id.org/tradekg/doc/{SEED_ID}"


def store_graph(kg, graph: str) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=kg.export("nt", document=graph), format="nt")
    return g


def test_trig_round_trip_into_an_empty_store_is_isomorphic(seeded_kg, tmp_path):
    out = tmp_path / f"{SEED_ID}.trig"
    seeded_kg.export("trig", document=SEED_ID, path=out)
    fresh = KnowledgeGraph.open(tmp_path / "fresh")
    result = fresh.ingest([out])
    assert result.exit_code == 0, [o.to_dict() for o in result]
    assert isomorphic(store_graph(fresh, SEED_ID), store_graph(seeded_kg, SEED_ID))
    assert fresh.documents() == seeded_kg.documents()


@pytest.mark.parametrize("fmt,rdflib_fmt,ox_fmt", [
    ("turtle", "turtle", ox.RdfFormat.TURTLE),
    ("nt", "nt", ox.RdfFormat.N_TRIPLES),
    ("nq", "nquads", ox.RdfFormat.N_QUADS),
    ("trig", "trig", ox.RdfFormat.TRIG),
])
def test_exports_parse_in_rdflib_and_pyoxigraph(seeded_kg, fmt, rdflib_fmt, ox_fmt):
    text = seeded_kg.export(fmt)
    expected = store_graph(seeded_kg, SEED_ID)
    quads = list(ox.parse(text, format=ox_fmt))
    assert len({q.triple for q in quads}) == len(expected)
    if fmt in ("nq", "trig"):
        ds = rdflib.Dataset()
        ds.parse(data=text, format=rdflib_fmt)
        assert {q.graph_name.value for q in quads} == {DOC}
        assert isomorphic(ds.graph(rdflib.URIRef(DOC)), expected)
    else:
        g = rdflib.Graph().parse(data=text, format=rdflib_fmt)
        assert isomorphic(g, expected)
    if fmt == "turtle":
        assert "@prefix tkid: <https://w3id.org/tradekg/id/>" in text


def test_jsonld_has_an_inline_context_and_keeps_the_graph(seeded_kg):
    text = seeded_kg.export("jsonld")
    doc = json.loads(text)
    assert isinstance(doc["@context"], dict) and doc["@context"]["tk"] == "https://w3id.org/tradekg/ontology#"
    ds = rdflib.Dataset()
    ds.parse(data=text, format="json-ld")
    assert isomorphic(ds.graph(rdflib.URIRef(DOC)), store_graph(seeded_kg, SEED_ID))


def test_all_includes_system_graphs(seeded_kg):
    names = {q.graph_name.value for q in ox.parse(seeded_kg.export("nq", include_system=True),
                                                   format=ox.RdfFormat.N_QUADS)}
    assert {DOC, "https://w3id.org/tradekg/graph/ontology", "https://w3id.org/tradekg/graph/gazetteer"} <= names
