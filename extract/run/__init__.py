"""Run: a refresh from folder scan to published warehouse (plan, worker pool, lock, dbt, docs, exports)."""
