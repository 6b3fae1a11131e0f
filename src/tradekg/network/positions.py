"""Where each actor goes: a layout per connected component, room for every label, the components packed.

A force layout of a whole graph pushes its disconnected groups far apart, so the fitted view shows the main
group small in one corner and a pair of actors in another. Here each connected component is laid out on its
own, in screen pixels at a nominal scale, then the components are packed side by side into a box about as
wide as a screen, the largest first:

- small components (up to 200 actors) by stress majorization: each pair of actors sits about as far apart
  as the hops between them, which keeps edges even and groups readable; larger ones by networkx's spring
  layout, and very large ones (over 400) by a grid force layout whose repulsion is a convolution of the
  node density with a log kernel (FFT), so one step is O(n + E + G²);
- each component is turned so that its long axis is horizontal (labels are horizontal too);
- in components of up to 300 actors, each actor's box (its dot and its label centred below it, label width
  estimated from its length) is pushed apart from the others until none overlap.

The page (:mod:`tradekg.network.page`) draws at this scale or larger, so the labels it places below their
actors do not collide; when the window is smaller it moves labels aside (see ``assets/network.js``).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np

EDGE_PX = 110.0  # nominal distance between two linked actors
LABEL_CHARS = 30  # the page shortens longer labels on the canvas (the side panel shows them whole)
CHAR_PX = 7.0  # estimated width of a character of the 12 px label font
LABEL_PX = 16.0  # height of a label line
GAP_PX = 36.0  # space between packed components
ASPECT = 1.3  # width / height the components are packed into


def label_width(label: str) -> float:
    """The estimated width in pixels of an actor's label as the page draws it.

    >>> label_width("Japan")
    39.0
    """
    return min(len(label), LABEL_CHARS + 1) * CHAR_PX + 4.0


def node_radius(degree: int, small: bool = True) -> float:
    """The radius the page draws an actor with, from its number of edges (the same formula as the page).

    >>> node_radius(4)
    10.0
    """
    return 6 + min(10.0, 2 * degree**0.5) if small else 2 + min(5.0, 0.6 * degree**0.5)


def _stress(sub: nx.Graph) -> np.ndarray:
    """Stress majorization (localized updates), started from classical scaling: deterministic."""
    nodes = list(sub)
    n = len(nodes)
    hops = dict(nx.all_pairs_shortest_path_length(sub))
    d = np.array([[hops[u].get(v, n) for v in nodes] for u in nodes], dtype=float)
    # Classical scaling: the two leading eigenvectors of the double-centred squared distances, by orthogonal
    # iteration from a fixed start (a full eigendecomposition costs more and its signs are arbitrary).
    sq = d**2
    b = -0.5 * (sq - sq.mean(axis=0)[None, :] - sq.mean(axis=1)[:, None] + sq.mean())
    q = np.stack([np.cos(np.arange(n) * 0.7), np.sin(np.arange(n) * 1.3)], axis=1)
    for _ in range(40):
        q, _r = np.linalg.qr(b @ q)
    xy = q * np.sqrt(np.maximum(np.diag(q.T @ b @ q), 1e-9))
    xy += 1e-3 * np.stack([np.cos(np.arange(n) * 2.4), np.sin(np.arange(n) * 2.4)], axis=1)
    w = np.where(d > 0, 1.0 / np.maximum(d, 1e-9) ** 2, 0.0)
    wsum = w.sum(axis=1)[:, None]
    wd = w * d
    for _ in range(150):
        # x_i <- sum_j w_ij (x_j + d_ij (x_i - x_j) / |x_i - x_j|) / sum_j w_ij, as matrix products.
        sq_len = (xy**2).sum(axis=1)
        dist = np.sqrt(np.maximum(sq_len[:, None] + sq_len[None, :] - 2 * xy @ xy.T, 1e-18))
        a = wd / dist
        np.fill_diagonal(a, 0.0)
        new = (w @ xy + xy * a.sum(axis=1)[:, None] - a @ xy) / wsum
        step = float(np.abs(new - xy).max())
        xy = new
        if step < 1e-3:
            break
    return xy


def _component_shape(sub: nx.Graph, seed: int) -> np.ndarray:
    """Positions of one component in hops (an edge about 1 long), long axis horizontal."""
    n = sub.number_of_nodes()
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]])
    if n <= 200:
        xy = _stress(sub)
    elif n <= 400:
        raw = nx.spring_layout(sub, seed=seed, k=1.8 / n**0.5, iterations=150)
        xy = np.array([raw[v] for v in sub], dtype=float)
    else:
        index = {v: i for i, v in enumerate(sub)}
        pairs = np.array([(index[u], index[v]) for u, v in sub.edges() if u != v], dtype=np.int64)
        xy = _grid_force_layout(n, pairs.reshape(-1, 2), seed=seed)
    xy = xy - xy.mean(axis=0)
    if n <= 400:
        lengths = [np.hypot(*(xy[i] - xy[j])) for i, j in _edge_index(sub)]
        xy /= max(float(np.mean(lengths)) if lengths else 1.0, 1e-9)
    else:  # a large component fills about sqrt(n) hops across
        xy *= 0.55 * n**0.5 / max(float(np.abs(xy).max()), 1e-9)
    # Turn the long axis horizontal; the sign is fixed so that the same graph always looks the same.
    _, vecs = np.linalg.eigh(np.cov(xy.T))
    xy = xy @ vecs[:, ::-1]
    for axis in (0, 1):
        if float((xy[:, axis] ** 3).sum()) < 0:
            xy[:, axis] *= -1
    return xy


def _edge_index(sub: nx.Graph) -> list[tuple[int, int]]:
    index = {v: i for i, v in enumerate(sub)}
    return [(index[u], index[v]) for u, v in sub.edges() if u != v]


def _boxes(xy: np.ndarray, half_w: np.ndarray, up: np.ndarray, down: np.ndarray) -> np.ndarray:
    """[x0, y0, x1, y1] per actor: its dot with its label centred below it (y grows downwards)."""
    return np.stack([xy[:, 0] - half_w, xy[:, 1] - up, xy[:, 0] + half_w, xy[:, 1] + down], axis=1)


def _remove_overlaps(xy: np.ndarray, half_w: np.ndarray, up: np.ndarray, down: np.ndarray,
                     rounds: int = 200) -> np.ndarray:
    """Push overlapping boxes apart along the axis where they overlap least, half each, until none do."""
    xy = xy.copy()
    n = len(xy)
    if n < 2:
        return xy
    centre_off = (down - up) / 2
    half_h = (up + down) / 2
    order = np.arange(n)
    for _ in range(rounds):
        cx, cy = xy[:, 0], xy[:, 1] + centre_off
        dx, dy = cx[None, :] - cx[:, None], cy[None, :] - cy[:, None]
        ox = half_w[:, None] + half_w[None, :] - np.abs(dx)
        oy = half_h[:, None] + half_h[None, :] - np.abs(dy)
        hit = (ox > 0) & (oy > 0) & (order[:, None] != order[None, :])
        if not hit.any():
            break
        # Ties (same centre) go by index, so the result does not depend on floating-point noise.
        sx = np.where(dx != 0, np.sign(dx), np.where(order[None, :] > order[:, None], 1.0, -1.0))
        sy = np.where(dy != 0, np.sign(dy), np.where(order[None, :] > order[:, None], 1.0, -1.0))
        along_x = hit & (ox * 1.6 <= oy)  # labels are wide: moving sideways costs more room than moving down
        along_y = hit & ~along_x
        push = np.zeros_like(xy)
        push[:, 0] = -(np.where(along_x, (ox + 1) / 2 * sx, 0.0)).sum(axis=1)
        push[:, 1] = -(np.where(along_y, (oy + 1) / 2 * sy, 0.0)).sum(axis=1)
        xy += push * 0.6
    return xy


def _pack(sizes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Top-left corners for rectangles (w, h), largest first, each where it keeps the whole box closest to
    ASPECT wide (then highest, then leftmost) on a skyline: small groups go beside the large one.

    >>> _pack([(100, 100), (10, 10)])
    [(0.0, 0.0), (136.0, 0.0)]
    """
    far = 1e18
    skyline = [(0.0, far, 0.0)]  # (x, width, top y) segments, left to right
    corners: list[tuple[float, float]] = [(0.0, 0.0)] * len(sizes)
    box_w = box_h = 0.0
    for i in sorted(range(len(sizes)), key=lambda k: (-sizes[k][0] * sizes[k][1], -sizes[k][1], k)):
        w, h = sizes[i][0] + GAP_PX, sizes[i][1] + GAP_PX
        best: tuple[float, float, float] | None = None
        for x, _, _ in skyline:
            y = max(top for sx, sw, top in skyline if sx < x + w - 1e-9 and sx + sw > x + 1e-9)
            score = max(max(box_w, x + w) / ASPECT, max(box_h, y + h))
            if best is None or (score, y, x) < best:
                best = (score, y, x)
        assert best is not None
        _, y, x = best
        corners[i] = (float(x), float(y))
        box_w, box_h = max(box_w, x + w), max(box_h, y + h)
        cut: list[tuple[float, float, float]] = []
        for sx, sw, top in skyline:
            if sx + sw <= x or sx >= x + w:
                cut.append((sx, sw, top))
                continue
            if sx < x:
                cut.append((sx, x - sx, top))
            if sx + sw > x + w:
                cut.append((x + w, sx + sw - x - w, top))
        cut.append((x, w, y + h))
        skyline = sorted(cut)
    return corners


def layout_pixels(g: nx.Graph, seed: int = 0) -> dict[Any, tuple[float, float]]:
    """Node positions in screen pixels at the nominal scale (y grows downwards), components packed.

    >>> g = nx.Graph([("a", "b"), ("c", "d")]); pos = layout_pixels(g)
    >>> pos["a"][1] == pos["b"][1] and pos["b"][0] - pos["a"][0] == EDGE_PX  # a pair lies flat, one edge apart
    True
    >>> pos["c"][1] - pos["a"][1] > LABEL_PX  # the other pair is packed next to it, clear of its labels
    True
    """
    simple = nx.Graph(g.to_undirected(as_view=True)) if g.is_directed() or g.is_multigraph() else nx.Graph(g)
    simple.remove_edges_from(nx.selfloop_edges(simple))
    if simple.number_of_nodes() == 0:
        return {}
    degree = dict(g.degree())
    small = g.number_of_edges() <= 1500 and g.number_of_nodes() <= 800
    components = sorted((sorted(c, key=str) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), str(c[0])))
    placed: list[tuple[list[Any], np.ndarray, np.ndarray]] = []
    for members in components:
        sub = simple.subgraph(members)
        xy = _component_shape(nx.Graph(sub), seed) * EDGE_PX
        labels = [str(g.nodes[v].get("label", v)) for v in members]
        radius = np.array([node_radius(degree.get(v, 0), small) for v in members])
        half_w = np.maximum(radius, np.array([label_width(t) for t in labels]) / 2) + 4
        up, down = radius + 2, radius + LABEL_PX + 4
        if len(members) <= 300 and small:
            xy = _remove_overlaps(xy, half_w, up, down)
        box = _boxes(xy, half_w, up, down)
        placed.append((members, xy, box))
    corners = _pack([(float(b[:, 2].max() - b[:, 0].min()), float(b[:, 3].max() - b[:, 1].min()))
                     for _, _, b in placed])
    out: dict[Any, tuple[float, float]] = {}
    for (members, xy, box), (x0, y0) in zip(placed, corners, strict=True):
        shift = np.array([x0 - box[:, 0].min(), y0 - box[:, 1].min()])
        for v, (x, y) in zip(members, xy + shift, strict=True):
            out[v] = (float(x), float(y))
    return out


def layout(g: nx.Graph, seed: int = 0) -> dict[Any, tuple[float, float]]:
    """Node positions in the unit square (y grows upwards), deterministic for a given seed; the shape of
    :func:`layout_pixels`, scaled alike on both axes and centred.

    >>> pos = layout(nx.path_graph(3)); all(0 <= x <= 1 and 0 <= y <= 1 for x, y in pos.values())
    True
    """
    px = layout_pixels(g, seed)
    if len(px) <= 1:
        return {v: (0.5, 0.5) for v in px}
    xy = np.array(list(px.values()))
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = max(float((hi - lo).max()), 1e-9)
    unit = 0.04 + 0.92 * ((xy - lo) + (span - (hi - lo)) / 2) / span
    return {v: (float(x), float(1 - y)) for v, (x, y) in zip(px, unit, strict=True)}


def _grid_force_layout(n: int, edges: np.ndarray, seed: int = 0, iterations: int = 90, grid: int = 128) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) - 0.5
    k = 1.0 / np.sqrt(n)  # ideal edge length when n nodes share a unit area (Fruchterman-Reingold)
    size = 2 * grid  # zero padding: the convolution is linear, not circular
    idx = np.arange(size)
    wrap = np.minimum(idx, size - idx)
    src, dst = edges[:, 0], edges[:, 1]
    temperature = 0.1
    for _step in range(iterations):
        lo = pos.min(axis=0)
        h = float((pos.max(axis=0) - lo).max()) / (grid - 1) + 1e-9
        cells = np.clip(((pos - lo) / h).astype(np.int64), 0, grid - 1)
        density = np.zeros((size, size))
        density[:grid, :grid] = np.bincount(cells[:, 0] * grid + cells[:, 1], minlength=grid * grid).reshape(grid, grid)
        # Repulsion k²/r is the gradient of k² ln r: convolve the density with that potential by FFT.
        r = np.hypot(wrap[:, None] * h, wrap[None, :] * h)
        kernel = np.fft.rfft2(k * k * np.log(np.maximum(r, h)))
        potential = np.fft.irfft2(np.fft.rfft2(density) * kernel, s=(size, size))[:grid, :grid]
        grads = np.gradient(potential, h)
        gx, gy = np.asarray(grads[0]), np.asarray(grads[1])
        disp = np.stack([gx[cells[:, 0], cells[:, 1]], gy[cells[:, 0], cells[:, 1]]], axis=1)
        if len(src):
            delta = pos[dst] - pos[src]
            boost = 4.0 if _step < iterations // 3 else 1.0  # early exaggeration lets clusters form first
            pull = delta * (boost * np.sqrt((delta**2).sum(axis=1)) / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(src, pull[:, axis], n) - np.bincount(dst, pull[:, axis], n)
        # Gravity balances the total repulsion (about 1/R at radius R) near R = 1, keeping components close.
        disp -= pos
        length = np.sqrt((disp**2).sum(axis=1)) + 1e-12
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(0.002, temperature * 0.955)
    return pos
