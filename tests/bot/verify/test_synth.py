"""synthesize: function and point found in Chinese/English text, torch code agrees with sympy, junk rejected."""
import math
import re
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.verify.synth import synthesize

FOUND = [  # text, expression as sympy prints it, variable, point, derivative
    ("y = x^2 + 3x + 1,在 x = 2 的情况下,导数为 2x + 3 = 7", "x**2 + 3*x + 1", "x", 2.0, 7.0),
    ("y = x^2 + 3x + 1，在 x = 2 的情况下，导数为 2x + 3 = 7", "x**2 + 3*x + 1", "x", 2.0, 7.0),
    ("derivative of sin(x)*x**2 at x=1.5", "x**2*sin(x)", "x", 1.5,
     2 * 1.5 * math.sin(1.5) + 1.5 ** 2 * math.cos(1.5)),
    ("f(x) = x^3 - 2x, x=1", "x**3 - 2*x", "x", 1.0, 1.0),
    ("y=e^x 在 x=0 时的导数", "exp(x)", "x", 0.0, 1.0),
    ("求 y = ln(x) 在 x = 2 处的梯度", "log(x)", "x", 2.0, 0.5),
    ("y = 3x^2 + 2x when x = 1", "3*x**2 + 2*x", "x", 1.0, 8.0),
    ("f(x) = 2x(x+1) at x = 3", "2*x*(x + 1)", "x", 3.0, 14.0),
    ("当 t = 0.5 时, y = cos(t)^2 的导数是多少?", "cos(t)**2", "t", 0.5, -math.sin(1.0)),
    ("y = sqrt(x) + 1/2 x at x = 4", "sqrt(x) + x/2", "x", 4.0, 0.75),
    ("y = pi x + e^(2x) at x = 0", "pi*x + exp(2*x)", "x", 0.0, math.pi + 2),
    ("What is the derivative of exp(-x^2) at x = -1?", "exp(-x**2)", "x", -1.0, 2 * math.exp(-1)),
    ("f(x)=x^x, x=2", "x**x", "x", 2.0, 4 * (math.log(2) + 1)),
    ("y = 1/sqrt(x), x = 4", "1/sqrt(x)", "x", 4.0, -1 / 16),
    ("函数 y = x^(3/2) 在 x=4 处的导数", "x**(3/2)", "x", 4.0, 3.0),
    ("Differentiate x sin x at x = 2.", "x*sin(x)", "x", 2.0, math.sin(2) + 2 * math.cos(2)),
    ("y = log(x^2 + 1) 当 x = 1 时", "log(x**2 + 1)", "x", 1.0, 1.0),
    ("y = 2^x at x = 3", "2**x", "x", 3.0, 8 * math.log(2)),
    ("y = tan(x)/x at x = 1", "tan(x)/x", "x", 1.0, (1 / math.cos(1) ** 2) - math.tan(1)),
    ("y = x^2. At x = 2 the slope is 4", "x**2", "x", 2.0, 4.0),
    ("令 a = 3，f(x) = x² − 1 在 x = 3 时", "x**2 - 1", "x", 3.0, 6.0),
]

REJECTED = [
    "Autograd computes gradients. At x = 2 the gradient is 7.",  # prose, no function
    "2x + 3 = 2*2 + 3 = 7, x = 2",  # the derivative equation only
    "dy/dx = 2x + 3 在 x = 2 时",  # a derivative, not a function
    "z = x*y + y^2 at x = 1",  # two variables, one point
    "z = x*y at x = [1, 2], y = 3",  # a vector point is for a function of one variable
    "y = x^2 + 1",  # no point
    "y = __import__('os').system('x'), x = 1",
    "y = exec('import os') at x = 1",
    "y = x.real at x = 1",
    "y = x_1 + 1 at x = 1",
    "y = sinx at x = 1",  # unknown name: not guessed as sin(x)
    "y = x^9^9^9 at x = 2",
    "y = 9^9^9^9 x at x = 2",
    "y = ln(x) at x = 0",  # undefined at the point
    "y = sqrt(x) at x = -1",
    "y = x" + "+x" * 1000 + " at x = 1",  # over 2000 characters
    "y = " + "x+" * 150 + "x at x = 1",  # expression over 200 characters
]


def printed_grad(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    match = re.search(r"tensor\(([-+0-9.e]+)", out.stdout)
    assert match, out.stdout
    return float(match.group(1))


@pytest.mark.parametrize("text,expression,variable,point,derivative", FOUND)
def test_finds_function_point_and_derivative(text, expression, variable, point, derivative):
    found = synthesize(text)
    assert found is not None
    assert (found.expression, found.stated.point) == (expression, {variable: point})
    (only,) = found.derivatives
    assert (only.target, only.sympy) == (f"{variable}.grad", pytest.approx(derivative, abs=1e-9))
    assert found.code.rstrip().splitlines()[-1].startswith(f"print({variable}.grad)")


@pytest.mark.parametrize("text", [case[0] for case in FOUND[:8]])
def test_generated_code_prints_the_sympy_gradient(text):
    found = synthesize(text)
    assert abs(printed_grad(found.code) - found.derivatives[0].sympy) <= 1e-5


def test_code_uses_torch_and_math_names():
    found = synthesize("y = sqrt(2) x + pi^x + 1/sqrt(x) + e^x at x = 2")
    assert "torch.sqrt(x)" in found.code and "math.pi" in found.code and "torch.exp(x)" in found.code
    assert found.code.startswith("import math\nimport torch\n")
    assert abs(printed_grad(found.code) - found.derivatives[0].sympy) <= 1e-5


SEVERAL = [  # text, {name: (at, target, sympy value)}
    ("z = x*y at x=4, y=5", {"dz/dx": ("x=4, y=5", "x.grad", 5.0), "dz/dy": ("x=4, y=5", "y.grad", 4.0)}),
    ("z = x*y, x=2, y=3", {"dz/dx": ("x=2, y=3", "x.grad", 3.0), "dz/dy": ("x=2, y=3", "y.grad", 2.0)}),
    ("f(x, y) = x^2 y + y when x = 1 and y = 2", {"df/dx": ("x=1, y=2", "x.grad", 4.0),
                                                  "df/dy": ("x=1, y=2", "y.grad", 2.0)}),
    ("求 z = x*y + 2y 在 x = 3 和 y = 1 处的梯度", {"dz/dx": ("x=3, y=1", "x.grad", 1.0),
                                                "dz/dy": ("x=3, y=1", "y.grad", 5.0)}),
    ("derivative of x*y at x=1, y=2", {"df/dx": ("x=1, y=2", "x.grad", 2.0), "df/dy": ("x=1, y=2", "y.grad", 1.0)}),
    ("second derivative of x**4 at 1.5", {"d²y/dx²": ("x=1.5", "d2y_dx2", 27.0)}),
    ("求 y = x^4 在 x=1.5 处的二阶导数", {"d²y/dx²": ("x=1.5", "d2y_dx2", 27.0)}),
    ("d²y/dx² of y = sin(x) at x = 0.5", {"d²y/dx²": ("x=0.5", "d2y_dx2", -math.sin(0.5))}),
    ("third derivative of y = x^5 at x = 2", {"d³y/dx³": ("x=2", "d3y_dx3", 240.0)}),  # 60 x²
    ("f(x) = x^3 的雅可比矩阵, x = [2, 3]", {"jacobian df/dx": ("x=[2, 3]", "jacobian", [[12.0, 0.0], [0.0, 27.0]])}),
    ("dy/dx at x=2 for y = 3x^2", {"dy/dx": ("x=2", "x.grad", 12.0)}),  # `y = 3x` is not the point y = 3
    ("已知 z = x^2 * y，求 x=1，y=2 时 z 对 x 和 y 的偏导", {"dz/dx": ("x=1, y=2", "x.grad", 4.0),
                                                   "dz/dy": ("x=1, y=2", "y.grad", 1.0)}),
    ("compute the gradient of f(x, y) = x*y^2 at (x, y) = (1, 2)", {"df/dx": ("x=1, y=2", "x.grad", 4.0),
                                                                  "df/dy": ("x=1, y=2", "y.grad", 4.0)}),
    ("y＝x²＋1，当x＝2时的导数", {"dy/dx": ("x=2", "x.grad", 4.0)}),  # full-width = and +
    ("hessian of y = x^4 at x = 1", {"d²y/dx²": ("x=1", "d2y_dx2", 12.0)}),
    ("Jacobian of y = sin(x) at x = [0, 1.5]",
     {"jacobian dy/dx": ("x=[0, 1.5]", "jacobian", [[1.0, 0.0], [0.0, math.cos(1.5)]])}),
]


@pytest.mark.parametrize("text,expected", SEVERAL)
def test_several_variables_higher_orders_and_vector_points(text, expected, sandbox):
    found = synthesize(text)
    assert found is not None
    assert {d.name: (d.at, d.target) for d in found.derivatives} == {k: v[:2] for k, v in expected.items()}
    run = sandbox.run(found.code)
    assert run.ok, run.error
    for d in found.derivatives:
        assert flat(d.sympy) == pytest.approx(flat(expected[d.name][2]), abs=1e-9)
        name, _, field = d.target.partition(".")
        torch_value = getattr(run.tensor(name), field or "value")
        assert flat(torch_value) == pytest.approx(flat(d.sympy), abs=1e-9), (d.name, found.code)


@pytest.mark.parametrize("text", REJECTED)
def test_rejects(text):
    assert synthesize(text) is None


MATHISH = st.lists(st.sampled_from(
    ["y", "=", "x", "t", "^", "**", "*", "/", "+", "-", "(", ")", "9", "2", "0.5", "e", "pi", "sin", "ln", "sqrt",
     "exp", " ", "at x = 2", "在 x=1 时", ", x = 3", "f(x) =", "derivative of", ".", "_", "'", "，"]), max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), MATHISH.map("".join)))
def test_never_raises_and_is_fast(text):
    start = time.monotonic()
    result = synthesize(text)
    assert time.monotonic() - start < 1.0
    assert result is None or all(math.isfinite(v) for d in result.derivatives for v in flat(d.sympy))


def flat(value) -> list[float]:
    return [x for v in value for x in flat(v)] if isinstance(value, list) else [value]
