"""Judge each quoted value against what torch computed: confirmed, contradicted, or unchecked (why)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.sandbox.result import RunResult
from kb.extract.literal import close, format_value
from kb.types import Claim

GRAD_FN = re.compile(r"^type\((?P<name>[A-Za-z_]\w*)\.grad_fn\)$")
GRAD = re.compile(r"^(?P<name>[A-Za-z_]\w*)\.grad$")
NAME = re.compile(r"^[A-Za-z_]\w*$")
RANDOM = re.compile(r"\btorch\.(?:rand|randn|randint|randperm|normal|bernoulli|multinomial)(?:_like)?\("
                    r"|\.(?:normal_|uniform_|random_|bernoulli_|exponential_)\(|\bdropout")
SEEDED = re.compile(r"\bmanual_seed\(")


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict, with torch's value when it differs and the reason when unchecked."""

    claim: Claim
    status: str  # "confirmed" | "contradicted" | "unchecked"
    actual: str | None = None
    why: str | None = None


def _actual(target: str, run: RunResult) -> tuple[object, str | None]:
    """The value torch produced for a claim target, or None and why not."""
    for pattern, field in ((GRAD_FN, "grad_fn"), (GRAD, "grad"), (NAME, "value")):
        match = pattern.match(target)
        if not match:
            continue
        name = match.group("name") if "name" in pattern.groupindex else target
        tensor = run.tensor(name)
        if tensor is None:
            return None, f"the snippet leaves no tensor named {name}"
        value = getattr(tensor, field)
        if value is None:
            return None, {"grad": f"{name}.grad is None after the run",
                          "grad_fn": f"{name} has no grad_fn",
                          "value": f"{name} is too large to compare"}[field]
        return value, None
    return None, f"cannot read {target} from the run"


def judge(claim: Claim, run: RunResult | None) -> Verdict:
    """Compare one claim with a run; `confirmed` only when the run produced the value."""
    if run is None:
        return Verdict(claim, "unchecked", why="no snippet was run")
    actual, why = _actual(claim.target, run)
    if actual is None:
        if not run.ok:
            why = f"the snippet failed ({run.error})"
        return Verdict(claim, "unchecked", why=why)
    if isinstance(claim.value, str):  # a grad_fn class name such as AddBackward
        same = str(actual).rstrip("0123456789") == claim.value.rstrip("0123456789")
        return Verdict(claim, "confirmed" if same else "contradicted", actual=str(actual))
    shown = format_value(actual)
    return Verdict(claim, "confirmed" if close(claim.value, actual) else "contradicted", actual=shown)


def draws_random_inputs(code: str) -> bool:
    """Whether a program's values depend on an unseeded random generator (docs examples often do)."""
    return bool(RANDOM.search(code)) and not SEEDED.search(code)


def judge_all(claims: tuple[Claim, ...], run: RunResult | None, *, random_inputs: bool = False) -> list[Verdict]:
    """Verdicts for every claim of an answer; with random inputs a mismatch is unchecked, not wrong."""
    verdicts = [judge(claim, run) for claim in claims]
    if random_inputs:
        why = "the example draws random inputs, so its printed values cannot be reproduced"
        verdicts = [Verdict(v.claim, "unchecked", v.actual, why) if v.status == "contradicted" else v
                    for v in verdicts]
    return verdicts
