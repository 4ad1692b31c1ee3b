"""Claim extraction from prose and code comments, and tensor-literal parsing."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.extract.claims import extract_claims
from kb.extract.literal import close, format_value, parse_value, shape
from kb.extract.reflow import reflow_code
from kb.types import Code


def code(flat: str) -> Code:
    return Code(reflow_code(flat), flat, True)


def claims(text: str, program: Code | None = None):
    return [(c.target, c.value) for c in extract_claims(text, program)]


@pytest.mark.parametrize("text,expected", [
    ("当我们对 y 进行反向传播时,x 的梯度值为 tensor([7.])。", [("x.grad", [7.0])]),
    ("x 的梯度值是 2,w 和 b 的梯度值都是 1。", [("x.grad", 2.0), ("w.grad", 1.0), ("b.grad", 1.0)]),
    ("x的梯度,结果应为:tensor([[ 2., 0.], [-2., 2.]])。", [("x.grad", [[2.0, 0.0], [-2.0, 2.0]])]),
    ("c=a+b,那么c的grad_fn就是AddBackward,表示", [("type(c.grad_fn)", "AddBackward")]),
    ("c的grad_fn就是一个AddBackward对象", [("type(c.grad_fn)", "AddBackward")]),
    ("the value of x.grad is tensor([4.])", [("x.grad", [4.0])]),
])
def test_prose_claims(text, expected):
    assert claims(text) == expected


def test_comment_claims_after_print_and_as_assignment():
    program = code("import torch x = torch.tensor([2.0], requires_grad=True) y = torch.tensor([3.0], "
                   "requires_grad=True) z = x * y z.backward() print(x.grad) # 输出张量 [3.0] "
                   "print(y.grad) # 输出张量 [2.0] print(z.grad_fn) # <MulBackward0 object at 0x7f>")
    assert claims("", program) == [("x.grad", [3.0]), ("y.grad", [2.0]),
                                   ("type(z.grad_fn)", "MulBackward0")]
    assert claims("", code("y.backward() print(w.grad) # w.grad = 1")) == [("w.grad", 1.0)]


def test_printed_output_in_prose_refers_to_the_last_print():
    program = code("import torch x = torch.ones(2) j = x * 2 print(j)")
    assert claims("输出结果为: tensor([2., 2.])", program) == [("j", [2.0, 2.0])]
    assert claims("输出结果为: tensor([2., 2.])", None) == []


def test_equations_and_prose_numbers_are_not_claims():
    assert claims("y = x^2 + 3x + 1,在 x = 2 的情况下,导数为 2x + 3 = 7", None) == []
    assert claims("", code("y = w * x + b # y = 2 * x + 3 y.backward()")) == []


@pytest.mark.parametrize("text,value,dims", [
    ("tensor([[ 4., 0.], [ 6., 2.]], grad_fn=<CopySlices>)", [[4.0, 0.0], [6.0, 2.0]], (2, 2)),
    ("[3.0]", [3.0], (1,)), ("2", 2.0, ()), ("tensor(-1.5e-3)", -0.0015, ()),
])
def test_parse_value(text, value, dims):
    assert parse_value(text) == value and shape(parse_value(text)) == dims


def test_close_compares_numbers_with_tolerance_and_size():
    assert close([3.0], [3.00001]) and close(2.0, [[2.0]])
    assert not close([5.0], [6.0]) and not close([1.0, 2.0], [1.0])


@given(st.recursive(st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)),
                    lambda inner: st.lists(inner, min_size=1, max_size=3), max_leaves=12))
def test_format_then_parse_round_trips(value):
    assert close(parse_value(format_value(value)), value)


@given(st.text(max_size=200))
def test_extraction_never_crashes(text):
    extract_claims(text, None)
    parse_value(text)
