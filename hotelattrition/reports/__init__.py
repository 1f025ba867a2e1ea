"""Read-only queries and aggregation, in SQL: rows first, serialisation second."""
