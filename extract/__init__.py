"""gongkai extractor: government information disclosure annual reports → DuckDB."""

PARSER_VERSION = "1.3.0"
