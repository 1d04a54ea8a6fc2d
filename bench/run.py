"""The benchmark: prints the figures and writes them to bench/RESULTS.md.

    .venv/bin/python bench/run.py            # full: 1,000-report refresh, 100,000-report dbt build
    .venv/bin/python bench/run.py --quick    # smaller sizes, same measurements
    .venv/bin/python bench/run.py --pdf      # only the PDF ratio: its section of bench/RESULTS.md

Measured in one run on this machine: extraction throughput per format (one core), our PDF
time against pdfplumber's own bare parse (``page.chars``) of the same pages, peak memory of
an extraction worker, extraction with 1 and 2 workers, end-to-end ``gongkai refresh`` of
mixed reports with 2 workers and a no-change refresh, and ``dbt build`` on a synthetic raw
layer loaded straight into DuckDB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import generate  # noqa: E402
from dask_shards import SECTION as DASK_SECTION  # noqa: E402
from layouts import section_of  # noqa: E402
from ocr import OCR_SECTION  # noqa: E402
from polars_vs_duckdb import SECTION as POLARS_SECTION  # noqa: E402
from synthetic_raw import build_raw  # noqa: E402

from extract.parse.report import extract_report  # noqa: E402
from extract.run.pool import FileJob, extract_parallel  # noqa: E402

GONGKAI = str(Path(sys.executable).with_name("gongkai"))
MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); run = subprocess.run(sys.argv[1:], "
           "capture_output=True, text=True); print(time.perf_counter() - t, "
           "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, run.returncode); "
           "sys.stderr.write(run.stdout[-3000:] + run.stderr[-3000:])")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, {memory // 1024} GB RAM, "
            f"Python {platform.python_version()}")


def measured(*command: str, env: dict | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS of the largest process in MB, exit code) of a command."""
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, check=False)
    seconds, peak_kb, code = result.stdout.split()
    if int(code) != 0:
        print(result.stderr[-3000:], file=sys.stderr)
    return float(seconds), int(peak_kb) / 1024, int(code)


def pdf_pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def bare_pdfplumber(path: Path) -> tuple[float, float]:
    """pdfplumber's own parse of every page of one PDF (``page.chars``): (seconds, CPU seconds)."""
    import pdfplumber

    start, cpu = time.perf_counter(), time.process_time()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            _ = page.chars
    return time.perf_counter() - start, time.process_time() - cpu


def ours_pdf(path: Path) -> tuple[float, float]:
    """Our whole extraction of one PDF (read, tables, parse): (seconds, CPU seconds)."""
    start, cpu = time.perf_counter(), time.process_time()
    extract_report(path.read_bytes(), path.name)
    return time.perf_counter() - start, time.process_time() - cpu


def per_format(root: Path, per: int) -> list[dict]:
    rows = []
    for fmt in ("pdf", "html", "docx", "txt", "layout"):
        paths = generate(root / fmt, per, seed=7, formats=(fmt,))
        start = time.perf_counter()
        cells = sum(len(extract_report(p.read_bytes(), p.name).cells) for p in paths)
        seconds = time.perf_counter() - start
        pages = sum(pdf_pages(p) for p in paths) if fmt == "pdf" else None
        code = ("import resource, sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
                "from extract.parse.report import extract_report; "
                "[extract_report(p.read_bytes(), p.name) for p in sorted(Path(sys.argv[2]).iterdir())]; "
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
        peak = int(subprocess.run([sys.executable, "-c", code, str(ROOT), str(root / fmt)], capture_output=True,
                                  text=True, check=True).stdout) / 1024
        rows.append({"format": fmt, "reports": per, "cells": cells, "seconds": seconds,
                     "reports_per_s": per / seconds, "pages": pages,
                     "pages_per_s": pages / seconds if pages else None, "worker_peak_mb": peak})
    return rows


def pdf_ratio(root: Path, rounds: int = 5) -> dict:
    """Our time per PDF against pdfplumber's bare parse of it, interleaved file by file.

    Each file is parsed bare and extracted by us ``rounds`` times, alternately, and the best
    time of each side is kept; the sums over the files are compared (wall clock, and CPU time
    of the process beside it). Alternating per file keeps a shared machine's drifting speed out
    of the ratio. Also counted: the pages pdfium read (the fast path) and those pdfminer read.
    """
    from extract.readers.pdf import read_pdf

    paths = sorted((root / "pdf").iterdir()) + sorted((ROOT / "data" / "reports").glob("*.pdf"))
    bare_pdfplumber(paths[0]), ours_pdf(paths[0])  # warm-up: pdfminer loads its CJK CMaps once per process
    bare = ours = bare_cpu = ours_cpu = 0.0
    for path in paths:
        times = [(bare_pdfplumber(path), ours_pdf(path)) for _ in range(rounds)]
        bare += min(t[0][0] for t in times)
        ours += min(t[1][0] for t in times)
        bare_cpu += min(t[0][1] for t in times)
        ours_cpu += min(t[1][1] for t in times)
    pages = sum(pdf_pages(p) for p in paths)
    fast = sum(int(read_pdf(p.read_bytes()).reader.split()[1]) for p in paths)  # "pdfium N of M pages, …"
    return {"files": len(paths), "pages": pages, "pages_pdfium": fast, "rounds": rounds, "bare_seconds": bare,
            "ours_seconds": ours, "ratio": ours / bare, "bare_cpu": bare_cpu, "ours_cpu": ours_cpu,
            "cpu_ratio": ours_cpu / bare_cpu}


EVERY_FIGURE = ("Every figure below comes from that one run, except the sections that name their own command "
                "(`bench/run.py --pdf`, `bench/layouts.py`, `bench/polars_vs_duckdb.py`, `bench/ocr.py`); rerun "
                "the command to reproduce.")
PDF_TARGET = 0.5
"""Our whole PDF extraction against pdfplumber's bare ``page.chars`` parse of the same pages."""
PDF_SECTION = "## PDF: our extraction against pdfplumber's bare parse"


def pdf_lines(ratio: dict, command: str, date: str) -> list[str]:
    """The PDF section's lines (after its heading)."""
    return [
        f"{ratio['files']} PDFs ({ratio['pages']} pages: the generated ones and the three real ones in "
        f"data/reports; pdfium read {ratio['pages_pdfium']} of the pages, pdfminer the rest), measured {date} "
        f"with `{command}`; each file parsed {ratio['rounds']} times by each side, alternately, in one process, "
        "best time per file summed (wall clock; the process's CPU time beside it):",
        "",
        "| pdfplumber `page.chars` (s) | gongkai extract_report (s) | ratio | CPU (s): pdfplumber / gongkai | "
        "CPU ratio | target |",
        "|---|---|---|---|---|---|",
        f"| {ratio['bare_seconds']:.2f} | {ratio['ours_seconds']:.2f} | {ratio['ratio']:.2f}× | "
        f"{ratio['bare_cpu']:.2f} / {ratio['ours_cpu']:.2f} | {ratio['cpu_ratio']:.2f}× | ≤ {PDF_TARGET}× |",
    ]


def pdf_target_row(ratio: dict) -> str:
    met = "yes" if ratio["ratio"] <= PDF_TARGET else "**no**"
    return f"| PDF time ≤ {PDF_TARGET}× pdfplumber's bare parse | {ratio['ratio']:.2f}× | {met} |"


def write_pdf_section(ratio: dict, path: Path) -> None:
    """Replace the PDF section, its row of the targets and the notes (bench/NOTES.md) in ``path``,
    keeping the rest."""
    from layouts import write_section

    write_section(pdf_lines(ratio, "bench/run.py --pdf", dt.date.today().isoformat()), path, PDF_SECTION)
    text = path.read_text(encoding="utf-8").replace(
        "Every figure below comes from that one run; rerun the command to reproduce.", EVERY_FIGURE)
    notes = (BENCH / "NOTES.md").read_text(encoding="utf-8")
    text = text.split(notes.split("\n", 1)[0], 1)[0] + notes if notes.split("\n", 1)[0] in text else text
    lines = [pdf_target_row(ratio) if line.startswith("| PDF time ≤") else line for line in text.split("\n")]
    path.write_text("\n".join(lines), encoding="utf-8")


def scaling(paths: list[Path]) -> dict:
    jobs = [FileJob(p, p.name, "", p.stat().st_size) for p in paths]
    out = {}
    for workers in (1, 2):
        start = time.perf_counter()
        for _ in extract_parallel(jobs, workers):
            pass
        out[workers] = time.perf_counter() - start
    return out


def refresh_runs(root: Path, reports: Path) -> dict:
    db = root / "wh" / "gongkai.duckdb"
    first = measured(GONGKAI, "refresh", "--reports", str(reports), "--db", str(db), "--workers", "2", "--quiet")
    again = measured(GONGKAI, "refresh", "--reports", str(reports), "--db", str(db), "--workers", "2", "--quiet")
    shards = root / "shards"
    shard = measured(GONGKAI, "shard", "--reports", str(reports), "--out", str(shards), "--workers", "2", "--quiet")
    load = measured(GONGKAI, "refresh", "--from-shards", str(shards), "--db", str(root / "wh-shards" / "g.duckdb"),
                    "--quiet")
    return {"first": first, "no_change": again, "shard": shard, "from_shards": load}


def warehouse_build(root: Path, reports: int) -> dict:
    db = root / "raw" / "gongkai.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    cells = build_raw(db, reports)
    load = time.perf_counter() - start
    dbt = str(Path(sys.executable).with_name("dbt"))
    seconds, peak, code = measured(dbt, "build", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT),
                                   "--target-path", str(root / "raw" / "target"),
                                   env={"GONGKAI_DB": str(db), "DO_NOT_TRACK": "1"})
    return {"reports": reports, "cells": cells, "load_seconds": load, "build_seconds": seconds, "peak_mb": peak,
            "exit": code}


def write_results(results: dict, path: Path) -> None:
    f = results
    lines = [
        "# Benchmark results",
        "",
        f"Measured {f['date']} with `{f['command']}` on: {f['machine']}.",
        EVERY_FIGURE,
        "",
        "## Extraction, one core, per format",
        "",
        "| format | reports | cells | seconds | reports/s | pages/s | worker peak RSS (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in f["formats"]:
        pages = f"{row['pages_per_s']:.1f}" if row["pages_per_s"] else "–"
        lines.append(f"| {row['format']} | {row['reports']} | {row['cells']} | {row['seconds']:.2f} | "
                     f"{row['reports_per_s']:.1f} | {pages} | {row['worker_peak_mb']:.0f} |")
    ratio = f["pdf_ratio"]
    lines += [
        "",
        PDF_SECTION,
        "",
        *pdf_lines(ratio, f["command"], f["date"]),
        "",
        "## Scaling with workers (extraction only, mixed formats)",
        "",
        "| workers | seconds | speed-up |",
        "|---|---|---|",
        f"| 1 | {f['scaling']['1']:.1f} | 1.00 |",
        f"| 2 | {f['scaling']['2']:.1f} | {f['scaling']['1'] / f['scaling']['2']:.2f} |",
        "",
        "## End-to-end refresh, 2 workers",
        "",
        "| run | reports | seconds | peak RSS of the largest process (MB) | target |",
        "|---|---|---|---|---|",
        f"| first refresh (extract, load, dbt build, docs, exports) | {f['mixed_reports']} | "
        f"{f['refresh']['first'][0]:.1f} | {f['refresh']['first'][1]:.0f} | < 600 s |",
        f"| no-change refresh | {f['mixed_reports']} | {f['refresh']['no_change'][0]:.1f} | "
        f"{f['refresh']['no_change'][1]:.0f} | < 60 s |",
        f"| `gongkai shard` (extraction to Parquet shards, 2 workers) | {f['mixed_reports']} | "
        f"{f['refresh']['shard'][0]:.1f} | {f['refresh']['shard'][1]:.0f} | – |",
        f"| `gongkai refresh --from-shards` (load, dbt build, docs, exports) | {f['mixed_reports']} | "
        f"{f['refresh']['from_shards'][0]:.1f} | {f['refresh']['from_shards'][1]:.0f} | – |",
        "",
        "## Warehouse side: dbt build on a synthetic raw layer",
        "",
        "| reports | cells | raw load (s) | dbt build (s) | peak RSS (MB) | target |",
        "|---|---|---|---|---|---|",
        f"| {f['warehouse']['reports']} | {f['warehouse']['cells']} | {f['warehouse']['load_seconds']:.1f} | "
        f"{f['warehouse']['build_seconds']:.1f} | {f['warehouse']['peak_mb']:.0f} | < 120 s, < 4096 MB |",
        "",
        "## Against the targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    targets = [
        (f"PDF time ≤ {PDF_TARGET}× pdfplumber's bare parse", f"{ratio['ratio']:.2f}×", ratio["ratio"] <= PDF_TARGET),
        ("extraction scales with workers (2 workers ≥ 1.6× one)",
         f"{f['scaling']['1'] / f['scaling']['2']:.2f}×", f["scaling"]["1"] / f["scaling"]["2"] >= 1.6),
        (f"first refresh of {f['mixed_reports']} mixed reports < 600 s", f"{f['refresh']['first'][0]:.0f} s",
         f["refresh"]["first"][0] < 600),
        ("no-change refresh < 60 s", f"{f['refresh']['no_change'][0]:.1f} s", f["refresh"]["no_change"][0] < 60),
        (f"dbt build of {f['warehouse']['reports']} reports < 120 s", f"{f['warehouse']['build_seconds']:.0f} s",
         f["warehouse"]["build_seconds"] < 120),
        ("… and < 4 GB", f"{f['warehouse']['peak_mb']:.0f} MB", f["warehouse"]["peak_mb"] < 4096),
    ]
    lines += [f"| {name} | {value} | {'yes' if met else '**no**'} |" for name, value, met in targets]
    lines.append("")
    # bench/layouts.py, polars_vs_duckdb.py, ocr.py, dask_shards.py and warehouse_scale.py --write measure
    # these; kept as they were
    from warehouse_scale import SECTION as SCALE_SECTION  # it imports this module

    kept = "".join(section + "\n" for section in (section_of(path), section_of(path, POLARS_SECTION),
                                                  section_of(path, OCR_SECTION), section_of(path, DASK_SECTION),
                                                  section_of(path, SCALE_SECTION))
                   if section)
    path.write_text("\n".join(lines) + "\n" + kept + (BENCH / "NOTES.md").read_text(encoding="utf-8"),
                    encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--pdf", action="store_true", help="only the PDF ratio: replace its section of the results")
    parser.add_argument("--out", type=Path, default=None,
                        help="results file (default bench/RESULTS.md; bench/RESULTS-quick.md with --quick)")
    args = parser.parse_args()
    args.out = args.out or BENCH / ("RESULTS-quick.md" if args.quick else "RESULTS.md")
    if args.pdf:
        with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
            generate(Path(tmp) / "pdf", 20, seed=7, formats=("pdf",))
            ratio = pdf_ratio(Path(tmp))
        print(json.dumps(ratio, indent=2))
        write_pdf_section(ratio, args.out)
        print(f"wrote the PDF section of {args.out}")
        return
    per, mixed, raw = (4, 20, 2_000) if args.quick else (20, 1_000, 100_000)
    results: dict = {"date": dt.date.today().isoformat(), "machine": machine(),
                     "command": "bench/run.py" + (" --quick" if args.quick else "")}
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        root = Path(tmp)
        print("extraction per format …", flush=True)
        results["formats"] = per_format(root, per)
        print("PDF against pdfplumber …", flush=True)
        results["pdf_ratio"] = pdf_ratio(root)
        print(f"generating {mixed} mixed reports …", flush=True)
        mixed_paths = generate(root / "mixed", mixed, seed=2026)
        results["mixed_reports"] = mixed
        print("scaling 1 → 2 workers …", flush=True)
        results["scaling"] = {str(k): v for k, v in scaling(mixed_paths).items()}
        print("refresh …", flush=True)
        results["refresh"] = refresh_runs(root, root / "mixed")
        print(f"dbt build on {raw} synthetic reports …", flush=True)
        results["warehouse"] = warehouse_build(root, raw)
    print(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    write_results(results, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
    main()
