"""Measure extraction speed: 100 articles of about 600 words each, on one core.

Run: ``.venv/bin/python benchmarks/bench_extract.py`` (target: under 10 s). The articles are built from
the example articles' sentences, shuffled deterministically, so the text is realistic news prose.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
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
    gaz = _default_gazetteer()
    t0 = time.perf_counter()
    extract("Warm-up: Japan met the United States.", gazetteer=gaz)
    warm = time.perf_counter() - t0
    articles = corpus()
    words = sum(len(a.split()) for a in articles)
    t0 = time.perf_counter()
    events = 0
    for a in articles:
        events += len(extract(a, published=dt.date(2025, 7, 23), gazetteer=gaz).events)
    took = time.perf_counter() - t0
    print(f"extracted {len(articles)} articles ({words:,} words, {events} events) in {took:.2f} s "
          f"({took / len(articles) * 1000:.1f} ms per article; first call with gazetteer index {warm:.2f} s)")
    print("target: < 10 s on one core:", "OK" if took < 10 else "TOO SLOW")


if __name__ == "__main__":
    main()
