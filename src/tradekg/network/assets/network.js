// tradekg actor network page: a small canvas renderer, no third-party code.
// The layout is computed in Python, so nothing animates on its own: the page draws only when the view
// changes (zoom, pan, drag, hover), which keeps 5,000 actors and 50,000 lines responsive.
// Text from articles only ever reaches the DOM through textContent or canvas fillText.
(function () {
  "use strict";
  var statusEl = document.getElementById("tradekg-status");
  var errors = [];

  function setStatus(key, value) {
    statusEl.setAttribute("data-" + key, String(value));
  }

  function recordError(message) {
    errors.push(String(message));
    setStatus("errors", errors.length);
    statusEl.textContent = errors.join("\n");
  }

  window.addEventListener("error", function (ev) {
    recordError(ev.message || "error");
  });
  window.addEventListener("unhandledrejection", function (ev) {
    recordError("unhandled rejection: " + ev.reason);
  });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  try {
    start();
  } catch (err) {
    recordError((err && err.stack) || err);
  }

  function start() {
    var data = JSON.parse(document.getElementById("tradekg-data").textContent);
    var N = data.nodes.label.length;
    var E = data.edges.s.length;
    var X = Float64Array.from(data.nodes.x);
    var Y = Float64Array.from(data.nodes.y);
    var labels = data.nodes.label;
    var labelChars = data.labelChars || 30;
    var shortLabels = labels.map(function (t) { return t.length > labelChars ? t.slice(0, labelChars) + "…" : t; });
    var iris = data.nodes.iri;
    var ntype = Int32Array.from(data.nodes.type);
    var es = Int32Array.from(data.edges.s);
    var et = Int32Array.from(data.edges.t);
    var ek = Int32Array.from(data.edges.k);
    var ew = Int32Array.from(data.edges.w);
    var details = data.details;
    var kinds = data.kinds;
    var types = data.types;
    var small = E <= 1500 && N <= 800;
    var i, e;

    // Degree and adjacency (edge ids per node, compressed rows).
    var deg = new Int32Array(N);
    for (e = 0; e < E; e++) { deg[es[e]]++; deg[et[e]]++; }
    var adjStart = new Int32Array(N + 1);
    for (i = 0; i < N; i++) adjStart[i + 1] = adjStart[i] + deg[i];
    var adj = new Int32Array(2 * E);
    var fill = adjStart.slice(0, N);
    for (e = 0; e < E; e++) { adj[fill[es[e]]++] = e; adj[fill[et[e]]++] = e; }
    var order = [];
    for (i = 0; i < N; i++) order.push(i);
    order.sort(function (a, b) { return deg[b] - deg[a] || (labels[a] < labels[b] ? -1 : 1); });

    // Parallel edges between one pair (different kinds) bend apart, in screen pixels.
    var bend = new Float32Array(E);
    if (small) {
      var seen = new Map();
      for (e = 0; e < E; e++) {
        var key = Math.min(es[e], et[e]) * N + Math.max(es[e], et[e]);
        var n = seen.get(key) || 0;
        seen.set(key, n + 1);
        var side = es[e] < et[e] ? 1 : -1;
        bend[e] = n === 0 ? 0 : side * (n % 2 ? 1 : -1) * 14 * Math.ceil(n / 2);
      }
    }
    var kindOn = kinds.map(function () { return true; });
    var byKind = kinds.map(function () { return []; });
    for (e = 0; e < E; e++) byKind[ek[e]].push(e);

    var canvas = document.getElementById("net");
    var ctx = canvas.getContext("2d");
    var view = { s: 1, tx: 0, ty: 0 };
    var W = 1, H = 1, dpr = 1;
    var hoverNode = -1, hoverEdge = -1;
    var draws = 0;

    function radius(n) {
      return small ? 6 + Math.min(10, 2 * Math.sqrt(deg[n])) : 2 + Math.min(5, 0.6 * Math.sqrt(deg[n]));
    }
    var maxRadius = 0;
    for (i = 0; i < N; i++) maxRadius = Math.max(maxRadius, radius(i));

    // --- spatial grids (world coordinates) for hit testing -------------------------------------------
    var ng = null, eg = null, gridsStale = false;

    function bounds() {
      var b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
      for (var n = 0; n < N; n++) {
        if (X[n] < b.x0) b.x0 = X[n];
        if (X[n] > b.x1) b.x1 = X[n];
        if (Y[n] < b.y0) b.y0 = Y[n];
        if (Y[n] > b.y1) b.y1 = Y[n];
      }
      if (!N) b = { x0: 0, y0: 0, x1: 1, y1: 1 };
      b.size = Math.max(b.x1 - b.x0, b.y1 - b.y0, 1e-6);
      return b;
    }

    function makeGrid(G, b, count, each) {
      var cell = b.size / G * 1.0000001;
      var start = new Int32Array(G * G + 1);
      count(function (c) { start[c + 1]++; });
      for (var c = 0; c < G * G; c++) start[c + 1] += start[c];
      var items = new Int32Array(start[G * G]);
      var pos = start.slice(0, G * G);
      each(function (c, id) { items[pos[c]++] = id; });
      return { G: G, b: b, cell: cell, start: start, items: items };
    }

    function cellIndex(g, x, y) {
      var cx = Math.min(g.G - 1, Math.max(0, Math.floor((x - g.b.x0) / g.cell)));
      var cy = Math.min(g.G - 1, Math.max(0, Math.floor((y - g.b.y0) / g.cell)));
      return cy * g.G + cx;
    }

    function buildNodeGrid() {
      var b = bounds();
      var G = Math.max(1, Math.min(512, Math.ceil(Math.sqrt(N / 2))));
      var probe = { G: G, b: b, cell: b.size / G * 1.0000001 };
      ng = makeGrid(G, b, function (add) {
        for (var n = 0; n < N; n++) add(cellIndex(probe, X[n], Y[n]));
      }, function (add) {
        for (var n = 0; n < N; n++) add(cellIndex(probe, X[n], Y[n]), n);
      });
    }

    // An edge is filed in every cell its segment passes through (sampled at half a cell).
    function edgeCells(g, e, fn) {
      var x0 = X[es[e]], y0 = Y[es[e]], x1 = X[et[e]], y1 = Y[et[e]];
      var steps = Math.ceil(2 * Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)) / g.cell) + 1;
      var last = -1;
      for (var s = 0; s <= steps; s++) {
        var t = s / steps;
        var c = cellIndex(g, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
        if (c !== last) { fn(c, e); last = c; }
      }
    }

    function buildEdgeGrid() {
      if (small) { eg = null; return; }
      var b = bounds();
      var G = Math.max(4, Math.min(256, Math.ceil(Math.sqrt(E / 2))));
      for (;;) {  // coarser grid when long edges would file too many entries
        var probe = { G: G, b: b, cell: b.size / G * 1.0000001 };
        var total = 0;
        for (var e2 = 0; e2 < E; e2++) {
          total += Math.ceil(2 * Math.max(Math.abs(X[et[e2]] - X[es[e2]]), Math.abs(Y[et[e2]] - Y[es[e2]])) / probe.cell) + 2;
        }
        if (total < 4e6 || G <= 8) break;
        G = G >> 1;
      }
      var g = { G: G, b: b, cell: b.size / G * 1.0000001 };
      eg = makeGrid(G, b, function (add) {
        for (var e3 = 0; e3 < E; e3++) edgeCells(g, e3, add);
      }, function (add) {
        for (var e4 = 0; e4 < E; e4++) edgeCells(g, e4, add);
      });
    }

    // --- geometry ---------------------------------------------------------------------------------
    function sx(n) { return X[n] * view.s + view.tx; }
    function sy(n) { return Y[n] * view.s + view.ty; }

    function control(e) {  // quadratic control point of a bent edge, screen space
      var x0 = sx(es[e]), y0 = sy(es[e]), x1 = sx(et[e]), y1 = sy(et[e]);
      var dx = x1 - x0, dy = y1 - y0, len = Math.sqrt(dx * dx + dy * dy) || 1;
      return [(x0 + x1) / 2 - dy / len * bend[e] * 2, (y0 + y1) / 2 + dx / len * bend[e] * 2];
    }

    function segDist(px, py, x0, y0, x1, y1) {
      var dx = x1 - x0, dy = y1 - y0, l2 = dx * dx + dy * dy;
      var t = l2 ? Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / l2)) : 0;
      var qx = x0 + t * dx - px, qy = y0 + t * dy - py;
      return Math.sqrt(qx * qx + qy * qy);
    }

    function edgeDist(e, px, py) {
      var x0 = sx(es[e]), y0 = sy(es[e]), x1 = sx(et[e]), y1 = sy(et[e]);
      if (!bend[e]) return segDist(px, py, x0, y0, x1, y1);
      var c = control(e), best = Infinity, ax = x0, ay = y0;
      for (var s = 1; s <= 12; s++) {
        var t = s / 12, u = 1 - t;
        var bx = u * u * x0 + 2 * u * t * c[0] + t * t * x1, by = u * u * y0 + 2 * u * t * c[1] + t * t * y1;
        best = Math.min(best, segDist(px, py, ax, ay, bx, by));
        ax = bx; ay = by;
      }
      return best;
    }

    function nodeAt(px, py) {
      if (!N) return -1;
      if (gridsStale) rebuildGrids();
      var wx = (px - view.tx) / view.s, wy = (py - view.ty) / view.s, reach = (maxRadius + 4) / view.s;
      var c0 = cellIndex(ng, wx - reach, wy - reach), c1 = cellIndex(ng, wx + reach, wy + reach);
      var best = -1, bestD = Infinity;
      for (var cy = Math.floor(c0 / ng.G); cy <= Math.floor(c1 / ng.G); cy++) {
        for (var cx = c0 % ng.G; cx <= c1 % ng.G; cx++) {
          var c = cy * ng.G + cx;
          for (var k = ng.start[c]; k < ng.start[c + 1]; k++) {
            var n = ng.items[k], dx = sx(n) - px, dy = sy(n) - py, d = Math.sqrt(dx * dx + dy * dy);
            if (d <= radius(n) + 3 && d < bestD) { best = n; bestD = d; }
          }
        }
      }
      return best;
    }

    function edgeAt(px, py) {
      var best = -1, bestD = 5;
      if (small) {
        for (var e1 = 0; e1 < E; e1++) {
          if (!kindOn[ek[e1]]) continue;
          var d1 = edgeDist(e1, px, py);
          if (d1 < bestD) { best = e1; bestD = d1; }
        }
        return best;
      }
      if (gridsStale) rebuildGrids();
      var c = cellIndex(eg, (px - view.tx) / view.s, (py - view.ty) / view.s);
      for (var k = eg.start[c]; k < eg.start[c + 1]; k++) {
        var e2 = eg.items[k];
        if (!kindOn[ek[e2]]) continue;
        var d2 = edgeDist(e2, px, py);
        if (d2 < bestD) { best = e2; bestD = d2; }
      }
      return best;
    }

    function rebuildGrids() {
      buildNodeGrid();
      buildEdgeGrid();
      gridsStale = false;
    }

    // --- drawing ----------------------------------------------------------------------------------
    var labelWidth = new Float32Array(N);
    var drawnLabels = [];
    var LABEL_FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    var pending = false;

    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; draw(); });
    }

    function arrow(x0, y0, x1, y1, r, color) {
      var dx = x1 - x0, dy = y1 - y0, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / len, uy = dy / len, tipX = x1 - ux * (r + 1), tipY = y1 - uy * (r + 1);
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.moveTo(tipX, tipY);
      ctx.lineTo(tipX - ux * 9 - uy * 4, tipY - uy * 9 + ux * 4);
      ctx.lineTo(tipX - ux * 9 + uy * 4, tipY - uy * 9 - ux * 4);
      ctx.closePath();
      ctx.fill();
    }

    function drawEdge(e, width, color) {
      var s = es[e], t = et[e], x0 = sx(s), y0 = sy(s), x1 = sx(t), y1 = sy(t);
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      var c = bend[e] ? control(e) : [x0, y0];
      if (bend[e]) ctx.quadraticCurveTo(c[0], c[1], x1, y1); else ctx.lineTo(x1, y1);
      ctx.stroke();
      if (kinds[ek[e]].directed && small) arrow(c[0], c[1], x1, y1, radius(t), color);
    }

    function draw() {
      var t0 = performance.now();
      draws++;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, W, H);
      var m = 20, edgesDrawn = 0, nodesDrawn = 0, labelsDrawn = 0, k, n;
      var vx0 = (-m - view.tx) / view.s, vx1 = (W + m - view.tx) / view.s;
      var vy0 = (-m - view.ty) / view.s, vy1 = (H + m - view.ty) / view.s;
      var focus = hoverNode >= 0 || hoverEdge >= 0;
      ctx.lineCap = "round";
      if (small) {
        for (e = 0; e < E; e++) {
          if (!kindOn[ek[e]]) continue;
          ctx.globalAlpha = focus ? 0.25 : 0.85;
          drawEdge(e, 1.2 + Math.min(5, ew[e] - 1) * 0.9, kinds[ek[e]].color);
          edgesDrawn++;
        }
      } else {
        ctx.globalAlpha = Math.max(0.08, Math.min(0.6, 2000 / Math.max(E, 1))) * (focus ? 0.5 : 1);
        ctx.lineWidth = 0.7;
        for (k = 0; k < kinds.length; k++) {
          if (!kindOn[k]) continue;
          ctx.strokeStyle = kinds[k].color;
          ctx.beginPath();
          var list = byKind[k];
          for (var j = 0; j < list.length; j++) {
            e = list[j];
            var ax = X[es[e]], ay = Y[es[e]], bx = X[et[e]], by = Y[et[e]];
            if ((ax < vx0 && bx < vx0) || (ax > vx1 && bx > vx1) || (ay < vy0 && by < vy0) || (ay > vy1 && by > vy1)) continue;
            ctx.moveTo(ax * view.s + view.tx, ay * view.s + view.ty);
            ctx.lineTo(bx * view.s + view.tx, by * view.s + view.ty);
            edgesDrawn++;
          }
          ctx.stroke();
        }
      }
      ctx.globalAlpha = 1;
      var lit = [];
      if (hoverNode >= 0) {
        for (k = adjStart[hoverNode]; k < adjStart[hoverNode + 1]; k++) if (kindOn[ek[adj[k]]]) lit.push(adj[k]);
      }
      if (hoverEdge >= 0) lit.push(hoverEdge);
      for (k = 0; k < lit.length; k++) drawEdge(lit[k], 2.5 + Math.min(5, ew[lit[k]] - 1), kinds[ek[lit[k]]].color);

      // Nodes, batched by type for large graphs.
      for (var ty = 0; ty < types.length; ty++) {
        ctx.fillStyle = types[ty].color;
        ctx.strokeStyle = "#ffffff";
        ctx.lineWidth = small ? 1.5 : 0.5;
        ctx.beginPath();
        for (n = 0; n < N; n++) {
          if (ntype[n] !== ty || X[n] < vx0 || X[n] > vx1 || Y[n] < vy0 || Y[n] > vy1) continue;
          var r = radius(n);
          ctx.moveTo(sx(n) + r, sy(n));
          ctx.arc(sx(n), sy(n), r, 0, 2 * Math.PI);
          nodesDrawn++;
        }
        ctx.fill();
        if (small) ctx.stroke();
      }
      if (hoverNode >= 0) {
        ctx.strokeStyle = "#222";
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(sx(hoverNode), sy(hoverNode), radius(hoverNode) + 2, 0, 2 * Math.PI);
        ctx.stroke();
      }

      // Labels, best-connected first. Each goes in the first free place around its actor: below it (where
      // the layout left room), right, left, above, the corners, then a little farther out. A place is free
      // when it overlaps no label already drawn and no other actor, and lies on the canvas. In a small
      // network every label is drawn: when no place is free, the one overlapping least; in a large one the
      // label waits until zooming in makes room.
      ctx.font = LABEL_FONT;
      ctx.textBaseline = "middle";
      ctx.lineJoin = "round";
      var budget = small ? N : Math.min(N, 60 + Math.round(40 * view.s / fitScale));
      var taken = new Map(), cellW = 60, cellH = 16;
      drawnLabels = [];
      function overlapLabels(x, y, w, h) {
        var area = 0;
        for (var gx = Math.floor(x / cellW); gx <= Math.floor((x + w) / cellW); gx++) {
          for (var gy = Math.floor(y / cellH); gy <= Math.floor((y + h) / cellH); gy++) {
            var boxes = taken.get(gx * 100003 + gy);
            if (!boxes) continue;
            for (var q = 0; q < boxes.length; q++) {
              var b = boxes[q];
              var ox = Math.min(x + w, b[0] + b[2]) - Math.max(x, b[0]);
              var oy = Math.min(y + h, b[1] + b[3]) - Math.max(y, b[1]);
              if (ox > 0 && oy > 0) area += ox * oy;
            }
          }
        }
        return area;
      }
      function mark(x, y, w, h) {
        var box = [x, y, w, h];
        for (var gx = Math.floor(x / cellW); gx <= Math.floor((x + w) / cellW); gx++) {
          for (var gy = Math.floor(y / cellH); gy <= Math.floor((y + h) / cellH); gy++) {
            var key = gx * 100003 + gy, boxes = taken.get(key);
            if (!boxes) taken.set(key, boxes = []);
            boxes.push(box);
          }
        }
      }
      function overlapNodes(self, x, y, w, h) {  // how much of other actors' dots the box covers
        if (gridsStale) rebuildGrids();
        var area = 0, pad = maxRadius / view.s;
        var wx0 = (x - view.tx) / view.s - pad, wy0 = (y - view.ty) / view.s - pad;
        var wx1 = (x + w - view.tx) / view.s + pad, wy1 = (y + h - view.ty) / view.s + pad;
        var c0 = cellIndex(ng, wx0, wy0), c1 = cellIndex(ng, wx1, wy1);
        for (var cy = Math.floor(c0 / ng.G); cy <= Math.floor(c1 / ng.G); cy++) {
          for (var cx = c0 % ng.G; cx <= c1 % ng.G; cx++) {
            var c = cy * ng.G + cx;
            for (var k5 = ng.start[c]; k5 < ng.start[c + 1]; k5++) {
              var m5 = ng.items[k5];
              if (m5 === self) continue;
              var r5 = radius(m5), px = sx(m5), py = sy(m5);
              var nx = Math.max(x, Math.min(px, x + w)) - px, ny = Math.max(y, Math.min(py, y + h)) - py;
              if (nx * nx + ny * ny < r5 * r5) area += r5 * r5;
            }
          }
        }
        return area;
      }
      var queue = hoverNode >= 0 ? [hoverNode].concat(order) : order;
      for (k = 0; k < queue.length && labelsDrawn < budget; k++) {
        n = queue[k];
        if (X[n] < vx0 || X[n] > vx1 || Y[n] < vy0 || Y[n] > vy1) continue;
        if (k > 0 && n === hoverNode) continue;
        if (!labelWidth[n]) labelWidth[n] = ctx.measureText(shortLabels[n]).width || 1;
        var lw = labelWidth[n], lh = 16, r0 = radius(n), x0 = sx(n), y0 = sy(n), d0 = r0 * 0.72;
        var spots = [
          [x0 - lw / 2, y0 + r0 + 2], [x0 + r0 + 4, y0 - lh / 2], [x0 - r0 - 4 - lw, y0 - lh / 2],
          [x0 - lw / 2, y0 - r0 - 2 - lh], [x0 + d0 + 2, y0 + d0], [x0 + d0 + 2, y0 - d0 - lh],
          [x0 - d0 - 2 - lw, y0 + d0], [x0 - d0 - 2 - lw, y0 - d0 - lh],
          [x0 - lw / 2, y0 + r0 + 2 + lh], [x0 - lw / 2, y0 - r0 - 2 - 2 * lh],
          [x0 + r0 + 4, y0 + lh / 2], [x0 + r0 + 4, y0 - 1.5 * lh],
          [x0 - r0 - 4 - lw, y0 + lh / 2], [x0 - r0 - 4 - lw, y0 - 1.5 * lh],
          [x0 - lw / 2 + lw / 3, y0 + r0 + 2 + lh], [x0 - lw / 2 - lw / 3, y0 + r0 + 2 + lh],
          [x0 - lw / 2 + lw / 3, y0 - r0 - 2 - 2 * lh], [x0 - lw / 2 - lw / 3, y0 - r0 - 2 - 2 * lh]
        ];
        var best = null, bestCost = Infinity;
        for (var sp = 0; sp < spots.length; sp++) {
          var bx = spots[sp][0], by = spots[sp][1];
          var outside = (bx < 2 || by < 2 || bx + lw > W - 2 || by + lh > H - 2) ? 1 : 0;
          var cost = overlapLabels(bx, by, lw, lh) + overlapNodes(n, bx, by, lw, lh) + outside * 1e6 + sp * 1e-3;
          if (cost < bestCost) { best = spots[sp]; bestCost = cost; }
          if (cost < 1) break;
        }
        if (bestCost >= 1 && !small && n !== hoverNode) continue;
        mark(best[0], best[1], lw, lh);
        drawnLabels.push([best[0], best[1], lw, lh, n]);
        ctx.lineWidth = 3;
        ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.strokeText(shortLabels[n], best[0], best[1] + lh / 2);
        ctx.fillStyle = "#1a1a1a";
        ctx.fillText(shortLabels[n], best[0], best[1] + lh / 2);
        labelsDrawn++;
      }
      if (small) {  // where everything landed, for tests: numbers only, no text from articles
        var geo = { W: W, H: H, s: view.s, nodes: [], labels: drawnLabels.map(function (b) {
          return [+b[0].toFixed(1), +b[1].toFixed(1), +b[2].toFixed(1), b[3], b[4]];
        }) };
        for (n = 0; n < N; n++) geo.nodes.push([+sx(n).toFixed(1), +sy(n).toFixed(1), radius(n)]);
        setStatus("geometry", JSON.stringify(geo));
      }
      setStatus("nodes-drawn", nodesDrawn);
      setStatus("edges-drawn", edgesDrawn);
      setStatus("labels-drawn", labelsDrawn);
      setStatus("draws", draws);
      setStatus("draw-ms", (performance.now() - t0).toFixed(1));
    }

    // The first view shows every actor and (in a small network) the label below it: the largest scale, up
    // to maxScale, at which the box of dots and labels fits the canvas, found by bisection since labels
    // keep their size in pixels while distances grow with the scale. The toolbar's strip stays clear.
    var fitScale = 1;
    var PAD = 14, PAD_TOP = 52;
    function extent(s, axis) {  // [min, max] of the dots (and labels) along an axis at scale s
      var lo = Infinity, hi = -Infinity;
      ctx.font = LABEL_FONT;
      for (var n = 0; n < N; n++) {
        var r = radius(n), c = (axis ? Y[n] : X[n]) * s, a = r, b = r;
        if (small) {
          if (!labelWidth[n]) labelWidth[n] = ctx.measureText(shortLabels[n]).width || 1;
          if (axis) { a = r + 2; b = r + 20; } else { a = b = Math.max(r, labelWidth[n] / 2) + 4; }
        }
        lo = Math.min(lo, c - a);
        hi = Math.max(hi, c + b);
      }
      return [lo, hi];
    }
    function fit() {
      if (!N) { view.s = fitScale = 1; view.tx = view.ty = 0; schedule(); return; }
      var room = [Math.max(W - 2 * PAD, 40), Math.max(H - PAD_TOP - PAD, 40)];
      var top = Math.max(data.maxScale || 1.6, 1e-6);
      var s = top;
      if (N > 1) {
        var fits = function (sc) {
          for (var ax = 0; ax < 2; ax++) {
            var e2 = extent(sc, ax);
            if (e2[1] - e2[0] > room[ax]) return false;
          }
          return true;
        };
        if (!fits(top)) {
          var lo = 0, hi = top;
          for (var it = 0; it < 40; it++) {
            var mid = (lo + hi) / 2;
            if (fits(mid)) lo = mid; else hi = mid;
          }
          s = lo > 0 ? lo : hi;
        }
      } else {
        s = 1;
      }
      view.s = s;
      fitScale = s;
      var ex = extent(s, 0), ey = extent(s, 1);
      view.tx = PAD + (room[0] - (ex[1] - ex[0])) / 2 - ex[0];
      view.ty = PAD_TOP + (room[1] - (ey[1] - ey[0])) / 2 - ey[0];
      schedule();
    }

    // A link to one actor or one edge: page.html#actor=<IRI> or page.html#edge=<index>.
    function showFromHash() {
      var m = /^#(actor|edge)=(.+)$/.exec(window.location.hash || "");
      if (!m) return;
      var value = decodeURIComponent(m[2]);
      if (m[1] === "actor") {
        var n = iris.indexOf(value);
        if (n >= 0) { hoverNode = n; hoverEdge = -1; showNode(n); }
      } else if (/^[0-9]+$/.test(value) && +value < E) {
        hoverEdge = +value; hoverNode = -1; showEdge(hoverEdge);
      }
    }

    function resize() {
      var rect = canvas.getBoundingClientRect();
      dpr = window.devicePixelRatio || 1;
      W = Math.max(1, rect.width);
      H = Math.max(1, rect.height);
      canvas.width = Math.round(W * dpr);
      canvas.height = Math.round(H * dpr);
    }

    // --- side panel ---------------------------------------------------------------------------------
    var info = document.getElementById("info");

    function clearInfo() {
      info.replaceChildren(el("p", "hint", "Hover an actor or a line to see its events."));
    }

    function showNode(n) {
      var box = [el("h2", null, labels[n]), el("p", "meta", types[ntype[n]].name + " · " + deg[n] + " links"),
        el("p", "iri", iris[n])];
      var list = el("ul");
      var shown = 0;
      for (var k2 = adjStart[n]; k2 < adjStart[n + 1] && shown < 60; k2++, shown++) {
        var e2 = adj[k2], other = es[e2] === n ? et[e2] : es[e2];
        var dir = !kinds[ek[e2]].directed ? "with" : es[e2] === n ? "→" : "←";
        list.appendChild(el("li", null, kinds[ek[e2]].name + " " + dir + " " + labels[other] +
          (ew[e2] > 1 ? " (" + ew[e2] + " events)" : "")));
      }
      if (deg[n] > shown) list.appendChild(el("li", "hint", "… and " + (deg[n] - shown) + " more"));
      box.push(el("h3", null, "Interactions"), list);
      info.replaceChildren.apply(info, box);
    }

    function showEdge(e2) {
      var kind = kinds[ek[e2]];
      var head = labels[es[e2]] + (kind.directed ? " → " : " — ") + labels[et[e2]];
      var box = [el("h2", null, head), el("p", "meta", kind.name + " · " + ew[e2] + (ew[e2] === 1 ? " event" : " events"))];
      var evs = details[e2] || [];
      for (var k2 = 0; k2 < evs.length && k2 < 30; k2++) {
        var ev = evs[k2], div = el("div", "event");
        var meta = [ev.date || "undated", ev["class"], ev.status].filter(Boolean).join(" · ");
        div.appendChild(el("p", "meta", meta));
        if (ev.summary) div.appendChild(el("p", null, ev.summary));
        (ev.evidence || []).forEach(function (q) { div.appendChild(el("blockquote", null, q)); });
        (ev.sources || []).forEach(function (src) {
          var p = el("p", "meta", "Source: ");
          var url = safeUrl(src.url);
          var name = src.title || src.article;
          if (url) {
            var a = el("a", null, name);
            a.href = url;
            a.rel = "noopener noreferrer";
            p.appendChild(a);
          } else {
            p.appendChild(el("span", null, name));
          }
          div.appendChild(p);
        });
        if (ev.event) div.appendChild(el("p", "iri", ev.event));
        box.push(div);
      }
      if (evs.length > 30) box.push(el("p", "hint", "… and " + (evs.length - 30) + " more events"));
      info.replaceChildren.apply(info, box);
    }

    function buildLegend() {
      var typeCount = types.map(function () { return 0; });
      for (var n2 = 0; n2 < N; n2++) typeCount[ntype[n2]]++;
      var ul = document.getElementById("legend-types");
      types.forEach(function (t, ix) {
        var li = el("li");
        var dot = el("span", "dot");
        dot.style.backgroundColor = t.color;
        li.append(dot, el("span", null, t.name), el("span", "count", typeCount[ix]));
        ul.appendChild(li);
      });
      var uk = document.getElementById("legend-kinds");
      kinds.forEach(function (kd, ix) {
        var li = el("li");
        var line = el("span", "line");
        line.style.backgroundColor = kd.color;
        li.append(line, el("span", null, kd.name + (kd.directed ? "" : " (both ways)")), el("span", "count", byKind[ix].length));
        li.setAttribute("role", "switch");
        li.setAttribute("aria-checked", "true");
        li.addEventListener("click", function () {
          kindOn[ix] = !kindOn[ix];
          li.classList.toggle("off", !kindOn[ix]);
          li.setAttribute("aria-checked", String(kindOn[ix]));
          schedule();
        });
        uk.appendChild(li);
      });
      document.getElementById("counts").textContent = N + " actors · " + E + " links";
      if (data.title) document.getElementById("title").textContent = data.title;
      var ol = document.getElementById("actor-list");
      var names = document.getElementById("actor-names");
      var limit = Math.min(N, 2000);
      for (var k3 = 0; k3 < limit; k3++) {
        ol.appendChild(el("li", null, labels[order[k3]] + " (" + types[ntype[order[k3]]].name + ")"));
        var opt = el("option");
        opt.value = labels[order[k3]];
        names.appendChild(opt);
      }
      if (N > limit) ol.appendChild(el("li", "hint", "… " + (N - limit) + " more, best-connected first"));
    }

    // --- interaction --------------------------------------------------------------------------------
    var mode = null, dragNode = -1, last = null, moved = false;

    function pointer(ev) {
      var rect = canvas.getBoundingClientRect();
      return [ev.clientX - rect.left, ev.clientY - rect.top];
    }

    function hover(p) {
      var n = nodeAt(p[0], p[1]);
      var e2 = n < 0 ? edgeAt(p[0], p[1]) : -1;
      if (n === hoverNode && e2 === hoverEdge) return;
      hoverNode = n;
      hoverEdge = e2;
      canvas.classList.toggle("over", n >= 0 || e2 >= 0);
      // The panel keeps the last actor or line shown, so the pointer can travel to it to read.
      if (n >= 0) showNode(n); else if (e2 >= 0) showEdge(e2);
      schedule();
    }

    canvas.addEventListener("pointerdown", function (ev) {
      var p = pointer(ev);
      canvas.setPointerCapture(ev.pointerId);
      dragNode = nodeAt(p[0], p[1]);
      mode = dragNode >= 0 ? "node" : "pan";
      last = p;
      moved = false;
      canvas.classList.add("dragging");
    });
    canvas.addEventListener("pointermove", function (ev) {
      var p = pointer(ev);
      if (mode === "node") {
        X[dragNode] = (p[0] - view.tx) / view.s;
        Y[dragNode] = (p[1] - view.ty) / view.s;
        moved = true;
        schedule();
      } else if (mode === "pan") {
        view.tx += p[0] - last[0];
        view.ty += p[1] - last[1];
        moved = true;
        schedule();
      } else {
        hover(p);
      }
      last = p;
    });
    function release() {
      if (mode === "node" && moved) gridsStale = true;  // rebuilt on the next hit test, not per move
      mode = null;
      canvas.classList.remove("dragging");
    }
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);
    canvas.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = pointer(ev);
      var factor = Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015));
      var s = Math.max(fitScale / 20, Math.min(fitScale * 400, view.s * factor));
      view.tx = p[0] - (p[0] - view.tx) * s / view.s;
      view.ty = p[1] - (p[1] - view.ty) * s / view.s;
      view.s = s;
      schedule();
    }, { passive: false });
    canvas.addEventListener("dblclick", fit);
    document.getElementById("fit").addEventListener("click", fit);
    document.getElementById("search").addEventListener("change", function (ev) {
      var q = String(ev.target.value || "").trim().toLowerCase();
      if (!q) return;
      var hit = -1;
      for (var k4 = 0; k4 < order.length && hit < 0; k4++) if (labels[order[k4]].toLowerCase() === q) hit = order[k4];
      for (k4 = 0; k4 < order.length && hit < 0; k4++) if (labels[order[k4]].toLowerCase().indexOf(q) >= 0) hit = order[k4];
      if (hit < 0) { info.replaceChildren(el("p", "hint", "No actor matches “" + ev.target.value + "”.")); return; }
      view.s = Math.max(view.s, fitScale * 3);
      view.tx = W / 2 - X[hit] * view.s;
      view.ty = H / 2 - Y[hit] * view.s;
      hoverNode = hit;
      hoverEdge = -1;
      showNode(hit);
      schedule();
    });
    window.addEventListener("resize", function () { resize(); fit(); });

    buildLegend();
    clearInfo();
    resize();
    rebuildGrids();
    fit();
    showFromHash();
    window.addEventListener("hashchange", function () { showFromHash(); schedule(); });
    draw();  // the first frame is drawn now, not on the next animation frame
    setStatus("nodes", N);
    setStatus("edges", E);
    setStatus("physics", "none: layout precomputed");
    setStatus("state", "ready");
    window.tradekgNetwork = {  // for tests and the console: hit testing by screen position
      nodeAt: nodeAt,
      edgeAt: edgeAt,
      screen: function (n) { return [sx(n), sy(n)]; },
      labelBoxes: function () { return drawnLabels.slice(); },
      hover: function (x, y) { hover([x, y]); draw(); return hoverNode >= 0 ? labels[hoverNode] : hoverEdge; }
    };
  }
})();
