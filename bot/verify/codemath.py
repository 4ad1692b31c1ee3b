"""The maths a source's code states, read from its text and never from running it: leaves created with
`torch.tensor(<number or list>, requires_grad=True)`, outputs assigned pure arithmetic of them, and the output
differentiated. A page's code can lie about what it printed; its assignments say what it computes."""
from __future__ import annotations

import ast

from kb.syntax import parse

FUNCTIONS = {"sin", "cos", "tan", "exp", "log", "sqrt"}  # torch.<f>(...) read as <f>(...)
OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)
JACOBIAN_CALLS = {"torch.autograd.grad", "torch.autograd.functional.jacobian"}


def _literal(node: ast.expr) -> float | list[float] | None:
    """A number or a flat list of two to eight numbers, as written (a one-element list is its number)."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, list) and 0 < len(value) <= 8 and all(isinstance(v, (int, float)) for v in value):
        return float(value[0]) if len(value) == 1 else [float(v) for v in value]  # [3.] is the number 3
    return None


def _leaf(node: ast.expr) -> float | list[float] | None:
    """The value of `torch.tensor(<literal>, requires_grad=True[, dtype=...])`, else None."""
    if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "torch.tensor" and len(node.args) == 1):
        return None
    flags = {k.arg: k.value for k in node.keywords}
    grad = flags.pop("requires_grad", None)
    if not (isinstance(grad, ast.Constant) and grad.value is True) or set(flags) - {"dtype"}:
        return None
    return _literal(node.args[0])


def _expression(node: ast.expr, defined: dict[str, str]) -> str | None:
    """Pure arithmetic of numbers, defined names and torch's elementwise functions, with every name replaced
    by its definition; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return repr(node.value)
    if isinstance(node, ast.Name):
        return defined.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, OPERATORS):
        left, right = _expression(node.left, defined), _expression(node.right, defined)
        op = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}[type(node.op)]
        return f"({left}){op}({right})" if left and right else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, OPERATORS):
        inner = _expression(node.operand, defined)
        return f"{'-' if isinstance(node.op, ast.USub) else ''}({inner})" if inner else None
    if isinstance(node, ast.Call) and not node.keywords and len(node.args) == 1:
        name = ast.unparse(node.func)
        inner = _expression(node.args[0], defined)
        if name.removeprefix("torch.") in FUNCTIONS and name.startswith("torch.") and inner:
            return f"{name.removeprefix('torch.')}({inner})"
    return None


def _statement_kind(node: ast.stmt) -> str:
    """`import`, `print`, `backward`, `assign` or `other`."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return "import"
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        call = ast.unparse(node.value.func)
        if call == "print":
            return "print"
        if call.endswith(".backward") and not node.value.args and not node.value.keywords:
            return "backward"
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return "assign"
    return "other"


def _stated(leaves: dict[str, float | list[float]], defined: dict[str, str], output: str) -> str | None:
    """`z = ((x)**2)*(x) at x = [2.0, 3.0]`: what synthesize reads, or None when the output is not stated."""
    expr = defined.get(output)
    if expr is None or expr in leaves or not leaves or any(len(v) != 1 for v in leaves):
        return None  # one-letter variables only: the synthesised targets must be the code's own names
    name = output if len(output) == 1 and output not in leaves else "f"
    return f"{name} = {expr} at " + ", ".join(f"{v} = {value}" for v, value in leaves.items())


def maths_of_code(code: str) -> str | None:
    """The function and point a program differentiates, in the words synthesize reads; None unless the program
    is plainly that: straight-line leaves and arithmetic with one `out.backward()` (its gradients), or such a
    prefix before a Jacobian call on a vector leaf (its Jacobian)."""
    try:
        body = parse(code).body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    leaves: dict[str, float | list[float]] = {}
    defined: dict[str, str] = {}
    backward: list[str] = []
    for node in body:
        kind = _statement_kind(node)
        if kind == "assign":
            target, value = node.targets[0].id, node.value
            leaf = _leaf(value)
            if target in leaves or target in defined:
                kind = "other"  # a name given twice: not plain maths
            elif leaf is not None:
                leaves[target], defined[target] = leaf, target
                continue
            elif (expr := _expression(value, defined)) is not None:
                defined[target] = expr
                continue
            else:
                kind = "other"
        if kind == "backward":
            backward.append(ast.unparse(node.value.func.value))
        elif kind == "other":
            return _jacobian(body, node, leaves, defined)
    scalar = all(isinstance(v, float) for v in leaves.values())
    return _stated(leaves, defined, backward[0]) if len(backward) == 1 and scalar else None


def _jacobian(body: list[ast.stmt], stop: ast.stmt, leaves: dict, defined: dict[str, str]) -> str | None:
    """After the plain prefix: the output and vector leaf of the first Jacobian call, as stated maths."""
    calls = [n for n in ast.walk(ast.Module(body=body[body.index(stop):], type_ignores=[]))
             if isinstance(n, ast.Call) and ast.unparse(n.func) in JACOBIAN_CALLS and len(n.args) >= 2]
    if len(leaves) != 1 or not calls:
        return None
    output, wrt = ast.unparse(calls[0].args[0]), ast.unparse(calls[0].args[1])
    vector = wrt in leaves and isinstance(leaves[wrt], list)
    return _stated(leaves, defined, output) if vector else None
