"""Run an answer's snippet in the sandbox, repair it honestly if it fails, and judge its claims."""
from __future__ import annotations

from dataclasses import dataclass

from bot.sandbox.result import RunResult
from bot.verify.judge import Verdict, draws_random_inputs, judge_all
from bot.verify.repair import Repair, find_repair
from bot.verify.snippet import Snippet, choose_snippet
from kb.types import Chunk, Claim

MAX_REPAIRS = 3


@dataclass(frozen=True)
class Check:
    """What running an answer's snippet showed."""

    snippet: Snippet
    run: RunResult
    repaired: Repair | None
    repaired_run: RunResult | None
    verdicts: tuple[Verdict, ...]

    @property
    def diff(self) -> str | None:
        """The repair as a unified diff, if the snippet was repaired."""
        return self.repaired.diff(self.snippet.code) if self.repaired else None


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


def check_snippet(snippet: Snippet, claims: tuple[Claim, ...], sandbox, *, context: str = "") -> Check:
    """Run a snippet, repair it if a general rule applies, and judge the claims."""
    run = sandbox.run(snippet.code)
    repaired, repaired_run = (None, None) if run.ok else repair_loop(snippet.code, run, context, sandbox)
    verdicts = judge_all(claims + snippet.claims, repaired_run or run,
                         random_inputs=draws_random_inputs(repaired.code if repaired else snippet.code))
    return Check(snippet, run, repaired, repaired_run, tuple(verdicts))


def check_chunk(chunk: Chunk, sandbox) -> Check | None:
    """Check one chunk's answer: its own code, else a program for the maths it states, else a topic demo."""
    snippet = choose_snippet(chunk)
    if snippet is None:
        return None
    context = chunk.code.context if chunk.code and chunk.code.context else chunk.text
    return check_snippet(snippet, chunk.claims, sandbox, context=context)
