"""The command-line host's search contract (docs/cli.md): search, --queries, trending, reindex."""
import json
import os
import shutil
import subprocess
import sys

from conftest import SAMPLE

HIT_FIELDS = {"id", "ext_id", "title", "score", "distance_m", "snippet"}


def imported(cli, d):
    cli.json("import", d, SAMPLE)
    return d


def test_search_prints_hits_in_the_contract_shape(cli, engine_dir):
    imported(cli, engine_dir)
    out = cli.json("search", engine_dir, "흑돼지 맛집", "--limit", "3")
    assert out["query"] == "흑돼지 맛집"
    assert 1 <= len(out["hits"]) <= 3
    for hit in out["hits"]:
        assert set(hit) == HIT_FIELDS
        assert hit["distance_m"] is None
    assert "흑돼지" in out["hits"][0]["title"]
    assert "«흑돼지" in json.dumps([h["snippet"] for h in out["hits"]], ensure_ascii=False)
    explained = cli.json("search", engine_dir, "흑돼지 맛집", "--limit", "1", "--explain")
    assert set(explained["hits"][0]["explain"]) == {"text", "proximity", "distance", "freshness",
                                                    "quality", "matched_terms"}
    explain = explained["hits"][0]["explain"]
    assert 0 < explain["proximity"] < explain["text"]


def test_search_with_a_point_radius_and_tag(cli, engine_dir):
    imported(cli, engine_dir)
    near = cli.json("search", engine_dir, "맛집", "--lat", "35.1587", "--lon", "129.1604",
                    "--radius", "30000")
    assert near["hits"], near
    for hit in near["hits"]:
        assert 0 <= hit["distance_m"] <= 30000
    tagged = cli.json("search", engine_dir, "맛집", "--tag", "#흑돼지")
    assert tagged["hits"] and all("id" in h for h in tagged["hits"])


def test_queries_file_prints_one_line_per_line(cli, engine_dir, tmp_path):
    imported(cli, engine_dir)
    queries = tmp_path / "q.txt"
    queries.write_text("\ufeff" + "\n".join([
        '{"query": "한라산 통제"}',  # after a byte order mark
        '{"query": "돼지국밥", "lat": 35.1577, "lon": 129.0592}',
        "",
        '"unbalanced',
        '{"query": 5}',
        "'; DROP TABLE questions; --",
    ]) + "\n", encoding="utf-8")
    result = cli.run("search", engine_dir, "--queries", queries, "--limit", "2")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(l) for l in result.stdout.splitlines()]
    assert len(lines) == 6
    assert lines[0]["query"] == "한라산 통제" and "한라산" in lines[0]["hits"][0]["title"]
    assert len(lines[0]["hits"]) <= 2
    assert lines[1]["query"] == "돼지국밥" and lines[1]["hits"][0]["distance_m"] is not None
    assert lines[2] == {"query": "", "hits": lines[2]["hits"]}
    assert "hits" in lines[3]
    assert lines[4]["error"]["code"] == "invalid_argument"
    assert "hits" in lines[5]


def test_a_radius_of_zero_and_mistyped_query_fields_are_errors(cli, engine_dir, tmp_path):
    """Regression: --radius 0 (the engine's "no radius") searched everywhere,
    and a JSON query line's field of the wrong type was silently left out."""
    imported(cli, engine_dir)
    assert "more than 0" in cli.error("search", engine_dir, "맛집", "--lat", "35.1587", "--lon",
                                      "129.1604", "--radius", "0", code=3)["message"]
    queries = tmp_path / "q.txt"
    queries.write_text("\n".join([
        '{"query": "맛집", "lat": 35.1587, "lon": 129.1604, "radius": 0}',
        '{"query": "맛집", "radius": "5000"}',
        '{"query": "맛집", "limit": "2"}',
        '{"query": "맛집", "limit": 99999999999}',
        '{"query": "맛집", "tag": 5}',
        '{"query": "맛집", "limit": 2}',
    ]) + "\n", encoding="utf-8")
    result = cli.run("search", engine_dir, "--queries", queries)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(l) for l in result.stdout.splitlines()]
    for line, field in zip(lines, ["radius", "radius", "limit", "limit", "tag"]):
        assert line["error"]["code"] == "invalid_argument", line
        assert field in line["error"]["message"], line
    assert len(lines[5]["hits"]) == 2


def test_a_radius_without_a_point_is_a_usage_error(cli, engine_dir):
    """Regression: it reached the engine and exited 3, while --lat without
    --lon, the same kind of mistake, exited 2."""
    imported(cli, engine_dir)
    assert "--lat" in cli.error("search", engine_dir, "맛집", "--radius", "1000",
                                code=2)["message"]
    assert cli.error("search", engine_dir, "맛집", "--lat", "33.5", code=2)["code"] == "usage"


def test_queries_file_line_over_the_limit_is_an_error_not_read_whole(cli, engine_dir, tmp_path):
    imported(cli, engine_dir)
    queries = tmp_path / "q.txt"
    huge = "한라산 " * ((3 << 20) // 10)  # about 3 MiB (10 bytes a word), no line break
    queries.write_text("돼지국밥\n" + huge + "\n한라산 통제\n" + huge, encoding="utf-8")
    result = cli.run("search", engine_dir, "--queries", queries)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(l) for l in result.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0]["query"] == "돼지국밥" and lines[2]["query"] == "한라산 통제"
    for failed in (lines[1], lines[3]):
        assert failed["error"]["code"] == "invalid_argument"
        assert "longer than 1048576 bytes" in failed["error"]["message"]
    assert len(result.stdout) < 20000  # the long lines are not echoed back


def test_a_queries_path_that_is_not_a_readable_file_is_not_found(cli, engine_dir, tmp_path):
    """Regression: a directory opened, then failed at the first read: exit 1, io_error."""
    imported(cli, engine_dir)
    for path in (tmp_path, tmp_path / "missing.txt"):
        error = cli.error("search", engine_dir, "--queries", path, code=4)
        assert error["code"] == "not_found" and error["message"] == f"cannot read {path}"


def test_invalid_utf8_is_invalid_input(cli, engine_dir):
    result = subprocess.run([cli.binary, "search", str(engine_dir).encode(), b"\xff\xfe", b"--json"],
                            capture_output=True, timeout=60)
    assert result.returncode == 3, result.stderr
    assert json.loads(result.stderr.decode().strip())["error"]["code"] == "invalid_argument"


def test_trending_counts_recent_hashtags(cli, engine_dir):
    cli.json("user", engine_dir, "귤러버")
    for title, tags in [("애월 카페", ["카페", "애월"]), ("협재 카페", ["카페"]), ("성산 일출", ["일출"])]:
        cli.json("ask", engine_dir, "--user", "귤러버", "--title", title, "--body", "추천해주세요",
                 "--lat", "33.4628", "--lon", "126.3310", *sum((["--tag", t] for t in tags), []))
    out = cli.json("trending", engine_dir)
    assert out["tags"][0] == {"tag": "카페", "count": 2}
    assert {"tag": "일출", "count": 1} in out["tags"]
    assert cli.json("trending", engine_dir, "--region", "busan") == {"tags": []}
    assert cli.error("trending", engine_dir, "--region", "atlantis", code=4)["code"] == "not_found"
    assert cli.error("trending", engine_dir, "--hours", "0", code=3)["code"] == "invalid_argument"


def test_reindex_rebuilds_and_search_still_answers(cli, engine_dir):
    imported(cli, engine_dir)

    def ranked():  # scores agree to rounding: sums may run in another order
        out = cli.json("search", engine_dir, "한라산")
        return [(h["id"], round(h["score"], 6), h["snippet"]) for h in out["hits"]]

    before = ranked()
    assert before
    result = cli.run("reindex", engine_dir, "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["rebuilt"] is True
    stored = cli.json("verify", engine_dir)["questions"]
    assert f"reindex: {stored} of {stored} questions (100%)" in result.stderr
    assert ranked() == before
    # A lost index comes back from the change log at the next search.
    shutil.rmtree(os.path.join(engine_dir, "shards", "jeju", "index"))
    assert ranked() == before


def test_retrieval_quality_script_measures_the_held_out_way(cli):
    """bench/retrieval_quality.py imports with `dongne import` and asks with
    `dongne search --queries`, as a held-out set is run; its figures are the
    ones docs/search.md gives."""
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    fixtures = os.path.join(root, "tests", "fixtures")
    out = subprocess.run(
        [sys.executable, os.path.join(root, "bench", "retrieval_quality.py"),
         os.path.join(fixtures, "korean_passages.jsonl"),
         os.path.join(fixtures, "korean_passage_queries.jsonl"), "--dongne", cli.binary],
        check=True, capture_output=True, text=True, timeout=120).stdout
    figures = {line[:16].strip(): line.split() for line in out.splitlines()}
    assert set(figures) == {"dongne search", "bigram BM25"}, out
    hit_at_1 = float(figures["dongne search"][3])
    assert hit_at_1 >= 0.95 and float(figures["dongne search"][5]) >= 0.97, out
    assert "(113 questions)" in out
