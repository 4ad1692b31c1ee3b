"""Docstring examples (`>>>` blocks) as one runnable program, with their printed outputs as claims.

    >>> x = torch.tensor([1.], requires_grad=True)        x = torch.tensor([1.], requires_grad=True)
    >>> (x * 2).sum().backward()                    ->     (x * 2).sum().backward()
    >>> x.grad                                             out_1 = x.grad
    tensor([2.])                                           print(out_1)      claim: out_1 = tensor([2.])

A tuple output such as `(tensor(..), tensor(..))` becomes one claim per tensor (`out_1_0`, `out_1_1`);
`True`/`False` and plain numbers are compared as tensors (`torch.as_tensor`).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from kb.extract.literal import NUMBER, TENSOR, parse_value
from kb.syntax import literal_eval, parse
from kb.types import Claim

PROMPT = re.compile(r"^(>>>|\.\.\.)( |$)")
DIRECTIVE = re.compile(r"#\s*(xdoctest|doctest)\s*:", re.I)
SCALAR = re.compile(rf"^(True|False|{NUMBER})$")


@dataclass(frozen=True)
class Example:
    """One statement of a docstring example and the output the docs print for it."""

    code: str
    want: str


def find_examples(doc: str) -> list[Example]:
    """The docstring's `>>>` statements in order, each with the output lines that follow it."""
    examples: list[Example] = []
    source: list[str] | None = None
    want: list[str] = []
    for line in doc.splitlines() + [""]:
        text = line.strip()
        prompt = PROMPT.match(text)
        if prompt and not (prompt.group(1) == "..." and source is not None and not want):
            if source is not None:
                examples.append(Example("\n".join(source), "\n".join(want)))
            source, want = [text[4:]], []
        elif prompt:  # a `...` continuation of the current statement
            source.append(text[4:])
        elif source is not None and text and not text.startswith("#"):
            want.append(text)
        elif source is not None and (want or not text):
            examples.append(Example("\n".join(source), "\n".join(want)))
            source, want = None, []
    return [e for e in examples if not DIRECTIVE.search(e.code)]


def output_paths(want: str) -> list[tuple[int, ...]] | None:
    """Index paths of the tensors in a printed output: `[()]` for one tensor, `[(0,), (1,)]` for a
    pair, None when the output is not tensors (a repr, a size, an error)."""
    if SCALAR.match(want):
        return [()]
    shape = re.sub(TENSOR, "None", want)
    if "None" not in shape or re.search(r"[^\s(),None]", shape.replace("None", "")):
        return None
    try:
        structure = literal_eval(shape)
    except (ValueError, SyntaxError):
        return None
    return list(_paths(structure, ()))


def _paths(value, prefix: tuple[int, ...]):
    if isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))
    else:
        yield prefix


def _expression(source: str) -> str | None:
    """The expression a statement shows: itself, or what it prints; None for other statements."""
    try:
        tree = parse(source, mode="eval").body
    except SyntaxError:
        return None
    if isinstance(tree, ast.Call) and getattr(tree.func, "id", "") == "print" and len(tree.args) == 1:
        return ast.unparse(tree.args[0])
    return source


def doctest_program(doc: str, *, imports: tuple[str, ...] = ("import torch",),
                    setup: str = "") -> tuple[str, tuple[Claim, ...]]:
    """The examples as one program (outputs captured as `out_N`) and a claim per printed tensor;
    `imports` are the names the docs' examples take for granted, `setup` earlier text of the same
    docstring whose examples run first (doctest shares one namespace per docstring), unclaimed."""
    before, examples = find_examples(setup), find_examples(doc)
    lines = [i for i in imports if all(e.code != i for e in before + examples)]
    lines += [e.code for e in before]
    claims = []
    for n, example in enumerate(examples, start=len(before) + 1):
        expression = _expression(example.code) if example.want else None
        paths = output_paths(example.want) if expression else None
        if not paths:
            lines.append(example.code)
            continue
        name = f"out_{n}"
        scalar = SCALAR.match(example.want) is not None
        lines += [f"{name} = torch.as_tensor({expression})" if scalar else f"{name} = {expression}",
                  f"print({name})"]
        tensors = re.findall(TENSOR, example.want) or [example.want]
        for path, quoted in zip(paths, tensors):
            target = "_".join([name, *map(str, path)])
            if path:
                lines.append(f"{target} = {name}{''.join(f'[{i}]' for i in path)}")
            quoted = re.sub(r"\s*\n\s*", " ", quoted)
            claims.append(Claim(target, quoted, _value(quoted)))
    return "\n".join(lines) + "\n", tuple(c for c in claims if c.value is not None)


def example_sources(doc: str) -> str:
    """The code of a docstring's examples, without prompts or outputs."""
    return "\n".join(e.code for e in find_examples(doc))


def _value(quoted: str):
    """A printed output's value: numbers of a tensor or number, 1/0 for True/False."""
    if quoted in ("True", "False"):
        return float(quoted == "True")
    return parse_value(quoted)
