"""Prove a source's answer: run its own code (repaired honestly if it fails) and the program autograd-kb writes
from the maths it states, then judge each claim by the evidence about that claim. A topic demo only illustrates."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.sandbox.result import RunResult
from bot.verify.codemath import maths_of_code
from bot.verify.compute import Computed, Value, compute_function, run_ours
from bot.verify.judge import NO_EVIDENCE, Verdict, draws_random_inputs, judge_independent, judge_source
from bot.verify.mathtext import find_definition
from bot.verify.repair import Repair, repair_loop
from bot.verify.snippet import Snippet, demo
from bot.verify.synth import grad_fn_program
from kb.types import Chunk, Claim

GRAD_FN_CLAIM = re.compile(r"^type\(([a-df-z])\.grad_fn\)$")


@dataclass(frozen=True)
class Check:
    """What running an answer's programs showed: the snippet shown (the source's code, else the program for its
    maths, else a demo), its run and labelled repair, the program for the stated maths, and the verdicts."""

    snippet: Snippet
    run: RunResult
    repaired: Repair | None
    repaired_run: RunResult | None
    verdicts: tuple[Verdict, ...]
    maths: Computed | None = None  # the independent program for the maths the source states

    @property
    def diff(self) -> str | None:
        """The repair as a unified diff, if the snippet was repaired."""
        return self.repaired.diff(self.snippet.code) if self.repaired else None


def judge_claims(claims: tuple[Claim, ...], *, source: RunResult | None, random_inputs: bool = False,
                 maths: tuple[Computed, ...] = (), repair: Repair | None = None) -> tuple[Verdict, ...]:
    """Each claim by the strongest evidence about it: a program for the stated maths when it computes the
    claim's target, else the source's own code; with neither, unchecked."""
    values = {v.target: v for program in maths for v in program.values}
    verdicts = []
    for claim in claims:
        own = judge_source(claim, source, random_inputs=random_inputs) if source else None
        if claim.target in values:
            verdicts.append(judge_independent(claim, values[claim.target], own, repair=repair.rule if repair else None))
        else:
            verdicts.append(own or Verdict(claim, "unchecked", why=NO_EVIDENCE))
    return tuple(verdicts)


def check_snippet(snippet: Snippet, claims: tuple[Claim, ...], sandbox, *, context: str = "",
                  maths: tuple[Computed, ...] = ()) -> Check:
    """Run the source's snippet, repair it if a general rule applies, and judge the claims."""
    run = sandbox.run(snippet.code)
    repaired, repaired_run = (None, None) if run.ok else repair_loop(snippet.code, run, context, sandbox)
    random_inputs = draws_random_inputs(repaired.code if repaired else snippet.code)
    verdicts = judge_claims(claims, source=repaired_run or run, random_inputs=random_inputs, maths=maths,
                            repair=repaired)
    return Check(snippet, run, repaired, repaired_run, verdicts, *maths[:1])


def stated_maths(chunk: Chunk, sandbox) -> Computed | None:
    """The program for the maths a chunk states: in its words first, else in its code's plain assignments."""
    for text in (chunk.text, chunk.question, maths_of_code(chunk.code.text) if chunk.code else None):
        found = compute_function(text, sandbox, origin="source-function") if text else None
        if found is not None:
            return found
    return None


def grad_fn_maths(chunk: Chunk, sandbox) -> Computed | None:
    """For the chunk's grad_fn claims about tensors it defines in words (`c=a+b`), the node torch records when
    a program autograd-kb writes builds them from that definition."""
    names = [m.group(1) for c in chunk.claims if (m := GRAD_FN_CLAIM.match(c.target))]
    definitions = {n: d for n in dict.fromkeys(names) if (d := find_definition(chunk.text, n)) is not None}
    if not definitions:
        return None
    code = grad_fn_program(definitions)
    run = run_ours(code, sandbox)
    values = tuple(Value(f"{n}.grad_fn", f"{n} = {d}", run.read(f"type({n}.grad_fn)")[0], target=f"type({n}.grad_fn)")
                   for n, d in definitions.items())
    return Computed("source-function", code, run, values)


def check_chunk(chunk: Chunk, sandbox) -> Check | None:
    """Check one chunk's claims: by its own code and by a program for the maths it states; a chunk with neither
    shows a demo of its topic, which judges nothing."""
    maths = tuple(m for m in (stated_maths(chunk, sandbox), grad_fn_maths(chunk, sandbox)) if m is not None)
    if chunk.code and chunk.code.parsed:
        context = chunk.code.context or chunk.text
        return check_snippet(Snippet(chunk.code.text, "kb"), chunk.claims, sandbox, context=context, maths=maths)
    if maths:
        note = ", ".join(f"{v.name} at {v.at}" for v in maths[0].values)
        verdicts = judge_claims(chunk.claims, source=None, maths=maths)
        return Check(Snippet(maths[0].code, "synthesized", note), maths[0].run, None, None, verdicts, maths[0])
    shown = demo(chunk.tags)
    if shown is None:
        return None
    return Check(shown, sandbox.run(shown.code), None, None, judge_claims(chunk.claims, source=None))
