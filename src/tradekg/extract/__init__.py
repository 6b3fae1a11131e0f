"""Offline, deterministic extraction of trade-negotiation events from article text.

>>> from tradekg.extract import extract, read_article  # doctest: +SKIP
>>> x = extract(read_article("seeds/us-japan-first-round-2025-04.txt"))  # doctest: +SKIP
>>> x.to_json()["events"][0]["type"]  # doctest: +SKIP
'Request'
"""

from .article import MAX_BYTES, decode_article, read_article
from .core import Extraction, extract
from .evaluate import EvaluationReport, evaluate, format_report  # noqa: E402
from .lexicon import event_types, load_lexicons

__all__ = ["event_types", "MAX_BYTES", "EvaluationReport", "Extraction", "decode_article", "evaluate",
           "extract", "format_report", "load_lexicons", "read_article"]
