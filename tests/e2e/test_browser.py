"""The map page in a real browser: Debian's chromium, headless, against the real host
with the Korean sample imported. Skipped with a message where chromium is absent."""
import os
import re
import shutil
import subprocess
import urllib.parse

import pytest

from conftest import SAMPLE
from http_client import Host

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (Debian package chromium)")


def chromium(*args):
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--virtual-time-budget=8000", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def host(cli, engine_dir):
    assert cli.json("import", engine_dir, SAMPLE)["errors"] == 0
    h = Host(cli.binary, engine_dir)
    try:
        # The page's map library is installed by scripts/setup.sh, not built:
        # without it every test below would fail on a page that never draws.
        status, _, _ = h.request("GET", "/vendor/leaflet/leaflet.js")
        assert status == 200, "Leaflet is not installed: scripts/setup.sh installs it (npm ci)"
        yield h
    finally:
        h.stop()


def test_map_page_shows_markers_of_imported_questions(host):
    dom = chromium("--dump-dom", f"{host.base}/?lat=33.4996&lon=126.5312&zoom=10").stdout
    markers = int(re.search(r'data-markers="(\d+)"', dom).group(1))
    assert markers >= 10, dom[-2000:]
    assert dom.count('class="leaflet-marker-icon') == markers
    assert dom.count('class="question"') == markers


def test_search_box_finds_a_question(host):
    query = urllib.parse.quote("서귀포 갈치조림")
    dom = chromium("--dump-dom", f"{host.base}/?q={query}").stdout
    assert int(re.search(r'data-search-hits="(\d+)"', dom).group(1)) >= 1, dom[-2000:]
    first = re.search(r'<li class="question"><a href="/api/v1/questions/\d+">([^<]*)</a>', dom).group(1)
    assert "갈치" in first


def test_screenshot(host, tmp_path):
    out = os.environ.get("DONGNE_ARTIFACTS") or str(tmp_path)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "map-page.png")
    chromium(f"--screenshot={path}", "--window-size=1280,800", f"{host.base}/?q=%ED%9D%91%EB%8F%BC%EC%A7%80")
    with open(path, "rb") as f:
        png = f.read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
