"""The network page opens fitted to all its actors, groups packed, labels readable: checked in headless Chromium.

The page writes where it drew every actor and label (screen pixels, numbers only) into ``data-geometry`` of
its status element; ``--dump-dom`` gives it to us. A screenshot checks the same from the pixels.
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from tradekg.network import write_network

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make chromium installs it)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions"]
# Names of the length real ones have, one long one (the page shortens it on the canvas).
NAMES = [
    "United States", "Japan", "Donald Trump", "Ryosei Akazawa", "Scott Bessent", "Shigeru Ishiba", "China",
    "He Lifeng", "Jamieson Greer", "Xi Jinping", "European Union", "Maroš Šefčovič", "United Kingdom",
    "Keir Starmer", "Howard Lutnick", "officials of the foreign and industry ministries of Japan",
    "other senior US officials", "King Charles III", "India", "Piyush Goyal", "Ursula von der Leyen",
    "South Korea", "Choi Sang-mok", "Ahn Duk-geun", "Canada", "Mark Carney", "Mexico", "Claudia Sheinbaum",
    "World Trade Organization", "Ngozi Okonjo-Iweala", "Germany", "France", "Emmanuel Macron", "Brazil",
    "Lula da Silva", "Vietnam", "Switzerland", "Karin Keller-Sutter", "Australia", "Anthony Albanese",
]
KINDS = [("met", False), ("asked", True), ("gave", True), ("agreed", False), ("imposed", True)]


def network(actors: int, edges: int, pairs: int, seed: int = 1) -> nx.MultiDiGraph:
    """A connected main group (a random tree plus extra edges) and ``pairs`` separate groups of two."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    for i in range(actors):
        g.add_node(f"urn:a:{i}", iri=f"urn:a:{i}", label=NAMES[i], type=("Country", "Person", "Group")[i % 3])

    def link(a: int, b: int) -> None:
        kind, directed = rng.choice(KINDS)
        g.add_edge(f"urn:a:{a}", f"urn:a:{b}", key=kind, kind=kind, weight=1 + rng.randrange(3),
                   directed=directed, details=[])

    main = actors - 2 * pairs
    for i in range(1, main):
        link(rng.randrange(i), i)
    while g.number_of_edges() < edges:
        link(*rng.sample(range(main), 2))
    for p in range(pairs):
        link(main + 2 * p, main + 2 * p + 1)
    return g


def chromium(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1200,800",
                           "--virtual-time-budget=4000", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=90, check=False)


def geometry(page: Path, tmp_path: Path) -> dict:
    dom = chromium(page, tmp_path, "--dump-dom").stdout
    m = re.search(r'<div id="tradekg-status"([^>]*)>', dom)
    assert m, "the page has no status element"
    attrs = dict(re.findall(r'data-([\w-]+)="([^"]*)"', m[1]))
    assert attrs.get("state") == "ready" and attrs.get("errors") == "0", attrs
    return json.loads(html.unescape(attrs["geometry"]))


def overlap(a: list[float], b: list[float]) -> float:
    """Overlapping area of two boxes [x, y, w, h, ...]."""
    ox = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    oy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(ox, 0) * max(oy, 0)


def check_fit(geo: dict, actors: int, *, overlapping_pairs: int, worst: float) -> None:
    W, H = geo["W"], geo["H"]
    nodes, labels = geo["nodes"], geo["labels"]
    assert len(nodes) == actors and len(labels) == actors, "every actor and every label is drawn"
    for x, y, r in nodes:  # every actor is on the canvas, clear of the toolbar strip at the top
        assert r <= x <= W - r and 40 <= y - r and y + r <= H, (x, y, r, W, H)
    for x, y, w, h, _ in labels:
        assert 0 <= x and x + w <= W and 0 <= y and y + h <= H, "a label runs off the canvas"
    hits = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if overlap(a, b) > 0:
                hits.append(overlap(a, b) / min(a[2] * a[3], b[2] * b[3]))
    assert len(hits) <= overlapping_pairs and max(hits, default=0) <= worst, hits
    for x, y, w, h, own in labels:  # no label hides another actor's dot
        for k, (nx_, ny_, r) in enumerate(nodes):
            if k != own:
                dx, dy = max(x, min(nx_, x + w)) - nx_, max(y, min(ny_, y + h)) - ny_
                assert dx * dx + dy * dy >= (r * 0.5) ** 2, (labels, nodes[k])
    # Fitted: the drawing fills the canvas along one axis at least, and is centred on the other.
    xs = [v for x, y, w, h, _ in labels for v in (x, x + w)] + [n[0] for n in nodes]
    ys = [v for x, y, w, h, _ in labels for v in (y, y + h)] + [n[1] for n in nodes]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert width >= 0.85 * (W - 28) or height >= 0.85 * (H - 66) or geo["s"] >= 1.6 - 1e-6, (width, height, geo)
    assert abs((max(xs) + min(xs)) / 2 - W / 2) <= 0.08 * W, "not centred across"
    assert abs((max(ys) + min(ys)) / 2 - (H + 38) / 2) <= 0.08 * H, "not centred down"


@pytest.mark.parametrize(("actors", "edges", "pairs", "overlapping_pairs", "worst"), [
    (3, 2, 0, 0, 0.0),
    (12, 20, 1, 0, 0.0),
    (40, 70, 2, 2, 0.25),  # dense: a label may touch another a little, never hide it
])
def test_page_opens_fitted_with_readable_labels(tmp_path, actors, edges, pairs, overlapping_pairs, worst):
    page = write_network(network(actors, edges, pairs), tmp_path / "net.html")
    check_fit(geometry(page, tmp_path), actors, overlapping_pairs=overlapping_pairs, worst=worst)


def test_separate_groups_sit_beside_the_main_one(tmp_path):
    """A pair of actors is packed next to the main group, not in a far corner: the gap is small."""
    g = network(12, 20, 1)
    geo = geometry(write_network(g, tmp_path / "net.html"), tmp_path)
    nodes = geo["nodes"]
    pair = nodes[10:12]
    main = nodes[:10]
    gap = min(((px - mx) ** 2 + (py - my) ** 2) ** 0.5 for px, py, _ in pair for mx, my, _ in main)
    spread = max(max(n[0] for n in main) - min(n[0] for n in main), max(n[1] for n in main) - min(n[1] for n in main))
    assert gap <= 0.6 * spread, (gap, spread)
    assert abs(pair[0][0] - pair[1][0]) > 60, "the two actors of the pair lie side by side, labels apart"


def test_screenshot_is_filled_not_cornered(tmp_path):
    """The 12-actor page as pixels: ink spread over most of the canvas, not in one small region."""
    import matplotlib.image

    page = write_network(network(12, 20, 1), tmp_path / "net.html")
    shot = tmp_path / "shot.png"
    result = chromium(page, tmp_path, f"--screenshot={shot}")
    assert shot.exists(), result.stderr[-2000:]
    pixels = matplotlib.image.imread(shot)[:, :, :3]
    canvas = pixels[50:, :840]  # below the toolbar, left of the side panel
    ink = (canvas.max(axis=2) - canvas.min(axis=2) > 0.2) | (canvas.max(axis=2) < 0.5)
    rows, cols = ink.any(axis=1).nonzero()[0], ink.any(axis=0).nonzero()[0]
    assert len(rows) and len(cols), "the canvas is blank"
    assert (rows[-1] - rows[0]) >= 0.5 * canvas.shape[0] and (cols[-1] - cols[0]) >= 0.5 * canvas.shape[1]
