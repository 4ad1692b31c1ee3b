"""Names a question uses that a docs entry defines: found in the question, matched to the entry, and lifting
that entry over the pages' prior."""
import pytest

from bot.answer.names import defines, question_names
from bot.answer.retrieve import SearchOptions


@pytest.mark.parametrize("question, names", [
    ("autograd.grad 里 allow_unused 参数干嘛的", {"autograd.grad", "allow_unused"}),
    ("jacobian(f, x, vectorize=True) 会更快吗", {"vectorize"}),
    ("what is the strict flag of jacobian for", {"strict"}),
    ("why can't I call x.backward() twice?", {"x.backward"}),
    ("if a == b then why", set()),  # a comparison is no option
    ("how do gradients flow", set()),
])
def test_question_names(question, names):
    assert question_names(question) == names


def test_an_api_is_defined_by_two_parts_of_its_name_and_a_parameter_only_when_the_pages_lack_it():
    grad = (("torch", "autograd", "grad"), frozenset({"outputs", "inputs", "allow_unused", "retain_graph"}))
    pages = {"retain_graph", "backward"}
    assert defines(grad, frozenset({"autograd.grad"}), page_words=pages)
    assert defines(grad, frozenset({"torch.autograd.grad"}), page_words=pages)
    assert not defines(grad, frozenset({"x.grad"}), page_words=pages)  # a tensor's .grad is not this API
    assert not defines(grad, frozenset({"grad"}), page_words=pages)  # one part names too much
    assert defines(grad, frozenset({"allow_unused"}), page_words=pages)
    assert not defines(grad, frozenset({"retain_graph"}), page_words=pages)  # the pages explain it too
    assert not defines(((), frozenset()), frozenset({"allow_unused"}), page_words=pages)  # a page defines nothing


@pytest.mark.parametrize("question, api", [
    ("what does the create_graph argument of torch.autograd.grad do", "torch.autograd.grad"),
    ("autograd.grad 的 grad_outputs 参数怎么传", "torch.autograd.grad"),
    ("autograd.grad 里 allow_unused 参数干嘛的", "torch.autograd.grad"),
])
def test_the_entry_defining_a_name_outranks_a_page_about_the_topic(bot, question, api):
    """Without the lift the page that uses torch.autograd.grad for a Jacobian comes first; with it, the docs
    entry that defines the name."""
    def first(options: SearchOptions) -> str:
        return bot.retriever.search(question, k=1, options=options)[0].chunk.question.split(":")[0]

    assert first(SearchOptions(names=False)) != api
    assert first(SearchOptions()) == api


def test_a_misspelt_name_is_lifted_as_the_name_it_is_one_typo_from(bot):
    question = "torch.no_gard 可以当装饰器用吗"
    assert {"torch.no_gard", "torch.no_grad"} <= bot.retriever.corrected_names(question)
    assert bot.retriever.corrected_names(question, typos=False) == {"torch.no_gard"}
    first = lambda options: bot.retriever.search(question, k=1, options=options)[0].chunk.section  # noqa: E731
    assert first(SearchOptions(names=False)) != "torch.no_grad"
    assert first(SearchOptions()) == "torch.no_grad"
