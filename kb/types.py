"""Core knowledge-base types: small frozen dataclasses."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

ORIGINS = ("pages", "torch-docs")
ORIGIN_CHOICES = ("all", *ORIGINS)  # what a question may be answered from (`--source`)


@dataclass(frozen=True)
class Citation:
    """Where a piece of text came from: a document file and a section of it, and which origin."""

    file: str
    section: str
    origin: str = "pages"  # "pages" (Q&A documents) or "torch-docs" (the installed torch's docstrings)

    def cite(self) -> str:
        """Human citation: `003_fb5e48b6d614cee3.txt · related`, `torch 2.13.0 docs: torch.func.grad`."""
        return f"{self.file}: {self.section}" if self.origin == "torch-docs" else f"{self.file} · {self.section}"


@dataclass(frozen=True)
class Record:
    """One Q&A pair as found on a page, before cleaning."""

    question: str
    answer: str
    citation: Citation


@dataclass(frozen=True)
class Code:
    """A program recovered from the text: reflowed if it parses, raw otherwise; `context` is the
    whole answer it came from (a repair may need what the answer shows elsewhere)."""

    text: str
    raw: str
    parsed: bool
    context: str = ""


@dataclass(frozen=True)
class Claim:
    """A value an answer quotes: its target, as written, and parsed."""

    target: str
    quoted: str
    value: object = None


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit: one Q&A (or part of a long one) with its citations."""

    id: str
    question: str
    text: str
    citations: tuple[Citation, ...]
    topic: str
    tags: tuple[str, ...] = ()
    code: Code | None = None
    claims: tuple[Claim, ...] = field(default_factory=tuple)
    markup: str = ""  # the text as its source writes it, when that is markup (torch docs: reStructuredText)

    @property
    def file(self) -> str:
        """The first cited document's file name."""
        return self.citations[0].file

    @property
    def origin(self) -> str:
        """Where the chunk comes from: "pages" or "torch-docs"."""
        return self.citations[0].origin

    @property
    def section(self) -> str:
        """The first citation's section."""
        return self.citations[0].section


def content_hash(*parts: str) -> str:
    """A short stable hash of some text parts."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:16]
