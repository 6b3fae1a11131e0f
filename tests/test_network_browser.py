"""The HTML network page in a real browser (headless Chromium): it draws, it raises no error, and text
from articles stays text.

The page writes its state into ``#tradekg-status`` (nodes and edges drawn, errors caught by
``window.onerror``); ``--dump-dom`` after a virtual-time budget gives us that element to assert on.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from tradekg.network import write_network

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")

XSS = "<script>document.documentElement.setAttribute('data-pwned','script')</script>"
IMG = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--hide-scrollbars", "--mute-audio",
]


def chromium(page: Path, tmp_path: Path, *args: str, fragment: str = "") -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1200,800", *args, page.as_uri() + fragment],
        capture_output=True, text=True, timeout=60, check=False,
    )


def dump_dom(page: Path, tmp_path: Path, fragment: str = "") -> str:
    result = chromium(page, tmp_path, "--virtual-time-budget=5000", "--dump-dom", fragment=fragment)
    assert "</html>" in result.stdout, result.stderr[-2000:]
    return result.stdout


def status(dom: str) -> dict[str, str]:
    m = re.search(r'<div id="tradekg-status"([^>]*)>(.*?)</div>', dom, re.S)
    assert m, "the page has no status element"
    attrs = dict(re.findall(r'data-([\w-]+)="([^"]*)"', m[1]))
    attrs["text"] = html.unescape(m[2])
    return attrs


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("urn:x:evil", iri="urn:x:evil", label=XSS, type="Person")
    g.add_node("urn:x:img", iri="urn:x:img", label=IMG, type="Organization")
    g.add_node("urn:x:ok", iri="urn:x:ok", label="Plain & simple \u2028 actor", type="Country")
    detail = {"event": "urn:x:e1", "class": "Meeting", "date": "2025-04-16", "summary": "</script><b>bold</b>",
              "evidence": ["quote with <iframe src=x></iframe>"],
              "sources": [{"article": "urn:x:doc", "title": "<i>title</i>", "url": "javascript:alert(1)"}]}
    g.add_edge("urn:x:evil", "urn:x:img", key="met", kind="met", weight=1, directed=False, details=[detail])
    g.add_edge("urn:x:img", "urn:x:ok", key="requested", kind="requested", weight=3, directed=True,
               details=[dict(detail, event=f"urn:x:r{i}") for i in range(3)])
    return g


def test_page_draws_the_network_without_errors(tmp_path):
    g = nx.gnm_random_graph(40, 90, seed=3, directed=True)
    net = nx.MultiDiGraph()
    for n in g.nodes:
        net.add_node(f"urn:n:{n}", iri=f"urn:n:{n}", label=f"Actor {n}", type=["Person", "Country", "Group"][n % 3])
    for u, v in g.edges:
        kind = ["met", "requested", "gave"][(u + v) % 3]
        net.add_edge(f"urn:n:{u}", f"urn:n:{v}", key=kind, kind=kind, weight=1 + u % 3, directed=kind != "met",
                     details=[{"event": f"urn:e:{u}-{v}", "class": "Meeting", "date": None, "summary": "s",
                               "evidence": [], "sources": []}])
    page = write_network(net, tmp_path / "net.html", title="Random network")
    state = status(dump_dom(page, tmp_path))
    assert state["state"] == "ready" and state["errors"] == "0", state["text"]
    assert int(state["nodes-drawn"]) == 40 and int(state["edges-drawn"]) == net.number_of_edges()
    assert int(state["labels-drawn"]) >= 20
    shot = tmp_path / "shot.png"
    result = chromium(page, tmp_path, "--virtual-time-budget=5000", f"--screenshot={shot}")
    assert shot.exists(), result.stderr[-2000:]
    import matplotlib.image

    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (800, 1200)
    canvas = pixels[60:760, 20:800, :3]  # the drawing area, left of the side panel
    assert canvas.std() > 0.05, "the screenshot of the network is blank"
    colourful = (canvas.max(axis=2) - canvas.min(axis=2)) > 0.25
    assert colourful.mean() > 0.005, "no coloured nodes or edges in the screenshot"


def test_labels_from_articles_render_as_text(tmp_path):
    page = write_network(hostile_graph(), tmp_path / "evil.html")
    source = page.read_text(encoding="utf-8")
    assert XSS not in source and "<img src=x" not in source and "<iframe" not in source
    assert len(re.findall(r"<script\b", source)) == 2  # the JSON data block and the page's own script
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", source), "the page loads something"
    dom = dump_dom(page, tmp_path)
    state = status(dom)
    assert state["state"] == "ready" and state["errors"] == "0", state["text"]
    assert re.search(r"<html[^>]*>", dom)[0] == '<html lang="en">', "markup from a label was executed"
    assert not re.search(r"<img[^>]*src=\"?x", dom) and "<iframe" not in dom and "<b>bold</b>" not in dom
    # The labels are in the actor list as text: escaped in the serialized DOM, intact once unescaped.
    actor_list = re.search(r'<ol id="actor-list">(.*?)</ol>', dom, re.S)[1]
    assert html.escape(XSS, quote=False) in actor_list and html.escape(IMG, quote=False) in actor_list
    assert int(state["nodes-drawn"]) == 3 and int(state["edges-drawn"]) == 2


def test_edge_details_show_evidence_and_source_as_text(tmp_path):
    page = write_network(hostile_graph(), tmp_path / "evil.html")
    dom = dump_dom(page, tmp_path, fragment="#edge=1")  # the edge a link can point at: 3 requests
    info = re.search(r'<section id="info"[^>]*>(.*?)</section>', dom, re.S)[1]
    assert f"<h2>{html.escape(IMG, quote=False)} → Plain &amp; simple" in info
    assert "requested · 3 events" in info and info.count('<div class="event">') == 3
    assert "&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in info and "<b>" not in info
    assert "<blockquote>quote with &lt;iframe src=x&gt;&lt;/iframe&gt;</blockquote>" in info
    assert "<span>&lt;i&gt;title&lt;/i&gt;</span>" in info and "javascript:" not in info  # no link to it
    assert status(dom)["errors"] == "0"


def test_seed_page(tmp_path):
    from test_network import make_store

    from tradekg.network import build_network, pyoxigraph_sparql

    try:
        sparql = pyoxigraph_sparql(make_store(seed=True))
    except ImportError as exc:
        pytest.skip(f"seed cannot load yet: {exc}")
    g = build_network(sparql)
    page = write_network(g, tmp_path / "seed.html", title="US–Japan tariff talks")
    state = status(dump_dom(page, tmp_path))
    assert state["state"] == "ready" and state["errors"] == "0", state["text"]
    assert int(state["nodes-drawn"]) == g.number_of_nodes()
    assert int(state["labels-drawn"]) == g.number_of_nodes()


def test_actor_link_shows_its_interactions(tmp_path):
    page = write_network(hostile_graph(), tmp_path / "evil.html")
    dom = dump_dom(page, tmp_path, fragment="#actor=urn:x:img")
    info = re.search(r'<section id="info"[^>]*>(.*?)</section>', dom, re.S)[1]
    assert f"<h2>{html.escape(IMG, quote=False)}</h2>" in info and "Organization · 2 links" in info
    assert "met with " + html.escape(XSS, quote=False) in info
    assert "requested → Plain &amp; simple" in info and "(3 events)" in info
    assert status(dom)["errors"] == "0"
