"""The program shown with an answer: the source's own code, the program written from the maths it states, or
an authored demo of its topic (an illustration: it judges nothing)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Snippet:
    """A program shown with an answer and where it came from."""

    code: str
    origin: str  # "kb" (the source's code) | "synthesized" (written from the maths it states) | "demo"
    note: str = ""


LONG_LINE = 160  # characters: a longer line of a shown program is pointed out (something may sit at its end)


def long_lines(code: str, *, limit: int = LONG_LINE) -> list[tuple[int, int]]:
    """(line number, length) of each line of a program longer than `limit` characters."""
    return [(n, len(line)) for n, line in enumerate(code.splitlines(), 1) if len(line) > limit]


def demo(tags: tuple[str, ...]) -> Snippet | None:
    """The authored demo for the first of the tags that has one."""
    from bot.verify.demo import demo_for

    found = demo_for(tags)
    return Snippet(found.code, "demo", f"demo: {found.topic}, an illustration that judges nothing") if found else None
