"""synthesize (the math-expression parser behind synthesised snippets) under fuzz: a generated
function written as people write it comes back with sympy's derivative, and the torch program it
builds computes the same gradient; any text gives None or a consistent result in bounded time."""
import contextlib
import io
import math

import sympy
import torch
from fuzzkit import TEXT, bounded, fuzz, repeated
from hypothesis import event, example, given
from hypothesis import strategies as st

from bot.verify.synth import synthesize
from kb.extract.literal import flatten, parse_value

VARIABLES = ["x", "t", "u", "w"]
MATH = st.lists(st.sampled_from(["y", "=", "x", "t", "^", "**", "*", "/", "+", "-", "(", ")", "9", "2", "0.5",
                                 "e", "pi", "sin", "ln", "log", "sqrt", "tan", " ", "at x = 2", "在 x=-1 时",
                                 ", t = 3", "f(x) =", "derivative of", ".", "_", "²", "×", "−", "（"]),
                max_size=40).map("".join)
TEMPLATES = ["y = {f} at {v} = {p}", "求 y = {f} 在 {v} = {p} 处的导数", "f({v}) = {f}, {v} = {p}",
             "当 {v} = {p} 时, y = {f} 的导数是多少?", "What is the derivative of {f} when {v}={p}?"]


def functions(v: str) -> st.SearchStrategy[tuple[str, sympy.Expr]]:
    """(text, sympy expression) pairs of functions of `v` that are defined and finite everywhere."""
    x = sympy.Symbol(v)
    k = st.integers(1, 5)
    leaves = st.one_of(st.just((v, x)), k.map(lambda n: (str(n), sympy.Integer(n))),
                       k.map(lambda n: (f"{n}{v}", n * x)))  # implicit multiplication: 3x

    def grow(e):
        return st.one_of(
            st.tuples(e, e).map(lambda t: (f"{t[0][0]} + {t[1][0]}", t[0][1] + t[1][1])),
            st.tuples(e, e).map(lambda t: (f"{t[0][0]} - ({t[1][0]})", t[0][1] - t[1][1])),
            st.tuples(e, e).map(lambda t: (f"({t[0][0]})*({t[1][0]})", t[0][1] * t[1][1])),
            st.tuples(e, st.integers(2, 3)).map(lambda t: (f"({t[0][0]})^{t[1]}", t[0][1] ** t[1])),
            st.tuples(st.sampled_from(["sin", "cos"]), e).map(
                lambda t: (f"{t[0]}({t[1][0]})", getattr(sympy, t[0])(t[1][1]))),
            k.map(lambda n: (f"e^({n}{v})", sympy.exp(n * x))),
            k.map(lambda n: (f"1/({v}^2 + {n})", 1 / (x**2 + n))),
        )
    return st.recursive(leaves, grow, max_leaves=5).filter(lambda fe: x in fe[1].free_symbols)  # not a constant


@st.composite
def stated_functions(draw) -> tuple[str, str, sympy.Expr, str]:
    """A sentence stating a function and a point, with the variable, expression and point it states."""
    v = draw(st.sampled_from(VARIABLES))
    text, expr = draw(functions(v))
    point = draw(st.integers(-30, 30).map(lambda n: str(n / 10) if n % 10 else str(n // 10)))
    return draw(st.sampled_from(TEMPLATES)).format(f=text, v=v, p=point), v, expr, point


def printed_gradient(code: str) -> float:
    """Run the generated torch program in-process and read back the gradient it prints."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<synth>", "exec"), {})  # noqa: S102 - code printed from a whitelisted expression
    finally:
        torch.set_printoptions(profile="default")
    return parse_value(out.getvalue().split("#")[0])


@fuzz(100, deadline_ms=3000)
@given(stated_functions())
def test_a_stated_function_comes_back_with_sympys_derivative_and_torch_agrees(case):
    text, v, expr, point = case
    with bounded(5):
        found = synthesize(text)
    assert found is not None, text
    x, at = sympy.Symbol(v), sympy.Rational(point)
    assert found.stated.point == {v: float(point)}
    assert sympy.simplify(sympy.sympify(found.expression, locals={v: x}) - expr) == 0, (text, found.expression)
    slope = float(sympy.diff(expr, x).subs(x, at).evalf(30))
    assert math.isclose(found.derivatives[0].sympy, slope, rel_tol=1e-9, abs_tol=1e-9), text
    assert math.isclose(printed_gradient(found.code), slope, rel_tol=1e-6, abs_tol=1e-6), found.code


@fuzz(200, deadline_ms=2000)
@given(st.one_of(TEXT, repeated(2000), MATH))
@example("y = " + "(" * 12 + "x" + ")" * 12 + " at x = 1")
@example("y = x^9^9^9 at x = 2")
def test_any_text_gives_none_or_a_consistent_synthesis(text):
    with bounded(3):
        found = synthesize(text)
    event("none" if found is None else "synthesised")
    if found is not None:
        assert all(math.isfinite(x) for x in flatten(list(found.stated.point.values())))
        assert all(math.isfinite(x) for d in found.derivatives for x in flatten(d.sympy))
        assert set(found.stated.point) == {str(s) for s in found.stated.expression.free_symbols}
        compile(found.code, "<synth>", "exec")
