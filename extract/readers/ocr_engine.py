"""The OCR engine behind one small interface: a page image → text boxes, a list of crops → readings.

:class:`RapidOcr` is the engine gongkai ships: RapidOCR 3 (PP-OCRv6 small detection and
recognition, ONNX) on onnxruntime's CPU provider. Its models are files inside the ``rapidocr``
wheel, and they are passed to it by path, so its download code is never reached: no network, no
model cache. Any other engine (``bench/ocr_engines.py`` has tesseract and RapidOCR-onnxruntime 1.4
for the comparison in ``bench/RESULTS.md``) only has to implement :class:`OcrEngine`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class TextBox:
    """One line of text the engine found: its axis-aligned box in page pixels, text and confidence (0–1)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    confidence: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Reading:
    """What the engine reads in one crop given to it whole (no detection)."""

    text: str
    confidence: float


class OcrEngine(Protocol):
    """An OCR engine: ``read`` finds and reads the text lines of a grey page image (a 2-D uint8 array);
    ``recognize`` reads each crop as one line of text (``digits_only``: as a value, with only digits, signs
    and the decimal point allowed)."""

    name: str

    def read(self, image) -> list[TextBox]: ...

    def recognize(self, crops: list, digits_only: bool = False) -> list[Reading]: ...


RAPIDOCR_MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx"}
"""The model files of the ``rapidocr`` wheel (``rapidocr/models/``) the engine runs."""
DETECTION_LONG_SIDE = 1400
"""Pixels on the long side of the image the detector sees (RapidOCR scales the page down to it)."""
MIN_REC_WIDTH = int(os.environ.get("GONGKAI_OCR_MIN_WIDTH", "128"))
"""The recognizer's narrowest input in pixels (at 48 high)."""


def _threads() -> int:
    """Threads for onnxruntime: ``GONGKAI_OCR_THREADS``, else the CPUs this process may use (at most 4)."""
    configured = os.environ.get("GONGKAI_OCR_THREADS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


class RapidOcr:
    """RapidOCR 3 with the PP-OCRv6 small models of its own wheel, CPU only, no angle classifier
    (pages are deskewed before recognition)."""

    name = "rapidocr"

    def __init__(self) -> None:
        import rapidocr
        from rapidocr import RapidOCR

        models = Path(rapidocr.__file__).parent / "models"
        params: dict[str, object] = {"Global.log_level": "error", "Global.use_cls": False,
                                     "Global.model_root_dir": str(models), "Rec.rec_batch_num": 8,
                                     "Global.max_side_len": DETECTION_LONG_SIDE,
                                     "EngineConfig.onnxruntime.intra_op_num_threads": _threads(),
                                     "EngineConfig.onnxruntime.inter_op_num_threads": 1}
        for task, file in RAPIDOCR_MODELS.items():
            path = models / file
            if not path.is_file():
                raise FileNotFoundError(f"the rapidocr wheel has no {file} (reinstall rapidocr as pinned)")
            params[f"{task}.model_path"] = str(path)
        self._engine = RapidOCR(params=params)

    def read(self, image) -> list[TextBox]:
        """The detector's text lines, each read by :meth:`recognize`."""
        import numpy as np

        out = self._engine(_rgb(image), use_cls=False, use_rec=False)
        if out.boxes is None or len(out.boxes) == 0:
            return []
        rects = []
        height, width = image.shape[:2]
        for points in out.boxes:
            xs, ys = np.asarray(points)[:, 0], np.asarray(points)[:, 1]
            rects.append((max(0, int(xs.min())), max(0, int(ys.min())), min(width, int(np.ceil(xs.max())) + 1),
                          min(height, int(np.ceil(ys.max())) + 1)))
        readings = self.recognize([image[y0:y1, x0:x1] for x0, y0, x1, y1 in rects])
        return [TextBox(x0, y0, x1, y1, r.text, r.confidence)
                for (x0, y0, x1, y1), r in zip(rects, readings, strict=True)]

    def recognize(self, crops: list, digits_only: bool = False) -> list[Reading]:
        """Each crop read as one line, in batches of similar width. The recognizer's narrowest input
        is :data:`MIN_REC_WIDTH` (RapidOCR's is 320, which makes a lone digit cost as much as a
        line of text). Confidence is the lowest of the crop's characters, not their mean."""
        from rapidocr.ch_ppocr_rec.typings import TextRecInput

        present = [i for i, c in enumerate(crops) if c.size > 0 and min(c.shape[:2]) >= 2]
        readings = [Reading("", 0.0)] * len(crops)
        if not present:
            return readings
        recognizer = self._engine._load_rec_model()  # the pinned rapidocr's own lazy loader
        recognizer.rec_image_shape = [3, 48, MIN_REC_WIDTH]
        if digits_only:
            for i, reading in zip(present, _read_values(recognizer, [crops[i] for i in present]), strict=True):
                readings[i] = reading
            return readings
        out = recognizer(TextRecInput(img=[_rgb(crops[i]) for i in present], return_word_box=True))
        for i, text, words in zip(present, out.txts, out.word_results, strict=True):
            confs = list(words.confs) if words is not None and words.confs else []
            readings[i] = Reading(str(text), float(min(confs)) if text and confs else 0.0)
        return readings




VALUE_CHARACTERS = frozenset("0123456789.-减增")
"""What a value may be printed with: its CTC decoding is restricted to these (and the blank)."""


def _read_values(recognizer, crops: list) -> list[Reading]:
    """CTC decoding restricted to :data:`VALUE_CHARACTERS`: at each step the likeliest of those or the
    blank, its probability taken among them (a ``0`` is no longer half an ``o``; two digits that look
    alike still share their probability). The confidence is the lowest of the characters read and of
    the blank steps (one minus the likeliest character there: a decimal point or digit the decoding
    dropped but nearly read makes it low). Batches of similar width, as the recognizer does."""
    import numpy as np

    characters = recognizer.postprocess_op.character
    allowed = np.array([0] + [i for i, c in enumerate(characters) if c in VALUE_CHARACTERS])
    order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / crops[i].shape[0])
    readings: list[Reading] = [Reading("", 0.0)] * len(crops)
    for start in range(0, len(order), 8):
        batch = order[start : start + 8]
        ratio = max([MIN_REC_WIDTH / 48] + [crops[i].shape[1] / crops[i].shape[0] for i in batch])
        images = np.stack([recognizer.resize_norm_img(_rgb(crops[i]), ratio) for i in batch]).astype(np.float32)
        preds = recognizer.session(images)
        for i, steps in zip(batch, preds, strict=True):
            probs = steps[:, allowed]
            probs = probs / np.maximum(probs.sum(axis=1, keepdims=True), 1e-9)
            best = probs.argmax(axis=1)
            text, confs, previous = [], [], 0
            for step, index in enumerate(best):
                if index != 0 and index != previous:
                    text.append(characters[allowed[index]])
                    confs.append(float(probs[step, index]))
                elif index == 0:  # a blank step: a character it nearly holds (a faint point) lowers it
                    confs.append(1.0 - float(probs[step, 1:].max()))
                previous = index
            readings[i] = Reading("".join(text), min(confs) if confs else 0.0)
    return readings


def _rgb(image):
    import cv2

    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


def engine_missing() -> str | None:
    """Why the OCR engine cannot be loaded here, or ``None``."""
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError as error:
        return f"the OCR extra is not installed (pip install 'gongkai[ocr]'): {error}"
    return None


@lru_cache(maxsize=1)
def default_engine() -> OcrEngine:
    """The engine of this process (loaded once: a worker reads many pages)."""
    return RapidOcr()
