"""OCR benchmark: cell accuracy, wrong numbers and speed of scanned reports, per engine.

Scans are typeset with render/scan.py in three CJK fonts at 150/200/300 dpi, skewed up to ±1.5°,
blurred, noisy and JPEG-compressed, ruled and borderless; every cell the report prints is compared
with what the extractor stores. A *wrong number* is a stored number (or a blank) that differs from
the page; an unreadable cell (stored as text with an ``ocr_unreadable`` issue) is not wrong, only
not read. Engines: ``rapidocr`` (shipped), and for comparison ``tesseract`` and
``rapidocr_onnxruntime-1.4`` where installed (bench/ocr_engines.py), on a subset of the matrix.

    .venv/bin/python bench/ocr.py [--quick] [--engines rapidocr,tesseract,...]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from render import expected_cells, make_report  # noqa: E402
from render.scan import SCAN_FONTS, ScanStyle, scanned_report  # noqa: E402

import extract.readers.ocr as ocr_reader  # noqa: E402
from extract.parse.report import extract_report  # noqa: E402

OCR_SECTION = "## OCR of scanned reports (bench/ocr.py)"


@dataclass
class Outcome:
    engine: str
    layout: str
    style: ScanStyle
    cells: int
    right: int
    unread: int
    wrong: int
    pages: int
    seconds: float
    cpu: float


def matrix(quick: bool) -> list[tuple[str, ScanStyle]]:
    """(layout, style) of every scan: each font at each resolution, ruled and borderless, with skew,
    blur, noise and JPEG quality varied by position so every degradation meets every font."""
    fonts = list(SCAN_FONTS)
    dpis = [200] if quick else [150, 200, 300]
    skews = [1.5, -1.2, 0.7, -1.5, 1.0, -0.4]
    out = []
    n = 0
    for layout in ("ruled", "borderless"):
        for font in fonts:
            for dpi in dpis:
                out.append((layout, ScanStyle(font, dpi, skews[n % len(skews)], blur=(0.3, 0.6, 0.9)[n % 3],
                                              noise=(4, 8, 12)[(n // 3) % 3], jpeg_quality=(85, 60, 40)[n % 3],
                                              seed=n)))
                n += 1
    return out


def engine(name: str):
    from ocr_engines import RapidOcrOnnxruntime, Tesseract

    from extract.readers.ocr_engine import RapidOcr

    if name == "rapidocr":
        return RapidOcr()
    chosen = {"tesseract": Tesseract, "rapidocr_onnxruntime-1.4": RapidOcrOnnxruntime}[name]
    why = chosen.missing()
    if why:
        raise RuntimeError(why)
    return chosen()


def run_one(engine_name: str, the_engine, layout: str, style: ScanStyle) -> Outcome:
    report = make_report("2021", narrative_paragraphs=1, seed=100 + style.seed)
    data = scanned_report(report, style, ruled=layout == "ruled")
    ocr_reader.default_engine = lambda: the_engine
    started, cpu = time.perf_counter(), time.process_time()
    parsed = extract_report(data, "scan.pdf")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    got = {(c.table_no, c.row_key, c.col_key): (c.value, c.cell_state) for c in parsed.cells}
    expected = expected_cells(report)
    right = sum(1 for k, v in expected.items() if got.get(k) == v)
    unread = sum(1 for k, v in expected.items() if k in got and got[k] != v and got[k][1] == "text")
    wrong_cells = [(k, v, got[k]) for k, v in expected.items() if k in got and got[k] != v and got[k][1] != "text"]
    wrong = len(wrong_cells)
    for key, should, stored in wrong_cells:
        print(f"  WRONG {key}: printed {should}, stored {stored}", flush=True)
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(data))
    return Outcome(engine_name, layout, style, len(expected), right, unread, wrong, pages, seconds, cpu)


def five_pages() -> tuple[float, float, float]:
    """(wall s, CPU s, load) to OCR a typical 5-page report: three pages of a ruled report with its
    narrative and two of a borderless one, 200 dpi, WenQuanYi Zen Hei, one worker (onnxruntime on
    both cores)."""
    import io

    import pypdfium2 as pdfium

    style = ScanStyle("wqy_zenhei", 200, 0.8, blur=0.5, noise=6, jpeg_quality=70, seed=7)
    first = pdfium.PdfDocument(scanned_report(make_report("2021", narrative_paragraphs=8, seed=7), style))
    second = pdfium.PdfDocument(scanned_report(make_report("2021", narrative_paragraphs=0, seed=8), style, False))
    merged = pdfium.PdfDocument.new()
    merged.import_pages(first, list(range(min(3, len(first)))))
    merged.import_pages(second, list(range(5 - len(merged))))
    buffer = io.BytesIO()
    merged.save(buffer)
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    pages = ocr_reader.ocr_pages(buffer.getvalue(), list(range(1, len(merged) + 1)))
    assert len(pages) == 5
    return time.perf_counter() - started, time.process_time() - cpu, load


def table(outcomes: list[Outcome]) -> str:
    lines = ["| engine | layout | scans | cells | read right | unreadable | wrong numbers | pages/s (wall) "
             "| CPU s/page |",
             "|---|---|---|---|---|---|---|---|---|"]
    for engine_name in dict.fromkeys(o.engine for o in outcomes):
        for layout in ("ruled", "borderless"):
            group = [o for o in outcomes if o.engine == engine_name and o.layout == layout]
            if not group:
                continue
            cells = sum(o.cells for o in group)
            pages = sum(o.pages for o in group)
            lines.append(f"| {engine_name} | {layout} | {len(group)} | {cells} | "
                         f"{100 * sum(o.right for o in group) / cells:.1f} % | "
                         f"{100 * sum(o.unread for o in group) / cells:.1f} % | {sum(o.wrong for o in group)} | "
                         f"{pages / sum(o.seconds for o in group):.2f} | {sum(o.cpu for o in group) / pages:.1f} |")
    return "\n".join(lines)


def detail(outcomes: list[Outcome]) -> str:
    lines = ["| engine | layout | font | dpi | skew ° | blur | noise | JPEG | right | unreadable | wrong | s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for o in outcomes:
        s = o.style
        lines.append(f"| {o.engine} | {o.layout} | {s.font} | {s.dpi} | {s.skew:+.1f} | {s.blur} | {s.noise} | "
                     f"{s.jpeg_quality} | {o.right}/{o.cells} | {o.unread} | {o.wrong} | {o.seconds:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 dpi only")
    parser.add_argument("--write", action="store_true", help="update the section in bench/RESULTS.md")
    parser.add_argument("--engines", default="rapidocr", help="comma-separated: rapidocr, tesseract, "
                        "rapidocr_onnxruntime-1.4 (the others on the 200 dpi subset)")
    args = parser.parse_args()
    outcomes: list[Outcome] = []
    load = os.getloadavg()[0]
    for name in args.engines.split(","):
        try:
            the_engine = engine(name)
        except RuntimeError as why:
            print(f"{name}: skipped ({why})", flush=True)
            continue
        scans = matrix(args.quick or name != "rapidocr")
        for layout, style in scans:
            outcome = run_one(name, the_engine, layout, style)
            outcomes.append(outcome)
            print(f"{name} {layout} {style.font} {style.dpi}dpi skew {style.skew:+.1f}: "
                  f"{outcome.right}/{outcome.cells} right, {outcome.unread} unreadable, {outcome.wrong} wrong, "
                  f"{outcome.seconds:.1f} s", flush=True)
    wall, cpu, five_load = five_pages()
    print(f"5-page report: {wall:.1f} s wall, {cpu:.1f} s CPU (load {five_load:.1f})", flush=True)
    lines = [f"Measured {time.strftime('%Y-%m-%d')} with `bench/ocr.py`: {len(outcomes)} scans, load average "
             f"{load:.1f} at the start and {os.getloadavg()[0]:.1f} at the end on 2 cores shared with other "
             "sessions (wall times are inflated by that load; CPU seconds less so).", "",
             table(outcomes), "",
             f"A typical 5-page report (3 ruled pages with narrative, 2 borderless, 200 dpi): {wall:.1f} s wall, "
             f"{cpu:.1f} s CPU, {5 / wall:.2f} pages/s, at load {five_load:.1f} (target: under 30 s on 2 cores).",
             "", detail(outcomes)]
    print("\n".join(lines))
    if args.write:
        from layouts import write_section

        write_section(lines, Path(__file__).resolve().parent / "RESULTS.md", OCR_SECTION)


if __name__ == "__main__":
    main()
