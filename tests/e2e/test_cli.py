"""The command-line host's contract (docs/cli.md): JSON shapes and exit codes."""
import json
import re
import subprocess

from conftest import SAMPLE

JEJU = ("--lat", "33.4628", "--lon", "126.3310")
QUESTION_FIELDS = {"id", "ext_id", "region", "neighborhood", "title", "body", "author", "lat",
                   "lon", "category", "hashtags", "urgent", "bounty", "status", "answer_count",
                   "accepted_answer", "likes", "created_at"}


def ask(cli, d, user="귤러버", title="애월 흑돼지 맛집?", *extra):
    return cli.json("ask", d, "--user", user, "--title", title, "--body", "추천해주세요", *JEJU,
                    *extra)


def test_init_lists_regions(cli, tmp_path):
    out = cli.json("init", tmp_path / "e")
    assert "jeju" in out["regions"] and out["regions"][-1] == "default"


def test_user_prints_id_and_balance(cli, engine_dir):
    user = cli.json("user", engine_dir, "귤러버")
    assert user["nickname"] == "귤러버" and user["id"] > 0 and "balance" in user


def test_full_question_flow(cli, engine_dir):
    cli.json("user", engine_dir, "귤러버")
    cli.json("user", engine_dir, "제주토박이")
    q = ask(cli, engine_dir, "귤러버", "애월 흑돼지 맛집?", "--category", "food", "--tag", "맛집",
            "--tag", "#흑돼지", "--urgent")
    assert QUESTION_FIELDS <= set(q)
    assert q["region"] == "jeju" and q["hashtags"] == ["맛집", "흑돼지"] and q["urgent"] is True
    assert q["status"] == "open"
    a = cli.json("answer", engine_dir, "--user", "제주토박이", "--question", q["id"], "--body",
                 "숙성도 가세요")
    assert a["question_id"] == q["id"]
    accepted = cli.json("accept", engine_dir, "--user", "귤러버", "--answer", a["id"])
    assert accepted["accepted"] is True
    liked = cli.json("like", engine_dir, "--user", "제주토박이", "--question", q["id"])
    assert liked == {"id": q["id"], "likes": 1}
    assert cli.json("like", engine_dir, "--user", "제주토박이", "--question", q["id"],
                    "--undo")["likes"] == 0
    # Regression: the option's kind was ignored: --question with an answer's id
    # liked the answer, --answer with a question's id the question.
    assert cli.error("like", engine_dir, "--user", "귤러버", "--question", a["id"],
                     code=4)["message"] == f"question {a['id']} not found"
    assert cli.error("like", engine_dir, "--user", "제주토박이", "--answer", q["id"],
                     code=4)["message"] == f"answer {q['id']} not found"
    shown = cli.json("show", engine_dir, q["id"])
    assert shown["likes"] == 0 and shown["answers"][0]["likes"] == 0
    assert shown["status"] == "accepted" and shown["accepted_answer"] == a["id"]
    assert [x["id"] for x in shown["answers"]] == [a["id"]]
    listed = cli.json("list", engine_dir)
    assert [x["id"] for x in listed["questions"]] == [q["id"]]
    assert listed["next_cursor"] is None


def test_list_pages_with_cursor(cli, engine_dir):
    cli.json("user", engine_dir, "귤러버")
    ids = [ask(cli, engine_dir, "귤러버", f"질문 {i}")["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        args = ["list", engine_dir, "--limit", "2"] + (["--cursor", cursor] if cursor else [])
        page = cli.json(*args)
        seen += [x["id"] for x in page["questions"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))


def test_exit_codes_and_json_errors(cli, engine_dir, tmp_path):
    cli.json("user", engine_dir, "귤러버")
    cli.json("user", engine_dir, "제주토박이")
    q = ask(cli, engine_dir)
    # 2: usage
    assert cli.run("list", engine_dir, "--bogus").returncode == 2
    # Regression: an unknown command was "A subcommand is required".
    assert cli.error("lsit", engine_dir, code=2)["message"].startswith('unknown command "lsit"')
    assert cli.run("frobnicate").returncode == 2
    assert cli.run("ask", engine_dir, "--user", "귤러버").returncode == 2
    # 3: invalid input
    bad = cli.error("ask", engine_dir, "--user", "귤러버", "--title", "t", "--body", "b",
                    "--lat", "91", "--lon", "126", code=3)
    assert bad["code"] == "invalid_argument" and "latitude" in bad["message"]
    assert cli.error("ask", engine_dir, "--user", "귤러버", "--title", "", "--body", "b",
                     *JEJU, code=3)["code"] == "invalid_argument"
    # 4: not found
    assert cli.error("show", engine_dir, "12345", code=4)["code"] == "not_found"
    assert cli.error("list", tmp_path / "no-engine", code=4)["code"] == "not_found"
    assert cli.error("ask", engine_dir, "--user", "nobody", "--title", "t", "--body", "b",
                     *JEJU, code=4)["code"] == "not_found"
    # 5: refused and conflict
    assert cli.error("user", engine_dir, "귤러버", code=5)["code"] == "conflict"
    a = cli.json("answer", engine_dir, "--user", "귤러버", "--question", q["id"], "--body", "자답")
    assert cli.error("accept", engine_dir, "--user", "귤러버", "--answer", a["id"],
                     code=5)["code"] == "refused"


def test_an_empty_number_is_a_usage_error_not_zero(cli, engine_dir):
    """Regression: CLI11 read "" as 0, so `--lat ""` stored a question at
    latitude 0 and `--question ""` looked for question 0."""
    cli.json("user", engine_dir, "귤러버")
    for args in (["ask", engine_dir, "--user", "귤러버", "--title", "t", "--body", "b",
                  "--lat", "", "--lon", "126.5"],
                 ["ask", engine_dir, "--user", "귤러버", "--title", "t", "--body", "b", *JEJU,
                  "--bounty", ""],
                 ["answer", engine_dir, "--user", "귤러버", "--question", "", "--body", "b"],
                 ["nearby", engine_dir, "--lat", "33.4", "--lon", "126.5", "--radius", ""]):
        assert cli.error(*args, code=2)["code"] == "usage", args
    assert cli.json("list", engine_dir)["questions"] == []


def test_an_integer_beyond_64_bits_is_a_usage_error_not_clamped(cli, engine_dir):
    """Regression: CLI11 clamped it, so `show DIR 99999999999999999999` looked
    up question 9223372036854775807 and said that one was not found."""
    cli.json("user", engine_dir, "귤러버")
    for args in (["show", engine_dir, "99999999999999999999"],
                 ["show", engine_dir, "-99999999999999999999"],
                 ["ask", engine_dir, "--user", "귤러버", "--title", "t", "--body", "b", *JEJU,
                  "--bounty", "99999999999999999999"]):
        error = cli.error(*args, code=2)
        assert error["code"] == "usage" and "out of range" in error["message"], args
    assert cli.error("show", engine_dir, "9223372036854775807", code=4)["code"] == "not_found"
    assert cli.json("list", engine_dir)["questions"] == []


def test_errors_without_json_are_one_readable_line(cli, engine_dir):
    result = cli.run("show", engine_dir, "12345")
    assert result.returncode == 4
    assert result.stderr.startswith("dongne: ") and "12345" in result.stderr
    # Regression: a path's invalid UTF-8 and escape sequence went to the terminal raw.
    raw = subprocess.run([cli.binary, "show", b"/tmp/\xff\x1b[31m", "1"], capture_output=True,
                         timeout=60)
    assert raw.returncode == 4
    assert raw.stderr.decode("utf-8") == "dongne: no engine at /tmp/\ufffd\ufffd[31m\n"


def test_show_text_lists_hashtags_only_when_there_are_some(cli, engine_dir):
    """Regression: a question without hashtags was shown with a stray "#"."""
    cli.json("user", engine_dir, "귤러버")
    bare = ask(cli, engine_dir, "귤러버", "태그 없는 질문")
    tagged = ask(cli, engine_dir, "귤러버", "태그 있는 질문", "--tag", "맛집", "--tag", "흑돼지")
    assert cli.run("show", engine_dir, bare["id"]).stdout.splitlines()[1].startswith("  other · at ")
    assert cli.run("show", engine_dir, tagged["id"]).stdout.splitlines()[1].startswith(
        "  other #맛집 #흑돼지 · at ")


def test_import_is_idempotent_and_reports_bad_lines(cli, engine_dir, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"type":"question","ext_id":"q1","author":"귤러버","title":"제목","body":"본문",'
        '"lat":33.45,"lon":126.56}\n'
        'garbage\n'
        '{"type":"answer","ext_id":"a1","question_ext_id":"q1","author":"제주토박이",'
        '"body":"답","accepted":true}\n', encoding="utf-8")
    result = cli.run("import", engine_dir, path, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["questions_added"] == 1 and summary["answers_added"] == 1
    assert summary["errors"] == 1 and summary["first_errors"][0]["line"] == 2
    assert "line 2" in result.stderr
    again = cli.json("import", engine_dir, path)
    assert again["questions_added"] == 0 and again["unchanged"] == 2


def test_import_creates_the_engine_it_is_given_none(cli, tmp_path):
    fresh = tmp_path / "fresh"
    assert cli.error("import", fresh, tmp_path / "missing.jsonl", code=4)["code"] == "not_found"
    assert cli.error("import", fresh, tmp_path, code=4)["code"] == "not_found"  # a directory
    assert not fresh.exists()  # a bad file name leaves nothing behind
    summary = cli.json("import", fresh, SAMPLE)
    assert summary["errors"] == 0 and summary["questions_added"] >= 40
    hits = cli.json("search", fresh, "흑돼지")["hits"]
    assert hits and "흑돼지" in hits[0]["title"]


def test_import_progress_in_a_log_is_one_report_a_line(cli, engine_dir, tmp_path):
    # stderr is a pipe here, as in a log: no carriage returns, each report
    # its own line, the last one the whole file.
    path = tmp_path / "many.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(25_000):
            out.write(json.dumps({"type": "question", "ext_id": f"p{i}", "author": "귤러버",
                                  "title": f"성산 갈치조림 {i}", "body": "맛집 추천해주세요",
                                  "lat": 33.45, "lon": 126.56}, ensure_ascii=False) + "\n")
    # Bytes: text mode would turn the carriage returns into newlines.
    result = subprocess.run([cli.binary, "import", engine_dir, path], capture_output=True,
                            timeout=120)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "\r" not in stderr
    reports = re.findall(r"^import: (\d+) lines \((\d+)%\)$", stderr, re.MULTILINE)
    assert reports and reports[-1] == ("25000", "100")
    lines = [int(n) for n, _ in reports]
    assert lines == sorted(set(lines))  # in order, none twice
    # Regression: without --json the summary was a sentence, where DESIGN.md
    # and docs/cli.md give JSON.
    assert json.loads(result.stdout.decode().splitlines()[-1])["questions_added"] == 25_000


def test_demo_sample_imports_cleanly(cli, engine_dir):
    summary = cli.json("import", engine_dir, SAMPLE)
    assert summary["errors"] == 0, summary["first_errors"]
    assert summary["questions_added"] >= 40 and summary["answers_added"] >= 40
    regions = {q["region"] for q in cli.json("list", engine_dir, "--limit", "1000")["questions"]}
    assert regions == {"jeju", "busan"}


def test_points_flow_and_statement(cli, engine_dir):
    asker = cli.json("user", engine_dir, "귤러버")
    cli.json("user", engine_dir, "제주토박이")
    assert asker["balance"] == 100
    q = ask(cli, engine_dir, "귤러버", "애월 흑돼지 맛집?", "--bounty", "30")
    a = cli.json("answer", engine_dir, "--user", "제주토박이", "--question", q["id"], "--body", "숙성도")
    cli.json("accept", engine_dir, "--user", "귤러버", "--answer", a["id"])
    points = cli.json("points", engine_dir, "--user", "제주토박이")
    assert points["balance"] == 100 + 30 + 10
    assert sum(e["amount"] for e in points["entries"]) == points["balance"]
    assert {"amount", "kind", "ref", "at"} <= set(points["entries"][0])
    assert {e["kind"] for e in points["entries"]} == {"signup_bonus", "bounty_payout", "reward"}
    assert cli.json("points", engine_dir, "--user", "귤러버")["balance"] == 70
    assert cli.json("verify", engine_dir)["sound"] is True


def test_bounty_above_balance_exits_5_and_changes_nothing(cli, engine_dir):
    cli.json("user", engine_dir, "귤러버")
    error = cli.error("ask", engine_dir, "--user", "귤러버", "--title", "t", "--body", "b", *JEJU,
                      "--bounty", "101", code=5)
    assert error["code"] == "insufficient_points"
    assert cli.json("list", engine_dir)["questions"] == []
    assert cli.json("points", engine_dir, "--user", "귤러버")["balance"] == 100


def test_close_refunds_and_purchase_is_idempotent(cli, engine_dir):
    cli.json("user", engine_dir, "귤러버")
    q = ask(cli, engine_dir, "귤러버", "애월 날씨?", "--bounty", "40")
    assert cli.json("close", engine_dir, "--user", "귤러버", "--question", q["id"])["status"] == "closed"
    assert cli.json("purchase", engine_dir, "--user", "귤러버", "--points", "50",
                    "--payment-id", "pg-1")["balance"] == 150
    assert cli.json("purchase", engine_dir, "--user", "귤러버", "--points", "50",
                    "--payment-id", "pg-1")["balance"] == 150


def test_verify_exits_nonzero_with_findings(cli, engine_dir):
    import sqlite3
    cli.json("user", engine_dir, "귤러버")
    db = sqlite3.connect(engine_dir / "catalog.db")
    db.execute("UPDATE balances SET balance = balance + 1 WHERE account > 0")
    db.commit()
    db.close()
    result = cli.run("verify", engine_dir, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout.strip().splitlines()[0])
    assert report["sound"] is False and report["problems"]
    progress = re.findall(r"verify: (\d+) of (\d+) files", result.stderr)
    assert progress and progress[-1][0] == progress[-1][1]  # every file audited
