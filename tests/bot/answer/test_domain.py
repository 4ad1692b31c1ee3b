"""Does a question name torch or autograd: other frameworks' autograd, and 'leaf' in its plain sense."""
import pytest

from bot.answer.domain import match_domain


@pytest.mark.parametrize("question", [
    "how does jax.grad handle functions that return a tuple",  # x.grad syntax, but of JAX
    "MXNet autograd.record 里能嵌套 autograd.pause 吗",  # "autograd" of another framework
    "can the HIPS autograd library differentiate through autograd.numpy.linalg.solve",
])
def test_another_frameworks_autograd_is_not_torch(question):
    assert match_domain(question).strength == "none"


@pytest.mark.parametrize("question, strength", [
    ("叶子为什么是绿色的", "weak"),  # 叶子 alone is a plant's leaf: it needs company
    ("how many keys fit in a leaf node of a B+ tree", "weak"),  # so is a tree's leaf node
    ("红黑树的叶子节点都是黑色的吗", "weak"),
    ("叶子节点的梯度为什么能保留下来", "strong"),
    ("前向算的中间结果太占内存,反向的时候还要用吗", "weak"),  # 反向 alone: backward, or a reverse proxy
    ("nginx 反向代理怎么配置", "weak"),
    ("PyTorch 的 autograd 和 jax.grad 哪个快", "strong"),  # torch named: a comparison, not another framework
    ("x.grad 为什么是 None", "strong"),
    ("PyTorch 模型怎么导出成 ONNX", "weak"),  # the library's name alone: not yet an autograd question
    ("how do I slice a torch tensor along its last dimension", "weak"),
    ("PyTorch 里怎么求导", "strong"),  # the library and an autograd concept
    ("profiler 能按算子统计耗时吗", "weak"),  # a documented API's name: a plain word, so it needs company
    ("forward_ad 要在什么上下文里用", "strong"),  # an identifier from a documented API's name
    ("Node 里的 next_functions 是什么", "weak"),
])
def test_torch_named_or_a_torch_term(question, strength):
    assert match_domain(question).strength == strength


def test_a_term_inside_a_longer_one_is_not_a_concept_of_its_own():
    assert match_domain("how many keys can a leaf node hold").concepts == ("leaf tensor",)  # not also "Node"
