"""Scanned reports read by OCR (RapidOCR, models inside its wheel): the same cells as the born-digital
PDF, never a wrong number, and no network.

The scans are typeset at test time in named CJK fonts (render/scan.py: Noto Serif CJK, WenQuanYi Zen
Hei, AR PL UMing), never in whatever font the machine substitutes; a few pages here, the full matrix
of fonts × resolutions × skew × noise in ``bench/ocr.py`` (figures in bench/RESULTS.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import ROOT, cell_map
from render import expected_cells, make_report
from render.scan import ScanStyle, font_file, scanned_report
from render.tools import RenderSkipped

from extract.parse.report import extract_report
from extract.parse.values import parse_value
from extract.readers.ocr import ocr_missing
from extract.readers.ocr_values import settle

pytestmark = pytest.mark.skipif(ocr_missing() is not None, reason=f"OCR not available: {ocr_missing()}")


def _scan(report, style: ScanStyle, ruled: bool) -> bytes:
    try:
        font_file(style.font)
    except RenderSkipped as skipped:
        pytest.skip(skipped.reason)
    return scanned_report(report, style, ruled)


def _score(report, parsed):
    """(right, wrong numbers, expected): a wrong number is a stored number (or blank) the page does not print."""
    cells = cell_map(parsed)
    expected = expected_cells(report)
    right = sum(1 for key, value in expected.items() if cells.get(key) == value)
    wrong = [(key, value, cells[key]) for key, value in expected.items()
             if key in cells and cells[key] != value and cells[key][1] != "text"]
    return right, wrong, len(expected)


@pytest.mark.parametrize(("font", "dpi", "skew"), [("wqy_zenhei", 200, 1.2), ("ar_pl_uming", 300, -0.8)])
def test_ruled_scan_reads_like_the_pdf(font, dpi, skew):
    report = make_report("2021", narrative_paragraphs=0, seed=11)
    data = _scan(report, ScanStyle(font, dpi, skew, blur=0.6, noise=8, jpeg_quality=60, seed=1), ruled=True)
    parsed = extract_report(data, "scan.pdf")
    assert parsed.read_method == "ocr"
    right, wrong, total = _score(report, parsed)
    assert wrong == [], "OCR must never store a wrong number; unsure cells are text with an issue"
    assert right >= 0.95 * total
    assert all(c.ocr_confidence is not None and 0 <= c.ocr_confidence <= 1 for c in parsed.cells
               if c.cell_state == "number")
    unreadable = [c for c in parsed.cells if c.raw_text.startswith("\ufffd")]
    flagged = [i for i in parsed.issues if i.code == "ocr_unreadable"]
    assert len(flagged) == len(unreadable)
    assert all(c.value is None and c.cell_state == "text" for c in unreadable)


def test_borderless_scan_reads_like_the_borderless_pdf():
    report = make_report("2021", narrative_paragraphs=0, seed=12)
    data = _scan(report, ScanStyle("noto_serif", 150, 1.5, blur=0.5, noise=6, jpeg_quality=70, seed=2), ruled=False)
    parsed = extract_report(data, "borderless-scan.pdf")
    right, wrong, total = _score(report, parsed)
    assert wrong == []
    assert right >= 0.85 * total


def _digits(text: str, height: int = 40):
    """A grey crop with ``text`` drawn in OpenCV's Hershey font (no system font needed)."""
    import cv2
    import numpy as np

    image = np.full((height, 30 * len(text) + 20), 255, dtype=np.uint8)
    cv2.putText(image, text, (10, height - 10), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2, cv2.LINE_AA)
    return image


def _read(settled_text: str, column_unit: str | None = None):
    """What the parser makes of a settled OCR text in a count column (or an amount column)."""
    return parse_value(settled_text, column_unit)


def test_a_value_is_a_number_only_when_two_confident_readings_and_the_ink_agree():
    assert _read(settle("115", 0.99, "115", 0.98, _digits("115")).text).value == 115
    assert settle("115", 0.99, "115", 0.98, _digits("115")).confidence == pytest.approx(0.98)
    assert settle("115", 0.40, "115", 0.99, _digits("115")).text.startswith("\ufffd"), "low confidence"
    assert settle("115", 0.99, "115", 0.70, _digits("115")).text.startswith("\ufffd"), "unsure second reading"
    assert settle("5", 0.99, "115", 0.99, _digits("115")).text.startswith("\ufffd"), "digit counts disagree"
    assert settle("1O", 0.99, "10", 0.99, _digits("10")).text.startswith("\ufffd"), "not a number"
    assert settle("2", 0.99, "2", 0.99, _digits("-2")).text.startswith("\ufffd"), "a minus sign the reading dropped"
    assert _read(settle("-2", 0.99, "-2", 0.99, _digits("-2")).text).value == -2
    assert settle("-2", 0.99, "-2", 0.99, _digits("2")).text.startswith("\ufffd"), "a sign the ink does not show"
    assert settle("71884", 0.99, "71884", 0.99, _digits("7188.4")).text.startswith("\ufffd"), "a dropped point"
    assert _read(settle("7188.4", 0.99, "7188.4", 0.99, _digits("7188.4")).text, "万元").value == Decimal("7188.4")
    assert settle("7188.4", 0.99, "7188.4", 0.99, _digits("71884")).text.startswith("\ufffd")


def _fixture(name: str):
    import cv2

    return cv2.imread(str(ROOT / "tests" / "fixtures" / "ocr" / name), cv2.IMREAD_GRAYSCALE)


def test_a_point_the_blur_joined_to_a_digit_is_never_read_as_an_amount():
    """16498.03 at 200 dpi with blur (WenQuanYi Zen Hei, a crop of bench/ocr.py's scan 4): the point
    touches the 8, both readings give 1649803 at 0.99. The ink between 8 and 0 (blank above the foot,
    ink at it) makes the reading doubtful: not a number in an amount column, a number in a count
    column (where no point is printed)."""
    settled = settle("1649803", 0.99, "1649803", 0.99, _fixture("fee_joined_point.png"))
    as_amount = _read(settled.text, "万元")
    assert as_amount.state == "text" and as_amount.value is None and as_amount.raw.startswith("\ufffd")
    assert _read(settled.text).value == 1649803
    assert _read(settle("608", 0.99, "608", 0.99, _digits("608")).text, "万元").value == 608, "no gap, no doubt"


def test_a_faint_digit_broken_by_the_ink_level_is_not_a_blank():
    """A blurred 7 in a ruled cell (AR PL UMing, 200 dpi, bench/ocr.py's scan 7) falls apart at the
    ink level into three specks; the detector found no box. It is ink, so not a blank cell."""
    from extract.readers.ocr_cells import _has_ink

    assert _has_ink(_fixture("faint_seven.png"))
    assert not _has_ink(_fixture("empty_cell.png")), "a cell with scan noise only is blank"


NO_NETWORK = """
import socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(args)
    raise OSError("network blocked by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from extract.parse.report import extract_report
from extract.parse.values import parse_value
parsed = extract_report(open(sys.argv[1], "rb").read(), "scan.pdf")
numbers = sum(1 for c in parsed.cells if c.cell_state == "number" and c.read_method == "ocr")
print("numbers", numbers, "attempts", len(attempts))
sys.exit(0 if numbers > 50 and not attempts else 1)
"""


def test_ocr_runs_without_network_or_model_cache(tmp_path):
    """The engine's models are files of its wheel: OCR runs in a network namespace with no network at
    all (``unshare -n``, where the kernel allows it), with every socket call refused, and with HOME and
    the cache directories empty and read-only: any download would fail the run."""
    report = make_report("2021", narrative_paragraphs=0, seed=13)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_scan(report, ScanStyle("wqy_zenhei", 150, 0.5, seed=3), ruled=True))
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"), "PYTHONPATH": str(ROOT),
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "GONGKAI_OCR": "1"}
    command = [sys.executable, "-c", NO_NETWORK, str(scan)]
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        command = [unshare, "-n", *command]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "attempts 0" in result.stdout

