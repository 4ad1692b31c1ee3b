"""Prove a source's answer: run its own code (repaired honestly if it fails) and the program autograd-kb writes
from the maths it states, then judge each claim by the evidence about that claim. A topic demo only illustrates."""
from __future__ import annotations

from dataclasses import dataclass

from bot.sandbox.result import RunResult
from bot.verify.codemath import maths_of_code
from bot.verify.compute import Computed, compute_function
from bot.verify.judge import NO_EVIDENCE, Verdict, draws_random_inputs, judge_independent, judge_source
from bot.verify.repair import Repair, repair_loop
from bot.verify.snippet import Snippet, demo
from kb.types import Chunk, Claim


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
                 maths: Computed | None = None, repair: Repair | None = None) -> tuple[Verdict, ...]:
    """Each claim by the strongest evidence about it: the program for the stated maths when it computes the
    claim's target, else the source's own code; with neither, unchecked."""
    values = {v.target: v for v in maths.values} if maths else {}
    verdicts = []
    for claim in claims:
        own = judge_source(claim, source, random_inputs=random_inputs) if source else None
        if claim.target in values:
            verdicts.append(judge_independent(claim, values[claim.target], own, repair=repair.rule if repair else None))
        else:
            verdicts.append(own or Verdict(claim, "unchecked", why=NO_EVIDENCE))
    return tuple(verdicts)


def check_snippet(snippet: Snippet, claims: tuple[Claim, ...], sandbox, *, context: str = "",
                  maths: Computed | None = None) -> Check:
    """Run the source's snippet, repair it if a general rule applies, and judge the claims."""
    run = sandbox.run(snippet.code)
    repaired, repaired_run = (None, None) if run.ok else repair_loop(snippet.code, run, context, sandbox)
    random_inputs = draws_random_inputs(repaired.code if repaired else snippet.code)
    verdicts = judge_claims(claims, source=repaired_run or run, random_inputs=random_inputs, maths=maths,
                            repair=repaired)
    return Check(snippet, run, repaired, repaired_run, verdicts, maths)


def stated_maths(chunk: Chunk, sandbox) -> Computed | None:
    """The program for the maths a chunk states: in its words first, else in its code's plain assignments."""
    for text in (chunk.text, chunk.question, maths_of_code(chunk.code.text) if chunk.code else None):
        found = compute_function(text, sandbox, origin="source-function") if text else None
        if found is not None:
            return found
    return None


def check_chunk(chunk: Chunk, sandbox) -> Check | None:
    """Check one chunk's claims: by its own code and by a program for the maths it states; a chunk with neither
    shows a demo of its topic, which judges nothing."""
    maths = stated_maths(chunk, sandbox)
    if chunk.code and chunk.code.parsed:
        context = chunk.code.context or chunk.text
        return check_snippet(Snippet(chunk.code.text, "kb"), chunk.claims, sandbox, context=context, maths=maths)
    if maths is not None:
        note = ", ".join(f"{v.name} at {v.at}" for v in maths.values)
        verdicts = judge_claims(chunk.claims, source=None, maths=maths)
        return Check(Snippet(maths.code, "synthesized", note), maths.run, None, None, verdicts, maths)
    shown = demo(chunk.tags)
    if shown is None:
        return None
    return Check(shown, sandbox.run(shown.code), None, None, judge_claims(chunk.claims, source=None))
