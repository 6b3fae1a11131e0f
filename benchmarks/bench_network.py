"""Scale check for the actor network: 5,000 actors and 50,000 interactions to HTML and PNG.

    .venv/bin/python benchmarks/bench_network.py [--actors 5000] [--edges 50000] [--out DIR] [--browser]
        [--from-store]

Prints the time of each stage and fails (exit 1) if HTML or PNG takes 30 s or more. ``--browser`` also
opens the page in headless Chromium and reports the time the page took to draw its first frame (the page
records it in its status element); ``--from-store`` builds the network through SPARQL from a synthetic
in-memory store instead of directly, to time :func:`tradekg.network.build_network` too.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from tradekg.network import build_network, layout, network_summary, pyoxigraph_sparql, write_network
from tradekg.network.page import render_html

KINDS = ["met", "asked", "responded", "gave", "invited", "informed", "complained", "represents"]
TYPES = ["Person", "Person", "Person", "Organization", "Group", "Country"]
LIMIT_S = 30.0


def synthetic_graph(actors: int, edges: int, seed: int = 1) -> nx.MultiDiGraph:
    """A clustered random network (communities with a few bridges), shaped like the real one."""
    import random

    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    for i in range(actors):
        g.add_node(f"urn:a:{i}", iri=f"urn:a:{i}", label=f"Actor {i} <{i % 7}>", type=TYPES[i % len(TYPES)])
    community = max(10, actors // 50)
    made = 0
    while made < edges:
        u = rng.randrange(actors)
        v = (u // community) * community + rng.randrange(community) if rng.random() < 0.9 else rng.randrange(actors)
        v = min(v, actors - 1)
        kind = KINDS[rng.randrange(len(KINDS))]
        if u == v or g.has_edge(f"urn:a:{u}", f"urn:a:{v}", key=kind):
            continue
        detail = {"event": f"urn:e:{made}", "class": "Meeting", "date": f"2025-04-{1 + made % 28:02d}",
                  "summary": f"Event {made} between {u} & {v}", "status": "reported",
                  "evidence": [f"A sentence quoted for event {made}."],
                  "sources": [{"article": f"urn:doc:{made % 500}", "title": f"Article {made % 500}", "url": None}]}
        g.add_edge(f"urn:a:{u}", f"urn:a:{v}", key=kind, kind=kind, weight=1, directed=kind != "met",
                   details=[detail], events=[detail["event"]], dates=[detail["date"]],
                   sources=detail["sources"], evidence=detail["evidence"])
        made += 1
    return g


def synthetic_store(actors: int, edges: int):
    """A pyoxigraph store with the ontology and ``edges`` Request events between ``actors`` persons."""
    import pyoxigraph as ox

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_network import make_store

    tk = "https://w3id.org/tradekg/ontology#"
    lines = []
    for i in range(actors):
        lines.append(f'<urn:a:{i}> a <{tk}Person> ; <http://www.w3.org/2004/02/skos/core#prefLabel> "Actor {i}" .')
    import random

    rng = random.Random(2)
    for e in range(edges):
        u, v = rng.randrange(actors), rng.randrange(actors)
        lines.append(f'<urn:e:{e}> a <{tk}Request> ; <{tk}requester> <urn:a:{u}> ; <{tk}addressee> <urn:a:{v}> ; '
                     f'<{tk}date> "2025-04-{1 + e % 28:02d}"^^<http://www.w3.org/2001/XMLSchema#date> ; '
                     f'<{tk}source> <urn:doc:{e % 100}> .')
    store = make_store()
    store.load("\n".join(lines).encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:doc:all"))
    return store


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    took = time.perf_counter() - start
    print(f"{label:<34} {took:7.2f} s")
    return value, took


def browser_draw(page: Path) -> str:
    chromium = shutil.which("chromium")
    if not chromium:
        return "chromium not installed"
    with tempfile.TemporaryDirectory() as profile:
        start = time.perf_counter()
        out = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--window-size=1200,800", "--virtual-time-budget=10000",
             "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
        ).stdout
        took = time.perf_counter() - start
    attrs = dict(re.findall(r'data-([\w-]+)="([^"]*)"', re.search(r'<div id="tradekg-status"[^>]*>', out)[0]))
    return (f"state={attrs.get('state')} errors={attrs.get('errors')} first frame {attrs.get('draw-ms')} ms, "
            f"{attrs.get('edges-drawn')} edges drawn; browser run {took:.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actors", type=int, default=5000)
    ap.add_argument("--edges", type=int, default=50000)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--browser", action="store_true")
    ap.add_argument("--from-store", action="store_true")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="tradekg-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"synthetic network: {args.actors} actors, {args.edges} edges -> {out}")
    if args.from_store:
        store, _ = timed("load synthetic store", lambda: synthetic_store(args.actors, args.edges))
        g, _ = timed("build_network (SPARQL)", lambda: build_network(pyoxigraph_sparql(store)))
    else:
        g, _ = timed("generate graph", lambda: synthetic_graph(args.actors, args.edges))
    print(f"  graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    pos, t_layout = timed("layout (per component, packed)", lambda: layout(g))
    timed("summary (degree, betweenness)", lambda: network_summary(g))
    html_path = out / "network.html"
    _, t_html = timed("HTML total (layout + page)", lambda: write_network(g, html_path))
    timed("  page only (layout given)", lambda: render_html(g, positions=pos))
    print(f"  {html_path.stat().st_size / 1e6:.1f} MB")
    png_path = out / "network.png"
    _, t_png = timed("PNG total (layout + drawing)", lambda: write_network(g, png_path))
    if args.browser:
        print("browser:", browser_draw(html_path))
    ok = t_html < LIMIT_S and t_png < LIMIT_S
    print("OK: both under 30 s" if ok else "TOO SLOW: HTML or PNG took 30 s or more")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
