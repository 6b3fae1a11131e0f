"""tradekg: a knowledge graph of trade-negotiation events built from news articles."""

__version__ = "0.1.0"
