"""Writing the network to a file: the format follows the extension.

GraphML and GEXF (for Gephi) and DOT (Graphviz) get string attributes only, lists joined with `` | ``;
JSON is networkx's node-link form; the HTML page is :mod:`tradekg.network.page`, the PNG and SVG drawing
:mod:`tradekg.network.draw`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from tradekg.errors import InputError, UsageError
from tradekg.network.edgekinds import TYPE_COLORS, kind_color


def _joined(values: Iterable[Any]) -> str:
    return " | ".join(str(v) for v in values if v not in (None, ""))


def flat_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with string attributes only (lists joined with `` | ``), for GraphML, GEXF and DOT.

    Nodes keep iri, label, type; edges keep kind, weight (an integer), directed, and joined events,
    dates, source titles, articles and evidence.
    """
    flat: nx.MultiDiGraph = nx.MultiDiGraph()
    for node, d in g.nodes(data=True):
        flat.add_node(node, iri=str(d.get("iri", node)), label=str(d.get("label", node)),
                      type=str(d.get("type", "Actor")))
    for u, v, key, d in g.edges(keys=True, data=True):
        sources = d.get("sources", [])
        flat.add_edge(
            u, v, key=key,
            kind=str(d.get("kind", key)),
            weight=int(d.get("weight", 1)),
            directed="true" if d.get("directed", True) else "false",
            events=_joined(d.get("events", [])),
            dates=_joined(d.get("dates", [])),
            sources=_joined(s.get("title") or s.get("article") for s in sources),
            articles=_joined(s.get("article") for s in sources),
            evidence=_joined(d.get("evidence", [])),
        )
    return flat


def _dot_quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n") + '"'


def to_dot(g: nx.MultiDiGraph) -> str:
    """Graphviz DOT text for the network, every identifier and attribute quoted.

    >>> g = nx.MultiDiGraph(); g.add_node("x", label='say "hi"', type="Person")
    >>> 'label="say \\\\"hi\\\\""' in to_dot(g)
    True
    """
    flat = flat_graph(g)
    lines = [
        "digraph tradekg {",
        '  graph [overlap="false", splines="true", label="tradekg actor network"];',
        '  node [style="filled", fontname="Helvetica", fontcolor="white"];',
        '  edge [fontname="Helvetica", fontsize="10"];',
    ]
    shapes = {"Person": "ellipse", "Country": "box", "Organization": "hexagon", "Group": "octagon"}
    for node, d in flat.nodes(data=True):
        attrs = {"label": d["label"], "iri": d["iri"], "type": d["type"],
                 "shape": shapes.get(d["type"], "ellipse"), "fillcolor": TYPE_COLORS.get(d["type"], "#9c755f")}
        lines.append(f"  {_dot_quote(node)} [{', '.join(f'{k}={_dot_quote(v)}' for k, v in attrs.items())}];")
    for u, v, d in flat.edges(data=True):
        attrs = {"label": d["kind"] if d["weight"] == 1 else f"{d['kind']} ×{d['weight']}",
                 "kind": d["kind"], "weight": str(d["weight"]), "color": kind_color(d["kind"]),
                 "dates": d["dates"], "events": d["events"]}
        if d["directed"] == "false":
            attrs["dir"] = "none"
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} "
                     f"[{', '.join(f'{k}={_dot_quote(val)}' for k, val in attrs.items())}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_json(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Node-link JSON (``nodes`` and ``edges``) that ``networkx.node_link_graph(data, edges="edges")`` reads."""
    return nx.node_link_data(g, edges="edges")


def write_network(g: nx.MultiDiGraph, path: str | Path, *, title: str | None = None) -> Path:
    """Write the network to ``path``; the format follows the extension.

    ``.html`` (self-contained interactive page), ``.png``/``.svg`` (static drawing with legend),
    ``.graphml``/``.gexf`` (for Gephi: string attributes, lists joined), ``.dot`` (Graphviz), ``.json``
    (node-link) and ``.cyjs`` (cytoscape.js elements). Any other extension is a :class:`UsageError`.

    >>> write_network(nx.MultiDiGraph(), "/tmp/empty.graphml").name
    'empty.graphml'
    """
    path = Path(path)
    ext = path.suffix.lower()
    writers = {".html", ".htm", ".png", ".svg", ".graphml", ".gexf", ".dot", ".gv", ".json", ".cyjs"}
    if ext not in writers:
        raise UsageError(f"{path}: cannot write a network as {ext or 'a file without extension'!r}; "
                         f"use one of {', '.join(sorted(writers))}")
    if path.parent and not path.parent.exists():
        raise InputError(f"folder {path.parent} does not exist", path=path)
    try:
        if ext in (".html", ".htm"):
            from tradekg.network.page import render_html

            path.write_text(render_html(g, title=title), encoding="utf-8")
        elif ext in (".png", ".svg"):
            from tradekg.network.draw import draw_network

            draw_network(g, path, title=title)
        elif ext == ".graphml":
            nx.write_graphml(flat_graph(g), path)
        elif ext == ".gexf":
            nx.write_gexf(flat_graph(g), path)
        elif ext in (".dot", ".gv"):
            path.write_text(to_dot(g), encoding="utf-8")
        elif ext == ".json":
            path.write_text(json.dumps(to_json(g), ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            path.write_text(json.dumps(nx.cytoscape_data(g), ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", path=path) from None
    return path
