// tradekg actor network page, part 1 of 3: the network as the page holds it.
// Typed arrays of the data, adjacency, the order labels are drawn in, and spatial grids (world
// coordinates) for hit testing. The page's three parts are put in one script by tradekg.network.page.
var LABEL_FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

function makeModel(data) {
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


  function radius(n) {
    return small ? 6 + Math.min(10, 2 * Math.sqrt(deg[n])) : 2 + Math.min(5, 0.6 * Math.sqrt(deg[n]));
  }
  var maxRadius = 0;
  for (i = 0; i < N; i++) maxRadius = Math.max(maxRadius, radius(i));

  // --- spatial grids (world coordinates) for hit testing -------------------------------------------
  var ng = null, eg = null;

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

  function rebuildGrids() {
    buildNodeGrid();
    buildEdgeGrid();
    M.ng = ng;
    M.eg = eg;
    M.gridsStale = false;
  }

  var M = {
    N: N, E: E, X: X, Y: Y, labels: labels, shortLabels: shortLabels, iris: iris, ntype: ntype,
    es: es, et: et, ek: ek, ew: ew, details: details, kinds: kinds, types: types, small: small,
    deg: deg, adjStart: adjStart, adj: adj, order: order, bend: bend, kindOn: kindOn, byKind: byKind,
    radius: radius, maxRadius: maxRadius, cellIndex: cellIndex, ng: null, eg: null, gridsStale: false,
    maxScale: data.maxScale, labelWidth: new Float32Array(N)
  };
  M.rebuildGrids = rebuildGrids;
  return M;
}
