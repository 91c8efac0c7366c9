"""tradewatch: follow a trade negotiation in the news."""

__version__ = "0.1.0"
