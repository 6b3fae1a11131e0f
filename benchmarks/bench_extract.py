"""Measure extraction speed: 100 articles of about 600 words each, on one core.

Run: ``taskset -c 0 .venv/bin/python benchmarks/bench_extract.py`` (pin to one core). Targets (issue 14):
at least 10 articles of 600 words per second, model loading excluded and reported separately, and
``tradekg extract`` of one article in at most 2 s end to end. The articles are built from the example
articles' sentences (our own words), shuffled deterministically, so the text is realistic news prose.
The last line is ``key=value``: articles_per_s (CPU time), articles_per_s_wall, model_load_s, cli_extract_s.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tradekg.extract import extract, read_article  # noqa: E402
from tradekg.extract.core import _default_gazetteer  # noqa: E402
from tradekg.extract.sentences import split_sentences  # noqa: E402


def corpus(n: int = 100, words: int = 600) -> list[str]:
    texts = [read_article(p) for p in sorted((ROOT / "examples").glob("*.txt"))]
    texts.append(read_article(ROOT / "seeds" / "us-japan-first-round-2025-04.txt"))
    pool = [s.of(t) for t in texts for s in split_sentences(t)]
    rng = random.Random(20250416)
    out = []
    for _ in range(n):
        parts: list[str] = []
        count = 0
        while count < words:
            s = rng.choice(pool)
            parts.append(s)
            count += len(s.split())
        out.append(" ".join(parts))
    return out


def main() -> None:
    from tradekg.extract.parse import load_model

    t0 = time.perf_counter()
    load_model()
    model_load = time.perf_counter() - t0
    gaz = _default_gazetteer()
    t0 = time.perf_counter()
    extract("Warm-up: Japan met the United States.", gazetteer=gaz)
    warm = time.perf_counter() - t0
    articles = corpus()
    words = sum(len(a.split()) for a in articles)
    c0, t0 = time.process_time(), time.perf_counter()
    events = 0
    for a in articles:
        events += len(extract(a, published=dt.date(2025, 7, 23), gazetteer=gaz).events)
    cpu, took = time.process_time() - c0, time.perf_counter() - t0
    print(f"extracted {len(articles)} articles ({words:,} words, {events} events) in {took:.2f} s wall, "
          f"{cpu:.2f} s CPU ({cpu / len(articles) * 1000:.1f} ms CPU per article); model load {model_load:.2f} s, "
          f"gazetteer index {warm:.2f} s", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(articles[0], encoding="utf-8")
        exe = Path(sys.executable).with_name("tradekg")
        t0 = time.perf_counter()
        subprocess.run([str(exe), "extract", str(path), "--published", "2025-07-23", "--format", "json"],
                       check=True, capture_output=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        cli = time.perf_counter() - t0
    print(f"articles_per_s={len(articles) / cpu:.1f} articles_per_s_wall={len(articles) / took:.1f} "
          f"model_load_s={model_load:.2f} cli_extract_s={cli:.2f}")


if __name__ == "__main__":
    main()
