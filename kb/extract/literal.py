"""Parse values as torch prints or people quote them: `tensor([[ 2., 0.]], grad_fn=<..>)`, `[3.0]`, `7.`."""
from __future__ import annotations

import math
import re

NUMBER = r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|nan|inf)"
TENSOR = r"tensor\((?:[^()]|\([^()]*\))*\)"
LIST = r"\[[\s.,\[\]eE+\-naif]*\d[\d\s.,\[\]eE+\-naif]*\]"  # one place for the first digit (was cubic)
LITERAL = re.compile(rf"{TENSOR}|{LIST}|(?<![\w.]){NUMBER}(?![\w.])")
_TOKEN = re.compile(rf"\[|\]|,|{NUMBER}")
MAX_DEPTH = 32  # deeper brackets are not a quoted tensor (and would exhaust the stack)

Value = float | list


def parse_value(text: str) -> Value | None:
    """The numbers of a quoted tensor, list or number as nested lists; None when it is not one."""
    text = text.strip()
    if text.startswith("tensor("):
        text = text[len("tensor(") :]
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    try:
        value, end = _parse(tokens, 0, 0)
    except (IndexError, ValueError):
        return None
    return value


def _parse(tokens: list[str], i: int, depth: int) -> tuple[Value, int]:
    if tokens[i] != "[":
        return float(tokens[i]), i + 1
    if depth >= MAX_DEPTH:
        raise ValueError("brackets nested too deep")
    items, i = [], i + 1
    while tokens[i] != "]":
        item, i = _parse(tokens, i, depth + 1)
        items.append(item)
        if tokens[i] == ",":
            i += 1
    return items, i + 1


def flatten(value: Value) -> list[float]:
    """All numbers of a nested value, in order."""
    return [x for v in value for x in flatten(v)] if isinstance(value, list) else [float(value)]


def shape(value: Value) -> tuple[int, ...]:
    """The nested-list shape of a value (a number has shape ())."""
    return (len(value), *shape(value[0])) if isinstance(value, list) and value else \
        ((0,) if isinstance(value, list) else ())


def close(quoted: Value, actual: Value, *, rtol: float = 1e-3, atol: float = 1e-4) -> bool:
    """Whether two values agree: same numbers (shape may differ by size-1 dimensions) within tolerance."""
    a, b = flatten(quoted), flatten(actual)
    if len(a) != len(b):
        return False
    return all((math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=rtol, abs_tol=atol)
               for x, y in zip(a, b))


def format_value(value: Value) -> str:
    """A value written the way torch prints it."""
    return f"tensor({_fmt(value)})"


def _fmt(value: Value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if not math.isfinite(value) or value != int(value) or abs(value) >= 1e16:
        return f"{value:.4g}"
    return f"{int(value)}."
