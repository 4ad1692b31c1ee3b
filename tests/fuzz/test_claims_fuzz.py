"""extract_claims under fuzz: a value quoted in a generated sentence or comment comes back under the
right name; any text (and any code reflowed from it) gives well-formed claims in bounded time."""
import keyword

import torch
from fuzzkit import TEXT, bounded, fuzz, repeated
from hypothesis import example, given
from hypothesis import strategies as st

from kb.extract.claims import extract_claims
from kb.extract.literal import parse_value
from kb.extract.reflow import reflow_code
from kb.types import Claim, Code

NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda n: not keyword.iskeyword(n) and n != "and")
PREFIXES = ["", "所以 ", "运行后，", "Then ", "结果：", "可以看到,", "(", "反向传播之后 "]
SAYINGS = ["{n}.grad = {v}", "{n}.grad == {v}", "{n}.grad is {v}", "{n} 的梯度为 {v}", "{n}的梯度值是 {v}",
           "{n} 的导数等于 {v}", "the value of {n}.grad is {v}", "{n}.grad 应为 {v}"]
SUFFIXES = ["", "。", ", as expected.", "，符合预期。", "\n下一步", " ;"]


@st.composite
def printed_values(draw) -> str:
    """What torch prints for a small float tensor (maybe with a grad_fn), or a plain number."""
    dims = draw(st.lists(st.integers(1, 3), max_size=2))
    n = len(torch.zeros(dims).flatten())
    values = draw(st.lists(st.floats(-1e3, 1e3), min_size=n, max_size=n))
    t = torch.tensor(values).reshape(dims)
    if draw(st.booleans()):
        t = t.requires_grad_() * 1
    return draw(st.sampled_from([str(t), repr(round(values[0], 3))]))


def as_pairs(claims: tuple[Claim, ...]) -> list[tuple[str, str]]:
    return [(c.target, repr(c.value)) for c in claims]


@fuzz(200)
@given(NAMES, printed_values(), st.sampled_from(PREFIXES), st.sampled_from(SAYINGS), st.sampled_from(SUFFIXES))
@example("x", "tensor([7.])", "grad张量", "{n}的梯度值是 {v}", "")  # the name was 'grad张量x'
def test_a_quoted_gradient_comes_back_with_its_name_and_value(name, value, prefix, saying, suffix):
    text = prefix + saying.format(n=name, v=value) + suffix
    with bounded(2):
        claims = extract_claims(text, None)
    assert as_pairs(claims) == [(f"{name}.grad", repr(parse_value(value)))], text


@fuzz(100)
@given(NAMES, printed_values().filter(lambda v: "\n" not in v), st.booleans())
def test_a_value_in_a_code_comment_comes_back(name, value, after_print):
    comment = f"print({name}.grad)  # 输出 {value}" if after_print else f"# {name}.grad = {value}"
    program = f"import torch\n{name} = torch.ones(1, requires_grad=True)\n{comment}\n"
    claims = extract_claims("", Code(program, program, True))
    assert as_pairs(claims) == [(f"{name}.grad", repr(parse_value(value)))], program


@fuzz(200, deadline_ms=2000)
@given(st.one_of(TEXT, repeated(2000)))
@example("a" * 8000)  # a long name: \w* backtracking made it quadratic (4.6 s)
@example("x的梯度" * 2000)
@example("x 和 " * 2000)
def test_any_text_gives_wellformed_claims_in_bounded_time(text):
    with bounded(3):
        program = reflow_code(text[:2000])
        code = Code(program, text, True) if program else None
        claims = extract_claims(text, code)
    for claim in claims:
        assert claim.value is not None and claim.quoted
        assert claim.target.endswith((".grad", ".grad_fn)")) or code is not None, claim
