"""Find the values an answer quotes, in its prose and in its code comments, and what they are about.

    x 的梯度值为 tensor([7.])              -> x.grad = [7.]
    w 和 b 的梯度值都是 1                   -> w.grad = 1, b.grad = 1
    print(x.grad) # 输出张量 [3.0]          -> x.grad = [3.]
    # x.grad = 2                           -> x.grad = 2
    x的梯度,结果应为:tensor([[ 2., 0.]...]) -> x.grad = [[2., 0.], ...]
    print(jacobian) 输出结果为: tensor(...)  -> jacobian = ...
    c 的 grad_fn 就是 AddBackward           -> type(c.grad_fn) = AddBackward
"""
from __future__ import annotations

import ast
import re

from kb.extract.literal import LITERAL, parse_value
from kb.syntax import parse
from kb.types import Claim, Code

VAR = r"(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*+"  # a whole ASCII name: `\w*` ran into CJK, backtracked
VALUE = rf"(?P<value>{LITERAL.pattern})"
GRAD_PROSE = re.compile(
    rf"(?P<vars>{VAR}(?:\s*(?:和|与|、|,|，|and)\s*{VAR}){{0,7}})\s*"  # bounded: linear time
    rf"(?:的\s*梯度值?|的\s*导数|\.grad)(?P<gap>[^。;；\n:：=]{{0,8}}?[,，]?[^。;；\n]{{0,6}}?)"
    rf"(?:都|也)?\s*(?:应该?为|应是|应该是|为|是|等于|==|=|is|equals)\s*[:：]?\s*{VALUE}")
PRINTED = re.compile(rf"输出(?:的)?(?:结果)?\s*(?:为|是)\s*[:：]?\s*(?P<value>{LITERAL.pattern})")
GRAD_FN = re.compile(rf"(?P<var>{VAR})\s*的\s*grad_fn\s*(?:属性)?\s*(?:就是|是|为|=)\s*(?:一个)?\s*"
                     r"<?(?P<cls>[A-Z][A-Za-z0-9_]*Backward[0-9]*)")
COMMENT_ASSIGN = re.compile(rf"(?<!\.)(?P<target>{VAR}(?:\.{VAR})*\.grad)\s*(?:=|==|is|为|是)\s*{VALUE}")
SPLIT_VARS = re.compile(r"\s*(?:和|与|、|,|，|\band\b)\s*")


def _literal(text: str) -> str | None:
    match = LITERAL.search(text)
    return match.group(0) if match and parse_value(match.group(0)) is not None else None


def prose_claims(text: str, code: Code | None) -> list[Claim]:
    """Claims stated in the answer's words."""
    claims = []
    for m in GRAD_PROSE.finditer(text):
        for var in SPLIT_VARS.split(m.group("vars")):
            if var and not var.isdigit():
                claims.append(Claim(f"{var}.grad", m.group("value"), parse_value(m.group("value"))))
    printed = last_printed(code)
    for m in PRINTED.finditer(text):
        if printed:
            claims.append(Claim(printed, m.group("value"), parse_value(m.group("value"))))
    for m in GRAD_FN.finditer(text):
        claims.append(Claim(f"type({m.group('var')}.grad_fn)", m.group("cls"), m.group("cls")))
    return claims


def last_printed(code: Code | None) -> str | None:
    """The expression the program prints last (what an `输出结果为:` after it refers to)."""
    if code is None or not code.parsed:
        return None
    calls = [n for n in ast.walk(parse(code.text)) if isinstance(n, ast.Call)
             and getattr(n.func, "id", "") == "print" and len(n.args) == 1]
    return ast.unparse(calls[-1].args[0]) if calls else None


def comment_claims(code: Code | None) -> list[Claim]:
    """Claims in code comments: after `print(expr)`, or written as `# x.grad = 2`."""
    if code is None or not code.parsed:
        return []
    claims = []
    for line in code.text.splitlines():
        statement, _, comment = line.partition("#")
        if not comment or _in_string(statement):
            continue
        assigned = list(COMMENT_ASSIGN.finditer(comment))
        claims += [Claim(m.group("target"), m.group("value"), parse_value(m.group("value")))
                   for m in assigned]
        target = _printed_expr(statement.strip())
        if target and not assigned:
            grad_fn = re.search(r"[A-Z][A-Za-z0-9_]*Backward[0-9]*", comment)
            if target.endswith("grad_fn") and grad_fn:
                claims.append(Claim(f"type({target})", grad_fn.group(0), grad_fn.group(0)))
            elif quoted := _literal(comment):
                claims.append(Claim(target, quoted, parse_value(quoted)))
    return claims


def _in_string(statement: str) -> bool:
    return statement.count('"') % 2 == 1 or statement.count("'") % 2 == 1


def _printed_expr(statement: str) -> str | None:
    try:
        node = parse(statement).body[0]
    except (SyntaxError, IndexError):
        return None
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
            and getattr(node.value.func, "id", "") == "print" and len(node.value.args) == 1:
        return ast.unparse(node.value.args[0])
    return None


def extract_claims(text: str, code: Code | None) -> tuple[Claim, ...]:
    """Every distinct claim of an answer, from its prose and its code comments."""
    seen, out = set(), []
    for claim in comment_claims(code) + prose_claims(text, code):
        key = (claim.target, repr(claim.value))
        if claim.value is not None and key not in seen:
            seen.add(key)
            out.append(claim)
    return tuple(out)
