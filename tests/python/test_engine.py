"""Every method of dongne.Engine, its results and its errors."""
import datetime
import pathlib
import threading

import pytest

import dongne
from conftest import AEWOL, HAEUNDAE, SAMPLE


def test_create_and_look_up_users(eng):
    me = eng.create_user("귤러버")
    assert me.nickname == me.nick == "귤러버" and me.balance == 100
    assert isinstance(me.created_at, datetime.datetime) and me.created_at.tzinfo is not None
    assert eng.get_user(me.id).to_dict() == me.to_dict()
    assert eng.find_user("귤러버").id == me.id
    assert repr(me) == f"User(id={me.id}, nickname='귤러버', balance=100)"


def test_question_flow(eng, users):
    me, local = users
    q = eng.ask(me.id, title="애월 흑돼지 맛집?", body="추천해주세요", **AEWOL, category="food",
                hashtags=["#맛집", "흑돼지"], urgent=True, bounty=20)
    assert (q.region, q.status, q.hashtags, q.urgent, q.bounty) == ("jeju", "open", ["맛집", "흑돼지"], True, 20)
    assert q.to_dict()["lat"] == AEWOL["lat"]
    a = eng.answer(q.id, author=local.id, body="숙성도 가세요")
    assert eng.accept(a.id, by=me.id).accepted
    assert eng.like(local.id, q.id) == 1 and eng.unlike(local.id, q.id) == 0
    got = eng.get_question(q.id)
    assert got.status == "accepted" and got.accepted_answer == a.id
    assert [x.id for x in eng.answers(q.id)] == [a.id]
    assert eng.get_answer(a.id).body == "숙성도 가세요"
    assert eng.balance(local.id) == 100 + 20 + 10


def test_list_pages_and_filters(eng, users):
    me, _ = users
    for i in range(5):
        eng.ask(me.id, title=f"질문 {i}", body="내용", **(AEWOL if i % 2 else HAEUNDAE), category="food")
    seen, cursor = [], ""
    while True:
        page = eng.list(limit=2, cursor=cursor)
        seen += [q.id for q in page.questions]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 5
    assert {q.region for q in eng.list(region="busan", limit=10).questions} == {"busan"}
    assert eng.regions()[-1] == "default"
    assert eng.list(sort="unanswered").to_dict()["questions"][0]["status"] == "open"


def test_points_statement_close_purchase_adjust_expire_verify(eng, users):
    me, local = users
    q = eng.ask(me.id, title="우도 배편?", body="몇 시까지?", **AEWOL, bounty=30)
    assert eng.close_question(q.id, by=me.id).status == "closed"
    assert eng.purchase(me.id, points=50, payment_id="pg-1") == 150
    assert eng.purchase(me.id, points=50, payment_id="pg-1") == 150
    assert eng.adjust(me.id, amount=-10, reason="정정", key="k1") == 140
    st = eng.statement(me.id, limit=2)
    assert st.balance == 140 and len(st.entries) == 2 and st.next_cursor
    assert {e.kind for e in eng.statement(me.id, limit=100).entries} >= {"signup_bonus", "bounty_hold", "bounty_refund", "purchase", "adjustment"}
    old = eng.ask(me.id, title="오래된 질문", body="?", **AEWOL, bounty=5,
                  created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
    assert eng.expire(now=datetime.datetime(2020, 2, 1)) == 1
    assert eng.get_question(old.id).status == "closed"
    calls = []
    report = eng.verify(progress=lambda checked, total: calls.append((checked, total)))
    assert report and report.sound and report.problems == [] and report.transactions > 0
    total = calls[-1][1]  # each shard and catalog.db
    assert total >= 2 and calls == [(i, total) for i in range(1, total + 1)]


def test_import_jsonl_with_progress(eng):
    calls = []
    summary = eng.import_jsonl(SAMPLE, progress=lambda *p: calls.append(p))
    assert summary["errors"] == 0 and summary["questions_added"] == 50
    assert calls and calls[-1][1] == calls[-1][2]  # ends at the file size
    assert eng.import_jsonl(SAMPLE)["unchanged"] == summary["lines"]


@pytest.mark.parametrize("call, error, builtin", [
    (lambda e, u: e.ask(u.id, title="t", body="b", lat=91, lon=0), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.ask(u.id, title="t", body="b", lat=float("nan"), lon=0), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.ask(u.id, title="", body="b", **AEWOL), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.ask(u.id, title="t", body="x" * 20001, **AEWOL), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.ask(u.id, title="t", body="b", **AEWOL, hashtags=[str(i) for i in range(11)]), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.ask(u.id, title="t", body="b", **AEWOL, bounty=101), dongne.InsufficientPoints, PermissionError),
    (lambda e, u: e.ask(999, title="t", body="b", **AEWOL), dongne.NotFound, LookupError),
    (lambda e, u: e.get_question(12345), dongne.NotFound, LookupError),
    (lambda e, u: e.create_user("귤러버"), dongne.Conflict, PermissionError),
    (lambda e, u: e.list(sort="best"), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.expire(now="yesterday"), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.search("맛집", bm25_b=2.0), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.search("맛집", distance_weight=float("nan")), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.search("맛집", freshness_weight=-1.0), dongne.InvalidArgument, ValueError),
    # Regressions: a mistyped option was pybind11's RuntimeError, a lone
    # lat was ignored by similar, an int beyond a double's range a
    # RuntimeError, a datetime-less True taken as 1 second.
    (lambda e, u: e.search("맛집", bm25_k1="1.2"), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.search("맛집", bm25_k1=None), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.similar("흑돼지 맛집", lat=33.4), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.expire(now=10**400), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.expire(now=True), dongne.InvalidArgument, ValueError),
    (lambda e, u: e.ask(u.id, title="t", body="b", **AEWOL, hashtags=["맛\x00집"]), dongne.InvalidArgument, ValueError),
])
def test_errors_map_to_the_hierarchy(eng, call, error, builtin):
    me = eng.create_user("귤러버")
    with pytest.raises(error) as raised:
        call(eng, me)
    assert isinstance(raised.value, dongne.Error) and isinstance(raised.value, builtin)
    assert str(raised.value)
    assert eng.balance(me.id) == 100 and eng.list().questions == []


def test_refusals_and_conflict(eng, users):
    me, local = users
    q = eng.ask(me.id, title="t", body="b", **AEWOL)
    own = eng.answer(q.id, author=me.id, body="자답")
    a = eng.answer(q.id, author=local.id, body="답")
    with pytest.raises(dongne.Refused):
        eng.accept(own.id, by=me.id)
    with pytest.raises(dongne.Refused):
        eng.accept(a.id, by=local.id)
    eng.accept(a.id, by=me.id)
    b = eng.answer(q.id, author=eng.create_user("셋").id, body="또")
    with pytest.raises(dongne.Conflict):
        eng.accept(b.id, by=me.id)
    # Regression: answering a closed question was a plain Refused, though the
    # docs (and accepting on one) say Conflict.
    closed = eng.ask(me.id, title="t", body="b", **AEWOL)
    eng.close_question(closed.id, by=me.id)
    with pytest.raises(dongne.Conflict, match="closed"):
        eng.answer(closed.id, author=local.id, body="늦은 답")


def test_closed_engine_raises(tmp_path):
    eng = dongne.Engine(str(tmp_path / "e"))
    eng.close()
    with pytest.raises(dongne.InvalidArgument, match="closed"):
        eng.regions()


@pytest.mark.parametrize("record", ["User", "Question", "Answer", "QuestionPage", "LedgerEntry",
                                    "Statement", "NearbyHit", "FeedHit", "Home", "Answerer",
                                    "ScoreExplanation", "SearchHit", "TagCount", "VerifyReport"])
def test_records_cannot_be_made_without_the_engine(record):
    """Regression: Statement.__new__(Statement) made an empty record, and reading it crashed."""
    cls = getattr(dongne, record)
    with pytest.raises(TypeError, match="made by the Engine"):
        cls.__new__(cls)
    with pytest.raises(TypeError):
        cls()


def test_flags_take_only_booleans(eng, users, tmp_path):
    """Regression: urgent=None was False and urgent=0.5 True; sync=None was False."""
    me, _ = users
    for value in (None, 0.5, 1):
        with pytest.raises(TypeError):
            eng.ask(me.id, title="t", body="b", **AEWOL, urgent=value)
        with pytest.raises(TypeError):
            eng.search("t", explain=value)
    assert eng.list().questions == []
    with pytest.raises(dongne.InvalidArgument, match="sync must be True or False"):
        dongne.Engine(str(tmp_path / "other"), sync=None)


def test_paths_may_be_pathlike_and_may_not_hold_a_nul(tmp_path):
    """Regression: a pathlib.Path was a TypeError, and a NUL cut a path short
    (an import of "sample\\0junk" imported the sample)."""
    with dongne.Engine(tmp_path / "e") as eng:
        assert eng.import_jsonl(pathlib.Path(SAMPLE))["questions_added"] == 50
        with pytest.raises(dongne.InvalidArgument, match="NUL"):
            eng.import_jsonl(str(SAMPLE) + "\0junk")
    with pytest.raises(dongne.InvalidArgument, match="NUL"):
        dongne.Engine(str(tmp_path / "f") + "\0g")
    assert not (tmp_path / "f").exists()


def test_unknown_option_is_invalid(tmp_path):
    with pytest.raises(dongne.InvalidArgument, match="colour"):
        dongne.Engine(str(tmp_path / "e"), colour="blue")
    with pytest.raises(dongne.InvalidArgument, match="sync must be True or False, not str"):
        dongne.Engine(str(tmp_path / "e"), sync="yes")
    # Regression: out-of-range values were taken (a negative reward charged answerers).
    for option in ({"acceptance_reward": -30}, {"signup_bonus": 2**62}, {"bounty_expiry_s": -100},
                   {"snap_distance_m": float("nan")}, {"busy_timeout_ms": -1}):
        with pytest.raises(dongne.InvalidArgument, match=next(iter(option)).removesuffix("_s")):
            dongne.Engine(str(tmp_path / "e"), **option)


def test_a_message_is_not_cut_at_a_nul(eng, users):
    """Regression: the hashtag was quoted raw, and the message ended at its NUL."""
    me, _ = users
    with pytest.raises(dongne.InvalidArgument, match="control characters"):
        eng.ask(me.id, title="t", body="b", **AEWOL, hashtags=["맛\x00집"])


def test_threads_write_and_read_in_parallel(eng, users):
    me, local = users
    eng.purchase(me.id, points=10_000, payment_id="big")
    errors = []

    def work(i):
        try:
            for j in range(20):
                q = eng.ask(me.id, title=f"스레드 {i}-{j}", body="b", **(AEWOL if j % 2 else HAEUNDAE), bounty=1)
                eng.answer(q.id, author=local.id, body="a")
                eng.list(limit=5)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(eng.list(limit=1000).questions) == 80
    assert eng.verify().sound


def test_help_is_useful():
    assert "bounty" in dongne.Engine.ask.__doc__
    assert "GIL" in dongne.Engine.__doc__


def test_gil_is_released_during_long_calls(eng, tmp_path):
    import json
    path = tmp_path / "many.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(20000):
            f.write(json.dumps({"ext_id": f"q{i}", "title": f"애월 카페 {i}", "body": "추천?",
                                "lat": 33.46, "lon": 126.33}, ensure_ascii=False) + "\n")
    done = threading.Event()
    worker = threading.Thread(target=lambda: (eng.import_jsonl(str(path)), done.set()))
    spins = 0
    worker.start()
    while not done.is_set():
        spins += 1  # only runs while the import thread does not hold the GIL
    worker.join()
    assert spins > 10_000


def test_nearby_feed_geojson_and_who_can_answer(eng, users):
    import json
    me, local = users
    near = eng.ask(me.id, title="애월 카페 추천", body="바다 보이는 곳", **AEWOL, urgent=True)
    far = eng.ask(me.id, title="해운대 밀면", body="?", **HAEUNDAE)
    hits = eng.nearby(lat=33.46, lon=126.33, radius_m=5000)
    assert [h.id for h in hits] == [near.id] and 0 < hits[0].distance_m < 5000
    assert hits[0].question.title == "애월 카페 추천" and "distance_m" in hits[0].to_dict()
    assert [h.id for h in eng.nearby(lat=33.46, lon=126.33, limit=2)] == [near.id, far.id]
    page, cursor = eng.nearby(lat=33.46, lon=126.33, radius_m=1e6, limit=1, page=True)
    assert len(page) == 1 and cursor
    geo = json.loads(eng.nearby_geojson(lat=33.46, lon=126.33, radius_m=5000))
    assert geo["type"] == "FeatureCollection" and geo["features"][0]["properties"]["id"] == near.id
    assert geo["next_cursor"] is None
    first = json.loads(eng.nearby_geojson(lat=33.46, lon=126.33, radius_m=1e6, limit=1))
    rest = json.loads(eng.nearby_geojson(lat=33.46, lon=126.33, radius_m=1e6, limit=1,
                                         cursor=first["next_cursor"]))
    assert [f["properties"]["id"] for f in first["features"] + rest["features"]] == [near.id, far.id]
    # Regression: the GeoJSON took none of nearby's filters but unanswered.
    urgent = json.loads(eng.nearby_geojson(lat=33.46, lon=126.33, radius_m=1e6, urgent=True))
    assert [f["properties"]["id"] for f in urgent["features"]] == [near.id]
    feed = eng.needs_answer(lat=33.46, lon=126.33, radius_m=5000)
    assert [f.id for f in feed] == [near.id] and feed[0].waiting_s >= 0
    feed_page, feed_cursor = eng.needs_answer(lat=33.46, lon=126.33, radius_m=1e6, limit=1, page=True)
    assert [f.id for f in feed_page] == [near.id] and feed_cursor
    home = eng.verify_location(local.id, lat=33.465, lon=126.335)
    assert eng.home(local.id).neighborhood == home.neighborhood and eng.home(me.id) is None
    who = eng.who_can_answer(near.id)
    assert [a.user.id for a in who] == [local.id] and who[0].distance_m < 5000
    with pytest.raises(dongne.InvalidArgument):
        eng.nearby(lat=33.46, lon=126.33, radius_m=-1)
    with pytest.raises(dongne.InvalidArgument):
        eng.nearby(lat=33.46, lon=126.33)


def test_search_similar_trending_and_explain(eng):
    eng.import_jsonl(SAMPLE)
    hits = eng.search("흑돼지 맛집은 어디에 있나요", lat=33.4996, lon=126.5312, limit=5, explain=True)
    assert hits and "흑돼지" in hits[0].title
    assert hits[0].distance_m is not None and "«" in hits[0].snippet
    assert hits[0].explain.text > 0 and hits[0].explain.matched_terms
    assert 0 < hits[0].explain.proximity < hits[0].explain.text
    off = eng.search("흑돼지 맛집은 어디에 있나요", limit=1, explain=True, proximity_weight=0.0)
    assert off[0].explain.proximity == 0
    with pytest.raises(dongne.InvalidArgument, match="proximity_weight"):
        eng.search("흑돼지", proximity_weight=-1.0)
    assert hits[0].to_dict()["question"]["id"] == hits[0].id
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # Ranking options as keywords; unknown ones are an error.
    assert eng.search("흑돼지", distance_weight=0.0, limit=3)
    with pytest.raises(dongne.InvalidArgument):
        eng.search("흑돼지", colour=1.0)
    with pytest.raises(dongne.InvalidArgument):
        eng.search("흑돼지", lat=33.5)
    similar = eng.similar("흑돼지 맛집 추천", "제주시에서 흑돼지 먹고 싶어요")
    assert any("흑돼지" in h.title for h in similar)
    me = eng.create_user("트렌드")
    for title in ("우도 땅콩 아이스크림", "우도 배 시간"):
        eng.ask(me.id, title=title, body="?", lat=33.50, lon=126.95, hashtags=["우도"])
    tags = eng.trending(hours=1)
    assert tags[0].tag == "우도" and tags[0].count == 2
    assert eng.suggestion("한라삼") == "한라산"
    before = [h.id for h in eng.search("흑돼지")]
    reports = []
    eng.rebuild_index(progress=lambda indexed, total: reports.append((indexed, total)))
    stored = eng.verify().questions
    assert stored > 0 and reports[-1] == (stored, stored)
    assert before and [h.id for h in eng.search("흑돼지")] == before


def test_search_gives_the_suggestion_its_hits_answer(eng, users):
    """Regression: suggestion(text) searched the text alone, so with filters it
    described another search: '' when the search had read #흑돼지 as a word."""
    me, _ = users
    eng.ask(me.id, title="애월 흑돼지 맛집", body="흑돼지 추천", **AEWOL, hashtags=["흑돼지"])
    busan = eng.ask(me.id, title="해운대 돼지국밥", body="흑돼지 국밥도 있나요", **HAEUNDAE)
    hits, suggestion = eng.search("#흑돼지", region="busan", with_suggestion=True)
    assert [h.id for h in hits] == [busan.id] and suggestion == "흑돼지"
    assert eng.suggestion("#흑돼지") == ""  # alone, the tag matches
    hits, suggestion = eng.search("흑돼지", with_suggestion=True)
    assert len(hits) == 2 and suggestion is None


def test_absent_values_are_none_as_the_hosts_null(eng, users):
    """Regression: an absent ext_id or neighbourhood was '' and a sign-up
    bonus's ref 0, where the CLI and HTTP JSON give null."""
    me, local = users
    q = eng.ask(me.id, title="애월 날씨", body="?", **AEWOL)  # the built-in map has no dongs
    a = eng.answer(q.id, author=local.id, body="!")
    assert q.ext_id is None and q.to_dict()["ext_id"] is None
    assert q.neighborhood is None and q.to_dict()["neighborhood"] is None
    assert a.ext_id is None and a.to_dict()["ext_id"] is None
    assert eng.statement(me.id).entries[-1].ref is None  # the sign-up bonus
    copy = eng.ask(me.id, title="애월 날씨", body="?", **AEWOL, ext_id=q.ext_id)  # None: none
    assert copy.ext_id is None


def test_threads_search_concurrently(eng):
    eng.import_jsonl(SAMPLE)
    results, errors = [], []

    def work():
        try:
            for _ in range(30):
                results.append(len(eng.search("해운대 돼지국밥", lat=35.1587, lon=129.1604)))
        except Exception as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(results) == 120 and len(set(results)) == 1 and results[0] > 0


def test_every_engine_method_has_a_test():
    """A method added to the bindings without a test here fails this test."""
    import inspect
    tested = open(__file__, encoding="utf-8").read()
    methods = [name for name, _ in inspect.getmembers(dongne.Engine) if not name.startswith("_")]
    missing = [m for m in methods if f".{m}(" not in tested and f"{m}(" not in tested]
    assert missing == []
