"""Synthesise a torch program for the derivatives of a function stated in text, with sympy's values beside it:
every partial derivative at a point, a higher derivative of one variable, or the Jacobian of an elementwise
function at a vector point."""
from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy.printing.str import StrPrinter

from bot.verify.mathtext import Point, Stated, evaluate, find_stated

SUPERSCRIPT = {2: "²", 3: "³"}

Value = float | list


@dataclass(frozen=True)
class Derivative:
    """One value the program computes: what it is, where, the name that holds torch's value after the run
    (a claim target: `x.grad`, `d2y_dx2`, `jacobian`) and sympy's value."""

    name: str
    at: str
    target: str
    sympy: Value


@dataclass(frozen=True)
class Synthesis:
    """A stated function, its derivatives by sympy, and a torch program computing them."""

    stated: Stated
    derivatives: tuple[Derivative, ...]
    code: str

    @property
    def expression(self) -> str:
        """The function as sympy writes it."""
        return str(self.stated.expression)


class _TorchPrinter(StrPrinter):
    """StrPrinter emitting torch calls on the variables and math constants/calls on plain numbers."""

    def _print_Function(self, expr: sympy.Function) -> str:
        module = "math" if expr.is_number else "torch"
        return f"{module}.{type(expr).__name__}({self._print(expr.args[0])})"

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        if expr.exp in (sympy.S.Half, -sympy.S.Half):
            root = f"{'math' if expr.base.is_number else 'torch'}.sqrt({self._print(expr.base)})"
            return root if expr.exp is sympy.S.Half else f"1/{root}"
        return super()._print_Pow(expr, rational)

    def _print_Integer(self, expr: sympy.Integer) -> str:
        return str(expr) if abs(expr) < 2**63 else repr(float(expr))  # torch rejects ints beyond int64

    def _print_Exp1(self, expr: sympy.Expr) -> str:
        return "math.e"

    def _print_Pi(self, expr: sympy.Expr) -> str:
        return "math.pi"


def _shown(value: Point) -> str:
    return f"[{', '.join(f'{v:g}' for v in value)}]" if isinstance(value, tuple) else f"{value:g}"


def _at(point: dict[str, Point]) -> str:
    return ", ".join(f"{v}={_shown(p)}" for v, p in point.items())


def _tensor(var: str, value: Point, grad: bool) -> str:
    literal = list(value) if isinstance(value, tuple) else value
    return f"{var} = torch.tensor({literal!r}, dtype=torch.float64{', requires_grad=True' if grad else ''})"


def _derivatives(stated: Stated) -> tuple[Derivative, ...]:
    """What sympy says each wanted derivative is, at the stated point."""
    out, expr, point, order = stated.output, stated.expression, stated.point, stated.order
    at = _at(point)
    (var, value), *others = point.items()
    if isinstance(value, tuple):  # an elementwise function at a vector point: its Jacobian is diagonal
        slopes = [evaluate(sympy.diff(expr, sympy.Symbol(var)), {var: v}) for v in value]
        matrix = [[s if i == j else 0.0 for j in range(len(value))] for i, s in enumerate(slopes)]
        return (Derivative(f"jacobian d{out}/d{var}", at, "jacobian", matrix),)
    if order > 1 and not others:
        power = SUPERSCRIPT[order]
        slope = evaluate(sympy.diff(expr, sympy.Symbol(var), order), {var: value})
        return (Derivative(f"d{power}{out}/d{var}{power}", at, f"d{order}{out}_d{var}{order}", slope),)
    return tuple(Derivative(f"d{out}/d{v}", at, f"{v}.grad", evaluate(sympy.diff(expr, sympy.Symbol(v)), point))
                 for v in point)


def _program(stated: Stated, derivatives: tuple[Derivative, ...]) -> str:
    """A standalone torch program leaving torch's value of each derivative under its target name."""
    body = _TorchPrinter().doprint(stated.expression)
    out = stated.output
    (var, value), *_ = stated.point.items()
    lines = ["import math"] if "math." in body else []
    lines += ["import torch", "", "torch.set_printoptions(precision=10)"]
    if isinstance(value, tuple):
        lines += [_tensor(var, value, grad=False),
                  f"jacobian = torch.autograd.functional.jacobian(lambda {var}: {body}, {var})"]
    else:
        lines += [_tensor(v, p, grad=True) for v, p in stated.point.items()] + [f"{out} = {body}"]
        if stated.order > 1 and len(stated.point) == 1:
            grad, name = out, ""
            for n in range(1, stated.order + 1):
                name = f"d{n}{out}_d{var}{n}"
                lines.append(f"({name},) = torch.autograd.grad({grad}, {var}, create_graph={n < stated.order})")
                grad = name
        else:
            lines.append(f"{out}.backward()")
    lines += [f"print({d.target})  # {d.name} at {d.at}; sympy: {d.sympy!r}" for d in derivatives]
    return "\n".join(lines) + "\n"


def grad_fn_program(definitions: dict[str, sympy.Expr]) -> str:
    """A torch program building each defined tensor from leaves (1.5, requiring grad), so that its grad_fn is
    the node torch records for that operation."""
    leaves = sorted({str(s) for expr in definitions.values() for s in expr.free_symbols} - set(definitions))
    printer = _TorchPrinter()
    body = [f"{name} = {printer.doprint(expr)}" for name, expr in definitions.items()]
    lines = ["import math"] if any("math." in line for line in body) else []
    lines += ["import torch", ""] + [_tensor(leaf, 1.5, grad=True) for leaf in leaves] + body
    return "\n".join(lines + [f"print(type({name}.grad_fn).__name__)" for name in definitions]) + "\n"


def synthesize(text: str) -> Synthesis | None:
    """A torch program for the derivatives of the function and point stated in `text`, or None."""
    stated = find_stated(text)
    if stated is None:
        return None
    try:
        derivatives = _derivatives(stated)
    except Exception:  # noqa: BLE001 - not finite or not real at the point: nothing to compute
        return None
    return Synthesis(stated, derivatives, _program(stated, derivatives))
