"""OCR engines to compare with the one gongkai ships (:class:`extract.readers.ocr_engine.RapidOcr`),
each behind the same :class:`~extract.readers.ocr_engine.OcrEngine` interface. Bench only: they need
what the project does not install (tesseract with ``chi_sim`` from apt; ``rapidocr_onnxruntime`` 1.4,
whose wheel depends on the GUI build of OpenCV and so is installed apart, e.g. ``pip install --no-deps``
into a directory on ``PYTHONPATH``)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

from extract.readers.ocr_engine import Reading, TextBox

_GAP = 40


def _tsv(image, extra: list[str]) -> list[dict[str, str]]:
    import cv2

    ok, png = cv2.imencode(".png", image)
    result = subprocess.run(["tesseract", "stdin", "stdout", "-l", "chi_sim", *extra, "tsv"], input=png.tobytes(),
                            capture_output=True, timeout=600, check=False)
    rows = csv.DictReader(io.StringIO(result.stdout.decode("utf-8", "replace")), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    return [r for r in rows if r.get("level") == "5" and (r.get("text") or "").strip()]


class Tesseract:
    """tesseract 5 with ``chi_sim``: lines from its page layout, crops read stacked in one call."""

    name = "tesseract"

    @staticmethod
    def missing() -> str | None:
        if shutil.which("tesseract") is None:
            return "tesseract is not installed"
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
        return None if "chi_sim" in langs.stdout.split() else "tesseract has no chi_sim"

    def read(self, image) -> list[TextBox]:
        lines: dict[tuple[str, str, str], list[dict[str, str]]] = {}
        for word in _tsv(image, ["--psm", "4"]):
            lines.setdefault((word["block_num"], word["par_num"], word["line_num"]), []).append(word)
        boxes = []
        for words in lines.values():
            words.sort(key=lambda w: int(w["left"]))
            # words far apart on one tesseract line are separate boxes, as a detector gives them
            group: list[dict[str, str]] = []
            for word in words:
                if group and int(word["left"]) - (int(group[-1]["left"]) + int(group[-1]["width"])) > \
                        1.5 * int(word["height"]):
                    boxes.append(self._box(group))
                    group = []
                group.append(word)
            boxes.append(self._box(group))
        return boxes

    @staticmethod
    def _box(words: list[dict[str, str]]) -> TextBox:
        x0 = min(int(w["left"]) for w in words)
        y0 = min(int(w["top"]) for w in words)
        x1 = max(int(w["left"]) + int(w["width"]) for w in words)
        y1 = max(int(w["top"]) + int(w["height"]) for w in words)
        text = "".join(w["text"] for w in words)
        return TextBox(x0, y0, x1, y1, text, min(float(w["conf"]) for w in words) / 100)

    def recognize(self, crops: list, digits_only: bool = False) -> list[Reading]:
        import numpy as np

        if not crops:
            return []
        width = max(c.shape[1] for c in crops) + 20
        parts, slots, top = [], [], 0
        for crop in crops:
            canvas = np.full((crop.shape[0] + _GAP, width), 255, dtype=np.uint8)
            canvas[_GAP // 2 : _GAP // 2 + crop.shape[0], 10 : 10 + crop.shape[1]] = crop
            parts.append(canvas)
            slots.append((top, top + canvas.shape[0]))
            top += canvas.shape[0]
        texts: list[list[str]] = [[] for _ in crops]
        confs: list[list[float]] = [[] for _ in crops]
        for word in _tsv(np.vstack(parts), ["--psm", "6"]):
            middle = int(word["top"]) + int(word["height"]) // 2
            for index, (start, end) in enumerate(slots):
                if start <= middle < end:
                    texts[index].append(word["text"])
                    confs[index].append(float(word["conf"]) / 100)
                    break
        return [Reading("".join(t), min(c, default=0.0)) for t, c in zip(texts, confs, strict=True)]


class RapidOcrOnnxruntime:
    """``rapidocr_onnxruntime`` 1.4 (PP-OCRv4 models inside its wheel), its own pipeline."""

    name = "rapidocr_onnxruntime-1.4"

    @staticmethod
    def missing() -> str | None:
        try:
            import rapidocr_onnxruntime  # noqa: F401
        except ImportError:
            return "rapidocr_onnxruntime is not importable"
        return None

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._engine = RapidOCR()

    def read(self, image) -> list[TextBox]:
        import cv2
        import numpy as np

        result, _ = self._engine(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), use_cls=False)
        boxes = []
        for points, text, score in result or []:
            xs, ys = np.asarray(points)[:, 0], np.asarray(points)[:, 1]
            boxes.append(TextBox(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()), text,
                                 float(score)))
        return boxes

    def recognize(self, crops: list, digits_only: bool = False) -> list[Reading]:
        import cv2

        readings = []
        for crop in crops:
            result, _ = self._engine(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR), use_det=False, use_cls=False)
            text, score = (result[0] if result else ("", 0.0))
            readings.append(Reading(str(text), float(score)))
        return readings
