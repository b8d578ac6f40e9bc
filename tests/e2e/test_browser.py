"""The map page in a real browser: Debian's chromium, headless, against the real host
with the Korean sample imported. Skipped with a message where chromium is absent."""
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
import urllib.parse

import pytest

from conftest import SAMPLE
from http_client import Host

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (Debian package chromium)")


def chromium(*args):
    # Chromium leaves its singleton directory (org.chromium.Chromium.*) in
    # TMPDIR: a temporary one keeps /tmp clean.
    with tempfile.TemporaryDirectory() as tmp:
        return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                               "--virtual-time-budget=8000", *args],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "TMPDIR": tmp})


class Page:
    """A page in headless chromium driven over the DevTools protocol on a pipe
    (--remote-debugging-pipe: commands on fd 3, replies and events on fd 4,
    NUL-terminated JSON), for what --dump-dom cannot do: move the map, click,
    and see the console and the network."""

    def __init__(self, url, profile):
        to_chromium, self._out = os.pipe()
        self._in, from_chromium = os.pipe()
        # Chromium leaves its singleton directory in TMPDIR when killed: a
        # temporary one, removed at close, keeps /tmp clean. (Short: the
        # singleton's socket path must fit in 108 bytes.)
        self._tmp = tempfile.mkdtemp(prefix="chromium-")
        # The pipes go in as stdin and stdout, and sh moves them to fds 3
        # and 4 (subprocess cannot place a descriptor at a given number).
        self.process = subprocess.Popen(
            ["sh", "-c", 'exec 3<&0 4>&1 </dev/null >/dev/null; exec "$0" "$@"', CHROMIUM,
             "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "--window-size=1280,800", "about:blank"],
            stdin=to_chromium, stdout=from_chromium, stderr=subprocess.DEVNULL,
            env={**os.environ, "TMPDIR": self._tmp})
        os.close(to_chromium)
        os.close(from_chromium)
        self._buffer, self._id, self.events = b"", 0, []
        self._session = None
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send("Page.navigate", url=url)

    def send(self, method, **params):
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if self._session:
            message["sessionId"] = self._session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 30
        while True:
            while b"\0" not in self._buffer:
                assert select.select([self._in], [], [], deadline - time.monotonic())[0], method
                chunk = os.read(self._in, 1 << 16)
                assert chunk, "chromium exited"
                self._buffer += chunk
            line, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(line)
            if reply.get("id") == self._id:
                assert "error" not in reply, reply
                return reply["result"]
            self.events.append(reply)

    def js(self, expression, throws=True):
        """The value of a JavaScript expression (awaited if a promise)."""
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)
        assert "exceptionDetails" not in result or not throws, result
        return result["result"].get("value")

    def wait(self, expression, seconds=10):
        """Polls until the expression is truthy; returns its last value. An
        exception counts as false (while loading, there may be no body yet)."""
        deadline = time.monotonic() + seconds
        while True:
            value = self.js(expression, throws=False)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.1)

    def click(self, x, y):
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def responses(self):
        return [(e["params"]["response"]["status"], e["params"]["response"]["url"])
                for e in self.events if e.get("method") == "Network.responseReceived"]

    def requests(self):
        return [e["params"]["request"]["url"]
                for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def errors(self):
        """Console errors and uncaught exceptions, with the URL they name."""
        out = []
        for e in self.events:
            if e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error":
                out.append((e["params"]["entry"]["text"], e["params"]["entry"].get("url", "")))
            elif e.get("method") == "Runtime.exceptionThrown":
                out.append((e["params"]["exceptionDetails"].get("exception", {}).get("description"), ""))
            elif e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error":
                out.append((str([a.get("value") for a in e["params"]["args"]]), ""))
        return out

    def close(self):
        self.process.kill()
        self.process.wait()
        os.close(self._out)
        os.close(self._in)
        shutil.rmtree(self._tmp, ignore_errors=True)


@pytest.fixture
def open_page(tmp_path):
    pages = []

    def open_(url):
        pages.append(Page(url, tmp_path / f"profile{len(pages)}"))
        return pages[-1]
    yield open_
    for page in pages:
        page.close()


# The page has loaded and shown its first list (or an error).
LOADED = "document.body.dataset.markers !== undefined || document.body.dataset.error !== undefined"
TITLES = "[...document.querySelectorAll('#list li.question a')].map((a) => a.textContent)"
# Where each marker's icon is, and where the map is, on the screen.
MARKER_XS = ("[...document.querySelectorAll('.leaflet-marker-icon')]"
             ".map((m) => m.getBoundingClientRect().x + m.offsetWidth / 2)")
MAP_RECT = "JSON.parse(JSON.stringify(document.getElementById('map').getBoundingClientRect()))"


def ask(host, title, lat, lon):
    """Posts a question as a new user; returns the user's token."""
    status, _, user = host.request("POST", "/api/v1/users", {"nickname": f"asker {title}"})
    assert status == 201, user
    status, _, q = host.request("POST", "/api/v1/questions",
                                {"title": title, "body": "...", "lat": lat, "lon": lon},
                                token=user["token"])
    assert status == 201, q
    return user["token"]


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


def test_panning_east_across_180_lists_the_question_on_the_other_side_without_a_400(host, open_page):
    """Regression: past 180° the page asked for lon=181, was refused with
    400 and kept the stale list."""
    ask(host, "경도 179.9", -17, 179.9)
    ask(host, "경도 -179.9", -17, -179.9)
    # At zoom 9, 360 px is 0.99°: from 179.5 to 180.49 (-179.51). Within the
    # 50 km radius: 179.9 before the pan, -179.9 after it.
    page = open_page(f"{host.base}/?lat=-17&lon=179.5&zoom=9")
    assert page.wait(f"{TITLES}.length === 1") and page.js(TITLES) == ["경도 179.9"]
    page.js("map.panBy([360, 0], {animate: false}), null")
    assert page.js("map.getCenter().lng") > 180
    page.wait(f"{TITLES}[0] === '경도 -179.9'")
    assert page.js(TITLES) == ["경도 -179.9"]
    assert [r for r in page.responses() if r[0] >= 400] == []


def test_markers_across_180_are_drawn_in_view(host, open_page):
    """Regression: a question at -179.9 seen from 179.95 was drawn 360°
    away, off the map."""
    ask(host, "경도 179.9", -17, 179.9)
    ask(host, "경도 -179.9", -17, -179.9)
    page = open_page(f"{host.base}/?lat=-17&lon=179.95&zoom=9")
    assert page.wait("document.body.dataset.markers === '2'")
    rect = page.js(MAP_RECT)
    xs = page.js(MARKER_XS)
    assert len(xs) == 2 and all(rect["left"] < x < rect["right"] for x in xs), (xs, rect)


def test_asking_after_panning_past_180_posts_a_wrapped_longitude(host, open_page):
    """Regression: a click on the map at lon 486 (126 + 360) was posted as
    it was, and refused: "longitude 486 is outside [-180, 180]"."""
    token = ask(host, "아무 질문", 33.4996, 126.5312)
    page = open_page(f"{host.base}/")
    assert page.wait(LOADED)
    # The sea west of Jeju, one world copy east: no marker under the click.
    page.js("map.setView([33.3, 126.0 + 360], 11, {animate: false}), null")
    rect = page.js(MAP_RECT)
    page.click(rect["left"] + rect["width"] / 2, rect["top"] + rect["height"] / 2)
    assert page.wait("document.getElementById('ask-at').textContent.startsWith('위치')")
    page.js(f"""document.getElementById('token').value = {json.dumps(token)};
               document.getElementById('title').value = '바다 위 질문';
               document.getElementById('body').value = '...';
               document.querySelector('#ask-form button').click(), null""")
    status = page.wait("document.getElementById('ask-status').textContent")
    assert status.startswith("올렸어요"), status
    question_id = re.search(r"#(\d+)", status).group(1)
    question = host.request("GET", f"/api/v1/questions/{question_id}")[2]
    assert abs(question["lon"] - 126.0) < 0.5 and abs(question["lat"] - 33.3) < 0.5, question


@pytest.mark.parametrize("query", ["lat=abc", "lon=abc", "zoom=abc", "lat=91&lon=200&zoom=99",
                                   "lat=&lon=&zoom="])
def test_bad_url_parameters_fall_back_to_the_default_view(host, query):
    """Regression: ?lat=abc threw "Invalid LatLng object" and left the page blank."""
    dom = chromium("--dump-dom", f"{host.base}/?{query}").stdout
    markers = re.search(r'data-markers="(\d+)"', dom)
    assert markers and int(markers.group(1)) >= 10, dom[-2000:]
    assert dom.count('class="leaflet-marker-icon') == int(markers.group(1))


def test_page_loads_without_console_errors_or_a_favicon_request(host, open_page):
    """Regression: every load logged GET /favicon.ico 404."""
    page = open_page(f"{host.base}/")
    assert page.wait("document.readyState === 'complete' && document.body.dataset.markers")
    time.sleep(1)  # the browser asks for a favicon after the load
    page.js("null")
    assert not any(url.endswith("/favicon.ico") for url in page.requests())
    # Tiles come from openstreetmap.org, which a test machine may not reach.
    assert [e for e in page.errors() if "tile.openstreetmap.org" not in e[1]] == []
