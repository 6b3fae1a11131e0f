"""Score the extractor against hand-written gold files in the JSON contract's shape.

A gold event matches a predicted event of the same type whose evidence span overlaps it (one to one,
largest overlap first). Event precision is matched / predicted, recall matched / gold. For matched pairs,
agents, addressees and topics are compared as sets (micro-averaged). Statistics match on overlapping
evidence and equal value (within 0.5%).

Gold files are ``NAME.gold.json`` next to ``NAME.txt``; the published date, title and speaker come from
the gold's ``document`` section or from an optional ``NAME.meta.yaml``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from .article import read_article
from .core import extract
from .lexicon import event_types

ROLES = ("agents", "addressees", "topics")


@dataclass
class Counts:
    """True positives, predicted and gold counts, with precision, recall and F1."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        """Add another count into this one."""
        self.tp += other.tp
        self.pred += other.pred
        self.gold += other.gold

    @property
    def precision(self) -> float:
        """tp / predicted (1.0 when nothing was predicted and nothing was expected)."""
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        """tp / gold (1.0 when nothing was expected and nothing was predicted)."""
        return self.tp / self.gold if self.gold else (1.0 if not self.pred else 0.0)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        """Counts and rounded scores as a dict."""
        return {"tp": self.tp, "predicted": self.pred, "gold": self.gold, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass
class FileScore:
    """Scores of one article (or the total): events, roles of matched events, per type, statistics."""

    name: str
    events: Counts = field(default_factory=Counts)
    roles: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLES})
    by_type: dict[str, Counts] = field(default_factory=dict)
    statistics: Counts = field(default_factory=Counts)


@dataclass
class EvaluationReport:
    """Scores per file, per event type and overall."""

    files: list[FileScore]

    def overall(self) -> FileScore:
        """The sum over all files."""
        total = FileScore("overall")
        for f in self.files:
            total.events.add(f.events)
            total.statistics.add(f.statistics)
            for r in ROLES:
                total.roles[r].add(f.roles[r])
            for t, c in f.by_type.items():
                total.by_type.setdefault(t, Counts()).add(c)
        return total

    def to_json(self) -> dict:
        """Per file and overall scores as a dict (for ``--format json``)."""

        def one(f: FileScore) -> dict:
            return {"events": f.events.to_json(), "statistics": f.statistics.to_json(),
                    **{r: f.roles[r].to_json() for r in ROLES},
                    "types": {t: c.to_json() for t, c in sorted(f.by_type.items())}}
        return {"files": {f.name: one(f) for f in self.files}, "overall": one(self.overall())}


def _key(label: Any, gaz_resolve) -> str:
    text = str(label).strip()
    iri = gaz_resolve(text) if gaz_resolve else None
    return str(iri) if iri else text.casefold()


def _overlap(a: dict, b: dict) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def score_file(name: str, gold: dict, pred: dict, gaz_resolve=None) -> FileScore:
    """Score one predicted JSON against its gold JSON."""
    fs = FileScore(name)
    g_events, p_events = gold.get("events", []), pred.get("events", [])
    for t in {e["type"] for e in g_events} | {e["type"] for e in p_events}:
        fs.by_type[t] = Counts(pred=sum(e["type"] == t for e in p_events), gold=sum(e["type"] == t for e in g_events))
    pairs = sorted(((_overlap(g["evidence"], p["evidence"]), gi, pi)
                    for gi, g in enumerate(g_events) for pi, p in enumerate(p_events)
                    if g["type"] == p["type"] and _overlap(g["evidence"], p["evidence"]) > 0),
                   key=lambda x: (-x[0], x[1], x[2]))
    used_g, used_p = set(), set()
    matched = []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        matched.append((g_events[gi], p_events[pi]))
    matched = _rematch_same_sentence(g_events, p_events, matched, gaz_resolve)
    fs.events = Counts(tp=len(matched), pred=len(p_events), gold=len(g_events))
    for g, p in matched:
        fs.by_type[g["type"]].tp += 1
        for r in ROLES:
            gs = {_key(x, gaz_resolve) for x in g.get(r, [])}
            ps = {_key(x, gaz_resolve) for x in p.get(r, [])}
            fs.roles[r].add(Counts(tp=len(gs & ps), pred=len(ps), gold=len(gs)))
    g_stats, p_stats = gold.get("statistics", []), pred.get("statistics", [])
    used = set()
    tp = 0
    for g in g_stats:
        for pi, p in enumerate(p_stats):
            if pi in used or _overlap(g["evidence"], p["evidence"]) <= 0:
                continue
            if abs(float(g["value"]) - float(p["value"])) <= 0.005 * max(abs(float(g["value"])), 1e-9):
                used.add(pi)
                tp += 1
                break
    fs.statistics = Counts(tp=tp, pred=len(p_stats), gold=len(g_stats))
    return fs


def _rematch_same_sentence(g_events, p_events, matched, gaz_resolve):
    # Events of one type in the same sentence tie on overlap; pair them by shared agents instead.
    def agree(g, p):
        gs = {_key(x, gaz_resolve) for x in g.get("agents", []) + g.get("addressees", [])}
        ps = {_key(x, gaz_resolve) for x in p.get("agents", []) + p.get("addressees", [])}
        return len(gs & ps)
    out = list(matched)
    for i in range(len(out)):
        for j in range(i + 1, len(out)):
            (g1, p1), (g2, p2) = out[i], out[j]
            if g1["type"] == g2["type"] and agree(g1, p2) + agree(g2, p1) > agree(g1, p1) + agree(g2, p2) \
                    and _overlap(g1["evidence"], p2["evidence"]) > 0 and _overlap(g2["evidence"], p1["evidence"]) > 0:
                out[i], out[j] = (g1, p2), (g2, p1)
    return out


def _meta(gold_path: Path, gold: dict) -> dict:
    meta = dict(gold.get("document") or {})
    side = gold_path.with_name(gold_path.name[: -len(".gold.json")] + ".meta.yaml")
    if side.exists():
        try:
            extra = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise InputError(f"not valid YAML: {exc}", path=side) from None
        if not isinstance(extra, dict):
            raise InputError("a .meta.yaml file must be a mapping (published, title, speaker)", path=side)
        meta.update(extra)
    return meta


def _date(value: Any, path: Path) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"field 'published' is not a date (YYYY-MM-DD): {value!r}", path=path) from None


def load_gold(path: Path) -> dict:
    """A gold file, checked for the fields scoring needs."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read gold file: {exc}", path=path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=path, line=exc.lineno, column=exc.colno) from None
    if not isinstance(gold, dict) or not isinstance(gold.get("events", []), list):
        raise InputError("a gold file is a JSON object with an 'events' list", path=path)
    for n, e in enumerate(gold.get("events", [])):
        if not isinstance(e, dict) or e.get("type") not in event_types():
            raise InputError(f"events[{n}].type must be one of {', '.join(event_types())}", path=path)
        ev = e.get("evidence")
        if not isinstance(ev, dict) or not all(isinstance(ev.get(k), int) for k in ("start", "end")):
            raise InputError(f"events[{n}].evidence needs integer 'start' and 'end'", path=path)
    for n, s in enumerate(gold.get("statistics", [])):
        if not isinstance(s, dict) or not isinstance(s.get("evidence"), dict) or "value" not in s:
            raise InputError(f"statistics[{n}] needs 'value' and 'evidence'", path=path)
    return gold


def evaluate(gold_dir: str | Path, *, gazetteer: Any = None) -> EvaluationReport:
    """Run the extractor on every ``*.gold.json``'s article in ``gold_dir`` and score it.

    >>> report = evaluate("examples")  # doctest: +SKIP
    >>> print(format_report(report))  # doctest: +SKIP
    """
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise InputError("not a folder of gold files", path=folder)
    golds = sorted(folder.glob("*.gold.json"))
    if not golds:
        raise InputError("no *.gold.json files in this folder", path=folder)
    if gazetteer is None:
        from .core import _default_gazetteer

        gazetteer = _default_gazetteer()
    resolve = getattr(gazetteer, "resolve", None)
    files = []
    for gp in golds:
        gold = load_gold(gp)
        txt = gp.with_name(gp.name[: -len(".gold.json")] + ".txt")
        if not txt.exists():
            raise InputError(f"no article text {txt.name} next to the gold file", path=gp)
        meta = _meta(gp, gold)
        text = read_article(txt)
        x = extract(text, published=_date(meta.get("published"), gp), title=meta.get("title"),
                    speaker=meta.get("speaker"), gazetteer=gazetteer)
        files.append(score_file(txt.stem, gold, x.to_json(), resolve))
    return EvaluationReport(files)


def _row(name: str, c: Counts) -> str:
    return f"{name:<44} {c.tp:>4} {c.pred:>5} {c.gold:>5} {c.precision:>6.2f} {c.recall:>6.2f} {c.f1:>6.2f}"


def format_report(report: EvaluationReport) -> str:
    """A plain-text table: per file, per event type, roles and statistics, and overall."""
    head = f"{'':<44} {'tp':>4} {'pred':>5} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}"
    lines = ["Events per file", head]
    lines += [_row(f.name, f.events) for f in report.files]
    total = report.overall()
    lines += ["", "Events per type", head]
    lines += [_row(t, c) for t, c in sorted(total.by_type.items())]
    lines += ["", "Roles of matched events, and statistics", head]
    lines += [_row(r, total.roles[r]) for r in ROLES]
    lines += [_row("statistics", total.statistics)]
    lines += ["", _row("overall events", total.events)]
    return "\n".join(lines)
