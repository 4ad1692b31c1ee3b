"""Words every face shares: whose number a verdict is about, what it rests on, and what to read twice."""
from __future__ import annotations

import tomllib
from pathlib import Path

from bot.verify.judge import Verdict
from bot.verify.snippet import long_lines
from kb.text import HAN

PHRASES = tomllib.loads(Path(__file__).with_name("phrases.toml").read_text(encoding="utf-8"))
NOT_COVERED = PHRASES["en"]["not_covered"]
NOT_COVERED_COMPUTED = PHRASES["en"]["not_covered_computed"]
EXAMPLE = {"pages": "the page's example", "torch-docs": "the docs' example"}
EVIDENCE = {"independent": "independent: a program written from the stated maths",
            "source-code": "by the source's own code"}


BUSY = "⚠️ Busy:"


def phrases(question: str) -> dict[str, str]:
    """The fixed words in the question's language: Chinese if it has a Chinese character, else English."""
    return PHRASES["zh" if HAN.search(question or "") else "en"]


def not_covered(answer, *, quote=str) -> str:
    """Why no entry answers: `The knowledge base does not cover this question. No entry mentions lr_scheduler.`
    in the question's language (`quote` shows the names, which come from the question, safely)."""
    words = phrases(answer.query)
    text = words["not_covered_computed" if answer.computed else "not_covered"]
    names = quote(", ".join(answer.unknown_names))
    return f"{text} {words['no_entry_mentions'].format(names=names)}" if names else text


def is_decline(text: str) -> bool:
    """Whether a shown reply is a decline with its closest entries, in any language."""
    return any((p["not_covered"] in text or p["not_covered_computed"] in text) and p["closest"] in text
               for p in PHRASES.values())


def busy(reason: str, retry_after: int) -> str:
    """`⚠️ Busy: <reason>. Try again in 5 s.`"""
    return f"{BUSY} {reason}. Try again in {retry_after} s."


def long_line_notes(code: str) -> list[str]:
    """`line 4 is 233 characters long: read it to the end` for each overlong line of a shown program."""
    return [f"line {n} is {length} characters long: read it to the end" for n, length in long_lines(code)]


def evidence_label(verdict: Verdict, origin: str) -> str:
    """`the page's example (x=2), independent: ...`, `your numbers (x=3), ...`, `the docs' example, by the
    source's own code`; empty when nothing was run for the claim."""
    if verdict.evidence is None:
        return ""
    whose = "your numbers" if verdict.about == "question" else EXAMPLE.get(origin, "the source's example")
    where = f" ({verdict.at})" if verdict.at else ""
    numbers = verdict.evidence == "independent" and not isinstance(verdict.claim.value, str)  # not a grad_fn
    return f"{whose}{where}, {EVIDENCE[verdict.evidence]}" + (", sympy agreeing" if numbers else "")
