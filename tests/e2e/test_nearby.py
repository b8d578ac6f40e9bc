"""`dongne nearby` (docs/cli.md): JSON hits nearest first, paging, filters, GeoJSON, errors."""
import json
import math

from conftest import SAMPLE

AEWOL = ("--lat", "33.4628", "--lon", "126.3310")
QUESTION_FIELDS = {"id", "ext_id", "region", "neighborhood", "title", "body", "author", "lat",
                   "lon", "category", "hashtags", "urgent", "bounty", "status", "answer_count",
                   "accepted_answer", "likes", "created_at"}


def haversine(lat1, lon1, lat2, lon2):
    """Spherical distance in metres: within 0.5% of the geodesic one."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(a))


def imported(cli, engine_dir):
    assert cli.json("import", engine_dir, SAMPLE)["errors"] == 0
    return engine_dir


def test_nearby_hits_are_questions_with_distances_nearest_first(cli, engine_dir):
    d = imported(cli, engine_dir)
    out = cli.json("nearby", d, *AEWOL, "--radius", "20000")
    hits = out["hits"]
    assert hits and set(out) == {"hits", "next_cursor"}
    for hit in hits:
        assert QUESTION_FIELDS | {"distance_m"} <= set(hit)
        assert hit["distance_m"] <= 20000
        expected = haversine(33.4628, 126.3310, hit["lat"], hit["lon"])
        assert abs(hit["distance_m"] - expected) <= max(1, expected * 0.005)
    keys = [(h["distance_m"], h["id"]) for h in hits]
    assert keys == sorted(keys)


def test_radius_pages_through_everything_inside_once(cli, engine_dir):
    d = imported(cli, engine_dir)
    everything = cli.json("nearby", d, *AEWOL, "--radius", "60000", "--limit", "1000")["hits"]
    assert everything and all(h["region"] == "jeju" for h in everything)
    seen, cursor = [], None
    while True:
        args = ["nearby", d, *AEWOL, "--radius", "60000", "--limit", "3"]
        page = cli.json(*args, *(["--cursor", cursor] if cursor else []))
        seen += [h["id"] for h in page["hits"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [h["id"] for h in everything]


def test_limit_alone_finds_the_nearest_anywhere(cli, engine_dir):
    d = imported(cli, engine_dir)
    # From Seoul, Jeju and Busan are far; the 5 nearest are still found (in Busan).
    hits = cli.json("nearby", d, "--lat", "37.5665", "--lon", "126.9780", "--limit", "5")["hits"]
    assert len(hits) == 5 and {h["region"] for h in hits} == {"busan"}
    assert len(cli.json("nearby", d, *AEWOL)["hits"]) == 20  # neither: the 20 nearest


def test_unanswered_and_filters(cli, engine_dir):
    cli.json("user", engine_dir, "귤러버")
    cli.json("user", engine_dir, "제주토박이")
    ids = []
    for i, lat in enumerate(("33.4628", "33.4638", "33.4648")):
        q = cli.json("ask", engine_dir, "--user", "귤러버", "--title", f"질문 {i}", "--body", "본문",
                     "--lat", lat, "--lon", "126.3310", "--category", "food" if i else "sights",
                     *(["--urgent"] if i == 2 else []))
        ids.append(q["id"])
    cli.json("answer", engine_dir, "--user", "제주토박이", "--question", ids[0], "--body", "답")
    def near(*extra, radius="1000"):
        return [h["id"] for h in cli.json("nearby", engine_dir, *AEWOL, "--radius", radius,
                                          *extra)["hits"]]
    assert near() == ids
    assert near("--unanswered") == ids[1:]
    assert near("--urgent") == ids[2:]
    assert near("--category", "sights") == ids[:1]
    assert near(radius="50") == ids[:1]


def test_geojson_is_a_feature_collection_of_points(cli, engine_dir):
    d = imported(cli, engine_dir)
    result = cli.run("nearby", d, *AEWOL, "--radius", "10000", "--geojson")
    assert result.returncode == 0, result.stderr
    geo = json.loads(result.stdout)
    assert geo["type"] == "FeatureCollection" and geo["features"]
    for f in geo["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert (lat, lon) == (f["properties"]["lat"], f["properties"]["lon"])
        assert QUESTION_FIELDS | {"distance_m"} <= set(f["properties"])
    empty = json.loads(cli.run("nearby", d, "--lat", "-33", "--lon", "-60", "--radius", "10",
                               "--geojson").stdout)
    assert empty == {"type": "FeatureCollection", "features": [], "next_cursor": None}
    paged = json.loads(cli.run("nearby", d, *AEWOL, "--radius", "10000", "--limit", "1",
                               "--geojson").stdout)
    more = json.loads(cli.run("nearby", d, *AEWOL, "--radius", "10000", "--limit", "1",
                              "--cursor", paged["next_cursor"], "--geojson").stdout)
    assert more["features"][0]["properties"]["id"] != paged["features"][0]["properties"]["id"]


def test_nearby_errors(cli, engine_dir, tmp_path):
    for bad in (("--radius", "-1"), ("--radius", "nan"), ("--radius", "30000000"),
                ("--limit", "0"), ("--limit", "1001"), ("--cursor", "garbage")):
        error = cli.error("nearby", engine_dir, *AEWOL, *bad, code=3)
        assert error["code"] == "invalid_argument"
    assert "latitude" in cli.error("nearby", engine_dir, "--lat", "91", "--lon", "0", code=3)["message"]
    assert cli.run("nearby", engine_dir, "--lat", "33").returncode == 2
    assert cli.error("nearby", tmp_path / "none", *AEWOL, code=4)["code"] == "not_found"
    text = cli.run("nearby", engine_dir, *AEWOL, "--radius", "100")
    assert text.returncode == 0 and "no questions nearby" in text.stdout
