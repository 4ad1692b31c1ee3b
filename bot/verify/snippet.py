"""Pick the program that proves an answer: its own code, a synthesised one, or a topic demo."""
from __future__ import annotations

from dataclasses import dataclass

from kb.types import Chunk, Claim


@dataclass(frozen=True)
class Snippet:
    """A program to run for an answer, where it came from, and any claims it brings."""

    code: str
    origin: str  # "kb" | "synthesized" | "demo"
    claims: tuple[Claim, ...] = ()
    note: str = ""


def synthesized(text: str) -> Snippet | None:
    """A snippet for a function and point stated in the text, cross-checked against sympy."""
    from bot.verify.synth import synthesize

    found = synthesize(text)
    if found is None:
        return None
    claims = tuple(Claim(d.target, f"{d.sympy} (sympy)", d.sympy) for d in found.derivatives)
    note = ", ".join(f"{d.name} ({found.expression}) at {d.at}" for d in found.derivatives)
    return Snippet(found.code, "synthesized", claims, note)


def demo(tags: tuple[str, ...]) -> Snippet | None:
    """The authored demo for the first of the tags that has one."""
    from bot.verify.demo import demo_for

    found = demo_for(tags)
    return Snippet(found.code, "demo", (), f"demo: {found.topic}") if found else None


def choose_snippet(chunk: Chunk) -> Snippet | None:
    """The chunk's own reflowed code; else a program for the maths it states; else a demo for its topic.
    The question's own numbers are not the chunk's: they are computed apart (bot.verify.compute)."""
    if chunk.code and chunk.code.parsed:
        return Snippet(chunk.code.text, "kb")
    return synthesized(chunk.text) or synthesized(chunk.question) or demo(chunk.tags)
