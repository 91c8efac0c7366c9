"""The only package that opens sockets for news: conditional GET, timeouts, size caps, per-host
politeness and bounded retries. It imports nothing of ours; failures are returned as data."""
