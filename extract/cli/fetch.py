"""``gongkai fetch`` and the fetch flags ``gongkai refresh --fetch`` shares."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path


def _positive(kind: type, minimum: float):
    def parse(value: str):
        try:
            number = kind(value)
        except ValueError:
            number = None
        if number is None or number < minimum:
            raise argparse.ArgumentTypeError(f"{value}: a number of at least {minimum:g}")
        return number
    return parse


def add_fetch_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fetching")
    group.add_argument("--delay", type=_positive(float, 0), default=1.0,
                       help="seconds between two requests to one host (default 1; a longer Crawl-delay wins)")
    group.add_argument("--timeout", type=_positive(float, 0.1), default=30.0,
                       help="seconds to wait for a server to connect or send (default 30)")
    group.add_argument("--retries", type=_positive(int, 0), default=3,
                       help="retries with backoff after a 5xx, a timeout or a failed connection (default 3)")
    group.add_argument("--max-bytes", type=_positive(int, 1), default=None,
                       help="largest file downloaded (default GONGKAI_MAX_FILE_MB, 40 MB)")
    group.add_argument("--max-pages", type=_positive(int, 1), default=10,
                       help="listing pages read per listing source, the first included (default 10)")
    group.add_argument("--contact", default=None,
                       help="a URL or email for the User-Agent, so a webmaster can reach you")
    group.add_argument("--fetch-workers", type=_positive(int, 1), default=4,
                       help="hosts fetched at the same time (one request at a time per host; default 4)")


def fetch_options(args: argparse.Namespace):
    from extract.fetch.run import FetchOptions
    from extract.run.pool import max_file_bytes

    return FetchOptions(delay=args.delay, timeout=args.timeout, retries=args.retries,
                        max_bytes=args.max_bytes or max_file_bytes(), max_pages=args.max_pages,
                        contact=args.contact, workers=args.fetch_workers)


def cmd_fetch(args: argparse.Namespace) -> int:
    from extract.fetch.run import fetch_locked
    from extract.run.exits import (
        EXIT_FETCH_FAILURES,
        EXIT_INTERRUPTED,
        EXIT_TERMINATED,
        EXIT_USAGE,
        Refused,
        Terminated,
    )
    from extract.run.lock import LOCK_BUSY_EXIT, LockBusy

    quiet = args.quiet or args.json
    try:
        options = fetch_options(args)
        summary = fetch_locked(Path(args.sources), Path(args.reports), Path(args.db), options,
                               log=(lambda *_: None) if quiet else print, wait=args.wait)
    except ValueError as error:  # a limit variable that is not a number
        print(f"gongkai fetch: {error}", file=sys.stderr)
        return EXIT_USAGE
    except LockBusy as busy:
        print(f"gongkai fetch: {busy}", file=sys.stderr)
        return LOCK_BUSY_EXIT
    except Refused as refusal:
        print(f"gongkai fetch: refused: {refusal.message}", file=sys.stderr)
        return refusal.exit_code
    except Terminated:
        print("gongkai fetch: stopped by SIGTERM; the files saved so far are kept", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("gongkai fetch: stopped; the files saved so far are kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    if args.json:
        print(json.dumps(asdict(summary), ensure_ascii=False, indent=2))
    else:
        print(f"fetch {summary.fetch_run_id}: {summary.sources} sources, {len(summary.files)} files in "
              f"{args.reports}; {summary.failures} URLs failed (fetch log: {summary.log_path})")
    return EXIT_FETCH_FAILURES if summary.failures else 0
