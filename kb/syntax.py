"""Python's parser, one thread at a time. CPython 3.11 keeps the AST constructor's recursion depth in
interpreter-wide state: when a garbage collector's finalizer lets another thread parse while one tree is
being built, either may fail with SystemError "AST constructor recursion depth mismatch" (python/cpython#106905;
once in 1,200 web-chat requests under load). Every parse the answering path makes goes through this lock."""
from __future__ import annotations

import ast
import threading

PARSER = threading.RLock()  # held around ast.parse, and around a library call that parses (sympy's parse_expr)


def parse(source: str, *, mode: str = "exec") -> ast.AST:
    """`ast.parse(source, mode=mode)` under the parser lock."""
    with PARSER:
        return ast.parse(source, mode=mode)


def literal_eval(source: str):
    """`ast.literal_eval` of a string under the parser lock (it parses first)."""
    with PARSER:
        return ast.literal_eval(source)
