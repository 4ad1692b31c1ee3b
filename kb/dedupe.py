"""Merge near-duplicate answers, keeping every source as a citation."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kb.types import Source

NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Entry:
    """A kept Q&A, possibly seen in several places."""

    question: str
    answer: str
    sources: tuple[Source, ...]
    topic: str
    tags: tuple[str, ...]


def shingles(text: str, n: int = 5) -> set[str]:
    """Character n-grams of the text with spaces and punctuation removed."""
    flat = NON_WORD.sub("", text.lower())
    return {flat[i : i + n] for i in range(max(1, len(flat) - n + 1))} if flat else set()


def containment(a: set[str], b: set[str]) -> float:
    """How much of the smaller set lies inside the larger one."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def is_near_duplicate(a: Entry, b: Entry) -> bool:
    """Same question and mostly the same answer (one may be a truncated or reformatted copy)."""
    return (containment(shingles(a.answer), shingles(b.answer)) >= 0.8
            and containment(shingles(a.question, 2), shingles(b.question, 2)) >= 0.6)


def _better(a: Entry, b: Entry) -> Entry:
    rank = lambda e: (e.sources[0].section == "main", len(e.answer))  # noqa: E731
    return a if rank(a) >= rank(b) else b


def merge_duplicates(entries: list[Entry]) -> tuple[list[Entry], int]:
    """Fold near-duplicates into their fullest copy; return the entries and how many were merged."""
    kept: list[Entry] = []
    merged = 0
    for entry in entries:
        for i, other in enumerate(kept):
            if is_near_duplicate(entry, other):
                best = _better(other, entry)
                sources = tuple(dict.fromkeys(best.sources + other.sources + entry.sources))
                kept[i] = Entry(best.question, best.answer, sources, best.topic,
                                tuple(dict.fromkeys(other.tags + entry.tags)))
                merged += 1
                break
        else:
            kept.append(entry)
    return kept, merged
