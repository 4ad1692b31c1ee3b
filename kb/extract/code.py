"""Find the code in a Q&A record: fenced blocks, code lines, or code run into the prose."""
from __future__ import annotations

import ast
import re

from kb.extract.reflow import reflow_code
from kb.text import CJK
from kb.types import Code

FENCE = re.compile(r"```(?:[\w+-]+(?=\n)|python\b|py\b)?[ \t]*\n?(.*?)```", re.S)  # a tag ends its line, but a
# flattened fence runs on: ```python import torch ...```
CODE_START = re.compile(
    r"(?:(?<=^)|(?<=[\s:：,，。;；]))(?:import\s+\w|from\s+[\w.]+\s+import\s|#\s*\S|(?:def|class)\s+\w+|[A-Za-z_]\w*\s*=\s*torch\.)",
    re.M)
MAX_TRIES = 24


def _statements(program: str) -> int:
    return len(ast.parse(program).body)


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


def parses(source: str) -> bool:
    """Whether `source` is valid Python."""
    try:
        ast.parse(source)
        return True
    except (SyntaxError, ValueError):
        return False


def _inline_spans(text: str) -> list[tuple[str, str]]:
    """Code run into prose: from a code-like start to the last prose boundary where it still reflows."""
    spans, pos = [], 0
    for start in CODE_START.finditer(text):
        if start.start() < pos:
            continue
        line_end = text.find("\n", start.start())
        line_end = len(text) if line_end < 0 else line_end
        ends = [m.start() for m in CJK.finditer(text, start.start(), line_end)] + [line_end]
        for end in sorted(set(ends), reverse=True)[:MAX_TRIES]:
            raw = text[start.start():end].strip()
            program = reflow_code(raw) if raw else None
            if program and _statements(program) >= 2:
                spans.append((raw, program))
                pos = end
                break
    return spans


def reflow_fences(text: str) -> str:
    """The text with each fenced code block shown as the reflowed, multi-line program (as it was when
    reflow fails), so that readers see the code that runs."""
    def block(match: re.Match) -> str:
        code = reflow_code(match.group(1).strip()) or match.group(1).strip()
        return f"\n\n```python\n{code.rstrip()}\n```\n\n"

    return FENCE.sub(block, text)


def find_code(question: str, answer: str) -> Code | None:
    """The program a record shows, reflowed; `parsed=False` keeps the raw text when reflow fails."""
    fenced = [m.group(1).strip() for m in FENCE.finditer(answer) if m.group(1).strip()]
    if fenced:
        raw = "\n".join(fenced)  # later blocks use names the earlier ones define
        program = reflow_code(raw)
        return Code(program, raw, True) if program else Code(raw, raw, False)
    spans = [(b, reflow_code(b)) for b in _code_lines(answer)] or _inline_spans(answer) \
        or _inline_spans(question)
    spans = [(raw, program) for raw, program in spans if program]
    if not spans:
        return None
    return Code("".join(program for _, program in spans), "\n".join(raw for raw, _ in spans), True)
