// tradekg actor network page, part 3 of 3: the page around the canvas. The side panel (an actor's or a
// line's events, with evidence and article), the legend, pointer and keyboard interaction, and start-up.
// Text from articles only ever reaches the DOM through textContent (here) or canvas fillText (view).
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
  var M = makeModel(data);
  var canvas = document.getElementById("net");
  var V = makeView(M, canvas, setStatus);
  var N = M.N, E = M.E, X = M.X, Y = M.Y, labels = M.labels, iris = M.iris, ntype = M.ntype;
  var es = M.es, et = M.et, ek = M.ek, ew = M.ew, details = M.details, kinds = M.kinds, types = M.types;
  var deg = M.deg, adjStart = M.adjStart, adj = M.adj, order = M.order, kindOn = M.kindOn, byKind = M.byKind;
  var view = V.view, hv = V.hover, schedule = V.schedule, fit = V.fit, nodeAt = V.nodeAt, edgeAt = V.edgeAt;

  // A link to one actor or one edge: page.html#actor=<IRI> or page.html#edge=<index>.
  function showFromHash() {
    var m = /^#(actor|edge)=(.+)$/.exec(window.location.hash || "");
    if (!m) return;
    var value = decodeURIComponent(m[2]);
    if (m[1] === "actor") {
      var n = iris.indexOf(value);
      if (n >= 0) { hv.node = n; hv.edge = -1; showNode(n); }
    } else if (/^[0-9]+$/.test(value) && +value < E) {
      hv.edge = +value; hv.node = -1; showEdge(hv.edge);
    }
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
    if (n === hv.node && e2 === hv.edge) return;
    hv.node = n;
    hv.edge = e2;
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
    if (mode === "node" && moved) M.gridsStale = true;  // rebuilt on the next hit test, not per move
    mode = null;
    canvas.classList.remove("dragging");
  }
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", release);
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = pointer(ev);
    var factor = Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015));
    var s = Math.max(V.fitScale / 20, Math.min(V.fitScale * 400, view.s * factor));
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
    view.s = Math.max(view.s, V.fitScale * 3);
    view.tx = V.size()[0] / 2 - X[hit] * view.s;
    view.ty = V.size()[1] / 2 - Y[hit] * view.s;
    hv.node = hit;
    hv.edge = -1;
    showNode(hit);
    schedule();
  });
  window.addEventListener("resize", function () { V.resize(); fit(); });

  buildLegend();
  clearInfo();
  V.resize();
  M.rebuildGrids();
  fit();
  showFromHash();
  window.addEventListener("hashchange", function () { showFromHash(); schedule(); });
  V.draw();  // the first frame is drawn now, not on the next animation frame
  setStatus("nodes", N);
  setStatus("edges", E);
  setStatus("physics", "none: layout precomputed");
  setStatus("state", "ready");
  window.tradekgNetwork = {  // for tests and the console: hit testing by screen position
    nodeAt: nodeAt,
    edgeAt: edgeAt,
    screen: function (n) { return [V.sx(n), V.sy(n)]; },
    labelBoxes: V.labelBoxes,
    hover: function (x, y) { hover([x, y]); V.draw(); return hv.node >= 0 ? labels[hv.node] : hv.edge; }
  };
}
