"""Find a function and the point where its derivative is wanted, as people state them in free text:
`z = x*y at x=4, y=5`, `求 y = x^2 + 3x + 1 在 x = 3 处的梯度`, `second derivative of x**4 at 1.5`,
`f(x) = x^3, x = [2, 3]`. Only numbers, operators, the stated variables and a few named functions pass."""
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

from kb.syntax import PARSER

MAX_TEXT, MAX_EXPR, MAX_DEPTH, MAX_DIGITS, MAX_VECTOR = 2000, 200, 12, 300, 8
FUNCS = {"sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "exp": sympy.exp, "log": sympy.log,
         "ln": sympy.log, "sqrt": sympy.sqrt}
TRANSFORMS = standard_transformations + (implicit_multiplication_application, convert_xor)
NODES = (sympy.Add, sympy.Mul, sympy.Pow, sympy.Symbol, sympy.Rational, sympy.Float,
         type(sympy.pi), type(sympy.E), sympy.sin, sympy.cos, sympy.tan, sympy.exp, sympy.log)
NORMALISE = str.maketrans({"×": "*", "·": "*", "−": "-", "（": "(", "）": ")", "，": ",", "＝": "=", "＋": "+",
                           "－": "-", "＊": "*", "／": "/", "；": ";", "：": ":", "［": "[", "］": "]", "²": "^2",
                           "³": "^3"})

NUMBER = r"[-+]?\d+(?:\.\d+)?"
SCALAR = rf"({NUMBER})(?!\.?\d)(?![A-Za-z_(])(?!\s*(?:[*/^+\-]\s*[\w(]))"  # `x = 2`, not `x = 2*y` or `y = 3x`
VECTOR = rf"\[\s*({NUMBER}(?:\s*,\s*{NUMBER}){{1,{MAX_VECTOR - 1}}})\s*\]"
VALUE = rf"(?:{VECTOR}|{SCALAR})"
LETTERS = "abcdfghijklmnopqrstuvwxyz"  # variable names: one letter, but e (Euler's number)
VAR = r"(?<![A-Za-z0-9_.])([a-df-z])"
NAMED_POINTS = [re.compile(p) for p in (
    rf"[在当求令取设]\s*{VAR}\s*=\s*{VALUE}", rf"{VAR}\s*=\s*{VALUE}\s*(?:时|处|的情况下|的时候)",
    rf"\b(?i:at|when|where|for)\s+{VAR}\s*=\s*{VALUE}", rf"[,;]\s*{VAR}\s*=\s*{VALUE}(?![A-Za-z_(])",
    rf"(?:\b(?i:and)\b|和|且|、)\s*{VAR}\s*=\s*{VALUE}(?![A-Za-z_(])")]
TUPLE_POINT = re.compile(rf"\(\s*([a-df-z](?:\s*,\s*[a-df-z]){{1,7}})\s*\)\s*=\s*"
                         rf"\(\s*({NUMBER}(?:\s*,\s*{NUMBER}){{1,7}})\s*\)")  # (x, y) = (1, 2)
BARE_POINTS = [re.compile(p) for p in (rf"\b(?i:at)\s+{VALUE}(?!\s*[=\w])", rf"在\s*{VALUE}\s*处")]
ANCHOR = re.compile(r"(?<![A-Za-z0-9_.])(?:([a-z])\s*(?:\(\s*[a-z](?:\s*,\s*[a-z])*\s*\))?\s*=(?!=)"
                    r"|(?i:derivative\s+of|differentiate|gradient\s+of)|d\s*/\s*d[a-z]|函数)"
                    r"\s*(?i:the\s+)?(?i:function\s+)?")
MATH_RUN = re.compile(r"(?:[0-9A-Za-z\s+\-*/^()]|\.(?=\d))+")
STOP_WORD = re.compile(r"\b(?:at|when|where|for|with|if|and|is|evaluated|on)\b", re.I)
TOKENS = re.compile(r"\s+|\d+(?:\.\d+)?|[A-Za-z]+|\*\*|[-+*/^()]")
ORDERS = [(3, re.compile(r"(?i:third|3rd)[\s-]+(?:order\s+)?derivative|三阶")),
          (2, re.compile(r"(?i:second|2nd)[\s-]+(?:order\s+)?derivative|二阶|(?i:hessian)|海森"
                         r"|d\s*\^\s*2\s*\w?\s*/\s*d\s*[a-z]\s*\^\s*2"))]

Point = float | tuple[float, ...]


@dataclass(frozen=True)
class Stated:
    """A function the text states, by the name it gives it (`y` unless named), the point and the order."""

    output: str
    expression: sympy.Expr
    point: dict[str, Point]  # variable -> value, in the order the text gives them
    order: int


def _value(vector: str | None, scalar: str | None) -> Point:
    return tuple(float(v) for v in vector.split(",")) if vector else float(scalar)


def find_points(text: str) -> tuple[dict[str, Point], Point | None]:
    """Named points (`x = 2`, `y = [1, 2]`) in order of appearance, first value per variable, and the first
    unnamed one (`at 1.5`)."""
    named = sorted((m.start(), m.group(1), _value(m.group(2), m.group(3)))
                   for p in NAMED_POINTS for m in p.finditer(text))
    named += [(m.start(), var.strip(), float(value)) for m in TUPLE_POINT.finditer(text)
              for var, value in zip(m.group(1).split(","), m.group(2).split(","))
              if len(m.group(1).split(",")) == len(m.group(2).split(","))]
    named.sort()
    points: dict[str, Point] = {}
    for _, var, value in named:
        points.setdefault(var, value)
    bare = sorted((m.start(), _value(m.group(1), m.group(2))) for p in BARE_POINTS for m in p.finditer(text))
    return points, bare[0][1] if bare else None


def order_of(text: str) -> int:
    """The derivative's order the text asks for: 1 unless it says second or third."""
    return next((n for n, pattern in ORDERS if pattern.search(text)), 1)


def candidates(text: str, skip: set[str]) -> list[tuple[str, str]]:
    """(output name, math-only run) right after each anchor (`y =`, `f(x, y) =`, `derivative of`, ...);
    `x = 2` for a point variable is not a function."""
    found = []
    for m in ANCHOR.finditer(text):
        if m.group(1) in skip:
            continue
        run = MATH_RUN.match(text, m.end())
        if run and not re.match(r"\.[A-Za-z_]|[_\[{'\"]", text[run.end():]):  # 'x.real', 'x_1', 'x[0]' are code
            found.append((m.group(1) or "y", STOP_WORD.split(run.group(0), maxsplit=1)[0].strip()))
    return [(out, c) for out, c in found if c]


def safe_string(s: str, names: set[str]) -> bool:
    """True when `s` is short and made only of numbers, operators, brackets, `names` and known functions."""
    if not s or len(s) > MAX_EXPR or re.search(r"\d[eE]\d|\(\s*\)", s):
        return False
    pieces = TOKENS.findall(s)
    if "".join(pieces) != s or any(p.isalpha() and p not in FUNCS and p not in ("e", "pi", *names) for p in pieces):
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


def sympy_parse(s: str, local: dict, *, evaluate: bool = True) -> sympy.Basic:
    """sympy's `parse_expr` with our transformations, under the parser lock (unevaluated, it parses Python's AST:
    see kb.syntax)."""
    with PARSER:
        return parse_expr(s, local_dict=dict(local), transformations=TRANSFORMS, evaluate=evaluate)


def parse(s: str, names: set[str]) -> sympy.Expr | None:
    """Parse a whitelisted string into a sympy expression of some of `names`, or None."""
    local = {**{n: sympy.Symbol(n) for n in names}, "e": sympy.E, "pi": sympy.pi, **FUNCS}
    raw = sympy_parse(s, local, evaluate=False)
    if not isinstance(raw, sympy.Expr) or _digits(raw) > MAX_DIGITS:
        return None
    expr = sympy_parse(s, local)
    return expr if expr.free_symbols and {str(v) for v in expr.free_symbols} <= names else None


def evaluate(node: sympy.Basic, at: dict[str, float]) -> float:
    """Evaluate a whitelisted expression in double precision; raise unless finite and real."""
    if not isinstance(node, NODES):
        raise ValueError(f"unsupported node {type(node).__name__}")
    args = [evaluate(a, at) for a in node.args]
    if node.is_Symbol:
        value = at[str(node)]
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


def find_definition(text: str, name: str) -> sympy.Expr | None:
    """How the text defines the tensor `name` from others (`c=a+b`, `d = c * 2`), kept as written (unevaluated:
    the operation is what matters), or None."""
    if not isinstance(text, str) or len(text) > MAX_TEXT or name not in LETTERS:
        return None
    text = text.translate(NORMALISE)
    for m in re.finditer(rf"(?<![A-Za-z0-9_.]){name}\s*=(?!=)\s*", text):
        run = MATH_RUN.match(text, m.end())
        s = STOP_WORD.split(run.group(0), maxsplit=1)[0].strip() if run else ""
        if safe_string(s, set(LETTERS) - {name}) and not re.match(r"\.[A-Za-z_]|[_\[{'\"]", text[run.end():]):
            local = {n: sympy.Symbol(n) for n in LETTERS if n != name} | {"e": sympy.E, "pi": sympy.pi, **FUNCS}
            try:
                expr = sympy_parse(s, local, evaluate=False)
            except Exception:  # noqa: BLE001 - as in parse(): odd input is "no definition"
                continue
            if isinstance(expr, sympy.Expr) and expr.args and expr.free_symbols and _digits(expr) <= MAX_DIGITS:
                return expr
    return None


def find_stated(text: str) -> Stated | None:
    """The first function in the text whose every variable has a stated point (a vector only for a function of
    one variable), defined there; None when there is none."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    text = text.translate(NORMALISE)
    points, bare = find_points(text)
    if not points and bare is None:
        return None
    names = set(LETTERS)
    for output, s in candidates(text, set(points)):
        try:
            expr = parse(s, names) if safe_string(s, names) else None
            if expr is None:
                continue
            variables = sorted(str(v) for v in expr.free_symbols)
            point = {v: points[v] for v in points if v in variables}
            if len(point) < len(variables) and len(variables) == 1 and bare is not None:
                point = {variables[0]: bare}
            if len(point) != len(variables) or (len(point) > 1 and any(isinstance(p, tuple) for p in point.values())):
                continue
            for values in zip(*[p if isinstance(p, tuple) else (p,) for p in point.values()]):
                evaluate(expr, dict(zip(point, values)))  # the function itself must be defined at the point
        except Exception:  # noqa: BLE001 - sympy and float maths raise many types on odd input: "no function"
            continue
        name = next(n for n in (output, "f", "out") if n not in point)  # `derivative of x*y at x=1, y=2`
        return Stated(name, expr, point, order_of(text))
    return None
