"""Names a question uses that a torch docs entry defines: its API written with its module (`autograd.grad`),
or a parameter the docstring lists and the pages never mention (`is_grads_batched`, `vectorize`)."""
from __future__ import annotations

import re

from kb.types import Chunk

CODE_NAME = re.compile(r"(?<![\w.])(?:[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*"  # snake_case
                       r"|[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+"  # dotted.name
                       r"|[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z]+[A-Z][A-Za-z0-9]*)(?![A-Za-z0-9_])")  # camel
OPTION = re.compile(r"\b([A-Za-z_]\w*)\s*=(?!=)"  # vectorize=True
                    r"|\b([A-Za-z_]\w{3,})\s*(?:参数|argument|parameter|flag|option|keyword)", re.I)
PARAMETER = re.compile(r"^\s{2,}(\w+) \(", re.M)  # "    name (type): ..." in a docstring's Args


def question_names(query: str) -> frozenset[str]:
    """Code-like names in a question (lower case, without a call's parentheses) and words it calls options."""
    names = {m.group(0).lower().rstrip(".") for m in CODE_NAME.finditer(query)}
    names |= {(a or b).lower() for a, b in OPTION.findall(query)}
    return frozenset(names)


def definitions(chunk: Chunk) -> tuple[tuple[str, ...], frozenset[str]]:
    """A torch docs chunk's API as dotted parts and the parameters its text lists; nothing for a page."""
    if chunk.origin != "torch-docs":
        return (), frozenset()
    return tuple(chunk.citations[0].section.lower().split(".")), frozenset(PARAMETER.findall(chunk.text.lower()))


def defines(definition: tuple[tuple[str, ...], frozenset[str]], names: frozenset[str], *,
            page_words: set[str]) -> bool:
    """Whether the chunk defines one of the names: its API with at least its last two parts
    (`Tensor.retain_grad`, `torch.autograd.grad`), or a parameter that `page_words` lack."""
    api, parameters = definition
    for name in names:
        parts = tuple(name.split("."))
        if len(parts) >= 2 and api[-len(parts):] == parts:
            return True
        if len(parts) == 1 and name in parameters and name not in page_words:
            return True
    return False
