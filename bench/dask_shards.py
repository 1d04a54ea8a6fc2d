"""``gongkai shard`` on Dask against the local engine: throughput with 1 and 2 workers (issue 18, item 4).

    .venv/bin/python bench/dask_shards.py              # print the figures
    .venv/bin/python bench/dask_shards.py --write      # … and update bench/RESULTS.md's section

Generates ``--count`` mixed reports (bench/corpus.py), then times the whole command (scan,
hashing, cluster start, extraction, shards written) for each engine with 1 and 2 workers, each
into a fresh shards folder, and checks that the Dask shards hold the same rows as the local
ones (run ids and timestamps aside). The LocalCluster's start is timed on its own too, and the
CPU seconds of every process of each run are summed (on a shared machine the wall time
measures the cores left over; the CPU time is what the engine costs).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from corpus import generate  # noqa: E402
from layouts import write_section  # noqa: E402

from extract.load.shards import SHARD_TABLES  # noqa: E402
from extract.run.cluster import dask_client  # noqa: E402

SECTION = "## Extraction on Dask (bench/dask_shards.py)"
VOLATILE = {"run_id", "extracted_at", "updated_at", "first_seen_run", "last_changed_run", "last_seen_run",
            "occurred_at"}


def same_rows(a: Path, b: Path) -> bool:
    """Whether two shard folders hold the same rows in every raw table (run ids and timestamps aside)."""
    con = duckdb.connect()
    try:
        for table in SHARD_TABLES:
            files = [sorted(str(p) for p in (folder / table).glob("*.parquet")) for folder in (a, b)]
            columns = [row[0] for row in con.execute("describe select * from read_parquet(?)", [files[0]]).fetchall()]
            keep = ", ".join(f'"{name}"' for name in columns if name not in VOLATILE)
            rows = [con.execute(f"select {keep} from read_parquet(?) order by all", [f]).fetchall() for f in files]
            if rows[0] != rows[1]:
                return False
        return True
    finally:
        con.close()


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and every process it waited for) of a command that must succeed."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}: {result.stderr[-2000:]}")
    return seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def cluster_start(workers: int) -> float:
    started = time.perf_counter()
    with dask_client(None, workers):
        ready = time.perf_counter() - started
    return ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300, help="reports to generate")
    parser.add_argument("--batch", type=int, default=25, help="files per shard")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each engine and size, interleaved; best kept")
    parser.add_argument("--write", action="store_true", help="update the section in bench/RESULTS.md")
    args = parser.parse_args()
    from run import GONGKAI, machine  # bench/run.py keeps this script's section: imported here, not above

    with tempfile.TemporaryDirectory(prefix="gongkai-dask-") as tmp:
        root = Path(tmp)
        generate(root / "reports", args.count, seed=2026)
        results: dict[tuple[str, int], float] = {}
        cpu: dict[tuple[str, int], float] = {}
        load = [os.getloadavg()[0]]
        for round_no in range(args.rounds):
            for engine in ("local", "dask"):
                for workers in (1, 2):
                    out = root / f"{engine}-{workers}"
                    shutil.rmtree(out, ignore_errors=True)
                    seconds, used = timed([GONGKAI, "shard", "--reports", str(root / "reports"), "--out", str(out),
                                           "--batch", str(args.batch), "--engine", engine, "--workers", str(workers),
                                           "--quiet"])
                    results[engine, workers] = min(seconds, results.get((engine, workers), seconds))
                    cpu[engine, workers] = min(used, cpu.get((engine, workers), used))
                    print(f"round {round_no + 1}: {engine} {workers}: {seconds:.1f} s, CPU {used:.1f} s", flush=True)
        load.append(os.getloadavg()[0])
        identical = all(same_rows(root / "local-2", root / name) for name in ("local-1", "dask-1", "dask-2"))
        starts = {workers: cluster_start(workers) for workers in (1, 2)}
    batches = -(-args.count // args.batch)
    lines = [f"`bench/dask_shards.py --count {args.count} --batch {args.batch}` on {machine()}: "
             f"`gongkai shard` of {args.count} mixed generated reports ({batches} shards), the whole command "
             "(scan and hashing, cluster start, extraction, shards written), each into a fresh folder, best of "
             f"{args.rounds} interleaved runs (load average {load[0]:.1f} at the start, {load[1]:.1f} at the end, on "
             f"{os.cpu_count()} cores):", "",
             "| engine | workers | seconds | reports/s | speed-up over 1 worker | CPU seconds (all processes) | "
             "cluster start (s) |",
             "|---|---|---|---|---|---|---|"]
    for (engine, workers), seconds in results.items():
        start = f"{starts[workers]:.1f}" if engine == "dask" else "–"
        lines.append(f"| {engine} | {workers} | {seconds:.1f} | {args.count / seconds:.1f} | "
                     f"{results[engine, 1] / seconds:.2f} | {cpu[engine, workers]:.1f} | {start} |")
    lines += ["", f"Shards of every run hold the same rows as the local engine's with 2 workers (run ids and "
              f"timestamps aside): {'yes' if identical else '**no**'}."]
    print("\n".join(lines))
    if args.write:
        write_section(lines, BENCH / "RESULTS.md", SECTION)
        print(f"wrote the section of {BENCH / 'RESULTS.md'}")
    if not identical:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
