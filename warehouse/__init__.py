"""The DuckDB warehouse: migrations, idempotent writes, event merging and read-only queries."""
