"""Declining honestly: a question about an API no entry mentions is "not covered", with the name it lacks."""
import pytest


@pytest.mark.parametrize("question, names", [
    ("Does torch.jit.script keep autograd working for my function?", ("torch.jit.script",)),
    ("学习率调度器 lr_scheduler 应该什么时候调用", ("lr_scheduler",)),
    ("How do I use GradScaler with backward?", ("GradScaler",)),
    ("Does torch.compile speed up my backward pass?", ("torch.compile",)),  # a dotted name's last part
    # is not Python's compile()
])
def test_an_api_no_entry_mentions_is_declined_and_named(bot, question, names):
    answer = bot.retrieve(question)
    assert answer.abstained and answer.unknown_names == names
    assert answer.hits  # the closest entries are still shown


def test_every_face_says_which_name_no_entry_mentions(bot):
    from bot.faces.contract import answer_json
    from bot.faces.terminal import answer_text
    from bot.faces.webview import answer_markdown

    answer = bot.retrieve("Does torch.jit.script keep autograd working?")
    assert "No entry mentions torch.jit.script." in answer_text(answer)
    assert "No entry mentions torch\\.jit\\.script." in answer_markdown(answer)  # page punctuation escaped
    assert answer_json(answer)["unknown_names"] == ["torch.jit.script"]


@pytest.mark.parametrize("question", [
    "why is w1.grad None after backward",  # a variable: the dotted name's last part is known
    "requries_grad 是干什么的",  # a typo of a known name
    "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed",
    "torch.autograd.grad 的 allow_unused 参数",
    "AttributeError: 'NoneType' object has no attribute 'zero_' after backward",  # Python's own type
    "Does inference_mode switch BatchNorm to eval mode?",  # the entry says "batch normalization"
])
def test_known_names_typos_and_warning_classes_are_not_unknown(bot, question):
    answer = bot.retrieve(question)
    assert answer.unknown_names == () and not answer.abstained


@pytest.mark.parametrize("question, origin, names", [
    ("register_hook 怎么用", "pages", ("register_hook",)),  # only the docs have it
    ("How do I register a hook on a tensor to change its gradient?", "pages", ()),
    ("y = x**2 + 3x + 1 在 x=2 的梯度为什么是7", "torch-docs", ()),  # only a page works that example
])
def test_a_source_that_lacks_the_topic_declines_and_points_to_the_other(bot, question, origin, names):
    answer = bot.retrieve(question, origin=origin)
    assert answer.abstained and answer.unknown_names == names
    assert answer.elsewhere is not None and answer.elsewhere.chunk.origin != origin
    assert all(h.chunk.origin == origin for h in answer.hits)  # the closest entries stay in the source asked
    assert bot.retrieve(question).best is not None  # asked of every source, it is answered


def test_a_source_decline_names_the_other_source_in_every_face(bot):
    from bot.faces.contract import answer_json
    from bot.faces.terminal import answer_text
    from bot.faces.webview import answer_markdown
    from bot.faces.wording import ENGLISH

    answer = bot.retrieve("How do I register a hook on a tensor to change its gradient?", origin="pages")
    assert ENGLISH["not_in_source"] in answer_text(answer) and "The torch docs have an entry" in answer_text(answer)
    assert "register\\_hook" in answer_markdown(answer)  # the other entry's title, escaped
    data = answer_json(answer)
    assert data["abstained"] and data["elsewhere"]["origin"] == "torch-docs" and data["hits"] == []


def test_a_source_that_has_the_topic_still_answers(bot):
    answer = bot.retrieve("grad_fn是什么意思", origin="pages")
    assert answer.best is not None and answer.elsewhere is None


def test_a_strong_term_alone_needs_coverage_or_closeness():
    from bot.answer.abstain import Evidence, Policy

    policy = Policy(0.3, strong_min_coverage=0.2, strong_min_similarity=0.4)
    assert not policy.answers(Evidence(0.1, "strong", similarity=0.3))
    assert policy.answers(Evidence(0.25, "strong", similarity=0.3))
    assert policy.answers(Evidence(0.1, "strong", similarity=0.45))
    assert not policy.answers(Evidence(0.25, "weak", similarity=0.9))  # a weak term still needs its coverage


def test_a_strong_term_in_another_sense_is_declined(bot):
    from dataclasses import replace

    from bot.answer.abstain import weigh

    question = "how do I detach a GNU screen session and reattach to it later"  # "detach" in another sense
    answer = bot.retrieve(question)
    evidence = weigh(bot.retriever, question, bot.retriever.search(question, k=3))
    assert evidence.domain == "strong" and answer.abstained
    assert replace(bot.policy, strong_min_coverage=0.0).answers(evidence)  # the term alone used to answer it


@pytest.mark.parametrize("question", [
    "在 Python 里怎么用 PyTorch 读取 CSV 数据集并做 train/test 划分",
    "how can I print a torch tensor with four decimals and no exponent",
])
def test_pytorch_without_autograd_is_declined(bot, question):
    from bot.answer.abstain import weigh

    evidence = weigh(bot.retriever, question, bot.retriever.search(question, k=3))
    assert evidence.domain == "weak" and bot.retrieve(question).abstained


def test_weighing_reuses_the_searchs_query_vector(bot):
    retriever = bot.retriever
    first = retriever.embed_query("a question asked twice")
    assert retriever.embed_query("a question asked twice") is first and not first.flags.writeable

