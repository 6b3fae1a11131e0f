"""The network as a static drawing for a report: PNG or SVG, drawn with matplotlib."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from tradekg.network.edgekinds import ACTOR_TYPES, TYPE_COLORS, kind_color
from tradekg.network.positions import layout


def draw_network(g: nx.MultiDiGraph, path: str | Path, *, title: str | None = None,
                 positions: dict[Any, tuple[float, float]] | None = None) -> None:
    """A static drawing (PNG or SVG by extension) for a report: 11×8 in, legend of types and kinds.

    Small networks get every label, curved parallel edges and arrows; large ones get straight edge
    batches and the labels of the 25 best-connected actors.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    pos = positions or layout(g)
    fig = Figure(figsize=(11, 8), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.02, 0.74, 0.9))
    ax.set_axis_off()
    ax.set_xlim(-0.1, 1.1)  # room for labels of actors on the rim
    ax.set_ylim(-0.04, 1.06)
    fig.suptitle(title or "Actor network", x=0.39, y=0.97, fontsize=14)
    n, m = g.number_of_nodes(), g.number_of_edges()
    small = m <= 400
    kinds = sorted({k for _, _, k in g.edges(keys=True)})
    if small:
        pair_count: dict[frozenset, int] = defaultdict(int)
        for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), e[2])):
            pair = frozenset((u, v))
            rad = 0.12 * pair_count[pair] * (1 if pair_count[pair] % 2 else -1) + (0.06 if pair_count[pair] else 0)
            pair_count[pair] += 1
            ax.annotate("", xy=pos[v], xytext=pos[u], arrowprops={
                "arrowstyle": "-|>" if d.get("directed", True) else "-", "color": kind_color(k),
                "lw": 1 + min(d.get("weight", 1), 6) * 0.6, "shrinkA": 9, "shrinkB": 9, "alpha": 0.85,
                "connectionstyle": f"arc3,rad={rad:.2f}", "mutation_scale": 14})
    else:
        alpha = max(0.04, min(0.5, 300 / max(m, 1)))
        for k in kinds:
            segs = [(pos[u], pos[v]) for u, v, kk in g.edges(keys=True) if kk == k]
            ax.add_collection(LineCollection(segs, colors=kind_color(k), linewidths=0.4, alpha=alpha))
    degree = dict(g.degree())
    types = [t for t in ACTOR_TYPES if any(d.get("type") == t for _, d in g.nodes(data=True))]
    for t in types:
        members = [v for v, d in g.nodes(data=True) if d.get("type") == t]
        xs = [pos[v][0] for v in members]
        ys = [pos[v][1] for v in members]
        sizes = [(90 + 40 * min(degree[v], 10)) if n <= 200 else 4 + min(degree[v], 40) for v in members]
        ax.scatter(xs, ys, s=sizes, c=TYPE_COLORS[t], edgecolors="white", linewidths=0.6 if n <= 200 else 0,
                   zorder=3)
    labelled = sorted(g.nodes, key=lambda v: -degree[v])[: (n if n <= 80 else 25)]
    for v in labelled:
        x, y = pos[v]
        text = textwrap.shorten(str(g.nodes[v].get("label", v)), 60, placeholder="…")
        ax.annotate("\n".join(textwrap.wrap(text, 24)), (x, y), xytext=(0, 8 if n <= 80 else 4),
                    textcoords="offset points", ha="center", fontsize=8 if n <= 80 else 6, zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    fig.text(0.79, 0.93, f"{n} actors · {m} edges", fontsize=10)
    actor_legend = fig.legend(
        handles=[Line2D([], [], marker="o", ls="", color=TYPE_COLORS[t], markersize=8, label=t) for t in types],
        loc="upper left", bbox_to_anchor=(0.78, 0.91), frameon=False, title="Actors", alignment="left",
        fontsize=9)
    fig.legend(handles=[Line2D([], [], color=kind_color(k), lw=2.5, label=k) for k in kinds],
               loc="upper left", bbox_to_anchor=(0.78, 0.91 - 0.035 * (len(types) + 2)), frameon=False,
               title="Interactions", alignment="left", fontsize=9)
    fig.add_artist(actor_legend)
    fig.savefig(str(path), format=Path(path).suffix.lower().lstrip("."))
