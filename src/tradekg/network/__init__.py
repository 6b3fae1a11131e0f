"""The actor network: who met, asked, answered, gave to, invited or informed whom.

The flow, one module each:

- :mod:`~tradekg.network.select`: the ``sparql`` callable everything reads through, terms and dates;
- :mod:`~tradekg.network.events`: the event reader, shared with the timeline (:mod:`tradekg.timeline`);
- :mod:`~tradekg.network.edgekinds`: each edge's kind, direction and colour, from the ontology;
- :mod:`~tradekg.network.graph`: :func:`build_network`, events to a ``networkx.MultiDiGraph``;
- :mod:`~tradekg.network.summary`: counts, the most central actors, the top actors' graph;
- :mod:`~tradekg.network.positions`: positions, a layout per connected component, components packed;
- exporters: :mod:`~tradekg.network.export` (by extension: GraphML, GEXF, DOT, JSON, cytoscape),
  :mod:`~tradekg.network.page` (the offline HTML page) and :mod:`~tradekg.network.draw` (PNG, SVG).

>>> import networkx as nx
>>> g = nx.MultiDiGraph(); _ = g.add_edge("urn:a", "urn:b", key="met", kind="met", weight=1, directed=False)
>>> [r["degree"] for r in network_summary(g)]
[1, 1]
"""

from __future__ import annotations

from tradekg.network.draw import draw_network
from tradekg.network.edgekinds import (
    ACTOR_TYPES,
    REPRESENTS,
    RESPONDED,
    TYPE_COLORS,
    edge_kind,
    kind_color,
    kind_directed,
    known_kinds,
)
from tradekg.network.events import EventRecord, fetch_actors, fetch_events, fetch_representation, resolve_actor
from tradekg.network.export import flat_graph, to_dot, to_json, write_network
from tradekg.network.graph import build_network
from tradekg.network.positions import layout, layout_pixels
from tradekg.network.select import Sparql, parse_date, pyoxigraph_sparql
from tradekg.network.summary import network_counts, network_summary, parse_top, summary_table, top_actors

__all__ = [
    "ACTOR_TYPES", "REPRESENTS", "RESPONDED", "TYPE_COLORS", "EventRecord", "Sparql", "build_network",
    "draw_network", "edge_kind", "fetch_actors", "fetch_events", "fetch_representation", "flat_graph",
    "kind_color", "kind_directed", "known_kinds", "layout", "layout_pixels", "network_counts", "network_summary",
    "parse_date", "parse_top", "pyoxigraph_sparql", "resolve_actor", "summary_table", "to_dot", "to_json",
    "top_actors", "write_network",
]
