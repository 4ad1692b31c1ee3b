"""The web chat under concurrent gradio_client load: no failed answers, clean busy replies, flat memory, no zombies."""
import shutil

import pytest

from bench.load import answer_problem, load_test, run_load, run_problem, snippet
from bot.faces.web import answer_turns, run_markdown
from bot.faces.wording import ENGLISH

SMALL = {"clients": 8, "questions_per_client": 3, "snippet_clients": 2, "time_limit": 45}
REQUESTS = 8 * 3 + 2 * 3
RSS_GROWTH_MIB = 100  # a small run settles allocator arenas and Gradio caches; a leak per request would exceed it


def assert_healthy(result: dict) -> None:
    """Every request was answered correctly or refused cleanly, memory stayed put, no process was left behind."""
    assert result["warm_up"] == ["ok", "ok"]
    assert result["failed"] == 0, result["failures"]
    assert result["not sent"] == 0
    assert result["ok"] + result["busy"] == REQUESTS
    assert 0 < result["latency_ms"]["p50"] <= result["latency_ms"]["p95"]
    before, after = result["before"], result["after"]
    assert after["zombies"] == [] and after["run_children"] == []
    assert after["server_rss_mib"] - before["server_rss_mib"] < RSS_GROWTH_MIB, (before, after)
    assert after["sandbox_rss_mib"] - before["sandbox_rss_mib"] < 10, (before, after)


def test_checks_reject_another_clients_run_and_an_unfinished_answer(bot):
    """The load test's reply checks can fail: a run showing another seed's gradient, a reply still in progress."""
    code, row = snippet(1005)
    reply = run_markdown(bot, code)
    assert run_problem(reply, row) is None
    assert run_problem(reply, snippet(1006)[1]) is not None
    history = [{"role": "user", "content": "What is a leaf tensor?"},
               {"role": "assistant", "content": ENGLISH["running"]}]
    assert answer_problem("What is a leaf tensor?", history) is not None
    assert answer_problem("grad_fn 是什么", history) is not None


@pytest.mark.parametrize("question", ["What is a leaf tensor?", "how do I center a div",
                                      "What is the derivative of sin(x)*x**2 at x = 1.5?"])
def test_checks_accept_an_answer_a_decline_and_a_computation_no_entry_covers(bot, question):
    _, markdown = list(answer_turns(bot, question))[-1]
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": markdown}]
    assert answer_problem(question, history) is None, markdown[:200]


def test_default_queue_answers_every_request(chat_server):
    """With the default queue (32) ten concurrent sessions all get correct answers and snippet runs."""
    result = run_load(chat_server["url"], server_pid=chat_server["proc"].pid, **SMALL)
    assert_healthy(result)
    assert result["busy"] == 0
    assert result["ask"]["ok"] == 8 * 3 and result["run"]["ok"] == 2 * 3


def test_small_queue_refuses_cleanly_and_leaves_no_process(built_index, tmp_path):
    """With a queue of 2 some requests get Gradio's clean "queue is full" reply; none fails; the sandbox exits
    with it."""
    data_dir = tmp_path / "data"
    shutil.copytree(built_index, data_dir, symlinks=True)
    result = load_test(data_dir, max_queue=2, **SMALL)
    assert_healthy(result)
    assert result["busy"] > 0 and result["ok"] > 0
    assert result["left_after_stop"] == []
