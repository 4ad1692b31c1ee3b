"""Restore the indentation of block bodies lost when code was flattened.

Python's syntax cannot tell where an un-indented body ends, so the rules are about
what code usually does: a `def` runs to its `return` or the next `def`; a class
holds its methods; an `if` runs to its `else`; a loop or `with ... as` body runs
to the last statement that uses the loop variable or a name the body assigned;
a plain `with` (such as `torch.no_grad()`) holds the assignments that follow it.
"""
from __future__ import annotations

import ast
import re

CONTINUES = {"if": ("elif", "else"), "elif": ("elif", "else"), "try": ("except", "else", "finally"),
             "except": ("except", "else", "finally")}
TERMINATORS = (ast.Return, ast.Raise, ast.Break, ast.Continue)
QUOTES_VALUE = re.compile(r"\d|=|tensor|grad_fn|Backward", re.I)


def _word(piece) -> str:
    return piece.text.split("(")[0].split(":")[0].split()[0] if piece.text.strip() else ""


def _is(piece, *words: str) -> bool:
    return piece.kind == "header" and _word(piece) in words


def _loads(piece) -> set[str]:
    return {n.id for n in ast.walk(piece.node) if isinstance(n, ast.Name)}


def _binds(piece) -> set[str]:
    """Names a statement plainly (re)binds: `a = ...`, `a, b = ...`, `for a in`, `with ... as a`."""
    node, targets = piece.node, []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.For)):
        targets = [node.target]
    elif isinstance(node, ast.With):
        targets = [item.optional_vars for item in node.items if item.optional_vars]
    return {name for t in targets for name in _target_names(t)}


def _target_names(target: ast.AST) -> set[str]:
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*map(_target_names, target.elts))
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return set()  # `a[i] = ...`, `a.b = ...` mutate, they do not bind


def _header_names(piece) -> set[str]:
    """The names a block is about: loop target, tested names, `as` names, parameters."""
    node = piece.node
    if _is(piece, "elif"):
        node = node.orelse[0]
    if isinstance(node, ast.For):
        return _binds(piece)
    if isinstance(node, (ast.If, ast.While)):
        return {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)}
    if isinstance(node, ast.With):
        return _binds(piece)
    if isinstance(node, ast.Try):
        return {h.name for h in node.handlers if h.name}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        args = node.args
        return {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    return set()


class _Layout:
    def __init__(self, stmts: list) -> None:
        self.s = stmts
        self.ends: dict[tuple[int, int], int] = {}

    def unit_end(self, u: int, j: int) -> int:
        """End of the statement at `u`, including a compound statement's body and clauses."""
        s = self.s
        if s[u].text.startswith("@"):
            return self.unit_end(u + 1, j) if u + 1 < j else u + 1
        if s[u].kind != "header":
            return u + 1
        e = self.body_end(u, j)
        opener = _word(s[u])
        while e < j and _is(s[e], *CONTINUES.get(opener, ())):
            opener = _word(s[e])
            e = self.body_end(e, j)
        return e

    def units(self, u: int, j: int):
        while u < j:
            e = self.unit_end(u, j)
            yield u, e
            u = e

    def body_end(self, k: int, j: int) -> int:
        """End (exclusive) of the body of the header at `k`, within `j` (memoised: nested and
        sequential headers ask for the same ends over and over, exponentially often)."""
        if (k, j) not in self.ends:
            self.ends[k, j] = self._body_end(k, j)
        return self.ends[k, j]

    def _body_end(self, k: int, j: int) -> int:
        head = self.s[k]
        if k + 1 >= j:
            return k + 1
        first_end = self.unit_end(k + 1, j)
        word = _word(head)
        if word == "class":
            return self._class_end(first_end, j)
        if word in ("def", "async"):
            return self._def_end(head, k + 1, first_end, j)
        if word in CONTINUES and word not in ("except",):
            stop = self._clause_ahead(first_end, j, CONTINUES[word])
            if stop is not None:
                return stop
        if word == "with" and not _header_names(head):
            return self._assignments_end(first_end, j)
        return self._evidence_end(head, k + 1, first_end, j)

    def _class_end(self, u: int, j: int) -> int:
        for start, end in self.units(u, j):
            if not (_is(self.s[start], "def", "async") or self.s[start].text.startswith("@")):
                return start
        return j

    def _def_end(self, head, first: int, u: int, j: int) -> int:
        own = {head.node.name} if hasattr(head.node, "name") else set()
        params = _header_names(head)
        local = params | _binds_in(self.s, first, u)
        if isinstance(self.s[first].node, TERMINATORS):
            return u
        for start, end in self.units(u, j):
            piece = self.s[start]
            if self._opens_sibling(piece) or _loads_in(self.s, start, end) & own:
                return start
            if "self" in params and not (_loads_in(self.s, start, end) & local):
                return start
            local |= _binds_in(self.s, start, end)
            if isinstance(piece.node, TERMINATORS):
                return end
        return j

    def _opens_sibling(self, piece) -> bool:
        return _is(piece, "def", "class", "async") or piece.text.startswith("@")

    def _clause_ahead(self, u: int, j: int, clauses: tuple[str, ...]) -> int | None:
        for start, _ in self.units(u, j):
            if _is(self.s[start], *clauses):
                return start
            if self._opens_sibling(self.s[start]):
                return None
        return None

    def _repeat_end(self, u: int, j: int) -> int:
        """`for _ in range(n):` repeats a step; the first report (`print`) comes after it."""
        for start, _ in self.units(u, j):
            node = self.s[start].node
            if self._opens_sibling(self.s[start]) or (
                    isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                    and getattr(node.value.func, "id", "") == "print"):
                return start
        return j

    def _assignments_end(self, u: int, j: int) -> int:
        for start, end in self.units(u, j):
            if not isinstance(self.s[start].node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                return start
        return j

    def _evidence_end(self, head, first: int, u: int, j: int) -> int:
        """The body runs to the last statement that uses the block's names or what it bound."""
        if isinstance(self.s[first].node, TERMINATORS):
            return u
        names = _header_names(head)
        if isinstance(head.node, ast.While):  # the test's names live on after the loop
            bound = _binds_in(self.s, first, u) - names
        elif names and not any(_loads_in(self.s, a, b) & names for a, b in self.units(first, j)):
            return self._repeat_end(u, j)
        else:
            bound = names | _binds_in(self.s, first, u)
        last = u
        for start, end in self.units(u, j):
            piece = self.s[start]
            if self._opens_sibling(piece) or _is(piece, "elif", "else", "except", "finally"):
                break
            if _loads_in(self.s, start, end) & bound:
                last = end
                bound |= _binds_in(self.s, start, end)
                if isinstance(piece.node, TERMINATORS):
                    break
        return last


def _loads_in(stmts: list, u: int, e: int) -> set[str]:
    return set().union(*(_loads(p) for p in stmts[u:e]))


def _binds_in(stmts: list, u: int, e: int) -> set[str]:
    return set().union(*(_binds(p) for p in stmts[u:e]))


def _depths(stmts: list) -> list[int]:
    layout, depths = _Layout(stmts), [0] * len(stmts)

    def assign(i: int, j: int, depth: int) -> None:
        k = i
        while k < j:
            depths[k] = depth
            if stmts[k].kind == "header" and not stmts[k].text.startswith("@"):
                end = layout.body_end(k, j)
                assign(k + 1, end, depth + 1)
                k = end
            else:
                k += 1

    assign(0, len(stmts), 0)
    return depths


def restore_blocks(pieces: list) -> str:
    """Lay out statements, headers and comments as an indented program."""
    stmts = [p for p in pieces if p.kind != "comment"]
    depths = _depths(stmts)
    lines: list[str] = []
    pending: list[str] = []
    index = -1
    for piece in pieces:
        if piece.kind == "comment":
            if index >= 0 and QUOTES_VALUE.search(piece.text) and not pending and "#" not in lines[-1]:
                lines[-1] += "  " + piece.text
            else:
                pending.append(piece.text)
            continue
        index += 1
        pad = "    " * depths[index]
        lines += [pad + c for c in pending] + [pad + piece.text]
        pending = []
    pad = "    " * (depths[index] if index >= 0 else 0)
    lines += [pad + c for c in pending]
    return "\n".join(lines) + "\n"
