"""Synthesise a runnable torch snippet from a one-variable function and a point stated in text."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import sympy
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)
from sympy.printing.str import StrPrinter

MAX_TEXT, MAX_EXPR, MAX_DEPTH, MAX_DIGITS = 2000, 200, 12, 300
FUNCS = {"sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "exp": sympy.exp, "log": sympy.log,
         "ln": sympy.log, "sqrt": sympy.sqrt}
TRANSFORMS = standard_transformations + (implicit_multiplication_application, convert_xor)
NODES = (sympy.Add, sympy.Mul, sympy.Pow, sympy.Symbol, sympy.Rational, sympy.Float,
         type(sympy.pi), type(sympy.E), sympy.sin, sympy.cos, sympy.tan, sympy.exp, sympy.log)
NORMALISE = str.maketrans({"×": "*", "·": "*", "−": "-", "（": "(", "）": ")", "，": ",", "＝": "=",
                           "；": ";", "²": "^2", "³": "^3"})

NUM = r"([-+]?\d+(?:\.\d+)?)(?!\.?\d)(?!\s*(?:[*/^+\-]\s*[\w(]))"
VAR = r"(?<![A-Za-z0-9_.])([a-df-z])"
POINT_PATTERNS = [re.compile(p) for p in (
    rf"[在当]\s*{VAR}\s*=\s*{NUM}", rf"{VAR}\s*=\s*{NUM}\s*(?:时|处|的情况下|的时候)",
    rf"\b(?i:at|when|where|for)\s+{VAR}\s*=\s*{NUM}", rf"[,;]\s*{VAR}\s*=\s*{NUM}(?![A-Za-z_(])")]
ANCHOR = re.compile(r"(?<![A-Za-z0-9_.])(?:([a-z])\s*(?:\(\s*[a-z]\s*\))?\s*=(?!=)"
                    r"|(?i:derivative\s+of|differentiate|gradient\s+of)|d\s*/\s*d[a-z]|函数)"
                    r"\s*(?i:the\s+)?(?i:function\s+)?")
MATH_RUN = re.compile(r"(?:[0-9A-Za-z\s+\-*/^()]|\.(?=\d))+")
STOP_WORD = re.compile(r"\b(?:at|when|where|for|with|if|and|is|evaluated|on)\b", re.I)
TOKENS = re.compile(r"\s+|\d+(?:\.\d+)?|[A-Za-z]+|\*\*|[-+*/^()]")


@dataclass(frozen=True)
class Synthesis:
    """A function of one variable, a point, sympy's derivative there, and a torch program computing it."""

    expression: str
    variable: str
    point: float
    derivative: float
    code: str


class _TorchPrinter(StrPrinter):
    """StrPrinter emitting torch calls on the variable and math constants/calls on plain numbers."""

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


def _find_point(text: str) -> tuple[int, str, float] | None:
    """Return (position, variable, value) of the earliest point phrase such as '在 x = 2 时' or 'at x=1.5'."""
    hits = [(m.start(), m.group(1), float(m.group(2))) for p in POINT_PATTERNS for m in p.finditer(text)]
    return min(hits) if hits else None


def _candidates(text: str, var: str) -> list[str]:
    """Return the math-only runs right after each anchor ('y =', 'f(x) =', 'derivative of', ...)."""
    found = []
    for m in ANCHOR.finditer(text):
        if m.group(1) == var:
            continue  # 'x = 2' is the point, not the function
        run = MATH_RUN.match(text, m.end())
        if run and not re.match(r"\.[A-Za-z_]|[_\[{'\"]", text[run.end():]):  # 'x.real', 'x_1', 'x[0]' are code
            found.append(STOP_WORD.split(run.group(0), maxsplit=1)[0].strip())
    return [c for c in found if c]


def _safe_string(s: str, var: str) -> bool:
    """True when `s` is short and made only of numbers, operators, brackets, `var` and known names."""
    if not s or len(s) > MAX_EXPR or re.search(r"\d[eE]\d|\(\s*\)", s):
        return False
    pieces = TOKENS.findall(s)
    if "".join(pieces) != s or any(p.isalpha() and p not in FUNCS and p not in ("e", "pi", var) for p in pieces):
        return False
    depth = 0
    for ch in s:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0 or depth > MAX_DEPTH:
            return False
    return depth == 0


def _digits(node: sympy.Basic) -> float:
    """Upper bound on log10 of the exact numbers sympy may build while evaluating the unevaluated `node`."""
    if node.is_Symbol:
        return 0.0
    if node.is_Rational:
        return math.log10(max(abs(node.p), node.q) + 1)
    if node.is_Float:
        return math.log10(abs(float(node)) + 1)
    parts = [_digits(a) for a in node.args]
    if node.is_Add:
        return max(parts) + math.log10(len(parts))
    if node.is_Pow and not node.exp.free_symbols:
        return math.inf if parts[1] > 4 else parts[0] * max(1.0, 10 ** parts[1] - 1)
    return sum(parts) if parts else 1.0  # Mul, a Pow with a symbolic exponent, a function; pi and E


def _parse(s: str, var: str) -> sympy.Expr | None:
    """Parse a whitelisted string into a sympy expression of `var` alone, or None."""
    names = {var: sympy.Symbol(var), "e": sympy.E, "pi": sympy.pi, **FUNCS}
    raw = parse_expr(s, local_dict=dict(names), transformations=TRANSFORMS, evaluate=False)
    if not isinstance(raw, sympy.Expr) or _digits(raw) > MAX_DIGITS:
        return None
    expr = parse_expr(s, local_dict=dict(names), transformations=TRANSFORMS)
    return expr if expr.free_symbols == {names[var]} else None


def _evaluate(node: sympy.Basic, at: float) -> float:
    """Evaluate a whitelisted expression of one symbol at `at` in double precision; raise unless finite and real."""
    if not isinstance(node, NODES):
        raise ValueError(f"unsupported node {type(node).__name__}")
    args = [_evaluate(a, at) for a in node.args]
    if node.is_Symbol:
        value = at
    elif not args:  # a number, pi or E
        value = float(node)
    elif node.is_Add:
        value = math.fsum(args)
    elif node.is_Mul:
        value = math.prod(args)
    elif node.is_Pow:
        value = args[0] ** args[1]
    else:
        value = getattr(math, type(node).__name__)(args[0])  # sin, cos, tan, exp, log
    if not isinstance(value, float) or not math.isfinite(value):
        raise ValueError(f"{node} is not a finite real number at {at}")
    return value


def _program(expr: sympy.Expr, var: str, point: float, derivative: float) -> str:
    """Return a standalone torch program whose `var.grad` is d expr / d var at `point`."""
    body = _TorchPrinter().doprint(expr)
    out = "f" if var == "y" else "y"
    lines = ["import math"] if "math." in body else []
    lines += ["import torch", "", "torch.set_printoptions(precision=10)",
              f"{var} = torch.tensor({point!r}, dtype=torch.float64, requires_grad=True)",
              f"{out} = {body}", f"{out}.backward()",
              f"print({var}.grad)  # sympy: d/d{var} ({expr}) at {var} = {point:g} is {derivative:.10g}"]
    return "\n".join(lines) + "\n"


def find_function(text: str) -> Synthesis | None:
    """Find a one-variable function and a point in free text and build a torch snippet for its derivative."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    text = text.translate(NORMALISE)
    point = _find_point(text)
    if point is None:
        return None
    _, var, at = point
    if not math.isfinite(at):
        return None
    for s in _candidates(text, var):
        try:
            if not _safe_string(s, var) or (expr := _parse(s, var)) is None:
                continue
            _evaluate(expr, at)  # the function itself must be defined at the point
            slope = _evaluate(sympy.diff(expr, sympy.Symbol(var)), at)
        except Exception:  # noqa: BLE001 - sympy and float maths raise many types on odd input: "no function"
            continue
        return Synthesis(str(expr), var, at, slope, _program(expr, var, at, slope))
    return None
