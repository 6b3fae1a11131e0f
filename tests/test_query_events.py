"""``query events``: one parameterized query reads events of any kind, every parameter optional.

The store holds the seed and a fixture of our own words (tests/fixtures/kinds/) with one event of each kind
the older named queries did not cover: an agreement, two tariff actions, a commitment, a threat, a visit
and a call.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tradekg.errors import UsageError
from tradekg.kinds import event_kinds

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "kinds" / "harbour-talks-2025.yaml"
SEED = ROOT / "seeds" / "us-japan-first-round-2025-04.yaml"


@pytest.fixture(scope="module")
def kg(tmp_path_factory: pytest.TempPathFactory):
    from tradekg import KnowledgeGraph

    kg = KnowledgeGraph.open(tmp_path_factory.mktemp("events") / "store")
    result = kg.ingest([SEED, FIXTURE])
    assert result.exit_code == 0, [o.to_dict() for o in result]
    return kg


def kinds_of(result) -> list[str]:
    return [r["kind"] for r in result.rows]


def test_without_parameters_every_event_is_listed(kg):
    every = kg.query("events")
    assert len(every) == 16 + 7
    assert set(kinds_of(every)) >= {"Agreement", "TariffAction", "Commitment", "Threat", "Visit", "Call", "Request"}
    assert all(r["title"] and r["published"] and r["evidence"] for r in every.rows)


@pytest.mark.parametrize("kind", ["Agreement", "agreement", "agreements", "tk:Agreement",
                                  "https://w3id.org/tradekg/ontology#Agreement"])
def test_kind_takes_the_class_its_label_and_plural(kg, kind):
    found = kg.query("events", kind=kind)
    assert kinds_of(found) == ["Agreement"] and "Canada" in found.rows[0]["agents"]


def test_unknown_kind_is_a_usage_error_listing_the_kinds(kg):
    with pytest.raises(UsageError, match="no event kind 'Sanctions'.*TariffAction"):
        kg.query("events", kind="Sanctions")


def test_by_with_about_in_and_dates(kg):
    tariffs = kg.query("events", kind="tariff action", by="United States")
    assert [r["addressees"] for r in tariffs.rows] == ["Canada", "Mexico"]  # in date order
    assert [r["addressees"] for r in kg.query("events", kind="TariffAction", with_="Mexico").rows] == ["Mexico"]
    trucks = kg.query("events", about="trucks")
    assert len(trucks) == 1 and "10 percent" in trucks.rows[0]["evidence"]
    geneva = kg.query("events", **{"in": "Geneva"})
    assert kinds_of(geneva) == ["Agreement"] and geneva.rows[0]["location"] == "Geneva"
    july = kg.query("events", from_="2025-07-01", to="2025-07-31")
    assert sorted(kinds_of(july)) == ["Call", "Commitment", "Threat", "Visit"]
    assert kinds_of(kg.query("events", by="Vietnam", from_="2025-07-01")) == ["Commitment"]


def test_symmetric_kinds_take_both_parties_as_by_and_with(kg):
    both = kg.query("events", kind="Agreement", by="Mexico", with_="Canada")
    assert len(both) == 1
    assert not len(kg.query("events", kind="Agreement", by="Mexico", with_="Vietnam"))
    call = kg.query("events", kind="Call", by="Li Qiang", with_="Starmer")
    assert call.rows[0]["date"] == "2025-07-02"


def test_a_country_matches_its_officials(kg):
    visits = kg.query("events", kind="Visit", by="United States")  # Jamieson Greer is a US official
    assert [r["agents"] for r in visits.rows] == ["Jamieson Greer"]


def test_every_event_kind_of_the_ontology_is_a_value_of_kind(kg):
    seen = 0
    for name in event_kinds():
        rows = kg.query("events", kind=name).rows  # a usage error here: the query does not know the kind
        assert all(r["kind"] == name for r in rows), name
        seen += bool(rows)
    assert seen >= 5  # the fixture store holds several kinds, so the check above saw rows


def test_cli_query_events_with_kind_option(kg, cli):
    code, out, _ = cli("--store", kg.location, "query", "events", "--kind", "Threat", "--format", "csv")
    assert code == 0 and "Switzerland" in out and "retaliat" in out
    code, _, err = cli("--store", kg.location, "query", "events", "--param", "kind", "Nope")
    assert code == 2 and "no event kind" in err
