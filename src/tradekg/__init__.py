"""tradekg: a knowledge graph of trade-negotiation events built from news articles.

>>> import tempfile
>>> from tradekg import KnowledgeGraph
>>> kg = KnowledgeGraph.open(tempfile.mkdtemp() + "/tradekg-store")
>>> kg.ingest(["seeds/"]).exit_code
0
>>> kg.query("requests", by="United States", of="Japan").rows[0]["topics"]
"Automobiles, Japan's automobile safety standards"
>>> bool(kg.ask("What did the US request of Japan?").rows)
True

The public names are imported on first use, so ``import tradekg`` (and the CLI's start-up) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "KnowledgeGraph": "tradekg.kg",
    "BatchResult": "tradekg.kg",
    "DocumentOutcome": "tradekg.kg",
    "ResultGraph": "tradekg.kg",
    "QueryResult": "tradekg.output",
    "NamedQuery": "tradekg.queries",
    "TradekgError": "tradekg.errors",
    "InputError": "tradekg.errors",
    "UsageError": "tradekg.errors",
    "StoreBusyError": "tradekg.errors",
    "QueryRefusedError": "tradekg.errors",
}

__all__ = [
    "__version__", "KnowledgeGraph", "BatchResult", "DocumentOutcome", "ResultGraph", "QueryResult", "NamedQuery",
    "TradekgError", "InputError", "UsageError", "StoreBusyError", "QueryRefusedError",
]

if TYPE_CHECKING:
    from tradekg.errors import InputError, QueryRefusedError, StoreBusyError, TradekgError, UsageError
    from tradekg.kg import BatchResult, DocumentOutcome, KnowledgeGraph, ResultGraph
    from tradekg.output import QueryResult
    from tradekg.queries import NamedQuery


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tradekg' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
