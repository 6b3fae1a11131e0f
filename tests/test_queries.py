"""Each named query answers its competency question (shared/seeds/README.md) on the seed, with provenance."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from tradekg.errors import InputError, UsageError
from tradekg.queries import bind, load_queries, parse_header

SEED_DOC = "https://w3id.org/tradekg/doc/us-japan-first-round-2025-04"
PROVENANCE = ("article", "title", "published", "evidence")


def rows(kg, name, **params):
    result = kg.query(name, **params)
    for row in result.rows:
        for col in PROVENANCE:
            assert col in row, f"{name} rows need a {col} column"
        assert row["article"] == SEED_DOC
        assert row["published"] == "2025-04-19"
        assert row["evidence"], f"{name}: every row quotes the article"
    return result.rows


def test_every_packaged_query_has_a_header_and_runs(seeded_kg):
    queries = load_queries()
    assert {"requests", "responses", "meetings", "claims", "complaints", "gifts", "invitations", "actors",
            "sources", "timeline", "announcements", "notifications"} <= set(queries)
    for q in queries.values():
        assert q.description
        if not any(p.required for p in q.params):
            assert rows(seeded_kg, q.name), f"{q.name} returns nothing on the seed"


def test_requests_us_of_japan_lists_safety_standards_and_farm_items(seeded_kg):
    found = rows(seeded_kg, "requests", by="United States", of="Japan")
    text = " ".join(f"{r['topics']} {r['summary']}" for r in found).lower()
    assert "safety standards" in text and "review" in text
    for item in ("rice", "meat", "seafood", "potatoes"):
        assert item in text
    assert all(r["attributedTo"] == "multiple Japanese government sources" for r in found)
    assert all(r["status"] == "reported" for r in found)
    assert all(r["round"] and "First round" in r["round"] for r in found)
    # Japan's own request (to prioritize) is not a request *by the US*.
    assert not any("prioritize" in r["summary"] for r in found)


@pytest.mark.parametrize("by,of", [("US", "japan"), ("united states", "tkid:japan"), ("United States", "Tokyo"),
                                   ("https://w3id.org/tradekg/id/united-states", "<https://w3id.org/tradekg/id/japan>")])
def test_actor_params_take_labels_aliases_ids_and_iris_and_match_officials(seeded_kg, by, of):
    assert len(rows(seeded_kg, "requests", by=by, of=of)) == 4


def test_requests_topic_filter(seeded_kg):
    found = rows(seeded_kg, "requests", by="United States", of="Japan", topic="rice")
    assert len(found) == 1 and "Seafood" in found[0]["topics"]


def test_responses_japan_asked_to_prioritize(seeded_kg):
    found = rows(seeded_kg, "responses", by="Japan")
    assert len(found) == 1
    assert "prioritize" in found[0]["summary"] and found[0]["responder"] == "Ryosei Akazawa"
    assert found[0]["requester"] == "United States"


def test_meetings_who_where_when(seeded_kg):
    found = rows(seeded_kg, "meetings", actor="Trump")
    assert len(found) == 1
    m = found[0]
    assert "Donald Trump" in m["participants"] and "Akazawa" in m["participants"]
    assert m["location"] == "White House" and m["date"] == "2025-04-16" and "First round" in m["round"]
    both = rows(seeded_kg, "meetings")
    assert any("Scott Bessent" in r["participants"] for r in both)


def test_claims_with_contradicting_statistics(seeded_kg):
    found = rows(seeded_kg, "claims", by="Donald Trump")
    cars = [r for r in found if r["content"] and "American cars" in r["content"]]
    assert cars and cars[0]["relation"] == "contradicted by"
    assert cars[0]["value"] == 10000 and cars[0]["unit"] == "units" and cars[0]["period"] == "fiscal 2024"
    assert cars[0]["statisticSource"] == "Japan Automobile Importers Association"
    farm = {r["value"] for r in found if r["content"] and "farm produce" in r["content"]}
    assert {14900000000, 7.7} <= farm
    assert any("trade deficit" in (r["content"] or "") for r in found)


def test_complaint_about_alliance_costs(seeded_kg):
    found = rows(seeded_kg, "complaints", by="Trump")
    assert len(found) == 1 and "alliance" in found[0]["topics"] and found[0]["target"] == "Japan"


def test_gift_piggy_bank_and_invitation(seeded_kg):
    gift = rows(seeded_kg, "gifts", by="Akazawa", to="Trump")[0]
    assert "piggy bank" in gift["gift"] and "gold" in gift["reason"] and gift["timeNote"] == "at the end of the meeting"
    inv = rows(seeded_kg, "invitations", to="Donald Trump")[0]
    assert "Expo" in inv["topics"] and inv["inviter"] == "Ryosei Akazawa"


def test_how_akazawa_learned_of_trumps_attendance(seeded_kg):
    note = rows(seeded_kg, "notifications", to="Akazawa")[0]
    assert "plane" in note["timeNote"] and "social media" in note["about"]
    assert rows(seeded_kg, "announcements", by="Trump")[0]["channel"] == "social media"


def test_actors_and_roles(seeded_kg):
    found = {r["label"]: r for r in rows(seeded_kg, "actors")}
    assert "Economic Revitalization" in found["Ryosei Akazawa"]["roles"]
    assert "President" in found["Donald Trump"]["roles"]
    assert "Treasury" in found["Scott Bessent"]["roles"]
    for org in ("Japan Automobile Importers Association", "Bureau of Industry and Security",
                "Liberal Democratic Party"):
        assert org in found
    assert found["multiple Japanese government sources"]["kind"] == "UnnamedSource"


def test_sources_for_each_statement(seeded_kg):
    found = rows(seeded_kg, "sources")
    assert len(found) == 19  # 16 events and 3 statistics
    by_kind = {r["kind"] for r in found}
    assert {"Request", "Claim", "Gift", "Statistic"} <= by_kind
    stats = [r for r in found if r["kind"] == "Statistic"]
    assert {r["attributedTo"] for r in stats} == {"Japan Automobile Importers Association",
                                                 "Bureau of Industry and Security"}
    gov = rows(seeded_kg, "sources", source="multiple Japanese government sources")
    assert len(gov) == 9 and all(r["attributedTo"] == "multiple Japanese government sources" for r in gov)


def test_timeline_in_order_with_filters(seeded_kg):
    found = rows(seeded_kg, "timeline")
    dates = [r["date"] for r in found]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates.index(None) == len(dated)  # undated events last
    assert "several requests" in found[0]["summary"]  # first in the article's order
    assert len(rows(seeded_kg, "timeline", actor="Bessent")) == 1
    assert len(seeded_kg.query("timeline", **{"from": "2025-04-17"}).rows) == 0
    assert len(rows(seeded_kg, "timeline", to="2025-04-16")) == len(dated)


def test_a_required_parameter_left_out_is_a_usage_error(seeded_kg):
    # No packaged query requires a parameter any more (issue 15: with none, a query lists everything), but
    # the header still lets a user's query require one.
    from tradekg.queries import prepare

    q = parse_header("# name: x\n# description: d\n# param: by actor optional\n# param: of actor required\n"
                     "SELECT * {\n#@VALUES\n}")
    with seeded_kg.reader() as backend, pytest.raises(UsageError, match="needs parameter of"):
        prepare(backend, q, {"by": "United States"})


def test_every_parameter_is_optional_and_none_lists_everything(seeded_kg):
    assert not [(q.name, p.name) for q in load_queries().values() for p in q.params if p.required]
    assert len(rows(seeded_kg, "requests")) == 5  # the US's four and Japan's one
    assert len(rows(seeded_kg, "requests", by="United States")) == 4


@pytest.mark.parametrize("params,words", [
    ({"by": "United States", "of": "Japan", "colour": "red"}, "no parameter 'colour'"),
    ({"by": "Nobody Known", "of": "Japan"}, "no actor called 'Nobody Known'"),
])
def test_parameter_errors_are_usage_errors(seeded_kg, params, words):
    with pytest.raises(UsageError, match=words):
        seeded_kg.query("requests", **params)


def test_bad_date_and_unknown_query(seeded_kg):
    with pytest.raises(UsageError, match="date like 2025-04-16"):
        seeded_kg.query("timeline", to="2025-02-30")
    with pytest.raises(UsageError, match="no named query"):
        seeded_kg.query("nope")


def test_hostile_value_is_bound_not_pasted(seeded_kg):
    # A value that would break out of a string literal or a VALUES block is just an unknown label.
    evil = 'Japan" } } DROP ALL ; SELECT * { ?s ?p ?o } #'
    with pytest.raises(UsageError, match="no actor called"):
        seeded_kg.query("requests", by=evil, of="Japan")
    q = parse_header("# name: x\n# description: d\n# param: s string required\nSELECT * {\n#@VALUES\n}")
    text = bind(q, {"s": [ox.Literal(evil)]})
    assert 'VALUES ?s { "Japan\\" } } DROP ALL' in text
    assert ox.Store().query(text)  # still one well-formed query


def test_header_errors():
    with pytest.raises(InputError, match="name:"):
        parse_header("SELECT * {}")
    with pytest.raises(InputError, match="param header"):
        parse_header("# name: x\n# description: d\n# param: by person required\nSELECT * {\n#@VALUES\n}")
    with pytest.raises(InputError, match="#@VALUES"):
        parse_header("# name: x\n# description: d\n# param: by actor required\nSELECT * {}")


# Answers held fixed: the queries are shaped for Oxigraph's planner (see tradekg.queries), and a reshaped
# query must still give these rows, column for column, in this order.
SEED = "https://w3id.org/tradekg/doc/us-japan-first-round-2025-04"
TITLE = "Automobiles, produce among US's requests in Japan tariff talks"
ROUND = "First round of the US–Japan tariff negotiations"


def test_gift_answer_is_fixed(seeded_kg):
    result = seeded_kg.query("gifts", to="Trump")
    assert result.variables == ["event", "giver", "recipient", "gift", "reason", "location", "date", "timeNote",
                                "summary", "attributedTo", "status", "article", "title", "published", "evidence"]
    assert result.rows == [{
        "event": SEED + "#gift-piggy-bank", "giver": "Ryosei Akazawa", "recipient": "Donald Trump",
        "gift": "gold-colored Myaku-Myaku piggy bank",
        "reason": "Akazawa thought it the ideal gift because Trump likes gold.", "location": "White House",
        "date": "2025-04-16", "timeNote": "at the end of the meeting",
        "summary": "Akazawa gave Trump a gold-colored piggy bank shaped like Myaku-Myaku, the World Expo mascot.",
        "attributedTo": "Ryosei Akazawa", "status": "reported", "article": SEED, "title": TITLE,
        "published": "2025-04-19",
        "evidence": "Akazawa added he gave Trump a gold-colored piggy bank in the shape of Myaku-Myaku, the official "
                    "mascot of the World Expo, now underway in Osaka.",
    }]


def test_requests_answer_is_fixed(seeded_kg):
    found = [(r["event"].rsplit("#", 1)[1], r["topics"], r["round"], r["attributedTo"])
             for r in seeded_kg.query("requests", by="United States", of="Japan").rows]
    gov = "multiple Japanese government sources"
    # Read from the answer index, a joined list is sorted (SPARQL's GROUP_CONCAT leaves the order open).
    assert found == [
        ("request-safety-standards", "Automobiles, Japan's automobile safety standards", ROUND, gov),
        ("request-trade-items", "Meat, Potatoes, Rice, Seafood", ROUND, gov),
        ("requests-overview", "Agricultural products, Automobiles", ROUND, gov),
        ("requests-ustr-report", "USTR report on foreign trade barriers", ROUND, gov),
    ]


def test_complaint_with_both_actors_bound(seeded_kg):
    # "about" given: the target is already bound, and only its label is read (#@IF about / #@IF !about).
    rows = seeded_kg.query("complaints", by="Trump", about="Japan").rows
    assert [(r["event"], r["complainant"], r["target"], r["topics"]) for r in rows] == [
        (SEED + "#complaint-alliance-costs", "Donald Trump", "Japan", "costs of the US–Japan security alliance")]


def test_if_blocks_take_negations_and_several_conditions():
    q = parse_header("# name: x\n# description: d\n# param: a string optional\n# param: b string optional\n"
                     "SELECT * {\n#@VALUES\n#@IF a\nA\n#@END\n#@IF !a\nNOT-A\n#@END\n#@IF !a !b\nNEITHER\n#@END\n}")
    assert bind(q, {}).split("\n")[-3:] == ["NOT-A", "NEITHER", "}"]
    text = bind(q, {"b": [ox.Literal("x")]})
    assert "NOT-A" in text and "NEITHER" not in text and "\nA\n" not in text
    text = bind(q, {"a": [ox.Literal("x")]})
    assert "\nA\n" in text and "NOT-A" not in text and "NEITHER" not in text


def test_split_phases_cuts_at_the_details_marker_and_binds_terms():
    from tradekg.queries import split_phases

    text = "SELECT ?e ?n\nWHERE {\n  ?e a ?t .\n  #@DETAILS ?e ?t\n  OPTIONAL { ?e ?p ?n }\n}\nORDER BY ?e"
    ph = split_phases(text)
    assert ph is not None and ph.keys == ("e", "t")
    assert ph.select == "SELECT DISTINCT ?e ?t WHERE {\n  ?e a ?t .\n}"
    hostile = ox.Literal('x" } ; DROP ALL ; #')
    details = ph.details([{"e": ox.NamedNode("http://x/1"), "t": hostile}, {"e": ox.NamedNode("http://x/2")}])
    # The selecting pattern is gone, the keys are escaped terms (UNDEF where unbound), the rest is kept.
    assert "?e a ?t" not in details and "ORDER BY ?e" in details and "OPTIONAL { ?e ?p ?n }" in details
    assert f"(<http://x/1> {hostile})" in details and "(<http://x/2> UNDEF)" in details
    # A blank node cannot be carried by VALUES: the caller falls back to one phase.
    assert ph.details([{"e": ox.BlankNode(), "t": None}]) is None
    assert split_phases("SELECT * WHERE { ?s ?p ?o }") is None
    with pytest.raises(InputError):
        split_phases("SELECT * { ?s ?p ?o\n#@DETAILS ?s\n}")


@pytest.mark.parametrize("name,params", [
    ("requests", {"by": "United States", "of": "Japan"}),
    ("requests", {"by": "Japan", "of": "United States", "topic": "rice"}),
    ("requests", {"by": "Japan", "of": "United States"}),
    ("meetings", {"actor": "Japan"}),
    ("meetings", {}),
    ("claims", {"by": "United States"}),
    ("claims", {}),
    ("complaints", {"by": "United States", "about": "Japan"}),
    ("complaints", {"by": "United States"}),
    ("complaints", {"about": "Japan"}),
    ("gifts", {"by": "Japan", "to": "United States"}),
    ("gifts", {"to": "United States"}),
    ("gifts", {}),
    ("timeline", {"actor": "Japan", "from": "2025-04-01", "to": "2025-04-30"}),
    ("timeline", {"to": "2025-04-20"}),
    ("timeline", {"actor": "United States"}),
    ("actors", {"actor": "Japan"}),
    ("actors", {}),
])
def test_two_phases_give_the_one_phase_answer(seeded_kg, name, params):
    from tradekg.queries import prepare, run, split_phases

    with seeded_kg.reader() as b:
        nq = seeded_kg.named_query(name)
        text = prepare(b, nq, params)
        assert split_phases(text) is not None, f"{name} declares its phases"
        one = b.query(text)  # the marker is a comment: the whole text is the one-phase query
        two = run(b, nq, params)
    assert two.variables == one.variables
    assert two.rows == one.rows


def test_subterm_markers_list_what_the_store_s_ontology_reaches(seeded_kg):
    """``#@SUBPROPERTIES`` / ``#@SUBCLASSES`` expand from the packaged ontology; the store's ontology graph
    must give the same closure, or a query would silently miss a role or a kind of actor."""
    from tradekg.queries import _subterm_filter

    cases = [("SUBPROPERTIES", "rdfs:subPropertyOf", "tk:agent tk:addressee"),
             ("SUBCLASSES", "rdfs:subClassOf", "tk:Actor")]
    with seeded_kg.reader() as b:
        for marker, predicate, bases in cases:
            line = _subterm_filter(f"#@{marker} ?x {bases}")
            listed = set(re.findall(r"<([^>]+)>", line))
            found = {r["x"].value for r in b.query(
                f"SELECT DISTINCT ?x WHERE {{ ?x {predicate}* ?base VALUES ?base {{ {bases} }} }}").rows}
            assert listed == found, marker
            assert len(listed) > 3


def test_a_date_parameter_is_written_in_place_of_its_variable_only(seeded_kg):
    from tradekg.queries import prepare

    with seeded_kg.reader() as b:
        text = prepare(b, seeded_kg.named_query("timeline"), {"from": "2025-04-01", "to": "2025-04-20"})
    assert '"2025-04-01"^^<http://www.w3.org/2001/XMLSchema#date>' in text
    assert "VALUES ?from" not in text and "VALUES ?to" not in text
    code = "\n".join(line for line in text.splitlines() if not line.strip().startswith("#"))
    assert not re.search(r"\?(from|to)\b", code)
    with pytest.raises(UsageError):
        with seeded_kg.reader() as b:
            prepare(b, seeded_kg.named_query("timeline"), {"from": '2025-04-01"^^xsd:date) } #'})
