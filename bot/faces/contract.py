"""The `ask --json` contract (docs/ARCHITECTURE.md): an Answer and its runs as JSON-ready dicts."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the contract needs no heavy import of its own
    from bot.answer.bot import Answer
    from bot.answer.retrieve import Hit
    from bot.sandbox.result import RunResult
    from bot.verify.check import Check
    from bot.verify.compute import Computed
    from bot.verify.judge import Verdict


def json_safe(value):
    """NaN and infinities as strings, so the output stays strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    return value


def hit_json(hit: Hit) -> dict:
    """One retrieved entry with its citation."""
    chunk = hit.chunk
    return {"id": chunk.id, "source": chunk.file, "section": chunk.section,
            "sources": [s.cite() for s in chunk.citations], "origin": chunk.origin, "question": chunk.question,
            "text": chunk.text, "topic": chunk.topic, "score": round(hit.score, 6)}


def run_json(run: RunResult) -> dict:
    """A sandbox run: ok, output, error, gradients, time."""
    return {"ok": run.ok, "stdout": run.stdout, "error": run.error, "error_line": run.error_line,
            "grads": json_safe(run.grads), "elapsed_ms": round(run.elapsed_ms, 3)}


def snippet_json(check: Check) -> dict:
    """The snippet, its run, and the labelled repair if one was needed."""
    out = {"code": check.snippet.code, "origin": check.snippet.origin, "note": check.snippet.note,
           **run_json(check.run), "repaired": None,
           "independent": computed_json(check.maths) if check.maths else None}
    if check.repaired:
        out["repaired"] = {"code": check.repaired.code, "rule": check.repaired.rule, "diff": check.diff,
                           **run_json(check.repaired_run)}
    return out


def claim_json(verdict: Verdict) -> dict:
    """One claim's verdict: whose number it is (`about`) and what it rests on (`evidence`)."""
    return {"target": verdict.claim.target, "quoted": verdict.claim.quoted, "actual": verdict.actual,
            "verdict": verdict.status, "why": verdict.why, "about": verdict.about, "evidence": verdict.evidence,
            "at": verdict.at}


def computed_json(computed: Computed) -> dict:
    """The question's own numbers: the program run, its outcome and each value with sympy's beside it."""
    run = computed.run
    values = [{"name": v.name, "at": v.at, "torch": json_safe(v.torch), "sympy": json_safe(v.sympy), "agree": v.agree}
              for v in computed.values]
    return {"origin": computed.origin, "code": computed.code, "ok": run.ok, "stdout": run.stdout,
            "error": run.error, "repaired": computed.repair, "values": values}


def answer_json(answer: Answer) -> dict:
    """The `ask --json` object; an abstaining answer lists its closest entries apart from `hits`."""
    hits = [hit_json(h) for h in answer.hits]
    check = answer.check
    return {"query": answer.query, "abstained": answer.abstained,
            "computed": computed_json(answer.computed) if answer.computed else None,
            "hits": [] if answer.abstained else hits, "closest": hits if answer.abstained else [],
            "snippet": snippet_json(check) if check else None,
            "claims": [claim_json(v) for v in check.verdicts] if check else [],
            "timings_ms": {k: round(v, 3) for k, v in answer.timings_ms.items()},
            "unknown_names": list(answer.unknown_names),
            "elsewhere": hit_json(answer.elsewhere) if answer.elsewhere else None}
