"""gongkai extractor: government information disclosure annual reports → DuckDB."""

PARSER_VERSION = "1.1.0"
