"""Engine.nearby and Engine.search against SQLite's own tools, through Python, on
the same 100k Korean questions, in one process:

- nearby, 20 nearest within 2 km: Engine.nearby vs SpatiaLite's spatial index
  (the SpatialIndex virtual table for the frame, ST_Distance(a, b, 1) on the
  ellipsoid, ORDER BY, LIMIT 20) through Python's sqlite3;
- search, top 10 of 3-8 words taken in order from a random question: Engine.search
  vs SQLite FTS5 with the trigram tokenizer (bm25 order) given an OR of the words
  of three or more characters (the shortest it can match).

The questions come from the C++ benchmarks' shared generator (dongne_generate,
built with the benchmarks), in the neighbourhoods of Seoul, Busan and Jeju: the
cities where a traveller's question meets many others nearby. Prints the medians and the ratios; exits 1 when a
ratio is below its aim (20x for nearby, 2x for search).

    PYTHONPATH=build/python /usr/bin/python3 bench/python_vs_sqlite.py [N]
"""
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

import dongne

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
QUERIES = 300
GENERATE = os.environ.get("DONGNE_GENERATE",
                          os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "bench",
                                       "dongne_generate"))
CITIES = "11,21,39"  # province codes: Seoul, Busan, Jeju
rng = random.Random(42)


def median_us(fn, args):
    times = []
    for a in args:
        start = time.perf_counter()
        fn(*a)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def main():
    work = tempfile.mkdtemp(prefix="dongne-pybench-")
    jsonl = os.path.join(work, "questions.jsonl")
    subprocess.run([GENERATE, str(N), jsonl, "42", CITIES], check=True)
    rows = []
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            q = json.loads(line)
            rows.append((q["ext_id"], q["title"], q["body"], q["lat"], q["lon"]))

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

    centres = [(lat, lon) for _, _, _, lat, lon in rng.sample(rows, QUERIES)]
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
    for _, title, body, _, _ in rng.sample(rows, QUERIES):
        words = (title + " " + body).split()
        picked = sorted(rng.sample(range(len(words)), min(len(words), rng.randint(3, 8))))
        questions.append((" ".join(words[i] for i in picked),))
    engine_search = median_us(lambda q: eng.search(q, limit=10), questions)
    fts_search = median_us(
        lambda q: db.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 10",
                             (" OR ".join('"' + w.replace('"', '""') + '"' for w in q.split() if len(w) >= 3) or '"' + q.split()[0].replace('"', '""') + '"',)).fetchall(),
        questions)

    nearby_ratio = spatialite_nearby / engine_nearby
    search_ratio = fts_search / engine_search
    print(f"nearby k=20 within 2 km: Engine.nearby {engine_nearby:.0f} us, SpatiaLite {spatialite_nearby:.0f} us "
          f"-> {nearby_ratio:.1f}x (aim 20x)")
    print(f"search top 10: Engine.search {engine_search:.0f} us, FTS5 trigram {fts_search:.0f} us "
          f"-> {search_ratio:.1f}x (aim 2x)")
    eng.close()
    db.close()
    shutil.rmtree(work)
    return 0 if nearby_ratio >= 20 and search_ratio >= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
