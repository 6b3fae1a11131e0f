// tradekg actor network page, part 2 of 3: the canvas. Where things are on screen, drawing, hit testing,
// labels placed where they are free, and the fitted first view. It draws only when asked (schedule).
function makeView(M, canvas, setStatus) {
  var N = M.N, E = M.E, X = M.X, Y = M.Y, shortLabels = M.shortLabels, ntype = M.ntype;
  var es = M.es, et = M.et, ek = M.ek, ew = M.ew, kinds = M.kinds, types = M.types, small = M.small;
  var adjStart = M.adjStart, adj = M.adj, order = M.order, bend = M.bend, kindOn = M.kindOn;
  var byKind = M.byKind, radius = M.radius, maxRadius = M.maxRadius, cellIndex = M.cellIndex;
  var labelWidth = M.labelWidth;
  var ctx = canvas.getContext("2d");
  var view = { s: 1, tx: 0, ty: 0 };
  var hv = { node: -1, edge: -1 };  // the actor or line under the pointer
  var W = 1, H = 1, dpr = 1;
  var draws = 0, e;
  var V = { view: view, hover: hv, fitScale: 1 };

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
    if (M.gridsStale) M.rebuildGrids();
    var wx = (px - view.tx) / view.s, wy = (py - view.ty) / view.s, reach = (maxRadius + 4) / view.s;
    var c0 = cellIndex(M.ng, wx - reach, wy - reach), c1 = cellIndex(M.ng, wx + reach, wy + reach);
    var best = -1, bestD = Infinity;
    for (var cy = Math.floor(c0 / M.ng.G); cy <= Math.floor(c1 / M.ng.G); cy++) {
      for (var cx = c0 % M.ng.G; cx <= c1 % M.ng.G; cx++) {
        var c = cy * M.ng.G + cx;
        for (var k = M.ng.start[c]; k < M.ng.start[c + 1]; k++) {
          var n = M.ng.items[k], dx = sx(n) - px, dy = sy(n) - py, d = Math.sqrt(dx * dx + dy * dy);
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
    if (M.gridsStale) M.rebuildGrids();
    var c = cellIndex(M.eg, (px - view.tx) / view.s, (py - view.ty) / view.s);
    for (var k = M.eg.start[c]; k < M.eg.start[c + 1]; k++) {
      var e2 = M.eg.items[k];
      if (!kindOn[ek[e2]]) continue;
      var d2 = edgeDist(e2, px, py);
      if (d2 < bestD) { best = e2; bestD = d2; }
    }
    return best;
  }


  // --- drawing ----------------------------------------------------------------------------------
  var drawnLabels = [];
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
    var focus = hv.node >= 0 || hv.edge >= 0;
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
    if (hv.node >= 0) {
      for (k = adjStart[hv.node]; k < adjStart[hv.node + 1]; k++) if (kindOn[ek[adj[k]]]) lit.push(adj[k]);
    }
    if (hv.edge >= 0) lit.push(hv.edge);
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
    if (hv.node >= 0) {
      ctx.strokeStyle = "#222";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(sx(hv.node), sy(hv.node), radius(hv.node) + 2, 0, 2 * Math.PI);
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
    var budget = small ? N : Math.min(N, 60 + Math.round(40 * view.s / V.fitScale));
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
      if (M.gridsStale) M.rebuildGrids();
      var area = 0, pad = maxRadius / view.s;
      var wx0 = (x - view.tx) / view.s - pad, wy0 = (y - view.ty) / view.s - pad;
      var wx1 = (x + w - view.tx) / view.s + pad, wy1 = (y + h - view.ty) / view.s + pad;
      var c0 = cellIndex(M.ng, wx0, wy0), c1 = cellIndex(M.ng, wx1, wy1);
      for (var cy = Math.floor(c0 / M.ng.G); cy <= Math.floor(c1 / M.ng.G); cy++) {
        for (var cx = c0 % M.ng.G; cx <= c1 % M.ng.G; cx++) {
          var c = cy * M.ng.G + cx;
          for (var k5 = M.ng.start[c]; k5 < M.ng.start[c + 1]; k5++) {
            var m5 = M.ng.items[k5];
            if (m5 === self) continue;
            var r5 = radius(m5), px = sx(m5), py = sy(m5);
            var nx = Math.max(x, Math.min(px, x + w)) - px, ny = Math.max(y, Math.min(py, y + h)) - py;
            if (nx * nx + ny * ny < r5 * r5) area += r5 * r5;
          }
        }
      }
      return area;
    }
    var queue = hv.node >= 0 ? [hv.node].concat(order) : order;
    for (k = 0; k < queue.length && labelsDrawn < budget; k++) {
      n = queue[k];
      if (X[n] < vx0 || X[n] > vx1 || Y[n] < vy0 || Y[n] > vy1) continue;
      if (k > 0 && n === hv.node) continue;
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
      if (bestCost >= 1 && !small && n !== hv.node) continue;
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
    if (!N) { view.s = V.fitScale = 1; view.tx = view.ty = 0; schedule(); return; }
    var room = [Math.max(W - 2 * PAD, 40), Math.max(H - PAD_TOP - PAD, 40)];
    var top = Math.max(M.maxScale || 1.6, 1e-6);
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
    V.fitScale = s;
    var ex = extent(s, 0), ey = extent(s, 1);
    view.tx = PAD + (room[0] - (ex[1] - ex[0])) / 2 - ex[0];
    view.ty = PAD_TOP + (room[1] - (ey[1] - ey[0])) / 2 - ey[0];
    schedule();
  }


  function resize() {
    var rect = canvas.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    W = Math.max(1, rect.width);
    H = Math.max(1, rect.height);
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
  }

  V.draw = draw;
  V.schedule = schedule;
  V.fit = fit;
  V.resize = resize;
  V.nodeAt = nodeAt;
  V.edgeAt = edgeAt;
  V.sx = sx;
  V.sy = sy;
  V.size = function () { return [W, H]; };
  V.labelBoxes = function () { return drawnLabels.slice(); };
  return V;
}
