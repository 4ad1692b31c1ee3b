"""Answers as DESIGN's JSON object and as terminal text."""
from __future__ import annotations

import math

import click

from bot.verify.judge import Verdict

MARKS = {"confirmed": ("✔", "green"), "contradicted": ("✘", "red"), "unchecked": ("?", "yellow")}


def json_safe(value):
    """NaN and infinities as strings, so the output stays strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    return value


def hit_json(hit) -> dict:
    """One retrieved entry with its citation."""
    chunk = hit.chunk
    return {"id": chunk.id, "source": chunk.source, "section": chunk.section,
            "sources": [s.cite() for s in chunk.sources], "origin": chunk.origin, "question": chunk.question,
            "text": chunk.text, "topic": chunk.topic, "score": round(hit.score, 6)}


def run_json(run) -> dict:
    """A sandbox run: ok, output, error, gradients, time."""
    return {"ok": run.ok, "stdout": run.stdout, "error": run.error, "error_line": run.error_line,
            "grads": json_safe(run.grads), "elapsed_ms": round(run.elapsed_ms, 3)}


def snippet_json(check) -> dict:
    """The snippet, its run, and the labelled repair if one was needed."""
    out = {"code": check.snippet.code, "origin": check.snippet.origin, "note": check.snippet.note,
           **run_json(check.run), "repaired": None}
    if check.repaired:
        out["repaired"] = {"code": check.repaired.code, "rule": check.repaired.rule, "diff": check.diff,
                           **run_json(check.repaired_run)}
    return out


def claim_json(verdict: Verdict) -> dict:
    """One claim's verdict."""
    return {"target": verdict.claim.target, "quoted": verdict.claim.quoted, "actual": verdict.actual,
            "verdict": verdict.status, "why": verdict.why}


def answer_json(answer) -> dict:
    """The `ask --json` object; an abstaining answer lists its closest entries apart from `hits`."""
    hits = [hit_json(h) for h in answer.hits]
    check = answer.check
    return {"query": answer.query, "abstained": answer.abstained,
            "hits": [] if answer.abstained else hits, "closest": hits if answer.abstained else [],
            "snippet": snippet_json(check) if check else None,
            "claims": [claim_json(v) for v in check.verdicts] if check else [],
            "timings_ms": {k: round(v, 3) for k, v in answer.timings_ms.items()}}


def verdict_line(verdict: Verdict) -> str:
    """`✔ x.grad = tensor([7.]) confirmed`, `✘ y.grad quoted [5.], torch gives tensor([6.])`, `? ... unchecked: why`."""
    mark, colour = MARKS[verdict.status]
    claim = verdict.claim
    if verdict.status == "confirmed":
        text = f"{claim.target} = {claim.quoted} confirmed"
    elif verdict.status == "contradicted":
        text = f"{claim.target} quoted {claim.quoted}, torch gives {verdict.actual}"
    else:
        text = f"{claim.target} = {claim.quoted} unchecked: {verdict.why}"
    return click.style(mark, fg=colour, bold=True) + " " + text


def highlight(code: str, *, colour: bool) -> str:
    """Python code with terminal colours when wanted and pygments is there."""
    if not colour:
        return code
    try:
        from pygments import highlight as pyg_highlight
        from pygments.formatters import TerminalFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        return code
    return pyg_highlight(code, PythonLexer(), TerminalFormatter())


def error_text(run) -> str:
    """`error (line 3): RuntimeError: ...` for a failed run, in red."""
    where = f" (line {run.error_line})" if run.error_line else ""
    return click.style(f"error{where}: {run.error}", fg="red")


def _run_lines(run) -> list[str]:
    lines = [f"output:\n{run.stdout.rstrip()}"] if run.stdout.strip() else []
    return lines + ([error_text(run)] if run.error else [])


def answer_text(answer, *, colour: bool = False) -> str:
    """The answer as it reads in a terminal."""
    rule = lambda title: click.style(f"── {title} ", bold=True) + "─" * max(0, 50 - len(title))  # noqa: E731
    if answer.abstained:
        lines = [click.style("The knowledge base does not cover this question.", fg="yellow", bold=True)]
        lines += ["Closest entries (not an answer):"] + [f"  - {h.chunk.question} ({h.chunk.source})"
                                                          for h in answer.hits]
        return "\n".join(lines)
    best, check = answer.hits[0].chunk, answer.check
    lines = [rule(best.question), best.text,
             click.style("sources: " + "; ".join(s.cite() for s in best.sources), dim=True)]
    if check:
        lines += [rule(f"snippet ({check.snippet.origin}) {check.snippet.note}".strip()),
                  highlight(check.snippet.code, colour=colour).rstrip()] + _run_lines(check.run)
        if check.repaired:
            lines += [rule(f"repaired: {check.repaired.rule}"), check.diff.rstrip()]
            lines += _run_lines(check.repaired_run)
        if check.verdicts:
            lines += [rule("claims")] + [verdict_line(v) for v in check.verdicts]
    if len(answer.hits) > 1:
        lines += [rule("related")] + [f"  - {h.chunk.question} ({h.chunk.source})" for h in answer.hits[1:]]
    timings = ", ".join(f"{k} {v:.0f} ms" for k, v in answer.timings_ms.items())
    lines.append(click.style(f"timings: {timings}", dim=True))
    return "\n".join(lines)
