"""General repair rules for snippets that fail as printed. Each rule is small, named and tested.

A repair never replaces the original: the caller runs both, shows the diff, and labels
the repaired run as such.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox.result import RunResult
from kb.extract.code import parses

MAX_REPAIRS = 3
NON_SCALAR = "grad can be implicitly created only for scalar outputs"
TENSOR_CALL = re.compile(r"(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<call>torch\.tensor\()")


@dataclass(frozen=True)
class Repair:
    """A repaired program and the rule that produced it."""

    code: str
    rule: str

    def diff(self, original: str) -> str:
        """Unified diff from the original program to this one."""
        return "".join(difflib.unified_diff(original.splitlines(True), self.code.splitlines(True),
                                            "as printed", "repaired"))


def _line(code: str, number: int | None) -> str | None:
    lines = code.splitlines()
    return lines[number - 1] if number and 0 < number <= len(lines) else None


def _replace_line(code: str, number: int, new: str) -> str:
    lines = code.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def missing_import(code: str, run: RunResult, context: str) -> Repair | None:
    """`torch`/`nn`/`F` used but never imported: add the usual import."""
    imports = {"torch": "import torch", "nn": "import torch.nn as nn",
               "F": "import torch.nn.functional as F", "np": "import numpy as np"}
    match = re.match(r"NameError: name '(\w+)' is not defined", run.error or "")
    if not match or match.group(1) not in imports:
        return None
    header = "import torch\n" if match.group(1) != "torch" and "import torch\n" not in code else ""
    return Repair(header + imports[match.group(1)] + "\n" + code, f"add the missing `{imports[match.group(1)]}`")


def non_scalar_backward(code: str, run: RunResult, context: str) -> Repair | None:
    """`y.backward()` on a non-scalar `y`: pass `gradient=torch.ones_like(y)`, which sums the outputs."""
    line = _line(code, run.error_line)
    if NON_SCALAR not in (run.error or "") or line is None:
        return None
    new = re.sub(r"(\b[\w.\[\]]+)\.backward\(\s*\)", r"\1.backward(torch.ones_like(\1))", line)
    if new == line:
        new = re.sub(r"torch\.autograd\.grad\((?P<out>[^,()]+),(?P<rest>[^)]*)\)",
                     r"torch.autograd.grad(\g<out>,\g<rest>, grad_outputs=torch.ones_like(\g<out>))", line)
    if new == line:
        return None
    return Repair(_replace_line(code, run.error_line, new), "pass ones as the gradient of a non-scalar output")


def malformed_tensor(code: str, run: RunResult, context: str) -> Repair | None:
    """`x = torch.tensor(...)` that fails, where the answer's text shows `x = torch.tensor(...)` that works."""
    line = _line(code, run.error_line)
    match = TENSOR_CALL.search(line or "")
    if match is None or not (run.error or "").startswith(("TypeError", "ValueError", "RuntimeError")):
        return None
    for candidate in TENSOR_CALL.finditer(context):
        if candidate.group("name") != match.group("name"):
            continue
        call = _balanced_call(context, candidate.start("call"))
        if call and call not in line and parses(call):
            new = line[: match.start("call")] + call
            return Repair(_replace_line(code, run.error_line, new),
                          f"use the `{match.group('name')} = {call}` the answer's text shows")
    return None


def _balanced_call(text: str, start: int) -> str | None:
    depth = 0
    for i in range(start, min(len(text), start + 2000)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if text[i] == ")" and depth == 0:
            return text[start : i + 1]
    return None


RULES: list[Callable[[str, RunResult, str], Repair | None]] = [
    missing_import, non_scalar_backward, malformed_tensor]


def find_repair(code: str, run: RunResult, context: str = "") -> Repair | None:
    """The first rule that applies to this failure, given the answer text as context."""
    for rule in RULES:
        repair = rule(code, run, context)
        if repair is not None:
            return repair
    return None


def repair_loop(code: str, run: RunResult, context: str, sandbox) -> tuple[Repair | None, RunResult | None]:
    """Apply repair rules one after another while the program keeps failing in a new way."""
    repair, current, rules = None, run, []
    for _ in range(MAX_REPAIRS):
        if current.ok:
            break
        step = find_repair(repair.code if repair else code, current, context)
        if step is None:
            break
        rules.append(step.rule)
        repair = Repair(step.code, "; ".join(rules))
        current = sandbox.run(repair.code)
    return (repair, current) if repair else (None, None)
