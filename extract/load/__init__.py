"""Load: the only writer of the warehouse's ``raw`` schema (from reports or from Parquet shards)."""
