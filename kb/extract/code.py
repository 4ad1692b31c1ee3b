"""Find the code in a Q&A record: fenced blocks, code lines, or code run into the prose."""
from __future__ import annotations

import io
import re
import tokenize

from kb.extract.reflow import reflow_code
from kb.syntax import parse
from kb.text import CJK
from kb.types import Code

FENCE = re.compile(r"```(?:[\w+-]+(?=\n)|python\b|py\b)?[ \t]*\n?(.*?)```", re.S)  # a tag ends its line, but a
# flattened fence runs on: ```python import torch ...```
CODE_START = re.compile(
    r"(?:(?<=^)|(?<=[\s:：,，。;；]))(?:import\s+\w|from\s+[\w.]+\s+import\s|#\s*\S|(?:def|class)\s+\w+|[A-Za-z_]\w*\s*=\s*torch\.)",
    re.M)
MAX_TRIES = 24  # prose boundaries tried per code-like start
MAX_SPAN_CHARS = 2000  # inline code longer than this is not looked for
MAX_ATTEMPTS = 64  # reflows per text in the search for inline code


def _statements(program: str) -> int:
    return len(parse(program).body)


def _code_lines(text: str) -> list[str]:
    """Runs of two or more lines that each parse as Python on their own."""
    blocks, run = [], []
    for line in text.split("\n") + [""]:
        if line.strip() and line.isascii() and parses(line.strip()):
            run.append(line)
            continue
        if len(run) >= 2:
            blocks.append("\n".join(run))
        run = []
    return blocks


def collapse_spaces(program: str) -> str:
    """Runs of spaces between two code tokens on a line become one, so that nothing hides far to the right
    (`y.backward()<200 spaces>;x.grad.mul_(2)`); indentation, strings and the gap before a comment stay."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(program).readline))
    except (tokenize.TokenError, SyntaxError):
        return program
    lines = program.splitlines(keepends=True)
    gaps = [(a.end[0], a.end[1], b.start[1]) for a, b in zip(tokens, tokens[1:])
            if a.end[0] == b.start[0] and b.start[1] - a.end[1] > 1 and b.type != tokenize.COMMENT
            and a.type not in (tokenize.INDENT, tokenize.DEDENT, tokenize.NL, tokenize.NEWLINE)]
    for row, start, end in reversed(gaps):  # right to left, so earlier columns stay valid
        lines[row - 1] = lines[row - 1][:start] + " " + lines[row - 1][end:]
    return "".join(lines)


def reflow(raw: str) -> str | None:
    """The flattened code as the program that runs, shown whole (see collapse_spaces), or None."""
    program = reflow_code(raw)
    return collapse_spaces(program) if program else None


def parses(source: str) -> bool:
    """Whether `source` is valid Python."""
    try:
        parse(source)
        return True
    except (SyntaxError, ValueError):
        return False


def _inline_spans(text: str) -> list[tuple[str, str]]:
    """Code run into prose: from a code-like start to the last prose boundary where it still reflows.

    Bounded: a span is at most MAX_SPAN_CHARS long and a text gets MAX_ATTEMPTS reflows in all."""
    spans, pos, attempts = [], 0, 0
    for start in CODE_START.finditer(text):
        if start.start() < pos:
            continue
        line_end = text.find("\n", start.start())
        line_end = min(len(text) if line_end < 0 else line_end, start.start() + MAX_SPAN_CHARS)
        ends = [m.start() for m in CJK.finditer(text, start.start(), line_end)] + [line_end]
        for end in sorted(set(ends), reverse=True)[:MAX_TRIES]:
            if attempts >= MAX_ATTEMPTS:
                return spans
            attempts += 1
            raw = text[start.start():end].strip()
            program = reflow(raw) if raw else None
            if program and _statements(program) >= 2:
                spans.append((raw, program))
                pos = end
                break
    return spans


def reflow_fences(text: str) -> str:
    """The text with each fenced code block shown as the reflowed, multi-line program (as it was when
    reflow fails), so that readers see the code that runs."""
    def block(match: re.Match) -> str:
        code = reflow(match.group(1).strip()) or match.group(1).strip()
        return f"\n\n```python\n{code.rstrip()}\n```\n\n"

    return FENCE.sub(block, text)


def find_code(question: str, answer: str) -> Code | None:
    """The program a record shows, reflowed; `parsed=False` keeps the raw text when reflow fails."""
    fenced = [m.group(1).strip() for m in FENCE.finditer(answer) if m.group(1).strip()]
    if fenced:
        raw = "\n".join(fenced)  # later blocks use names the earlier ones define
        program = reflow(raw)
        return Code(program, raw, True) if program else Code(raw, raw, False)
    spans = [(b, reflow(b)) for b in _code_lines(answer)] or _inline_spans(answer) \
        or _inline_spans(question)
    spans = [(raw, program) for raw, program in spans if program]
    if not spans:
        return None
    return Code("".join(program for _, program in spans), "\n".join(raw for raw, _ in spans), True)
