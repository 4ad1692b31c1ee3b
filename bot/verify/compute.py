"""The question's own numbers, computed first: the function and point it states (a program autograd-kb writes,
cross-checked with sympy), or the code it contains (run as given, every gradient reported)."""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from bot.sandbox.result import Nested, RunResult
from bot.verify.repair import repair_loop
from kb.extract.code import CODE_START, find_code, reflow
from kb.extract.literal import close

YOUR_CODE = "your code"
MAX_RUNS = 512  # remembered runs of autograd-kb's own programs
RUNS: OrderedDict[str, RunResult] = OrderedDict()
STATEMENT_END = re.compile(r"[;)\]]")
ENDS_TRIED = 4  # the last statement ends before the prose: each try reflows the whole span


@dataclass(frozen=True)
class Value:
    """One computed value: what it is, where, torch's value, sympy's (for stated maths) and whether they agree."""

    name: str
    at: str
    torch: Nested
    sympy: float | list | None = None
    agree: bool | None = None
    target: str = ""  # where the program left it: a claim target (`x.grad`, `jacobian`)

    def describe(self) -> str:
        """`dz/dx = 5 at x=4, y=5 (torch; sympy agrees)`, `x.grad = [3, 3] (your code, run here)`."""
        if self.torch is None:
            return f"{self.name} at {self.at}: torch gave no value (sympy: {shown(self.sympy)})"
        if self.at == YOUR_CODE:
            return f"{self.name} = {shown(self.torch)} ({YOUR_CODE}, run here)"
        check = "sympy agrees" if self.agree else f"sympy says {shown(self.sympy)}: they disagree"
        return f"{self.name} = {shown(self.torch)} at {self.at} (torch; {check})"


@dataclass(frozen=True)
class Computed:
    """What a program for stated maths (the question's or a source's), or the question's own code, gave."""

    origin: str  # "question-function" | "question-code" | "source-function" (the maths a source states)
    code: str  # as it ran: the question's code after any labelled repair
    run: RunResult
    values: tuple[Value, ...]
    repair: str | None = None  # the rule that made the question's code run (a missing `import torch`, ...)


def shown(value: Nested) -> str:
    """A number or nested list as people write it: 5, 3.151643664, [[12, 0], [0, 27]]."""
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    return f"{value:.10g}" if isinstance(value, float) else str(value)


def question_code(question: str) -> str | None:
    """The torch program a question contains (fenced, as lines, or run into the prose), if any; code followed
    by English prose (`...; y.backward(); what is x.grad?`) ends at its last statement that parses."""
    code = find_code("", question)
    if code and code.parsed and "torch" in code.text:
        return code.text
    start = CODE_START.search(question)
    ends = sorted({m.end() for m in STATEMENT_END.finditer(question)}, reverse=True)[:ENDS_TRIED] if start else []
    for end in ends:
        program = reflow(question[start.start():end])
        if program and "torch" in program and len(program.strip().splitlines()) >= 2:
            return program
    return None


def compute_question(question: str, sandbox) -> Computed | None:
    """Run the question's code, else the program for its stated function and point; None when it has neither."""
    code = question_code(question)
    if code is not None:
        run = sandbox.run(code)
        repair, repaired_run = (None, None) if run.ok else repair_loop(code, run, question, sandbox)
        if repair is not None:
            code, run = repair.code, repaired_run
        values = tuple(Value(f"{t.name}.grad", YOUR_CODE, t.grad) for t in run.tensors if t.grad is not None)
        return Computed("question-code", code, run, values, repair.rule if repair else None)
    return compute_function(question, sandbox, origin="question-function")


def run_ours(code: str, sandbox) -> RunResult:
    """Run a program autograd-kb wrote from stated maths; it is deterministic (float64 arithmetic), so a
    successful run is remembered by its code (a page's code, hostile and maybe random, never is)."""
    if code in RUNS:
        RUNS.move_to_end(code)
        return RUNS[code]
    run = sandbox.run(code)
    if run.ok:
        RUNS[code] = run
        if len(RUNS) > MAX_RUNS:
            RUNS.popitem(last=False)
    return run


def compute_function(text: str, sandbox, *, origin: str) -> Computed | None:
    """Run the program autograd-kb writes for the function and point `text` states, each value beside sympy's;
    None when the text states none."""
    from bot.verify.synth import synthesize

    found = synthesize(text)
    if found is None:
        return None
    run = run_ours(found.code, sandbox)
    values = []
    for d in found.derivatives:
        value = run.read(d.target)[0]
        agree = None if value is None else close(d.sympy, value)
        values.append(Value(d.name, d.at, value, d.sympy, agree, d.target))
    return Computed(origin, found.code, run, tuple(values))
