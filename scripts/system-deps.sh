#!/usr/bin/env bash
# Optional Debian packages for the readers that need outside engines:
#   libreoffice-writer-nogui               .doc / .wps / .rtf / .odt (converted to .docx)
#   poppler-utils, poppler-data            pdftotext (the layout-text tests convert PDFs with it; poppler-data
#                                          maps the CJK CID fonts, without it the text is empty)
#   chromium                               the docs-site test opens the catalogue in headless Chromium
#   fonts-noto-cjk fonts-wqy-zenhei        the CJK fonts the OCR tests and bench/ocr.py typeset their scans in
#   fonts-arphic-uming                     (Noto Serif CJK, WenQuanYi Zen Hei, AR PL UMing); without one, its
#                                          scans are skipped with the reason
# OCR itself needs nothing from here: RapidOCR and its models come from PyPI (pyproject's ocr extra).
# bench/ocr.py compares it with tesseract when tesseract-ocr and tesseract-ocr-chi-sim are installed.
# Without them gongkai still runs: such files are recorded as converter_missing
# and the tests that need them are skipped with the reason. Idempotent; needs root or sudo.
set -euo pipefail
packages=(libreoffice-writer-nogui poppler-utils poppler-data chromium fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-uming)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: not a Debian system; install ${missing[*]} with your package manager" >&2
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "system-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
