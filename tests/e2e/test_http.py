"""The HTTP host over a real socket: the full flow, every error status, shutdown."""
import http.client
import json
import os
import socket
import threading
import time

import pytest

from conftest import REPO, SAMPLE
from http_client import Host

JEJU = {"lat": 33.4628, "lon": 126.3310}


@pytest.fixture
def host(cli, engine_dir):
    h = Host(cli.binary, engine_dir, "--writes-per-minute", "600", "--writes-burst", "50")
    yield h
    if h.process.poll() is None:
        h.stop()


def user(host, nickname):
    status, _, body = host.request("POST", "/api/v1/users", {"nickname": nickname})
    assert status == 201, body
    return body


def test_full_flow(host):
    me, local = user(host, "귤러버"), user(host, "제주토박이")
    assert set(me) >= {"id", "nickname", "balance", "token"} and me["balance"] == 100
    status, _, q = host.request("POST", "/api/v1/questions",
                                {"title": "애월 흑돼지 맛집?", "body": "추천해주세요", **JEJU,
                                 "category": "food", "hashtags": ["맛집"], "bounty": 20},
                                token=me["token"])
    assert status == 201 and q["region"] == "jeju" and q["bounty"] == 20
    status, _, a = host.request("POST", f"/api/v1/questions/{q['id']}/answers",
                                {"body": "숙성도 가세요"}, token=local["token"])
    assert status == 201 and a["question_id"] == q["id"]
    status, _, accepted = host.request("PUT", f"/api/v1/answers/{a['id']}/accept", token=me["token"])
    assert status == 200 and accepted["accepted"] is True
    status, _, liked = host.request("POST", f"/api/v1/questions/{q['id']}/like", token=local["token"])
    assert status == 200 and liked["likes"] == 1
    status, _, shown = host.request("GET", f"/api/v1/questions/{q['id']}")
    assert shown["status"] == "accepted" and [x["id"] for x in shown["answers"]] == [a["id"]]
    status, _, page = host.request("GET", "/api/v1/questions?region=jeju&sort=popular")
    assert status == 200 and [x["id"] for x in page["questions"]] == [q["id"]]
    status, _, points = host.request("GET", f"/api/v1/users/{local['id']}/points", token=local["token"])
    assert status == 200 and points["balance"] == 130
    assert sum(e["amount"] for e in points["entries"]) == 130
    status, _, got = host.request("GET", f"/api/v1/users/{me['id']}")
    assert status == 200 and got["balance"] == 80 and "token" not in got
    assert host.request("GET", "/healthz")[0] == 200
    status, _, near = host.request("GET", "/api/v1/locations/nearby?lat=33.46&lon=126.33&radius=5000&limit=10")
    assert status == 200 and [h["id"] for h in near["hits"]] == [q["id"]]
    assert 0 < near["hits"][0]["distance_m"] < 5000
    status, headers, geo = host.request("GET", "/api/v1/locations/nearby?lat=33.46&lon=126.33&radius=5000&format=geojson")
    assert status == 200 and "geo+json" in headers["Content-Type"]
    assert geo["type"] == "FeatureCollection" and geo["next_cursor"] is None
    feature = geo["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [JEJU["lon"], JEJU["lat"]]}
    assert feature["properties"]["id"] == q["id"] and "distance_m" in feature["properties"]
    status, _, found = host.request("GET", "/api/v1/search?q=%EC%95%A0%EC%9B%94%EC%97%90%EC%84%9C%20%ED%9D%91%EB%8F%BC%EC%A7%80&lat=33.46&lon=126.33")
    assert status == 200 and [h["id"] for h in found["hits"]] == [q["id"]]  # 애월에서 흑돼지
    assert "«" in found["hits"][0]["snippet"] and found["hits"][0]["distance_m"] > 0
    status, _, trending = host.request("GET", "/api/v1/trending?hours=24")
    assert status == 200 and trending["tags"][0] == {"tag": "맛집", "count": 1}


def test_error_statuses(host):
    me, other = user(host, "귤러버"), user(host, "부산갈매기")
    _, _, q = host.request("POST", "/api/v1/questions", {"title": "t", "body": "b", **JEJU},
                           token=me["token"])
    _, _, a = host.request("POST", f"/api/v1/questions/{q['id']}/answers", {"body": "답"},
                           token=other["token"])

    def error(expected, *args, **kwargs):
        status, headers, body = host.request(*args, **kwargs)
        assert status == expected, (status, body)
        assert set(body["error"]) == {"code", "message"} and body["error"]["message"]
        assert headers["Content-Type"] == "application/json; charset=utf-8"  # httplib's too
        assert "/" not in body["error"]["message"] or status != 500  # no paths leak
        return body["error"], headers

    error(400, "POST", "/api/v1/users", raw=b"{not json")
    error(400, "POST", "/api/v1/questions", {"title": "t", "body": "b", "lat": 91, "lon": 0}, token=me["token"])
    error(400, "POST", "/api/v1/questions", {"title": 5, "body": "b", **JEJU}, token=me["token"])
    error(400, "GET", "/api/v1/questions?sort=best")
    error(400, "GET", "/api/v1/locations/nearby?lat=91&lon=0")
    error(400, "GET", "/api/v1/locations/nearby?lat=abc&lon=0")
    error(400, "GET", "/api/v1/locations/nearby?lat=33&lon=126&radius=-5")
    error(400, "GET", "/api/v1/search?q=x&limit=0")
    error(400, "GET", "/api/v1/search?q=x&radius=100")  # a radius without a point
    error(404, "GET", "/api/v1/trending?region=atlantis")
    error(401, "POST", "/api/v1/questions", {"title": "t", "body": "b", **JEJU})
    error(401, "POST", "/api/v1/questions", {"title": "t", "body": "b", **JEJU}, token="1." + "0" * 64)
    error(401, "POST", "/api/v1/questions", {"title": "t", "body": "b", **JEJU}, token="garbage")
    error(403, "PUT", f"/api/v1/answers/{a['id']}/accept", token=other["token"])
    error(403, "GET", f"/api/v1/users/{me['id']}/points", token=other["token"])
    error(404, "GET", "/api/v1/questions/424242")
    error(404, "GET", "/api/v1/nothing-here")
    error(409, "POST", "/api/v1/users", {"nickname": "귤러버"})
    error(413, "POST", "/api/v1/users", raw=b'{"nickname":"' + b"x" * (10 << 20) + b'"}')
    e, _ = error(422, "POST", "/api/v1/questions", {"title": "t", "body": "b", **JEJU, "bounty": 1000},
                 token=me["token"])
    assert e["code"] == "insufficient_points"
    # Refusals wrote nothing: still one question, balances as before.
    _, _, page = host.request("GET", "/api/v1/questions")
    assert len(page["questions"]) == 1
    assert host.request("GET", f"/api/v1/users/{me['id']}")[2]["balance"] == 100


def test_search_and_nearby_read_flags_strictly_and_filter_like_the_cli(host):
    """Regression: unanswered=banana and urgent=yes read as false, as_you_type=1
    as false (nearby read 1 as true), radius=0 searched everywhere, and search
    ignored status, urgent and explain."""
    me, other = user(host, "귤러버"), user(host, "부산갈매기")
    asked = [host.request("POST", "/api/v1/questions",
                          {"title": title, "body": "알려주세요", **JEJU, "urgent": urgent},
                          token=me["token"])[2]
             for title, urgent in (("한라산 등산로", True), ("한라산 주차장", False))]
    host.request("POST", f"/api/v1/questions/{asked[1]['id']}/answers", {"body": "넓어요"},
                 token=other["token"])
    for path in ("/api/v1/locations/nearby?lat=33.46&lon=126.33&unanswered=banana",
                 "/api/v1/locations/nearby?lat=33.46&lon=126.33&urgent=yes",
                 "/api/v1/search?q=%ED%95%9C%EB%9D%BC%EC%82%B0&as_you_type=yes",
                 "/api/v1/search?q=%ED%95%9C%EB%9D%BC%EC%82%B0&explain=2",
                 "/api/v1/search?q=%ED%95%9C%EB%9D%BC%EC%82%B0&status=resolved",
                 "/api/v1/search?q=%ED%95%9C%EB%9D%BC%EC%82%B0&lat=33.46&lon=126.33&radius=0"):
        status, _, body = host.request("GET", path)
        assert status == 400 and body["error"]["code"] == "invalid_argument", (path, body)
    search = "/api/v1/search?q=%ED%95%9C%EB%9E%8F"  # 한랏, completed only as you type
    assert host.request("GET", search + "&as_you_type=1")[2]["hits"]
    assert host.request("GET", search + "&as_you_type=true")[2]["hits"]
    assert not host.request("GET", search + "&as_you_type=0")[2]["hits"]
    search = "/api/v1/search?q=%ED%95%9C%EB%9D%BC%EC%82%B0"  # 한라산
    ids = lambda path: [h["id"] for h in host.request("GET", path)[2]["hits"]]
    assert ids(search + "&urgent=1") == [asked[0]["id"]]
    assert ids(search + "&urgent=false") == [asked[1]["id"]]  # as Python's urgent=False
    assert ids(search + "&status=answered") == [asked[1]["id"]]
    assert len(ids(search + "&status=")) == 2  # empty, like region=: no filter
    hits = host.request("GET", search + "&explain=true")[2]["hits"]
    assert len(hits) == 2 and all(h["explain"]["text"] > 0 for h in hits)
    assert "explain" not in host.request("GET", search)[2]["hits"][0]
    near = "/api/v1/locations/nearby?lat=33.46&lon=126.33"
    assert ids(near + "&unanswered=true") == [asked[0]["id"]]
    assert ids(near + "&urgent=0") == ids(near)


def test_likes_refuse_an_id_of_the_other_kind(host):
    """Regression: the like routes took any id: /answers/{a question's id}/like
    liked the question, /questions/{an answer's id}/like the answer."""
    me, other = user(host, "귤러버"), user(host, "부산갈매기")
    _, _, q = host.request("POST", "/api/v1/questions", {"title": "t", "body": "b", **JEJU},
                           token=me["token"])
    _, _, a = host.request("POST", f"/api/v1/questions/{q['id']}/answers", {"body": "답"},
                           token=other["token"])
    for method, path, message in [
            ("POST", f"/api/v1/answers/{q['id']}/like", f"answer {q['id']} not found"),
            ("POST", f"/api/v1/questions/{a['id']}/like", f"question {a['id']} not found"),
            ("DELETE", f"/api/v1/questions/{a['id']}/like", f"question {a['id']} not found"),
            ("DELETE", f"/api/v1/answers/{q['id']}/like", f"answer {q['id']} not found"),
            ("POST", "/api/v1/answers/424242/like", "answer 424242 not found")]:
        status, _, body = host.request(method, path, token=me["token"])
        assert (status, body["error"]["message"]) == (404, message), (method, path)
    _, _, shown = host.request("GET", f"/api/v1/questions/{q['id']}")
    assert shown["likes"] == 0 and shown["answers"][0]["likes"] == 0
    status, _, body = host.request("POST", f"/api/v1/answers/{a['id']}/like", token=me["token"])
    assert (status, body) == (200, {"id": a["id"], "likes": 1})
    # An answer's like can be withdrawn too (there was no route for it).
    status, _, body = host.request("DELETE", f"/api/v1/answers/{a['id']}/like", token=me["token"])
    assert (status, body) == (200, {"id": a["id"], "likes": 0})


def test_integers_are_whole_and_in_range(host):
    """Regression: numbers were cast to integers unchecked: ?limit=1e10 was
    "limit -2147483648 is outside [1, 1000]", a bounty of 1e19 became
    -9223372036854775808, fractions were cut (a bounty of 20.7 held 20) and
    a bounty of true was 1."""
    me = user(host, "귤러버")

    def refused(method, path, body=None):
        status, _, reply = host.request(method, path, body, token=me["token"])
        assert status == 400 and reply["error"]["code"] == "invalid_argument", (path, body)
        return reply["error"]["message"]

    assert refused("GET", "/api/v1/questions?limit=1e10") == 'parameter "limit" is out of range: 1e10'
    assert refused("GET", "/api/v1/questions?limit=4294967297") == \
        'parameter "limit" is out of range: 4294967297'
    assert refused("GET", "/api/v1/search?q=x&limit=1.5") == \
        'parameter "limit" must be a whole number, not 1.5'
    assert refused("GET", "/api/v1/trending?hours=-9e99") == 'parameter "hours" is out of range: -9e99'
    assert refused("GET", "/api/v1/locations/nearby?lat=33&lon=126&limit=2.5") == \
        'parameter "limit" must be a whole number, not 2.5'
    assert refused("GET", "/api/v1/locations/nearby?lat=x&lon=126") == 'parameter "lat" must be a number, not x'
    ask = lambda bounty: refused("POST", "/api/v1/questions", {"title": "t", "body": "b", **JEJU, "bounty": bounty})
    assert ask(1e19) == 'field "bounty" is out of range: 1e+19'
    assert ask(2 ** 64 - 1) == 'field "bounty" is out of range: 18446744073709551615'
    assert ask(20.7) == 'field "bounty" must be a whole number, not 20.7'
    assert ask(True) == 'field "bounty" has the wrong type'
    assert refused("POST", "/api/v1/questions", {"title": "t", "body": "b", "lat": True, "lon": 126}) == \
        'field "lat" has the wrong type'
    # A whole number written with a fraction or an exponent is that number.
    status, _, q = host.request("POST", "/api/v1/questions", {"title": "t", "body": "b", **JEJU, "bounty": 2e1},
                                token=me["token"])
    assert status == 201 and q["bounty"] == 20
    status, _, page = host.request("GET", "/api/v1/questions?limit=1e1")
    assert status == 200 and len(page["questions"]) == 1


def test_bearer_is_case_insensitive_and_401_says_so(host):
    """Regression: `Authorization: bearer TOKEN` was 401 (an auth scheme is
    case-insensitive, RFC 9110 11.1), and a 401 lacked WWW-Authenticate."""
    me = user(host, "귤러버")
    ask = {"title": "t", "body": "b", **JEJU}
    for method, path, body in [("POST", "/api/v1/questions", ask), ("GET", f"/api/v1/users/{me['id']}/points", None)]:
        status, headers, _ = host.request(method, path, body)
        assert (status, headers.get("WWW-Authenticate")) == (401, "Bearer"), path
        for scheme in ("bearer", "BEARER"):
            status, _, _ = host.request(method, path, body, headers={"Authorization": f"{scheme} {me['token']}"})
            assert status in (200, 201), (path, scheme)


def test_rate_limit_gives_429_with_retry_after(cli, engine_dir):
    h = Host(cli.binary, engine_dir, "--writes-per-minute", "6", "--writes-burst", "3")
    try:
        me = user(h, "귤러버")
        statuses = [h.request("POST", "/api/v1/questions", {"title": f"질문 {i}", "body": "b", **JEJU},
                              token=me["token"])[:2] for i in range(5)]
        assert [s for s, _ in statuses] == [201, 201, 201, 429, 429]
        assert int(statuses[3][1]["Retry-After"]) >= 1
    finally:
        h.stop()


def test_slow_client_does_not_stall_others(host):
    slow = socket.create_connection(("127.0.0.1", host.port))
    slow.sendall(b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    started = time.monotonic()
    for _ in range(20):
        assert host.request("GET", "/healthz")[0] == 200
    assert time.monotonic() - started < 5
    slow.close()


def test_clients_that_trickle_a_request_are_cut_off(cli, engine_dir):
    """Regression: every read had its own timeout, so a client sending a byte
    a second held a worker for as long as it kept sending, and with every
    worker held no one else was answered."""
    h = Host(cli.binary, engine_dir, "--threads", "2", "--timeout", "2")
    began = time.monotonic()
    cut_off = []

    def trickle(start):
        s = socket.create_connection(("127.0.0.1", h.port), timeout=0.5)
        s.sendall(start)
        try:
            for _ in range(16):
                try:
                    if not s.recv(4096):
                        break
                except socket.timeout:
                    s.sendall(b"x")
        except OSError:
            pass
        cut_off.append(time.monotonic() - began)
        s.close()

    # One stalls in the request line, one in a header (which httplib answers
    # with a 400, and would then read on).
    slow = [threading.Thread(target=trickle, args=(start,))
            for start in (b"GET /healthz", b"GET /healthz HTTP/1.1\r\nX-Slow: ")]
    try:
        for t in slow:
            t.start()
        time.sleep(0.3)
        started = time.monotonic()
        assert h.request("GET", "/healthz")[0] == 200
        assert time.monotonic() - started < 4
    finally:
        for t in slow:
            t.join()
        h.stop()
    assert len(cut_off) == 2 and max(cut_off) < 3, cut_off


def test_pipelined_requests_are_all_answered(host):
    """Regression: httplib 0.11 read each request with a fresh buffer, so the
    second of two requests sent in one write was dropped."""
    conn = socket.create_connection(("127.0.0.1", host.port), timeout=3)
    body = b'{"nickname":"pipe"}'
    conn.sendall(b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s"
                 b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                 % (len(body), body))
    replies = b""
    while chunk := conn.recv(65536):
        replies += chunk
    conn.close()
    assert replies.startswith(b"HTTP/1.1 201") and b'"nickname":"pipe"' in replies
    assert b"HTTP/1.1 200" in replies and replies.endswith(b'{"ok":true}')


def test_parallel_requests_and_graceful_shutdown(host):
    me = user(host, "귤러버")
    results = []

    def worker(i):
        results.append(host.request("POST", "/api/v1/questions",
                                    {"title": f"동시 {i}", "body": "b", **JEJU}, token=me["token"])[0])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [201] * 16
    code, log = host.stop()
    assert code == 0 and "stopped" in log
    assert "POST /api/v1/questions 201" in log  # the access log: method, path, status, duration


def test_keep_alive_requests_are_not_delayed(host):
    """Regression: without TCP_NODELAY each reply on a kept-alive connection
    waited ~40 ms for the client's delayed ACK (37 requests/s on one connection)."""
    conn = http.client.HTTPConnection("127.0.0.1", host.port, timeout=10)
    started = time.monotonic()
    for _ in range(50):
        conn.request("GET", "/healthz")
        assert conn.getresponse().read() == b'{"ok":true}'
    conn.close()
    assert time.monotonic() - started < 1.0


def raw_request(host, head):
    """Sends `head` (request line and headers, no body) and returns the status
    code and the JSON body of the reply, or fails after 3 s."""
    conn = socket.create_connection(("127.0.0.1", host.port), timeout=3)
    conn.sendall(head.encode() + b"Host: x\r\nConnection: close\r\n\r\n")
    reply = http.client.HTTPResponse(conn)
    reply.begin()  # raises socket.timeout when the server waits for a body
    body = json.loads(reply.read())
    conn.close()
    return reply.status, body


def test_writes_without_content_length_have_no_body(host):
    """Regression: cpp-httplib read a POST, PUT or DELETE without
    Content-Length until the client closed, so `curl -X POST` on a like
    hung and ended as a 400 after the read timeout (RFC 9112: no body)."""
    me, other = user(host, "귤러버"), user(host, "부산갈매기")
    _, _, q = host.request("POST", "/api/v1/questions", {"title": "t", "body": "b", **JEJU},
                           token=me["token"])
    _, _, a = host.request("POST", f"/api/v1/questions/{q['id']}/answers", {"body": "답"},
                           token=other["token"])
    bearer = lambda u: f"Authorization: Bearer {u['token']}\r\n"
    status, body = raw_request(host, f"POST /api/v1/questions/{q['id']}/like HTTP/1.1\r\n" + bearer(other))
    assert (status, body) == (200, {"id": q["id"], "likes": 1})
    status, body = raw_request(host, f"DELETE /api/v1/questions/{q['id']}/like HTTP/1.1\r\n" + bearer(other))
    assert (status, body) == (200, {"id": q["id"], "likes": 0})
    status, body = raw_request(host, f"PUT /api/v1/answers/{a['id']}/accept HTTP/1.1\r\n" + bearer(me))
    assert status == 200 and body["accepted"] is True
    # A write that needs a body says so; an unknown path is 404 at once.
    status, body = raw_request(host, "POST /api/v1/users HTTP/1.1\r\n")
    assert status == 400 and "JSON object" in body["error"]["message"]
    status, body = raw_request(host, "POST /api/v1/nothing-here HTTP/1.1\r\n")
    assert status == 404 and body["error"]["code"] == "not_found"


def chunked_post(host, path, chunks):
    """POSTs `chunks` with chunked Transfer-Encoding: returns (status, JSON body)."""
    conn = http.client.HTTPConnection("127.0.0.1", host.port, timeout=30)
    conn.request("POST", path, body=iter(chunks), encode_chunked=True,
                 headers={"Transfer-Encoding": "chunked"})
    reply = conn.getresponse()
    status, body = reply.status, json.loads(reply.read())
    conn.close()
    return status, body


def test_transfer_encoding_is_case_insensitive(host):
    """Regression: `Transfer-Encoding: Chunked` was taken for no body (400)."""
    conn = socket.create_connection(("127.0.0.1", host.port), timeout=3)
    conn.sendall(b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n"
                 b"Connection: close\r\n\r\n14\r\n{\"nickname\":\"Chunk\"}\r\n0\r\n\r\n")
    reply = http.client.HTTPResponse(conn)
    reply.begin()
    assert reply.status == 201 and json.loads(reply.read())["nickname"] == "Chunk"
    conn.close()


def reply_and_close(host, data):
    """Sends `data` and returns the status and JSON body of the reply, which
    must end the connection."""
    conn = socket.create_connection(("127.0.0.1", host.port), timeout=3)
    conn.sendall(data)
    reply = http.client.HTTPResponse(conn)
    reply.begin()
    status, body = reply.status, json.loads(reply.read())
    assert reply.getheader("Connection") == "close" and conn.recv(1) == b""
    conn.close()
    return status, body


def test_bodies_that_cannot_be_framed_end_the_connection(host):
    """Regression: of two Content-Length headers httplib took the first, and
    read a body with a transfer coding other than chunked until the client
    closed; after a request it could not parse it read on from there; and a
    GET's body, which no route reads, was read as the next request."""
    status, body = reply_and_close(host, b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n"
                                         b"Content-Length: 3\r\n\r\n{\"nickname\":\"Twice\"}")
    assert status == 400 and body["error"]["code"] == "invalid_argument"
    status, body = reply_and_close(host, b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\n"
                                         b"Transfer-Encoding: gzip\r\n\r\nxyz")
    assert status == 501 and body["error"]["code"] == "not_implemented"
    status, body = reply_and_close(host, b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\n"
                                         b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n")
    assert status == 400 and body["error"]["code"] == "invalid_argument"
    status, body = reply_and_close(host, b"BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 400 and body["error"]["code"] == "invalid_argument"
    status, body = reply_and_close(host, b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"
                                         b"GET /\r\n")
    assert (status, body) == (200, {"ok": True})
    assert host.request("GET", "/api/v1/users/1")[0] == 404  # no user Twice


def test_chunked_bodies_over_max_body_are_413(host):
    """Regression: --max-body held for Content-Length only; an 8 MiB chunked
    body created a user (201)."""
    nickname = b'{"nickname":"' + b"x" * (8 << 20) + b'"}'
    chunks = [nickname[i:i + 65536] for i in range(0, len(nickname), 65536)]
    status, body = chunked_post(host, "/api/v1/users", chunks)
    assert status == 413 and body["error"]["code"] == "payload_too_large"
    status, body = chunked_post(host, "/api/v1/users", [b'{"nickname":', b'"chunked"}'])
    assert status == 201 and body["nickname"] == "chunked"


def served_with_assets(cli, engine_dir, assets):
    """Starts a host on `assets`, fetches / and a question list, stops it:
    returns (status of /, status of the API, the host's stderr)."""
    h = Host(cli.binary, engine_dir, "--assets", assets)
    try:
        page = h.request("GET", "/")[0]
        api = h.request("GET", "/api/v1/questions")[0]
    finally:
        _, log = h.stop()
    return page, api, log


def test_assets_with_the_map_page_and_leaflet_serve_it_without_a_warning(cli, engine_dir):
    if not os.path.exists(os.path.join(REPO, "node_modules", "leaflet", "dist", "leaflet.js")):
        pytest.skip("Leaflet is not installed: scripts/setup.sh installs it (npm ci)")
    page, api, log = served_with_assets(cli, engine_dir, REPO)
    assert (page, api) == (200, 200)
    assert "map page" not in log, log


def test_assets_without_leaflet_serve_the_page_and_say_the_map_is_missing(cli, engine_dir,
                                                                         tmp_path):
    """Regression: without node_modules/leaflet the host served a page
    with no map and said nothing."""
    (tmp_path / "assets" / "examples" / "http").mkdir(parents=True)
    os.symlink(os.path.join(REPO, "examples", "http", "static"),
               tmp_path / "assets" / "examples" / "http" / "static")
    page, api, log = served_with_assets(cli, engine_dir, tmp_path / "assets")
    assert (page, api) == (200, 200)
    assert "the map page has no map" in log and "leaflet.js is missing" in log, log


def test_assets_without_the_map_page_serve_the_api_and_say_so(cli, engine_dir, tmp_path):
    (tmp_path / "empty").mkdir()
    page, api, log = served_with_assets(cli, engine_dir, tmp_path / "empty")
    assert (page, api) == (404, 200)
    assert "no map page" in log and "index.html is missing" in log, log


def test_a_nul_in_a_file_path_is_404(host):
    """Regression: httplib looked files up by the decoded path as a C string,
    so /map.js%00.html served map.js, as text/html."""
    assert host.request("GET", "/map.js")[0] == 200
    status, headers, body = host.request("GET", "/map.js%00.html")
    assert status == 404 and body["error"]["code"] == "not_found", (status, headers)


def test_assets_that_are_not_a_directory_are_refused_before_serving(cli, engine_dir, tmp_path):
    error = cli.error("serve", engine_dir, "--port", "0", "--assets", tmp_path / "nowhere", code=4)
    assert error["code"] == "not_found" and "--assets" in error["message"]


def replies_until_closed(host, data, timeout=3):
    """Sends `data` on one connection and returns all the server sent back
    before it closed the connection (a timeout fails the test)."""
    conn = socket.create_connection(("127.0.0.1", host.port), timeout=timeout)
    conn.sendall(data)
    replies = b""
    while chunk := conn.recv(65536):
        replies += chunk
    conn.close()
    return replies


def test_bytes_after_a_chunked_body_are_never_a_request(host):
    """Regression: httplib takes a chunk not followed by CRLF for the end of
    the body, and the bytes after it were served as a request of their own
    (smuggled). A chunked request's connection now ends with its reply."""
    replies = replies_until_closed(
        host, b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"14\r\n{\"nickname\":\"smug1\"}JUNK\r\nGET /api/v1/users/1 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert replies.count(b"HTTP/1.1 ") == 1, replies


def test_a_request_head_has_a_size_limit(cli, engine_dir):
    """Regression: httplib bounds each header line but not their number; one
    client sent 683 MB of headers within the timeout and the server kept them."""
    h = Host(cli.binary, engine_dir)
    try:
        line = b"X-A: " + b"a" * 8000 + b"\r\n"
        conn = socket.create_connection(("127.0.0.1", h.port), timeout=5)
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        try:
            for _ in range(20):  # 160 KB, over the 64 KiB a head may hold
                conn.sendall(line)
            conn.sendall(b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: as it should
        replies = b""
        try:
            while chunk := conn.recv(65536):
                replies += chunk
        except ConnectionResetError:
            pass
        conn.close()
        assert b"HTTP/1.1 200" not in replies, replies[:200]
        assert h.request("GET", "/healthz")[0] == 200
    finally:
        h.stop()


def test_patch_without_a_body_is_404_at_once_and_the_next_request_answered(host):
    """Regression: httplib read a PATCH with no Content-Length until the
    client closed, taking the next request for its body."""
    started = time.monotonic()
    replies = replies_until_closed(host, b"PATCH /api/v1/questions/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                                         b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert replies.startswith(b"HTTP/1.1 404") and replies.endswith(b'{"ok":true}'), replies
    assert time.monotonic() - started < 2


def test_connection_close_in_any_case_ends_the_connection(host):
    """Regression: only the exact lower-case `close` was honoured; `Close` kept
    the connection open until the idle timeout (5 s) and served what followed."""
    for value in (b"Close", b"CLOSE", b"keep-alive, close"):
        started = time.monotonic()
        replies = replies_until_closed(host, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: " + value +
                                             b"\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert replies.count(b"HTTP/1.1 200") == 1, (value, replies)
        assert time.monotonic() - started < 2, value
    # HTTP/1.0 without keep-alive closes too.
    replies = replies_until_closed(host, b"GET /healthz HTTP/1.0\r\n\r\n")
    assert replies.startswith(b"HTTP/1.1 200") and b"Connection: close" in replies
    # HTTP/1.0 keeps the connection for Keep-Alive as httplib spells it; for
    # another spelling the reply says close, where it offered keep-alive and
    # then closed (regression).
    kept = b"GET /healthz HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n" * 2
    kept += b"GET /healthz HTTP/1.0\r\n\r\n"
    assert replies_until_closed(host, kept).count(b"HTTP/1.1 200") == 3
    replies = replies_until_closed(host, b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    assert b"Connection: close" in replies, replies


def test_a_request_waiting_for_a_worker_at_sigterm_is_answered(cli, engine_dir):
    """Regression: with every worker busy, a request already sent was dropped
    unanswered at SIGTERM."""
    h = Host(cli.binary, engine_dir, "--threads", "1")
    idle = http.client.HTTPConnection("127.0.0.1", h.port, timeout=10)
    idle.request("GET", "/healthz")
    assert idle.getresponse().read() == b'{"ok":true}'  # the worker now waits on this connection
    waiting = socket.create_connection(("127.0.0.1", h.port), timeout=10)
    body = b'{"nickname":"late"}'
    waiting.sendall(b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                    b"Connection: close\r\n\r\n%s" % (len(body), body))
    time.sleep(0.3)
    code, _ = h.stop()
    reply = b""
    while chunk := waiting.recv(65536):
        reply += chunk
    waiting.close()
    idle.close()
    assert code == 0
    assert reply.startswith(b"HTTP/1.1 201") and b'"nickname":"late"' in reply, reply


@pytest.mark.parametrize("option", [
    ("--threads", "0"), ("--port", "70000"), ("--port", "-1"), ("--max-body", "0"),
    ("--writes-per-minute", "nan"), ("--writes-per-minute", "-5"), ("--writes-burst", "0"),
    ("--timeout", "inf"), ("--timeout", "0"), ("--timeout", "0.5"), ("--timeout", "86401")])
def test_nonsense_options_are_refused(cli, engine_dir, option):
    """Regression: --port 70000 bound port 4464 and said 70000, --writes-per-minute
    nan turned rate limiting off, --writes-burst 0 and --max-body 0 refused every write."""
    result = cli.run("serve", engine_dir, "--port", "0", *option)
    assert result.returncode == 2, result.stderr


def test_a_port_in_use_is_an_error_not_shared(cli, engine_dir, tmp_path):
    """Regression: httplib set SO_REUSEPORT, so a second host on the port
    started, and the kernel split connections between the two engines."""
    h = Host(cli.binary, engine_dir)
    cli.run("init", tmp_path / "other")
    result = cli.run("--json", "serve", tmp_path / "other", "--port", str(h.port))
    assert result.returncode == 1, result.stdout
    assert json.loads(result.stderr)["error"]["code"] == "io_error"
    h.stop()


def test_a_request_line_over_8_kib_is_414_logged_with_its_own_duration(cli, engine_dir):
    """Regression: the 414 carried the code "error", and a request refused
    before routing was logged with the time since the previous request on its
    thread began."""
    h = Host(cli.binary, engine_dir, "--threads", "1")
    slow = socket.create_connection(("127.0.0.1", h.port), timeout=10)
    body = b'{"nickname":"slow"}'
    slow.sendall(b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                 b"Connection: close\r\n\r\n" % len(body))
    time.sleep(1.0)
    slow.sendall(body)
    assert slow.recv(65536).startswith(b"HTTP/1.1 201")
    slow.close()
    time.sleep(1.0)
    status, reply = raw_request(h, "GET /" + "a" * 9000 + " HTTP/1.1\r\n")
    assert (status, reply["error"]["code"]) == (414, "uri_too_long")
    _, log = h.stop()
    logged = [line for line in log.splitlines() if " 414 " in line]
    assert len(logged) == 1 and float(logged[0].split()[-1].removesuffix("ms")) < 500, log
