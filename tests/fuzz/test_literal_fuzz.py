"""parse_value under fuzz: what real torch prints parses back to its values; any text parses or gives None."""
import math

import torch
from fuzzkit import TEXT, bounded, fuzz, repeated
from hypothesis import example, given
from hypothesis import strategies as st

from kb.extract.literal import LITERAL, flatten, parse_value, shape

FLOATS = [torch.float16, torch.bfloat16, torch.float32, torch.float64]
INTS = [torch.int8, torch.uint8, torch.int32, torch.int64]


@st.composite
def tensors(draw) -> torch.Tensor:
    """A real tensor: 0-4 dimensions of 0-4 elements, any real dtype, maybe with requires_grad or a grad_fn."""
    dims = draw(st.lists(st.integers(0, 4), max_size=4))
    dtype = draw(st.sampled_from(FLOATS + INTS))
    scale = draw(st.sampled_from([1.0, 1e-6, 1e-3, 1e3, 1e8, 1e30]))
    numel = math.prod(dims)
    if dtype.is_floating_point:
        values = draw(st.lists(st.floats(-1e4, 1e4) | st.sampled_from([math.nan, math.inf, -math.inf, -0.0]),
                               min_size=numel, max_size=numel))
        t = (torch.tensor(values, dtype=torch.float64) * scale).to(dtype).reshape(dims)
        grad = draw(st.sampled_from(["", "leaf", "op"]))
        t = t.requires_grad_() if grad else t
        return t * 2 if grad == "op" else t
    info = torch.iinfo(dtype)
    values = draw(st.lists(st.integers(info.min, info.max), min_size=numel, max_size=numel))
    return torch.tensor(values, dtype=dtype).reshape(dims)


def agrees(parsed: float, actual: float) -> bool:
    """Equal up to the 4 decimals torch prints (fixed or scientific notation)."""
    if math.isnan(actual):
        return math.isnan(parsed)
    return math.isclose(parsed, actual, rel_tol=1e-4, abs_tol=1e-4)


@fuzz(200)
@given(tensors())
def test_printed_torch_tensors_parse_back(t):
    printed = str(t)
    with bounded(2):
        parsed = parse_value(printed)
    assert parsed is not None, printed
    actual = t.tolist()
    if t.numel():
        assert shape(parsed) == tuple(t.shape), printed
    values = flatten(parsed)
    assert len(values) == t.numel()
    assert all(agrees(p, a) for p, a in zip(values, flatten(actual) if t.numel() else [])), printed
    assert LITERAL.fullmatch(printed), printed  # the claim regexes find the whole printed tensor


def well_formed(value) -> bool:
    return isinstance(value, float) or isinstance(value, list) and all(map(well_formed, value))


@fuzz(300)
@given(st.one_of(TEXT, repeated(20_000)))
@example("[" * 2000)  # was RecursionError
@example("[1" * 1100)  # the list pattern could place its digit anywhere: cubic, 1.8 s
@example("tensor(" + "[" * 40 + "1" + "]" * 40 + ")")
def test_any_text_parses_to_nested_floats_or_none(text):
    with bounded(2):
        value = parse_value(text)
        found = [parse_value(m.group(0)) for m in LITERAL.finditer(text[:5000])]
    assert value is None or well_formed(value)
    assert all(v is None or well_formed(v) for v in found)
