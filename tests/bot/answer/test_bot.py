"""Answers end to end on the real index, model and sandbox: retrieval, abstention, the JSON contract."""
import json

import pytest

from bot.answer.question import BadQuestion
from bot.faces.contract import answer_json

TOP_KEYS = {"query", "abstained", "hits", "snippet", "claims", "timings_ms"}
HIT_KEYS = {"id", "source", "question", "text", "score"}
SNIPPET_KEYS = {"code", "origin", "ok", "stdout", "error", "grads", "elapsed_ms"}


@pytest.mark.parametrize("question,expected", [
    ("grad_fn是什么意思,举例子详细说明", "grad_fn是什么意思"),
    ("雅可比矩阵怎么用 torch.autograd.grad 求", "雅克比矩阵"),  # 雅可比 only reaches 雅克比 via the bridge
    ("How do I compute a Jacobian with torch.autograd.grad?", "雅克比矩阵"),
    ("backward 报错 grad can be implicitly created only for scalar outputs", "backward"),
    ("z = x * y 之后 x.grad 为什么是 3", "backward() 方法"),
])
def test_questions_in_chinese_english_and_mixed_find_their_entry(bot, question, expected):
    answer = bot.answer(question, run=False)
    assert not answer.abstained
    assert any(expected in h.chunk.question for h in answer.hits[:3])


@pytest.mark.parametrize("question", [
    "mysql 索引类型有哪些", "Windows 设备管理器 代码 43 怎么解决", "how do I center a div in CSS",
    "Euler Backward 方法怎么把连续传递函数离散化", "is Java 17 backward compatible with Java 8 libraries",
])
def test_off_topic_questions_are_declined(bot, question):
    answer = bot.answer(question)
    assert answer.abstained and answer.check is None
    data = answer_json(answer)
    assert data["hits"] == [] and data["snippet"] is None and data["closest"]


@pytest.mark.parametrize("question,api", [
    ("how do I register a hook that changes a tensor's gradient", "torch.Tensor.register_hook"),
    ("推理模式 inference_mode 和 no_grad 有什么区别", "torch.inference_mode"),
    ("vmap 怎么用", "torch.func.vmap"),
])
def test_questions_only_the_docs_answer_get_the_docs_cited_by_version(bot, question, api):
    answer = bot.answer(question, run=False)
    assert not answer.abstained and answer.best.chunk.section == api
    assert answer.best.chunk.citations[0].cite().endswith(f" docs: {api}")


def test_a_question_a_page_answers_gets_the_page_first_and_sources_can_be_chosen(bot):
    question = "pytorch 怎么求雅克比矩阵"  # a page works an example; the docs' jacrev matches less well
    assert bot.answer(question, run=False).best.chunk.origin == "pages"
    docs = bot.answer(question, run=False, origin="torch-docs")
    assert docs.hits and {h.chunk.origin for h in docs.hits} == {"torch-docs"}
    pages = bot.answer("how do I register a hook that changes a tensor's gradient", run=False, origin="pages")
    assert {h.chunk.origin for h in pages.hits} == {"pages"}
    with pytest.raises(ValueError, match="unknown origin"):
        bot.answer(question, run=False, origin="wiki")


def test_a_docs_answer_runs_its_example_and_confirms_the_printed_values(bot):
    answer = bot.answer("how do I register a backward hook on a graph Node (grad_fn)")
    assert answer.best.chunk.section.startswith("torch.autograd.graph.Node.register_")  # hook or pre-hook
    statuses = [v.status for v in answer.check.verdicts]
    assert answer.check.run.ok and statuses and set(statuses) == {"confirmed"}


def test_json_contract(bot):
    data = json.loads(json.dumps(answer_json(bot.answer("backward() 方法怎么用,x.grad 是多少")), allow_nan=False))
    assert TOP_KEYS <= set(data)
    assert all(HIT_KEYS <= set(h) for h in data["hits"])
    assert SNIPPET_KEYS <= set(data["snippet"]) and data["snippet"]["origin"] == "kb"
    assert data["snippet"]["grads"] == {"x": [3.0], "y": [2.0]}
    assert {c["verdict"] for c in data["claims"]} == {"confirmed"}
    assert all(set(c) >= {"target", "quoted", "actual", "verdict", "about", "evidence"} for c in data["claims"])
    assert {(c["about"], c["evidence"]) for c in data["claims"]} == {("source", "independent")}  # z = x*y in code
    assert data["snippet"]["independent"]["values"][0]["agree"] is True
    assert data["computed"] is None  # no numbers of its own
    assert set(data["timings_ms"]) >= {"retrieve", "run", "total"}
    assert "```python" in data["hits"][0]["text"]  # the answer as users see it, code included


def test_a_wrong_quoted_value_is_reported_with_torchs_value(bot):
    data = answer_json(bot.answer("如何用torch.grad来实现雅克比矩阵,给个具体例子"))
    claim = next(c for c in data["claims"] if c["target"] == "jacobian")
    assert claim["verdict"] == "contradicted" and claim["evidence"] == "independent"
    assert claim["actual"] == "tensor([[12., 0.], [0., 27.]])"  # z = x³ at [2, 3]: the true Jacobian
    assert "repaired" in claim["why"] and "tensor([[12., 0.], [0., 18.]])" in claim["why"]  # what the repair printed
    assert data["snippet"]["ok"] is False and data["snippet"]["repaired"]["ok"] is True


@pytest.mark.parametrize("question,message", [
    ("", "empty"), ("   \n", "empty"), ("x" * 1_000_000, "too long"), ("grad\x00fn", "binary"),
    ("abc\x07", "binary"),
])
def test_bad_questions_get_clear_errors(bot, question, message):
    with pytest.raises(BadQuestion, match=message):
        bot.answer(question)
