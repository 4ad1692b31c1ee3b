"""The chat as a stranger on the network would try it: Host names, uploads, huge bodies, floods, and a login."""
import http.client
import json
import shutil

import pytest
from gradio_client import Client

from bot.faces.limits import MAX_BODY_BYTES
from bot.faces.wording import BUSY

LOOP = "while True:\n    pass\n"


def request(url: str, method: str, path: str, *, host: str | None = None, body: bytes | None = None,
            headers: dict | None = None) -> tuple[int, bytes]:
    """One raw HTTP request to the chat server, with the Host header it is given."""
    address = url.removeprefix("http://").rstrip("/")
    conn = http.client.HTTPConnection(address, timeout=60)
    conn.putrequest(method, path, skip_host=host is not None)
    if host is not None:
        conn.putheader("Host", host)
    for name, value in (headers or {}).items():
        conn.putheader(name, value)
    conn.putheader("Content-Length", str(len(body or b"")))
    conn.endheaders(body or b"")
    response = conn.getresponse()
    status, data = response.status, response.read()
    conn.close()
    return status, data


def test_an_unknown_host_name_is_refused(chat_server):
    url = chat_server["url"]
    assert request(url, "GET", "/")[0] == 200
    assert request(url, "GET", "/", host="localhost")[0] == 200
    status, body = request(url, "GET", "/", host="evil.example")  # DNS rebinding: a name that resolves to us
    assert status == 421 and b"Host" in body
    assert request(url, "GET", "/gradio_api/info", host="evil.example:7860")[0] == 421


def test_uploads_are_off(chat_server):
    part = b'Content-Disposition: form-data; name="files"; filename="a.bin"\r\n\r\n'
    body = b"--b\r\n" + part + b"x" * 1000 + b"\r\n--b--\r\n"
    status, _ = request(chat_server["url"], "POST", "/gradio_api/upload", body=body,
                        headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert status == 403


def test_a_huge_history_is_refused_before_it_is_read(chat_server):
    history = [{"role": "user", "content": "x" * 1000}] * (MAX_BODY_BYTES // 1000 + 10)
    body = json.dumps({"data": ["What is a leaf tensor?", history, None, "all"]}).encode()
    status, _ = request(chat_server["url"], "POST", "/gradio_api/call/ask", body=body,
                        headers={"Content-Type": "application/json"})
    assert status == 413


def test_a_third_request_of_one_session_is_told_to_wait(chat_server):
    client = Client(chat_server["url"], verbose=False)
    try:
        jobs = [client.submit(LOOP, api_name="/run") for _ in range(3)]
        replies = [job.result(timeout=120) for job in jobs]
    finally:
        client.close()
    busy = [r for r in replies if r.startswith(BUSY)]
    assert len(busy) == 1 and "Try again in 5 s" in busy[0], replies
    assert sum("timed out" in r for r in replies) == 2, replies
    other = Client(chat_server["url"], verbose=False)  # another session is served meanwhile
    try:
        assert other.predict("x = 1", api_name="/run").startswith("**✅ ran**")
    finally:
        other.close()


@pytest.fixture(scope="module")
def guarded_chat(built_index, tmp_path_factory, start_chat):
    data_dir = tmp_path_factory.mktemp("auth") / "data"
    shutil.copytree(built_index, data_dir, symlinks=True)
    with start_chat(data_dir, "--allowed-host", "kb.example.org", env={"AUTOGRAD_KB_AUTH": "ada:s3cret-pass"}) as s:
        yield s


def test_a_login_is_required_when_the_operator_sets_one(guarded_chat):
    url = guarded_chat["url"]
    assert request(url, "GET", "/gradio_api/info")[0] in (401, 403)
    with pytest.raises(Exception):
        Client(url, verbose=False)
    client = Client(url, auth=("ada", "s3cret-pass"), verbose=False)
    try:
        assert client.predict("x = 1", api_name="/run").startswith("**✅ ran**")
    finally:
        client.close()


def test_an_allowed_host_name_is_served(guarded_chat):
    assert request(guarded_chat["url"], "GET", "/", host="kb.example.org")[0] == 200
    assert request(guarded_chat["url"], "GET", "/", host="evil.example")[0] == 421


def feedback_rows(data_dir) -> int:
    from bot.faces.feedback import FeedbackStore, feedback_path

    path = feedback_path(data_dir)
    if not path.exists():
        return 0
    store = FeedbackStore(path)
    try:
        return len(list(store.rows()))
    finally:
        store.close()


def test_a_flood_of_likes_from_one_session_is_cut_at_the_rate_limit(chat_server):
    """Likes posted straight to the queue (as a script would, 878 in 10 s before): 20 a minute are kept."""
    import time
    import urllib.request

    from bot.faces.limits import RateLimit

    url, before = chat_server["url"], feedback_rows(chat_server["data_dir"])
    client = Client(url, verbose=False)
    try:
        client.predict("What is a leaf tensor?", [], "all", api_name="/ask")  # a turn to like
        config = json.load(urllib.request.urlopen(url + "config"))
        like = next(d for d in config["dependencies"] if d.get("api_name") == "like")
        body = json.dumps({"data": [None], "fn_index": like["id"], "session_hash": client.session_hash,
                           "event_data": {"index": [1, 0], "value": "x", "liked": True},
                           "trigger_id": like["targets"][0][0]}).encode()
        for _ in range(RateLimit().count + 15):
            status, _ = request(url, "POST", "/gradio_api/queue/join", body=body,
                                headers={"Content-Type": "application/json"})
            assert status == 200
    finally:
        client.close()
    for _ in range(100):  # the queue records them shortly after
        if feedback_rows(chat_server["data_dir"]) - before >= RateLimit().count:
            break
        time.sleep(0.1)
    time.sleep(1.0)
    assert feedback_rows(chat_server["data_dir"]) - before == RateLimit().count
