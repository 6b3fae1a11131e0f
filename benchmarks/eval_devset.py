"""Score the extractor on the real-text dev set (../shared/devset), in one process.

Runs ``extract`` on every body with what a user would know (the date when meta.json has the full day, the
title, the speaker of a first-person text), writes the JSON predictions, scores them with the dev set's own
``score.py`` (the scorer of the hidden set), and adds what that scorer does not measure: the share of matched
events whose date is right, and extraction speed. ``--show`` prints, per file, the gold events missed and the
predictions that matched nothing.

    python benchmarks/eval_devset.py [--devset ../shared/devset] [--show] [--out DIR]

The last line is ``key=value`` pairs: event_f1, event_p, event_r, arg_f1, topic_f1, date_acc, docs_per_s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import io
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _scorer(devset: Path):
    spec = importlib.util.spec_from_file_location("devset_score", devset / "score.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def predict(devset: Path, out: Path) -> tuple[dict[str, dict], float]:
    """Extract every body into ``out``; returns the predictions and the seconds spent extracting."""
    from tradekg.extract import extract
    from tradekg.extract.parse import load_model

    load_model()
    meta = json.loads((devset / "bodies" / "meta.json").read_text(encoding="utf-8"))
    preds, spent = {}, 0.0
    for body in sorted((devset / "bodies").glob("*.txt")):
        m = meta[body.name]
        gold = devset / "gold" / (body.stem + ".json")
        speaker = json.loads(gold.read_text(encoding="utf-8")).get("speaker") if gold.exists() else None
        published = dt.date.fromisoformat(m["date"]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", m["date"]) else None
        text = body.read_text(encoding="utf-8")
        t0 = time.process_time()
        x = extract(text, published=published, title=m["title"], speaker=speaker)
        spent += time.process_time() - t0
        preds[body.name] = x.to_json()
        (out / (body.name + ".json")).write_text(json.dumps(preds[body.name], indent=1), encoding="utf-8")
    return preds, spent


def _date_accuracy(score, devset: Path, preds: dict[str, dict], show: bool) -> tuple[int, int]:
    right = total = 0
    for gold_path in sorted((devset / "gold").glob("*.json")):
        body = (devset / "bodies" / (gold_path.stem + ".txt")).read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["events"]
        pred = preds.get(gold_path.stem + ".txt", {}).get("events", [])
        used: set[int] = set()
        lines = []
        for g in gold:
            gs = score.span(g, body)
            best = None
            for i, p in enumerate(pred):
                ps = score.span(p, body)
                if i not in used and p["type"] == g["type"] and gs and ps and ps[0] < gs[1] and gs[0] < ps[1]:
                    best = i
                    break
            if best is None:
                lines.append(f"  MISS {g['type']:12} {g['agents']}->{g['addressees']} | {g['quote'][:90]}")
                continue
            used.add(best)
            p = pred[best]
            if g.get("date"):
                total += 1
                right += p.get("date") == g["date"]
            gr, pr = score.roles(g), score.roles(p)
            gt = {score.head(t) for t in g.get("topics", [])}
            pt = {score.head(t) for t in p.get("topics", [])}
            if gr != pr or g.get("date") != p.get("date") or gt != pt:
                lines.append(f"  ARGS {g['type']:12} gold {sorted(x for _, x in gr)} {sorted(gt)} {g.get('date')}"
                             f" | pred {sorted(x for _, x in pr)} {sorted(pt)} {p.get('date')}"
                             f" | {g['quote'][:50]}")
        for i, p in enumerate(pred):
            if i not in used:
                lines.append(f"  FP   {p['type']:12} {p['agents']}->{p['addressees']} '{p['trigger']}' | "
                             f"{p['evidence']['text'][:80]}")
        if show and lines:
            print(gold_path.stem)
            print("\n".join(lines))
    return right, total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devset", type=Path, default=ROOT.parent / "shared" / "devset")
    ap.add_argument("--out", type=Path, default=None, help="keep the predictions here")
    ap.add_argument("--show", action="store_true", help="print misses and unmatched predictions")
    args = ap.parse_args(argv)
    if not (args.devset / "score.py").is_file():
        print(f"no dev set at {args.devset}", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="tradekg-devset-"))
    out.mkdir(parents=True, exist_ok=True)
    score = _scorer(args.devset)
    preds, spent = predict(args.devset, out)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        score.main(str(out), str(args.devset / "gold"), str(args.devset / "bodies"))
    report = buf.getvalue()
    print(report, end="")
    right, total = _date_accuracy(score, args.devset, preds, args.show)
    last = dict(kv.split("=") for kv in report.strip().splitlines()[-1].split())
    overall = re.search(r"events P=([\d.]+) R=([\d.]+)", report)
    words = sum(len((args.devset / "bodies" / n).read_text(encoding="utf-8").split()) for n in preds)
    print(f"dates right on {right}/{total} matched events with a gold date; "
          f"{len(preds)} texts ({words} words) extracted in {spent:.2f} s of CPU", file=sys.stderr)
    print(f"event_f1={last['event_f1']} event_p={overall.group(1) if overall else '?'} "
          f"event_r={overall.group(2) if overall else '?'} arg_f1={last['arg_f1']} topic_f1={last['topic_f1']} "
          f"date_acc={right / total if total else 0:.2f} docs_per_s={len(preds) / spent:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
