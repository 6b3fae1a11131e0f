"""What happened in what order: the events of the knowledge graph as a timeline, grouped by round.

:func:`build_timeline` reads events through the event reader the network reads them through
(:mod:`tradekg.network.events`), so both show the same events, actors and kinds (each kind's verb and colour
come from the ontology), and returns plain rows; :func:`timeline_table` renders them for the terminal (rich),
:func:`write_timeline` as a self-contained HTML page or a PNG chart.

The named query ``timeline`` (``queries/timeline.rq``) answers the same question as one SPARQL query, one
row per event and article, for ``query`` and ``ask``, which page and format rows alike for every named
query. This module gives what a reader of the whole story needs and that query does not: events grouped by
negotiation round, actors acting for a country found under that country, who an event is attributed to,
and every quote in article order.
"""

from __future__ import annotations

import datetime as dt
import html
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradekg.errors import InputError, UsageError
from tradekg.network.edgekinds import edge_kind, kind_color
from tradekg.network.events import fetch_actors, fetch_events, fetch_representation, resolve_actor
from tradekg.network.select import Sparql, date_range, in_range, iri_term, run_select

if TYPE_CHECKING:
    from rich.table import Table

NO_ROUND = "Not part of a negotiation round"


def _rounds(sparql: Sparql, iris: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Label, number and date of each round (or negotiation, or event) that events are part of."""
    values = " ".join(iri_term(i) for i in sorted(set(iris)))
    if not values:
        return {}
    q = f"""SELECT ?round ?pref ?label ?number ?date WHERE {{ VALUES ?round {{ {values} }}
        OPTIONAL {{ ?round skos:prefLabel ?pref }} OPTIONAL {{ ?round rdfs:label ?label }}
        OPTIONAL {{ ?round tk:roundNumber ?number }} OPTIONAL {{ ?round tk:date ?date }} }}"""
    out: dict[str, dict[str, Any]] = {}
    for row in run_select(sparql, q):
        iri, number = row["round"], row.get("number") or ""
        if not iri:
            continue
        rec = out.setdefault(iri, {"iri": iri, "label": None, "number": None, "date": None})
        rec["label"] = rec["label"] or row.get("pref") or row.get("label")
        if number.isdigit():
            rec["number"] = int(number)
        rec["date"] = rec["date"] or row.get("date")
    return out


def build_timeline(
    sparql: Sparql,
    actor: str | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    *,
    document: str | None = None,
) -> list[dict[str, Any]]:
    """Events in date order, grouped by negotiation round, each with who, what, when and which article.

    Rows have ``event``, ``class``, ``kind``, ``date`` (``None`` when unknown), ``time_note``, ``summary``,
    ``agents`` and ``addressees`` (labels), ``round`` (IRI or ``None``), ``round_label``, ``source``
    (article title), ``article``, ``url``, ``evidence`` (quotes), ``status``, ``hedge`` and
    ``attributed_to`` (labels). Rounds come in the order of their first dated event (events outside any
    round form a group of their own); within a group, dated events come first, in date order, and events
    of one day in the order their article tells them (``offset``: where the evidence starts).

    ``actor`` (a label, alias or IRI) keeps the events it takes part in, or that someone acting for it
    takes part in: "Japan" also finds Akazawa's. With ``date_from``/``date_to``, undated events are left out.

    >>> import pyoxigraph as ox
    >>> from tradekg.network import pyoxigraph_sparql
    >>> from tradekg.resources import ontology_path
    >>> store = ox.Store(); store.load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)
    >>> tk, skos = "https://w3id.org/tradekg/ontology#", "http://www.w3.org/2004/02/skos/core#"
    >>> store.load((f'<urn:a> <{skos}prefLabel> "Ada" . <urn:b> <{skos}prefLabel> "Bo" . '
    ...   f'<urn:m> a <{tk}Meeting> ; <{tk}participant> <urn:a>, <urn:b> ; <{tk}date> "2025-04-16" . '
    ...   f'<urn:r> a <{tk}Request> ; <{tk}requester> <urn:b> ; <{tk}addressee> <urn:a> .').encode(),
    ...   format=ox.RdfFormat.TURTLE)
    >>> [(r["date"], r["kind"], r["agents"], r["addressees"]) for r in build_timeline(pyoxigraph_sparql(store))]
    [('2025-04-16', 'met', ['Ada', 'Bo'], []), (None, 'asked', ['Bo'], ['Ada'])]
    """
    start, end = date_range(date_from, date_to)
    events = fetch_events(sparql, document)
    if actor is not None:
        wanted = set(resolve_actor(sparql, actor))
        wanted |= {r["actor"] for r in fetch_representation(sparql) if r.get("target") in wanted and r["actor"]}
        events = {i: ev for i, ev in events.items() if wanted & (ev["agents"] | ev["addressees"])}
    events = {i: ev for i, ev in events.items() if in_range(ev["date"], start, end)}
    people = {a for ev in events.values() for a in ev["agents"] | ev["addressees"] | set(ev["attributed_to"])}
    actors = fetch_actors(sparql, people)
    rounds = _rounds(sparql, (r for ev in events.values() for r in ev["part_of"]))

    def label(iri: str) -> str:
        return actors.get(iri, {}).get("label") or iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    rows: list[dict[str, Any]] = []
    for ev in events.values():
        # An event may be part of a round and of a larger event; the round (one with a number) wins.
        parts = sorted(ev["part_of"], key=lambda r: (rounds.get(r, {}).get("number") is None, r))
        rnd = rounds.get(parts[0]) if parts else None
        source = ev["sources"][0] if ev["sources"] else {}
        rows.append({
            "event": ev["event"],
            "class": ev["class"],
            "kind": edge_kind(ev["class"]),
            "date": ev["date"],
            "time_note": ev["time_note"],
            "summary": ev["summary"],
            "agents": sorted(label(a) for a in ev["agents"]),
            "addressees": sorted(label(a) for a in ev["addressees"]),
            "round": rnd["iri"] if rnd else None,
            "round_label": (rnd["label"] or rnd["iri"]) if rnd else NO_ROUND,
            "round_number": rnd["number"] if rnd else None,
            "source": source.get("title"),
            "article": source.get("article"),
            "url": source.get("url"),
            "evidence": list(ev["evidence"]),
            "offset": ev["offset"],
            "status": ev["status"],
            "hedge": ev["hedge"],
            "attributed_to": [label(a) for a in ev["attributed_to"]],
        })
    first: dict[str | None, str] = {}
    for row in rows:
        if row["date"]:
            first[row["round"]] = min(first.get(row["round"], row["date"]), row["date"])

    def order(row: dict[str, Any]) -> tuple:
        group = row["round"]
        # Events of one day keep the order the article tells them in (where their evidence starts).
        return (first.get(group) is None, first.get(group) or "", group is None, row["round_number"] or 0,
                group or "", row["date"] is None, row["date"] or "", row["article"] or "",
                row["offset"] if row["offset"] is not None else 1 << 60, row["kind"], row["event"])

    rows.sort(key=order)
    return rows


def groups(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Consecutive rows of the same round, as (round label, rows).

    >>> [g for g, _ in groups([{"round": "r", "round_label": "R1"}, {"round": None, "round_label": "none"}])]
    ['R1', 'none']
    """
    out: list[tuple[str, list[dict[str, Any]]]] = []
    last: object = object()
    for row in rows:
        if row.get("round") != last:
            out.append((row["round_label"], []))
            last = row.get("round")
        out[-1][1].append(row)
    return out


def _who(row: dict[str, Any]) -> str:
    agents = ", ".join(row["agents"]) or "?"
    if row["addressees"]:
        return f"{agents} → {', '.join(row['addressees'])}"
    return agents


def _when(row: dict[str, Any]) -> str:
    return row["date"] or "undated"


def timeline_table(rows: list[dict[str, Any]], title: str = "Timeline") -> Table:
    """A rich Table for the terminal: one section per round; article text is never read as markup."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, caption=f"{len(rows)} events", show_lines=False)
    columns: tuple[tuple[str, dict[str, Any]], ...] = (
        ("date", {"min_width": 10, "max_width": 16}), ("kind", {}), ("who", {"ratio": 2}), ("what", {"ratio": 4}),
        ("source", {"ratio": 2}))
    for name, kwargs in columns:
        table.add_column(name, **kwargs)
    for index, (label, members) in enumerate(groups(rows)):
        if index:
            table.add_section()
        table.add_row("", "", "", Text(label, style="bold"), "")
        for row in members:
            when = _when(row) + (f"\n{row['time_note']}" if row.get("time_note") else "")
            what = row["summary"] or (row["evidence"][0] if row["evidence"] else "")
            status = f" ({row['status']})" if row.get("status") else ""
            table.add_row(Text(when), Text(row["kind"]), Text(_who(row)), Text(what),
                          Text((row["source"] or row["article"] or "") + status))
    return table


_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 24px auto;
  max-width: 980px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
ol { list-style: none; padding: 0; margin: 0; }
li { display: grid; grid-template-columns: 120px 1fr; gap: 4px 16px; padding: 10px 0;
  border-bottom: 1px solid #f0f0f0; }
time { font-variant-numeric: tabular-nums; color: #444; } .note { color: #777; font-size: 12px; display: block; }
.kind { display: inline-block; color: #fff; border-radius: 3px; padding: 0 6px; font-size: 12px; margin-right: 6px; }
.who { font-weight: 600; } .meta { color: #666; font-size: 13px; margin: 2px 0; }
blockquote { margin: 4px 0; padding: 2px 10px; background: #f6f6f3; border-left: 3px solid #ccc; font-style: italic; }
.muted { color: #777; }
"""


def render_timeline_html(rows: list[dict[str, Any]], title: str = "Timeline") -> str:
    """The timeline as one self-contained page: no script, nothing fetched, every text escaped.

    >>> "&lt;b&gt;" in render_timeline_html([], title="<b>")
    True
    """
    e = html.escape
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
        f"<title>{e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<h1>{e(title)}</h1>\n",
        f"<p class=\"muted\">{len(rows)} events, in date order within each round; undated events last.</p>\n",
    ]
    for label, members in groups(rows):
        parts.append(f"<section>\n<h2>{e(label)}</h2>\n<ol>\n")
        for row in members:
            note = f"<span class=\"note\">{e(row['time_note'])}</span>" if row.get("time_note") else ""
            parts.append(f"<li><div><time>{e(_when(row))}</time>{note}</div><div>")
            parts.append(f"<span class=\"kind\" style=\"background:{kind_color(row['kind'])}\">{e(row['kind'])}</span>")
            parts.append(f"<span class=\"who\">{e(_who(row))}</span>")
            if row.get("summary"):
                parts.append(f"<p>{e(row['summary'])}</p>")
            for quote in row.get("evidence", []):
                parts.append(f"<blockquote>{e(quote)}</blockquote>")
            meta = []
            if row.get("source") or row.get("article"):
                name = e(row.get("source") or row["article"])
                url = row.get("url") or ""
                link = f"<a href=\"{e(url)}\">{name}</a>" if url.startswith(("https://", "http://")) else name
                meta.append(f"Source: {link}")
            if row.get("attributed_to"):
                meta.append("according to " + e(", ".join(row["attributed_to"])))
            if row.get("status"):
                meta.append(e(row["status"]) + (f" ({e(row['hedge'])})" if row.get("hedge") else ""))
            if meta:
                parts.append(f"<p class=\"meta\">{' · '.join(meta)}</p>")
            parts.append("</div></li>\n")
        parts.append("</ol>\n</section>\n")
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def draw_timeline(rows: list[dict[str, Any]], path: str | Path, title: str = "Timeline") -> None:
    """A PNG (or SVG) chart: one line per event, a column per date (undated last), bands per round."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    shown = rows[:150]
    dates = sorted({r["date"] for r in shown if r["date"]})
    columns = {d: i for i, d in enumerate(dates)}
    undated = len(dates)
    height = min(40.0, max(3.5, 1.6 + 0.32 * len(shown)))
    fig = Figure(figsize=(12, height), dpi=130)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.22, 0.9 / height, 0.76, 1 - 1.6 / height))
    ncol = len(dates) + (1 if any(not r["date"] for r in shown) else 0)
    ax.set_xlim(-0.5, max(ncol, 1) - 0.5 + 3.5)  # the text to the right of the last column needs room
    ax.set_ylim(max(len(shown), 1) - 0.5, -0.5)
    ax.set_yticks([])
    ax.set_xticks(range(ncol), dates + (["undated"] if ncol > len(dates) else []), fontsize=9)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    y = 0
    points: list[tuple[float, float, str]] = []
    for index, (label, members) in enumerate(groups(shown)):
        if index % 2 == 0:
            ax.axhspan(y - 0.5, y + len(members) - 0.5, color="#f3f3ef", zorder=0)
        ax.text(-0.03, y + (len(members) - 1) / 2, textwrap.fill(label, 30), transform=ax.get_yaxis_transform(),
                ha="right", va="center", fontsize=9, fontweight="bold")
        for row in members:
            x = columns.get(row["date"], undated)
            points.append((x, y, kind_color(row["kind"])))
            text = textwrap.shorten(f"{_who(row)}: {row['summary'] or row['kind']}", 110, placeholder="…")
            ax.text(x + 0.12, y, text, va="center", fontsize=8, zorder=4)
            y += 1
    if points:
        xs, ys, colors = zip(*points, strict=True)
        ax.scatter(xs, ys, s=60, c=list(colors), zorder=3)
    kinds = sorted({r["kind"] for r in shown})
    fig.legend(handles=[Line2D([], [], marker="o", ls="", color=kind_color(k), label=k) for k in kinds],
               loc="upper right", ncols=min(len(kinds), 6) or 1, fontsize=8, frameon=False)
    more = f" (first {len(shown)} of {len(rows)})" if len(rows) > len(shown) else ""
    fig.suptitle(f"{title}{more}", x=0.02, ha="left", fontsize=13)
    fig.savefig(str(path), format=Path(path).suffix.lower().lstrip("."))


def write_timeline(rows: list[dict[str, Any]], path: str | Path, *, title: str = "Timeline") -> Path:
    """Write the timeline as ``.html`` (self-contained page), ``.png`` or ``.svg`` (chart).

    >>> write_timeline([], "/tmp/timeline.html").suffix
    '.html'
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in (".html", ".htm", ".png", ".svg"):
        raise UsageError(f"{path}: cannot write a timeline as {ext or 'a file without extension'!r}; "
                         "use .html, .png or .svg")
    if not path.parent.exists():
        raise InputError(f"folder {path.parent} does not exist", path=path)
    try:
        if ext in (".html", ".htm"):
            path.write_text(render_timeline_html(rows, title), encoding="utf-8")
        else:
            draw_timeline(rows, path, title)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", path=path) from None
    return path
