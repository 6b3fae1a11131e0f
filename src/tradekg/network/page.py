"""The actor network as one self-contained, offline HTML page.

The page is ``assets/network.html`` with its CSS, its JavaScript (a small canvas renderer written for
tradekg, no third-party code: ``model.js``, ``view.js`` and ``page.js`` in one script) and the network's
data inlined. Nothing is fetched: a Content Security Policy allows only the page's own script (by its
hash) and no network connections at all.

Everything that comes from articles (labels, summaries, quotes, titles) travels as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and the script
puts it on screen with ``textContent`` or canvas ``fillText`` only, so an actor called
``<script>alert(1)</script>`` is shown as exactly that text.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from typing import Any

import networkx as nx

from tradekg import __version__
from tradekg.network.edgekinds import ACTOR_TYPES, TYPE_COLORS, kind_color, kind_directed
from tradekg.network.positions import LABEL_CHARS, layout_pixels

_ASSETS = "assets"
_SLOT = re.compile(r"__TRADEKG_([A-Z_]+)__")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _asset(name: str) -> str:
    return resources.files("tradekg.network").joinpath(_ASSETS, name).read_text(encoding="utf-8")


#: The page's script, in three parts put in one function scope: the data as held, the canvas, the page.
_SCRIPT_PARTS = ("model.js", "view.js", "page.js")


def page_script() -> str:
    """The page's one script: its parts (each a file of function declarations) inside one function scope.

    >>> s = page_script(); s.startswith("(function () {") and "function makeView(" in s
    True
    """
    parts = "\n".join(_asset(name) for name in _SCRIPT_PARTS)
    return "(function () {\n" + parts + "\n})();\n"


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``, no HTML-significant characters.

    >>> script_json({"label": "</script><b>&"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def page_data(g: nx.MultiDiGraph, title: str | None = None,
              positions: dict[Any, tuple[float, float]] | None = None) -> dict[str, Any]:
    """The compact, column-wise data the page's script reads: nodes, edges, their events, the legend.

    Positions are in screen pixels at the layout's nominal scale, y growing downwards
    (:func:`tradekg.network.positions.layout_pixels`); ``positions`` given in the unit square (y upwards, as
    :func:`tradekg.network.positions.layout` returns them) are put in a 1000×1000 box. The page opens fitted to
    them, never zoomed in past ``maxScale``, and shortens labels on the canvas to ``labelChars`` characters.

    >>> g = nx.MultiDiGraph(); _ = g.add_edge("a", "b", key="met", directed=False)
    >>> data = page_data(g); data["kinds"], data["nodes"]["y"][0] == data["nodes"]["y"][1]
    ([{'name': 'met', 'color': '#4e79a7', 'directed': False}], True)
    """
    if positions is None:
        pos = layout_pixels(g)
        x = [round(pos[n][0], 2) for n in g.nodes]
        y = [round(pos[n][1], 2) for n in g.nodes]
    else:
        x = [round(positions[n][0] * 1000, 2) for n in g.nodes]
        y = [round((1 - positions[n][1]) * 1000, 2) for n in g.nodes]
    nodes = list(g.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    present = {g.nodes[n].get("type", "Actor") for n in nodes}
    types = [t for t in ACTOR_TYPES if t in present] + sorted(present - set(ACTOR_TYPES))
    type_index = {t: i for i, t in enumerate(types)}
    kinds = sorted({k for _, _, k in g.edges(keys=True)})
    directed: dict[str, bool] = {}
    for _, _, k, d in g.edges(keys=True, data=True):  # the graph says how it was built; trust it first
        if "directed" in d:
            directed[k] = directed.get(k, False) or bool(d["directed"])
    for k in kinds:
        directed.setdefault(k, kind_directed(k))
    kind_index = {k: i for i, k in enumerate(kinds)}
    edges: dict[str, list[int]] = {"s": [], "t": [], "k": [], "w": []}
    details = []
    for u, v, k, d in g.edges(keys=True, data=True):
        edges["s"].append(index[u])
        edges["t"].append(index[v])
        edges["k"].append(kind_index[k])
        edges["w"].append(int(d.get("weight", 1)))
        details.append([
            {key: ev.get(key) for key in ("event", "class", "date", "summary", "status", "evidence", "sources")}
            for ev in d.get("details", [])
        ])
    return {
        "title": title or g.graph.get("title") or "Actor network",
        "types": [{"name": t, "color": TYPE_COLORS.get(t, "#9c755f")} for t in types],
        "kinds": [{"name": k, "color": kind_color(k), "directed": directed[k]} for k in kinds],
        "maxScale": 1.6 if positions is None else 8.0,
        "labelChars": LABEL_CHARS,
        "nodes": {
            "iri": [str(g.nodes[n].get("iri", n)) for n in nodes],
            "label": [str(g.nodes[n].get("label", n)) for n in nodes],
            "type": [type_index[g.nodes[n].get("type", "Actor")] for n in nodes],
            "x": x,
            "y": y,
        },
        "edges": edges,
        "details": details,
    }


def render_html(g: nx.MultiDiGraph, title: str | None = None,
                positions: dict[Any, tuple[float, float]] | None = None) -> str:
    """The whole page as a string.

    >>> page = render_html(nx.MultiDiGraph(), title="<none>")
    >>> "<title>&lt;none&gt;</title>" in page and "cdn" not in page.lower()
    True
    """
    data = page_data(g, title, positions)
    script = page_script()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    slots = {
        "TITLE": html.escape(data["title"]),
        "VERSION": html.escape(__version__),
        "CSS": _asset("network.css"),
        "JS": script,
        "SCRIPT_HASH": f"'sha256-{digest}'",
        "DATA": script_json(data),
    }
    # One pass over the template only: text inserted into a slot is never scanned for slots again.
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("network.html"))
