"""Torch docstrings (reStructuredText, Google style) as blocks a face can show: prose, notes, code, headings
and list items, with inline code marked. A small reader for what torch's autograd docstrings use, not docutils."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

DIRECTIVE = re.compile(r"^\.\. ([\w-]+)::\s*(.*)$")
CODE_DIRECTIVES = {"code", "code-block", "testcode", "testoutput", "math", "doctest"}
HEADING = re.compile(r"^([A-Z][\w ]{0,40}):$")  # Google style: `Args:`, `Returns:`, `Example:`
LISTED = {"Args", "Arguments", "Keyword args", "Keyword arguments", "Parameters", "Raises", "Attributes",
          "Returns", "Yields"}
NOTED = {"Note", "Notes", "Warning", "Warnings", "See also", "Tip"}
ARGUMENT = re.compile(r"^(\*{0,2}[A-Za-z_][\w.]*)\s*(?:\([^()]*(?:\([^()]*\)[^()]*)*\))?:\s")  # name (type): ...
BULLET = re.compile(r"^(?:[-*+]\s+|(?=\d+[.)]\s|#\.\s))")  # a number stays in the item's text
INLINE = re.compile(
    r":(?P<role>[\w:]+):`(?P<target>[^`]+)`"      # :func:`~torch.autograd.grad`, :ref:`title<label>`
    r"|``(?P<literal>[^\n]+?)``"                 # ``retain_graph=True``
    r"|`(?P<link>[^`<]+?)\s*<[^`>]*>`__?"         # `text <https://...>`_
    r"|`(?P<interpreted>[^`]+)`(?!_)")          # `vhp`


@dataclass(frozen=True)
class Block:
    """One shown unit: `kind` is "text", "note", "code", "heading" or "item"; a note's `label` is its kind
    ("Note", "Warning") and its `text` is itself reStructuredText."""

    kind: str
    text: str
    label: str = ""  # a note's kind, an argument's name


def inline_spans(text: str) -> list[tuple[str, bool]]:
    """Prose as (text, is_code) pieces: roles and literals become code, a reference or link its title."""
    spans, at = [], 0
    for match in INLINE.finditer(text):
        spans.append((text[at:match.start()], False))
        spans.append(_inline(match))
        at = match.end()
    spans.append((text[at:], False))
    return [(t, code) for t, code in spans if t]


def _inline(match: re.Match) -> tuple[str, bool]:
    """One inline construct's shown text and whether it is code."""
    if match["role"]:
        target = match["target"]
        titled = re.match(r"(.*?)\s*<[^<>]*>$", target)
        if titled and titled[1]:
            return titled[1], match["role"] not in ("ref", "doc")
        name = target.removeprefix("~")
        name = name.rpartition(".")[2] if target.startswith("~") else name
        return name, match["role"] not in ("ref", "doc", "math")
    if match["link"]:
        return match["link"], False
    return match["literal"] or match["interpreted"], True


def rst_blocks(markup: str) -> list[Block]:
    """The docstring as a list of blocks, in order."""
    lines, blocks, i = markup.expandtabs().splitlines(), [], 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif DIRECTIVE.match(line.strip()):
            i = _directive(lines, i, blocks)
        elif line.lstrip().startswith(">>>"):
            end = _until_blank(lines, i)
            blocks.append(Block("code", textwrap.dedent("\n".join(lines[i:end]))))
            i = end
        elif HEADING.match(line.strip()) and _indent(lines, i + 1) > _depth(line):
            i = _section(lines, i, blocks)
        else:
            i = _paragraph(lines, i, blocks)
    return blocks


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip())


def _indent(lines: list[str], i: int) -> int:
    """The indentation of the next non-blank line from `i` (-1 at the end)."""
    rest = [line for line in lines[i:] if line.strip()]
    return _depth(rest[0]) if rest else -1


def _until_blank(lines: list[str], i: int) -> int:
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


def _body(lines: list[str], i: int, depth: int) -> int:
    """The end of the block indented deeper than `depth` that starts at `i` (blank lines included)."""
    while i < len(lines) and (not lines[i].strip() or _depth(lines[i]) > depth):
        i += 1
    return i


def _dedented(lines: list[str], start: int, end: int) -> str:
    return textwrap.dedent("\n".join(lines[start:end])).strip("\n")


def _directive(lines: list[str], i: int, blocks: list[Block]) -> int:
    """`.. note::` as a note, `.. code-block::` or `.. math::` as code; other directives as a labelled note."""
    name, argument = DIRECTIVE.match(lines[i].strip()).groups()
    end = _body(lines, i + 1, _depth(lines[i]))
    body = "\n\n".join(p for p in (argument, _dedented(lines, i + 1, end)) if p)
    if name.lower() in CODE_DIRECTIVES:
        blocks.append(Block("code", _dedented(lines, i + 1, end) or argument))
    elif body:
        blocks.append(Block("note", body, name.replace("-", " ").capitalize()))
    return end


def _section(lines: list[str], i: int, blocks: list[Block]) -> int:
    """A Google-style section: `Args:` items, a `Note:` note, or a heading over its own blocks."""
    title = HEADING.match(lines[i].strip())[1]
    end = _body(lines, i + 1, _depth(lines[i]))
    body = _dedented(lines, i + 1, end)
    if title in NOTED:
        blocks.append(Block("note", body, title))
    elif title in LISTED:
        blocks.append(Block("heading", title))
        blocks.extend(_items(body.splitlines()))
    else:
        blocks.append(Block("heading", title))
        blocks.extend(rst_blocks(body))
    return end


def _items(lines: list[str]) -> list[Block]:
    """`name (type): what it is` entries, each with its deeper-indented continuation lines; the name, when
    there is one, is the item's label."""
    items: list[list[str]] = []
    for line in lines:
        if line.strip() and (_depth(line) == 0 or not items):
            items.append([line.strip()])
        elif line.strip():
            items[-1].append(line.strip())
    entries = [(ARGUMENT.match(" ".join(item)), " ".join(item)) for item in items]
    return [Block("item", text[m.end(1):], m[1]) if m else Block("item", text) for m, text in entries]


def _paragraph(lines: list[str], i: int, blocks: list[Block]) -> int:
    """Lines up to a blank line as text (or list items); a closing `::` starts a literal code block."""
    end, depth = i, _depth(lines[i])
    while end < len(lines) and lines[end].strip() and not (end > i and lines[end].lstrip().startswith(">>>")):
        end += 1
    text = [line.strip() for line in lines[i:end]]
    literal = text[-1].endswith("::") and _indent(lines, end) > depth
    if literal:
        text[-1] = text[-1][:-2].rstrip() + (":" if text[-1][:-2].strip() else "")
    heading = literal and len(text) == 1 and len(text[0].split()) <= 2 and HEADING.match(text[0])
    blocks.extend([Block("heading", heading[1])] if heading else _prose(text))
    if literal:
        start, end = end, _body(lines, end, depth)
        blocks.append(Block("code", _dedented(lines, start, end)))
    return end


def _prose(text: list[str]) -> list[Block]:
    """Lines of one paragraph: a list when each entry starts with a bullet or a number, else one text."""
    if not BULLET.match(text[0]):
        return [Block("text", " ".join(text))] if any(text) else []
    items: list[list[str]] = []
    for line in text:
        if BULLET.match(line) or not items:
            items.append([BULLET.sub("", line)])
        else:
            items[-1].append(line)
    return [Block("item", " ".join(item)) for item in items]
