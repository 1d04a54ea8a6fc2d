"""The catalogue: ``dbt docs generate --static`` into one self-contained HTML file, and a local server."""

from __future__ import annotations

import functools
import http.server
import shutil
from pathlib import Path

from extract.paths import WarehousePaths
from extract.run.dbt import run_dbt


class DocsError(Exception):
    """``dbt docs generate`` failed; the message holds the end of its output."""


def docs_dir(db_path: Path) -> Path:
    """Where the catalogue of a warehouse is written: ``<warehouse folder>/docs``."""
    return WarehousePaths(db_path).docs


def build_docs(db_path: Path, compiled: bool = False) -> Path:
    """Generate the static catalogue (with real column types) for the warehouse; returns index.html.

    ``compiled``: the dbt target folder already holds this project's manifest (right after
    ``dbt build``), so compilation is skipped.
    """
    target = WarehousePaths(db_path).dbt_target
    extra = ["--no-compile"] if compiled and (target / "manifest.json").exists() else []
    log = WarehousePaths(db_path).logs / "dbt_docs.log"
    result = run_dbt(["docs", "generate", "--static", *extra], db_path, log)
    static = target / "static_index.html"
    if result.returncode != 0 or not static.exists():
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise DocsError(f"dbt docs generate failed:\n{tail}")
    out = docs_dir(db_path)
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    shutil.copyfile(static, index)
    return index


def serve_docs(directory: Path, port: int) -> None:
    """Serve the catalogue on localhost only, until interrupted."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"gongkai docs: serving {directory} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
