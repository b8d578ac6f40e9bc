"""Engine.nearby and Engine.search against SQLite's own tools, through Python, on
the same 100k Korean questions, in one process:

- nearby, 20 nearest within 2 km: Engine.nearby vs SpatiaLite's spatial index
  (the SpatialIndex virtual table for the frame, ST_Distance(a, b, 1) on the
  ellipsoid, ORDER BY, LIMIT 20) through Python's sqlite3;
- search, top 10 of 3-8 word Korean questions: Engine.search vs SQLite FTS5 with
  the trigram tokenizer (bm25 order).

Prints the medians and the ratios; exits 1 when a ratio is below its aim
(20x for nearby, 2x for search).

    PYTHONPATH=build/python /usr/bin/python3 bench/python_vs_sqlite.py [N]
"""
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time

import dongne

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
QUERIES = 300
rng = random.Random(42)

BOXES = [(37.45, 126.85, 37.65, 127.15), (35.08, 128.95, 35.25, 129.20), (33.25, 126.20, 33.52, 126.90)]
PLACES = ["제주시", "애월", "협재", "성산", "서귀포", "중문", "한라산", "우도", "해운대", "광안리", "서면",
          "남포동", "자갈치", "기장", "강남", "홍대", "명동", "잠실"]
THINGS = ["흑돼지", "고기국수", "갈치조림", "돼지국밥", "밀면", "어묵", "카페", "빵집", "횟집", "주차장", "버스",
          "택시", "숙소", "게스트하우스", "시장", "전망대", "산책로", "해변", "편의점", "약국", "렌터카", "야경"]
ASKS = ["어디가 좋아요?", "추천해 주세요", "지금 가도 되나요?", "몇 시까지 하나요?", "줄 많이 서나요?",
        "가격이 어느 정도예요?", "주차 가능한가요?", "아이랑 가기 괜찮나요?", "현지인 맛집 있나요?"]
BODIES = ["내일 아침에 도착하는데 처음이라 잘 모르겠어요.", "부모님 모시고 가려고 하는데 붐비지 않는 곳이면 좋겠습니다.",
          "혼자 여행 중이에요. 걸어서 갈 수 있는 거리였으면 해요.", "블로그에 나온 곳 말고 동네 분들이 가는 곳이 궁금합니다."]


def point():
    a, b, c, d = rng.choice(BOXES)
    return rng.uniform(a, c), rng.uniform(b, d)


def median_us(fn, args):
    times = []
    for a in args:
        start = time.perf_counter()
        fn(*a)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def main():
    work = tempfile.mkdtemp(prefix="dongne-pybench-")
    rows = []
    for i in range(N):
        lat, lon = point()
        place, thing = rng.choice(PLACES), rng.choice(THINGS)
        rows.append((f"b{i}", f"{place} {thing} {rng.choice(ASKS)}",
                     f"{rng.choice(BODIES)} {place} 근처 {thing} 정보 부탁드려요.", lat, lon))
    jsonl = os.path.join(work, "questions.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        for ext_id, title, body, lat, lon in rows:
            f.write(json.dumps({"ext_id": ext_id, "author": f"여행자{rng.randrange(3000)}", "title": title,
                                "body": body, "lat": lat, "lon": lon}, ensure_ascii=False) + "\n")

    eng = dongne.Engine(os.path.join(work, "engine"), sync=False)
    start = time.perf_counter()
    eng.import_jsonl(jsonl)
    print(f"engine: imported {N} questions in {time.perf_counter() - start:.1f} s")

    db = sqlite3.connect(os.path.join(work, "peer.db"))
    db.enable_load_extension(True)
    db.load_extension("mod_spatialite")
    db.execute("SELECT InitSpatialMetadata(1, 'WGS84_ONLY')")
    db.execute("CREATE TABLE q(id INTEGER PRIMARY KEY, title TEXT, body TEXT)")
    db.execute("SELECT AddGeometryColumn('q', 'geom', 4326, 'POINT', 'XY')")
    db.execute("SELECT CreateSpatialIndex('q', 'geom')")
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='trigram')")
    with db:
        db.executemany("INSERT INTO q(id, title, body, geom) VALUES (?, ?, ?, MakePoint(?, ?, 4326))",
                       ((i, t, b, lon, lat) for i, (_, t, b, lat, lon) in enumerate(rows)))
        db.executemany("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                       ((i, t, b) for i, (_, t, b, _, _) in enumerate(rows)))

    centres = [point() for _ in range(QUERIES)]
    engine_nearby = median_us(lambda lat, lon: eng.nearby(lat=lat, lon=lon, radius_m=2000, limit=20), centres)
    frame = 2000 / 111_000
    spatial_sql = (
        "SELECT id, ST_Distance(geom, MakePoint(?, ?, 4326), 1) AS d FROM q WHERE ROWID IN ("
        " SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'q' AND search_frame = BuildMbr(?, ?, ?, ?, 4326))"
        " AND d <= 2000 ORDER BY d LIMIT 20")
    spatialite_nearby = median_us(
        lambda lat, lon: db.execute(spatial_sql, (lon, lat, lon - frame * 1.3, lat - frame, lon + frame * 1.3,
                                                  lat + frame)).fetchall(), centres)

    questions = []
    for _ in range(QUERIES):
        words = [rng.choice(PLACES), rng.choice(THINGS)] + rng.sample(["어디", "맛집", "추천", "근처", "지금",
                                                                        "주차", "가격", "아이랑", "현지인"], rng.randint(1, 6))
        questions.append((" ".join(words),))
    engine_search = median_us(lambda q: eng.search(q, limit=10), questions)
    fts_search = median_us(
        lambda q: db.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 10",
                             (" OR ".join(f'"{w}"' for w in q.split() if len(w) >= 3) or '"맛집"',)).fetchall(),
        questions)

    nearby_ratio = spatialite_nearby / engine_nearby
    search_ratio = fts_search / engine_search
    print(f"nearby k=20 within 2 km: Engine.nearby {engine_nearby:.0f} us, SpatiaLite {spatialite_nearby:.0f} us "
          f"-> {nearby_ratio:.1f}x (aim 20x)")
    print(f"search top 10: Engine.search {engine_search:.0f} us, FTS5 trigram {fts_search:.0f} us "
          f"-> {search_ratio:.1f}x (aim 2x)")
    eng.close()
    db.close()
    return 0 if nearby_ratio >= 20 and search_ratio >= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
