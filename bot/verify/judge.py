"""Judge each quoted value against what torch computed: confirmed, contradicted, or unchecked (why)."""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, replace

from bot.sandbox.result import RunResult
from bot.verify.compute import Value
from kb.extract.literal import close, format_value
from kb.types import Claim

RANDOM = re.compile(r"\btorch\.(?:rand|randn|randint|randperm|normal|bernoulli|multinomial)(?:_like)?\("
                    r"|\.(?:normal_|uniform_|random_|bernoulli_|exponential_)\(|\bdropout")
SEEDED = re.compile(r"\bmanual_seed\(")


NO_EVIDENCE = "no code for this claim"
DIGITS = "0123456789"


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict, with torch's value when it differs, the reason when unchecked, what it rests on and
    whose number it is."""

    claim: Claim
    status: str  # "confirmed" | "contradicted" | "unchecked"
    actual: str | None = None
    why: str | None = None
    evidence: str | None = None  # "independent" (a program from the stated maths, sympy agreeing) | "source-code";
    # None when unchecked: nothing established it
    about: str = "source"  # "source": the source's own example; "question": the numbers the question asks about
    at: str | None = None  # the point of the independent program: "x=2"


def same_value(quoted: object, actual: object) -> bool:
    """Whether torch's value is the one quoted: a grad_fn class by name (AddBackward0 is the AddBackward a page
    names), numbers within tolerance."""
    if isinstance(quoted, str) or isinstance(actual, str):
        return isinstance(quoted, str) and str(actual).rstrip(DIGITS) == quoted.rstrip(DIGITS)
    return close(quoted, actual)


def shown_value(actual: object) -> str:
    """Torch's value as the verdict shows it: a class name as is, numbers as torch prints them."""
    return actual if isinstance(actual, str) else format_value(actual)


def judge(claim: Claim, run: RunResult | None) -> Verdict:
    """Compare one claim with a run; `confirmed` only when the run produced the value."""
    if run is None:
        return Verdict(claim, "unchecked", why="no snippet was run")
    actual, why = run.read(claim.target)
    if actual is None:
        if not run.ok:
            why = f"the snippet failed ({run.error})"
        return Verdict(claim, "unchecked", why=why)
    same = same_value(claim.value, actual)
    return Verdict(claim, "confirmed" if same else "contradicted", actual=shown_value(actual))


def code_tokens(code: str) -> str:
    """The program's code without its comments and string literals (a comment saying `torch.rand(` draws
    nothing), tokens joined tightly; empty when it does not tokenize, as it would not run either."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline)
                  if t.type not in (tokenize.COMMENT, tokenize.STRING)]
    except (tokenize.TokenError, SyntaxError):
        return ""
    words, out, previous = (tokenize.NAME, tokenize.NUMBER), [], None
    for token in tokens:
        if previous is not None and previous.type in words and token.type in words:
            out.append(" ")  # `import torch`, not `importtorch`
        out.append(token.string)
        previous = token
    return "".join(out)


def draws_random_inputs(code: str) -> bool:
    """Whether a program's values depend on an unseeded random generator (docs examples often do)."""
    code = code_tokens(code)
    return bool(RANDOM.search(code)) and not SEEDED.search(code)


def judge_source(claim: Claim, run: RunResult, *, random_inputs: bool = False) -> Verdict:
    """A claim against what the source's own code did; with random inputs a mismatch is unchecked, not wrong."""
    verdict = judge(claim, run)
    if random_inputs and verdict.status == "contradicted":
        why = "the example draws random inputs, so its printed values cannot be reproduced"
        return replace(verdict, status="unchecked", why=why)
    return verdict if verdict.status == "unchecked" else replace(verdict, evidence="source-code")


def judge_independent(claim: Claim, value: Value, source: Verdict | None, *, repair: str | None = None) -> Verdict:
    """A claim against the value of the program written from the maths the source states. It wins over the
    source's code, whose different result is named."""
    if value.torch is None or value.agree is False:
        why = f"torch and sympy disagree on {value.name} at {value.at}" if value.torch is not None else \
            f"the program for {value.name} at {value.at} gave no value"
        return source or Verdict(claim, "unchecked", why=why)
    same = same_value(claim.value, value.torch)
    verdict = Verdict(claim, "confirmed" if same else "contradicted", shown_value(value.torch),
                      evidence="independent", at=value.at)
    if source is not None and source.actual is not None and source.actual != verdict.actual:
        code = f"the page's code, repaired ({repair}), gives" if repair else "the page's code gives"
        return replace(verdict, why=f"{code} {source.actual}, which disagrees with the maths")
    return verdict
