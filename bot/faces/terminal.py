"""Answers and runs as terminal text."""
from __future__ import annotations

import textwrap

import click

from bot.faces.rst import Block, inline_spans, rst_blocks
from bot.faces.wording import evidence_label, long_line_notes, not_covered, phrases
from bot.sandbox.result import RunResult
from bot.verify.judge import Verdict

MARKS = {"confirmed": ("✔", "green"), "contradicted": ("✘", "red"), "unchecked": ("?", "yellow")}


def verdict_line(verdict: Verdict, origin: str = "pages") -> str:
    """`✔ x.grad = tensor([7.]) confirmed — the page's example (x=2), independent: ...`,
    `✘ y.grad quoted [5.], torch gives tensor([6.]) — ...`, `? ... unchecked: why`."""
    mark, colour = MARKS[verdict.status]
    claim = verdict.claim
    if verdict.status == "confirmed":
        text = f"{claim.target} = {claim.quoted} confirmed"
    elif verdict.status == "contradicted":
        text = f"{claim.target} quoted {claim.quoted}, torch gives {verdict.actual}"
    else:
        text = f"{claim.target} = {claim.quoted} unchecked: {verdict.why}"
    label = evidence_label(verdict, origin)
    note = f" ({verdict.why})" if verdict.why and verdict.status != "unchecked" else ""
    return click.style(mark, fg=colour, bold=True) + " " + text + (f" — {label}" if label else "") + note


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


def block_text(block: Block, *, colour: bool) -> str:
    """One docstring block for the terminal: a note behind a bar, code indented, arguments as bullets."""
    if block.kind == "code":
        return textwrap.indent(highlight(block.text, colour=colour).rstrip(), "    ")
    if block.kind == "note":
        body = click.style(f"{block.label}: ", bold=True) + docs_text(block.text, colour=colour)
        return textwrap.indent(body, "│ ", lambda line: True)
    if block.kind == "heading":
        return click.style(f"{block.text}:", bold=True)
    text = "".join(f"`{t}`" if code else t for t, code in inline_spans(block.text))
    if block.kind == "item":
        name = click.style(block.label, bold=True) if block.label else ""
        return textwrap.fill(name + text, width=88, initial_indent="  • ", subsequent_indent="    ")
    return textwrap.fill(text, width=88)


def docs_text(markup: str, *, colour: bool = False) -> str:
    """A torch docstring as terminal text: notes marked, code indented, cross-references in backticks."""
    return "\n\n".join(block_text(b, colour=colour) for b in rst_blocks(markup))


def error_text(run) -> str:
    """`error (line 3): RuntimeError: ...` for a failed run, in red."""
    where = f" (line {run.error_line})" if run.error_line else ""
    return click.style(f"error{where}: {run.error}", fg="red")


def _run_lines(run) -> list[str]:
    lines = [f"output:\n{run.stdout.rstrip()}"] if run.stdout.strip() else []
    return lines + ([error_text(run)] if run.error else [])


def rule(title: str) -> str:
    """A section heading: `── title ─────`."""
    return click.style(f"── {title} ", bold=True) + "─" * max(0, 50 - len(title))


def computed_lines(computed, *, colour: bool) -> list[str]:
    """The question's own numbers, first: each value, then the program that computed them."""
    title = "your code" if computed.origin == "question-code" else "for your numbers"
    lines = [rule(title)] + [click.style(v.describe(), bold=True) for v in computed.values]
    if computed.repair:
        lines.append(click.style(f"repaired to run: {computed.repair}", fg="yellow"))
    if not computed.run.ok:
        lines.append(error_text(computed.run))
    return lines + [click.style("computed by:", dim=True), highlight(computed.code, colour=colour).rstrip()]


def answer_text(answer, *, colour: bool = False) -> str:
    """The answer as it reads in a terminal: the question's own numbers first, then the knowledge base's."""
    lines = computed_lines(answer.computed, colour=colour) if answer.computed else []
    if answer.abstained:
        lines += [click.style(not_covered(answer), fg="yellow", bold=True)]
        lines += [phrases(answer.query)["closest"]] + [f"  - {h.chunk.question} ({h.chunk.file})"
                                                          for h in answer.hits]
        return "\n".join(lines)
    best, check = answer.hits[0].chunk, answer.check
    lines += [rule(best.question), docs_text(best.markup, colour=colour) if best.markup else best.text,
             click.style("sources: " + "; ".join(s.cite() for s in best.citations), dim=True)]
    if check:
        lines += [rule(f"snippet ({check.snippet.origin}) {check.snippet.note}".strip()),
                  highlight(check.snippet.code, colour=colour).rstrip()]
        lines += [click.style(f"⚠ {note}", fg="yellow") for note in long_line_notes(check.snippet.code)]
        lines += _run_lines(check.run)
        if check.repaired:
            lines += [rule(f"repaired: {check.repaired.rule}"), check.diff.rstrip()]
            lines += _run_lines(check.repaired_run)
        if check.verdicts:
            lines += [rule("claims")] + [verdict_line(v, best.origin) for v in check.verdicts]
    if len(answer.hits) > 1:
        lines += [rule("related")] + [f"  - {h.chunk.question} ({h.chunk.file})" for h in answer.hits[1:]]
    timings = ", ".join(f"{k} {v:.0f} ms" for k, v in answer.timings_ms.items())
    lines.append(click.style(f"timings: {timings}", dim=True))
    return "\n".join(lines)


def print_run(result: RunResult, *, start_ms: float = 0.0) -> None:
    """A sandbox run for `autograd-kb run`: output and tensors on stdout; error, and where the time went
    (the run itself, and starting the sandbox), on stderr."""
    if result.stdout:
        click.echo(result.stdout.rstrip())
    for t in result.tensors:
        grad = f" grad={t.grad}" if t.grad is not None else ""
        fn = f" grad_fn={t.grad_fn}" if t.grad_fn else ""
        click.echo(f"{t.name}: shape={list(t.shape)} requires_grad={t.requires_grad} "
                   f"is_leaf={t.is_leaf}{fn}{grad}")
    if result.error:
        click.echo(error_text(result), err=True)
    start = f" · {start_ms / 1e3:.1f} s to start the sandbox (once per command: it imports torch)" if start_ms else ""
    click.echo(click.style(f"{result.elapsed_ms:.1f} ms running the snippet{start}", dim=True), err=True)
