"""Edge kinds come from the ontology: a kind added there (and in the shapes) draws with no Python edit."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from test_network import make_store

from tradekg import resources
from tradekg.kinds import event_kinds
from tradekg.network import build_network, pyoxigraph_sparql, write_network
from tradekg.timeline import build_timeline, render_timeline_html

DOC = "https://w3id.org/tradekg/doc/kinds-test"
PREFIXES = """@prefix tk: <https://w3id.org/tradekg/ontology#> . @prefix d: <https://w3id.org/tradekg/doc/kinds-test#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
ACTORS = """<https://w3id.org/tradekg/doc/kinds-test> a tk:NewsArticle ; dcterms:title "Kinds test" .
d:north a tk:Country ; skos:prefLabel "Northland" . d:south a tk:Country ; skos:prefLabel "Southland" .
d:ada a tk:Person ; skos:prefLabel "Ada Envoy" . d:bo a tk:Person ; skos:prefLabel "Bo Minister" .
d:capital a tk:Place ; skos:prefLabel "Southville" ; tk:metonymFor d:south .
"""
# What a user adds to ontology/tradekg.ttl and shapes/tradekg.shacl.ttl for a new kind: nothing else.
SANCTION_CLASS = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
tk:Sanction a owl:Class ; rdfs:label "Sanction"@en ; rdfs:subClassOf tk:Event ;
    tk:agentProperty tk:sanctioner ; tk:addresseeProperty tk:target ;
    tk:displayVerb "sanctioned" ; tk:directedEdges true ; tk:displayColour "#123abc" ;
    tk:summaryTemplate "{agents} sanctioned {addressees}"@en .
tk:sanctioner a owl:ObjectProperty ; rdfs:label "sanctioner"@en ; rdfs:subPropertyOf tk:agent .
"""
SANCTION_SHAPE = """
@prefix tksh: <https://w3id.org/tradekg/shapes#> .
tksh:Sanction-sanctioner a sh:PropertyShape ; sh:targetClass tk:Sanction ; sh:path tk:sanctioner ; sh:minCount 1 ;
    sh:message "A Sanction needs a sanctioner (field 'sanctioner')." .
tksh:Sanction-target a sh:PropertyShape ; sh:targetClass tk:Sanction ; sh:path tk:target ; sh:minCount 1 ;
    sh:message "A Sanction needs a target (field 'target')." .
"""


@pytest.fixture
def sanction_ontology(tmp_path, monkeypatch):
    """A copy of the packaged data with the Sanction class and shape appended, used in place of the real one."""
    root = tmp_path / "data"
    shutil.copytree(resources.data_root() / "ontology", root / "ontology")
    shutil.copytree(resources.data_root() / "shapes", root / "shapes")
    ontology, shapes = root / "ontology" / "tradekg.ttl", root / "shapes" / "tradekg.shacl.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + SANCTION_CLASS, encoding="utf-8")
    shapes.write_text(shapes.read_text(encoding="utf-8") + SANCTION_SHAPE, encoding="utf-8")
    monkeypatch.setattr(resources, "data_root", lambda: root)
    monkeypatch.setenv("TRADEKG_DATA", str(root))  # how a user points tradekg at an extended copy
    event_kinds.cache_clear()
    yield root
    event_kinds.cache_clear()


def test_a_kind_added_in_the_ontology_draws_and_shows_on_the_timeline(sanction_ontology, tmp_path):
    sanction = event_kinds()["Sanction"]  # read from the copy, not from Python
    assert (sanction.verb, sanction.agent_role, sanction.addressee_role) == ("sanctioned", "sanctioner", "target")
    doc = PREFIXES + ACTORS + """d:s1 a tk:Sanction ; tk:sanctioner d:north ; tk:target d:south ;
        tk:date "2025-05-02"^^xsd:date ; tk:summary "Northland sanctioned Southland." ;
        tk:source <DOC> .""".replace("DOC", DOC)
    sparql = pyoxigraph_sparql(make_store({DOC: doc}))
    g = build_network(sparql)
    edge = g.edges[f"{DOC}#north", f"{DOC}#south", "sanctioned"]
    assert edge["directed"] is True and edge["dates"] == ["2025-05-02"]
    assert not g.has_edge(f"{DOC}#south", f"{DOC}#north", key="sanctioned")
    assert {k for *_, k in build_network(sparql, kinds=["sanctions"]).edges(keys=True)} == {"sanctioned"}
    page = write_network(g, tmp_path / "net.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="tradekg-data">(.*?)</script>', page, re.S)[1])
    assert data["kinds"] == [{"name": "sanctioned", "color": "#123abc", "directed": True}]
    dot = write_network(g, tmp_path / "net.dot").read_text(encoding="utf-8")
    assert 'color="#123abc"' in dot and 'dir="none"' not in dot
    rows = build_timeline(sparql)
    assert [(r["kind"], r["agents"], r["addressees"]) for r in rows] == [("sanctioned", ["Northland"], ["Southland"])]
    assert "background:#123abc" in render_timeline_html(rows)


def test_calls_and_visits_follow_the_ontology():
    """Calls were drawn as 'met'; the ontology says 'called' (both ways) and 'visited' (towards the host)."""
    doc = PREFIXES + ACTORS + """
    d:c1 a tk:Call ; tk:participant d:ada, d:bo ; tk:source <DOC> .
    d:v1 a tk:Visit ; tk:participant d:ada ; tk:location d:capital ; tk:source <DOC> .
    d:v2 a tk:Visit ; tk:participant d:ada, d:bo ; tk:source <DOC> .""".replace("DOC", DOC)
    g = build_network(pyoxigraph_sparql(make_store({DOC: doc})))
    ada, bo, south = f"{DOC}#ada", f"{DOC}#bo", f"{DOC}#south"
    call = g.edges[ada, bo, "called"]
    assert call["directed"] is False and call["weight"] == 1
    visit = g.edges[ada, south, "visited"]  # Southville stands for Southland: the visit points at it
    assert visit["directed"] is True and not g.has_edge(south, ada, key="visited")
    together = g.edges[ada, bo, "visited"]  # two visitors went together: linked both ways
    assert together["directed"] is False
    assert not any(k == "met" for *_, k in g.edges(keys=True))


def test_every_event_class_has_a_verb_and_colour_and_kinds_name_it():
    from tradekg.network import kind_color, kind_directed, known_kinds

    for kind in event_kinds().values():
        assert kind.verb in known_kinds()
        assert kind_color(kind.verb) == kind.colour and kind_directed(kind.verb) == kind.directed
    assert not hasattr(__import__("tradekg.network", fromlist=["x"]), "KIND_BY_CLASS")
