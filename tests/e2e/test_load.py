"""Load: wrk on loopback against the real host, for nearby and search, with a bounded
duration; zero failed requests. Prints requests/s and p99 (docs/benchmarks.md)."""
import json
import os
import random
import re
import shutil
import subprocess

import pytest

from http_client import Host

WRK = shutil.which("wrk")
pytestmark = pytest.mark.skipif(not WRK, reason="wrk is not installed (Debian package wrk)")

PLACES = [("애월", 33.4628, 126.3310), ("제주시", 33.4996, 126.5312), ("서귀포", 33.2530, 126.5600),
          ("해운대", 35.1587, 129.1604), ("서면", 35.1577, 129.0594), ("남포동", 35.0983, 129.0300)]
THINGS = ["흑돼지", "고기국수", "갈치조림", "돼지국밥", "밀면", "카페", "주차장", "버스", "숙소", "시장"]


def run_wrk(url, seconds):
    out = subprocess.run([WRK, "-t2", "-c16", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return out, rps, p99, int(errors.group(1)) if errors else 0, socket_errors


def test_nearby_and_search_under_load(cli, engine_dir, tmp_path):
    rng = random.Random(7)
    path = tmp_path / "load.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(20000):
            place, lat, lon = rng.choice(PLACES)
            thing = rng.choice(THINGS)
            f.write(json.dumps({"ext_id": f"l{i}", "author": f"이웃{i % 500}",
                                "title": f"{place} {thing} 추천해 주세요", "body": f"{place} 근처 {thing} 어디가 좋아요?",
                                "lat": lat + rng.uniform(-0.03, 0.03), "lon": lon + rng.uniform(-0.03, 0.03),
                                "category": "food"}, ensure_ascii=False) + "\n")
    assert cli.json("import", engine_dir, path)["questions_added"] == 20000
    seconds = int(os.environ.get("DONGNE_LOAD_SECONDS", "5"))
    host = Host(cli.binary, engine_dir, "--threads", "8")
    try:
        report = []
        for name, target in [
            ("nearby k=20 within 2 km", "/api/v1/locations/nearby?lat=33.4628&lon=126.3310&radius=2000&limit=20"),
            ("search '애월 흑돼지' near a point", "/api/v1/search?q=%EC%95%A0%EC%9B%94%20%ED%9D%91%EB%8F%BC%EC%A7%80&lat=33.4628&lon=126.3310&limit=10"),
        ]:
            out, rps, p99, errors, socket_errors = run_wrk(host.base + target, seconds)
            assert errors == 0, out
            assert socket_errors is None, out
            assert rps > 50, out
            report.append(f"{name}: {rps:.0f} requests/s, p99 {p99}")
        print("\n[load] " + "\n[load] ".join(report))
        artifacts = os.environ.get("DONGNE_ARTIFACTS")
        if artifacts:
            os.makedirs(artifacts, exist_ok=True)
            with open(os.path.join(artifacts, "load.txt"), "w", encoding="utf-8") as f:
                f.write("\n".join(report) + "\n")
    finally:
        code, _ = host.stop()
        assert code == 0
