"""An Answer as Markdown for the web chat: answer, citation chips, snippet and run, claims, diff."""
from __future__ import annotations

import re

from bot.faces.rst import Block, inline_spans, rst_blocks
from bot.faces.wording import ENGLISH, evidence_label, long_line_notes, not_covered, phrases
from bot.verify.judge import Verdict

FENCED = re.compile(r"(```.*?```)", re.S)  # kb.ingest.chunk keeps a fence whole, reflowed
MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")  # ASCII punctuation Markdown or HTML could act on
STAGES = {"retrieve": "retrieving", "run": "running", "check": "checking"}  # keys of the phrases


def plain(text: str) -> str:
    """A source's text as text, not markup: Markdown and HTML punctuation outside fenced code is escaped, so a page's
    `![](http://...)` or `<img>` shows as written and fetches nothing; fenced code stays code."""
    pieces = FENCED.split(text)
    return "".join(piece if piece.startswith("```") else MARKUP.sub(r"\\\1", piece) for piece in pieces)


def fenced(text: str, language: str) -> str:
    """A code block that the text cannot end early: its fence is longer than any run of backticks inside."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def code_span(text: str) -> str:
    """Inline code that its text cannot end early."""
    ticks = "`" * (1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    return f"{ticks} {text} {ticks}" if "`" in text else f"`{text}`"


def inline_markdown(text: str) -> str:
    """One line of reStructuredText prose: roles and literals as code, the rest escaped."""
    return "".join(code_span(t) if code else plain(t) for t, code in inline_spans(text))


def block_markdown(block: Block) -> str:
    """One docstring block: a note as a quoted callout, code fenced, a section heading in bold."""
    if block.kind == "code":
        return fenced(block.text, "python" if ">>>" in block.text else "text")
    if block.kind == "note":
        body = f"**{plain(block.label)}:** " + docs_markdown(block.text)
        return "\n".join(f"> {line}".rstrip() for line in body.splitlines())
    if block.kind == "heading":
        return f"**{plain(block.text)}**"
    if block.kind == "item":
        return "- " + (code_span(block.label) if block.label else "") + inline_markdown(block.text)
    return inline_markdown(block.text)


def docs_markdown(markup: str) -> str:
    """A torch docstring as safe Markdown: notes as callouts, cross-references and literals as code."""
    return "\n\n".join(block_markdown(b) for b in rst_blocks(markup))


def chips(chunk) -> str:
    """Citations as compact chips: document name and section."""
    return " ".join(f"`📄 {s.cite()}`" for s in chunk.citations)


def cell(text: object) -> str:
    """Text that stays inside one Markdown table cell: pipes escaped, line breaks as spaces."""
    return " ".join(str(text).replace("|", "\\|").splitlines())


def claim_row(verdict: Verdict, origin: str = "pages", words: dict[str, str] = ENGLISH) -> str:
    """One row of the claims table: the verdict cell says whose number it is and what it rests on."""
    torch_value = verdict.actual or "—"
    note = verdict.why or (words["torch_gives"].format(value=verdict.actual) if verdict.status == "contradicted"
                           else "")
    label = evidence_label(verdict, origin, words)
    note = f"{note} · {label}" if note and label else note or label
    return (f"| `{cell(verdict.claim.target)}` | `{cell(verdict.claim.quoted)}` | `{cell(torch_value)}` "
            f"| {words[verdict.status]}{' · ' + cell(note) if note else ''} |")


def run_block(run, words: dict[str, str] = ENGLISH) -> str:
    """A run's output and error."""
    parts = []
    if run.stdout.strip():
        parts.append(fenced(run.stdout, "text"))
    if run.error:
        where = f" ({words['at_line'].format(line=run.error_line)})" if run.error_line else ""
        parts.append(f"**{words['error']}{where}:** `{run.error}`")
    return "\n\n".join(parts)


def snippet_markdown(check, origin: str = "pages", words: dict[str, str] = ENGLISH) -> str:
    """The snippet, its run, the labelled repair, and the claims table."""
    snippet = check.snippet
    parts = [f"**{words['snippet']}** · {snippet.origin}" + (f" · `{snippet.note}`" if snippet.note else ""),
             fenced(snippet.code, "python"),
             *[f"⚠️ _{note}_" for note in long_line_notes(snippet.code, words)], run_block(check.run, words)]
    if check.repaired:
        parts += [f"**{words['repaired']}** ({check.repaired.rule}):", fenced(check.diff, "diff"),
                  run_block(check.repaired_run, words)]
    if check.verdicts:
        parts += [f"{words['claims_header']}\n|---|---|---|---|\n"
                  + "\n".join(claim_row(v, origin, words) for v in check.verdicts)]
    return "\n\n".join(p for p in parts if p)


def computed_markdown(computed, words: dict[str, str] = ENGLISH) -> str:
    """The question's own numbers, first: each value in bold, then the program that computed them."""
    title = words["your_code" if computed.origin == "question-code" else "your_numbers_title"]
    values = "\n".join(f"- **{cell(v.describe())}**" for v in computed.values) or f"_{words['no_gradients']}_"
    error = run_block(computed.run, words) if not computed.run.ok else ""
    repair = f"_{words['repaired_to_run'].format(rule=cell(computed.repair))}_" if computed.repair else ""
    return "\n\n".join(p for p in [f"### {title}", values, error, repair, fenced(computed.code, "python")]
                       if p)


def stage_line(stage: str, question: str) -> str:
    """`🔎 retrieving…` and the other progress lines, in the question's language."""
    return phrases(question)[STAGES[stage]]


def answer_markdown(answer, *, stage: str | None = None) -> str:
    """The whole bot turn, in the question's language; `stage` adds a progress line while work goes on."""
    if answer is None:
        return stage_line(stage or "retrieve", "")
    words = phrases(answer.query)
    parts = [computed_markdown(answer.computed, words)] if answer.computed else []
    if answer.abstained:
        closest = "\n".join(f"- {plain(h.chunk.question)}" for h in answer.hits)
        covered = f"**{not_covered(answer, quote=plain)}**"
        return "\n\n".join(parts + [f"{covered}\n\n{words['closest']}\n{closest}" if closest else covered])
    best = answer.hits[0].chunk
    text = docs_markdown(best.markup) if best.markup else plain(best.text)
    parts += [f"### {plain(best.question)}", text, chips(best)]
    if answer.check:
        parts.append(snippet_markdown(answer.check, best.origin, words))
    if stage:
        parts.append(f"_{stage_line(stage, answer.query)}_")
    timing = " · ".join(f"{k} {v:.0f} ms" for k, v in answer.timings_ms.items())
    parts.append(f"<sub>{timing}</sub>")
    return "\n\n".join(parts)
