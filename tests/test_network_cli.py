"""`tradekg network` as a user runs it: --top chooses how many actors, and leaving some out is said."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from tradekg.errors import UsageError
from tradekg.network import parse_top, top_actors


def test_summary_says_when_it_shows_only_the_top_actors(cli, seeded_store):
    code, out, err = cli("--store", seeded_store, "network", "--top", "3", "-f", "json")
    rows = json.loads(out)
    assert code == 0 and [r["rank"] for r in rows] == [1, 2, 3]
    assert "the top 3 of 7 actors; --top all shows every one" in err
    code, out, err = cli("--store", seeded_store, "network", "--top", "all", "-f", "csv")
    assert code == 0 and len(out.strip().splitlines()) == 1 + 7 and "top" not in err
    code, out, err = cli("--store", seeded_store, "network", "-f", "json")  # 7 actors: the default 10 keeps all
    assert code == 0 and len(json.loads(out)) == 7 and "top" not in err


def test_files_keep_every_actor_unless_top_is_given(cli, seeded_store, tmp_path):
    whole, part = tmp_path / "all.graphml", tmp_path / "top.graphml"
    code, _, err = cli("--store", seeded_store, "network", "-o", whole)
    assert code == 0 and nx.read_graphml(whole).number_of_nodes() == 7 and "top" not in err
    code, _, err = cli("--store", seeded_store, "network", "--top", "4", "-o", part)
    back = nx.read_graphml(part)
    assert code == 0 and back.number_of_nodes() == 4 and "the top 4 of 7 actors" in err
    assert "https://w3id.org/tradekg/id/akazawa-ryosei" in back  # the most central actor is kept


@pytest.mark.parametrize("value", ["0", "-3", "ten", "2.5"])
def test_bad_top_is_a_usage_error(cli, seeded_store, value):
    code, out, err = cli("--store", seeded_store, "network", "--top", value)
    assert code == 2 and out == "" and "top:" in err and "Traceback" not in err
    with pytest.raises(UsageError, match="not a number of actors"):
        parse_top(value)


def test_top_actors_keeps_the_most_central_and_their_edges():
    g = nx.MultiDiGraph()
    for leaf in "bcd":
        g.add_edge("hub", leaf, key="met", kind="met", weight=1)
    g.add_edge("b", "c", key="asked", kind="asked", weight=2)
    top = top_actors(g, 3)
    assert set(top) == {"hub", "b", "c"} and top.has_edge("b", "c", key="asked")
    assert top_actors(g, 10) is g and top_actors(g, None) is g
