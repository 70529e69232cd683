"""The web page in a real headless Chromium: ask a question, check the rendered answer, keep a
screenshot in artifacts/ (skipped when Debian's chromium is not installed)."""
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=20000", "--window-size=1280,1400"]


def _chromium(tmp_path: Path, url: str, *extra: str) -> str:
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra, url],
                            capture_output=True, text=True, timeout=120)
    return result.stdout


def test_ask_from_the_web_page(live, tmp_path):
    question = "¿Qué significa la sigla CONRED?"
    url = f"{live.url}/?q={quote(question)}"  # an old shared link: redirected to /preguntar?q=
    dom = _chromium(tmp_path, url, "--dump-dom")
    assert 'id="answer-text"' in dom
    assert "Coordinadora Nacional para la Reducción de Desastres" in dom
    home = _chromium(tmp_path, live.url, "--dump-dom")
    assert "Compromisos" in home and "CAPACITACIÓN EN ACCESO A LA INFORMACIÓN PÚBLICA" in home  # the list is on the home page
    artifacts = REPO / "artifacts"
    artifacts.mkdir(exist_ok=True)
    shot = artifacts / "browser-ask.png"
    _chromium(tmp_path, url, f"--screenshot={shot}")
    assert shot.exists() and shot.stat().st_size > 10_000


def test_commitment_page_renders(live, tmp_path):
    dom = _chromium(tmp_path, f"{live.url}/commitments/18", "--dump-dom")
    assert "Compromiso 18" in dom and "Acuerdo Ministerial 194-2017" in dom and "Ministerio de Finanzas Públicas" in dom
