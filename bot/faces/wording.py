"""Words every face shares: whose number a verdict is about, what it rests on, and what to read twice."""
from __future__ import annotations

import tomllib
from pathlib import Path

from bot.verify.judge import Verdict
from bot.verify.snippet import long_lines
from kb.text import HAN

PHRASES = tomllib.loads(Path(__file__).with_name("phrases.toml").read_text(encoding="utf-8"))
ENGLISH = PHRASES["en"]
EXAMPLE = {"pages": "pages_example", "torch-docs": "docs_example"}  # keys of PHRASES
EVIDENCE = {"independent": "independent", "source-code": "source_code"}


BUSY = "⚠️ Busy:"


def phrases(question: str) -> dict[str, str]:
    """The fixed words in the question's language: Chinese if it has a Chinese character, else English."""
    return PHRASES["zh" if HAN.search(question or "") else "en"]


def not_covered(answer, *, quote=str) -> str:
    """Why no entry answers: `The knowledge base does not cover this question. No entry mentions lr_scheduler.`
    in the question's language, and, when one source was asked, the entry another source has (`quote` shows the
    names, which come from the question, and the entry's question safely)."""
    words = phrases(answer.query)
    text = words["not_covered_computed" if answer.computed else "not_in_source" if answer.elsewhere else "not_covered"]
    names = quote(", ".join(answer.unknown_names))
    if names:
        text += " " + words["no_entry_mentions"].format(names=names)
    if answer.elsewhere:
        chunk = answer.elsewhere.chunk
        source = words["source_" + chunk.origin.replace("-", "_")]
        text += " " + words["elsewhere"].format(source=source, question=quote(chunk.question))
    return text


def is_in_progress(text: str) -> bool:
    """Whether a shown reply still says that work is going on, in any language."""
    return any(p[stage] in text for p in PHRASES.values() for stage in ("retrieving", "running", "checking"))


def is_decline(text: str) -> bool:
    """Whether a shown reply is a decline with its closest entries, in any language."""
    return any(any(p[key] in text for key in ("not_covered", "not_covered_computed", "not_in_source"))
               and p["closest"] in text for p in PHRASES.values())


def busy(reason: str, retry_after: int) -> str:
    """`⚠️ Busy: <reason>. Try again in 5 s.`"""
    return f"{BUSY} {reason}. Try again in {retry_after} s."


def long_line_notes(code: str, words: dict[str, str] = ENGLISH) -> list[str]:
    """`line 4 is 233 characters long: read it to the end` for each overlong line of a shown program."""
    return [words["long_line"].format(line=n, length=length) for n, length in long_lines(code)]


def evidence_label(verdict: Verdict, origin: str, words: dict[str, str] = ENGLISH) -> str:
    """`the page's example (x=2), independent: ...`, `your numbers (x=3), ...`, `the docs' example, by the
    source's own code`, in the language of `words`; empty when nothing was run for the claim."""
    if verdict.evidence is None:
        return ""
    whose = words["your_numbers" if verdict.about == "question" else EXAMPLE.get(origin, "source_example")]
    where = f" ({verdict.at})" if verdict.at else ""
    numbers = verdict.evidence == "independent" and not isinstance(verdict.claim.value, str)  # not a grad_fn
    return f"{whose}{where}, {words[EVIDENCE[verdict.evidence]]}" + (f", {words['sympy_agreeing']}" if numbers else "")
