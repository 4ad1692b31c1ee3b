"""Comparison questions: the two sides are found, and each side's best chunk is among the hits."""
import pytest

from bot.answer.compare import comparison_sides
from bot.answer.retrieve import SearchOptions


@pytest.mark.parametrize("question, sides", [
    ("torch.no_grad vs torch.inference_mode, which is faster?", ("torch.no_grad", "torch.inference_mode")),
    ("difference between detach() and no_grad", ("detach()", "no_grad")),
    ("叶节点和非叶节点有什么区别", ("叶节点", "非叶节点")),
    ("用 autograd.grad 还是 backward 好", ("autograd.grad", "backward")),
    ("怎么给不同层设置不同的学习率", None),  # 不同 is not "和 ... 的区别"
    ("how do I compare two tensors", None),
    ("what is the difference between x and y?", None),  # one-letter sides
])
def test_the_sides_of_a_comparison(question, sides):
    assert comparison_sides(question) == sides


@pytest.mark.parametrize("question, sides", [
    ("gradcheck vs detect_anomaly", ("torch.autograd.gradcheck", "torch.autograd.detect_anomaly")),
    ("inference_mode versus set_grad_enabled", ("torch.inference_mode", "torch.set_grad_enabled")),
])
def test_each_side_of_a_comparison_has_its_chunk_in_the_top_three(bot, question, sides):
    """Searched whole, one side's chunks fill the top three (detect_anomaly twice, inference_mode twice)."""
    def names(hits):
        return {h.chunk.question.split(":")[0] for h in hits}

    plain = bot.retriever.search(question, k=3, options=SearchOptions(compare=False))
    assert not set(sides) <= names(plain)
    hits = bot.retriever.search(question, k=3)
    assert set(sides) <= names(hits)
    assert hits[0].chunk.id == plain[0].chunk.id  # the best hit for the whole question stays first
