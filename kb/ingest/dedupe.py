"""Merge near-duplicate answers, keeping every copy's citation."""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from kb.types import Citation

NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Entry:
    """A kept Q&A, possibly seen in several places."""

    question: str
    answer: str
    citations: tuple[Citation, ...]
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


def share(part: set[str], whole: set[str]) -> float:
    """How much of `part` lies inside `whole`."""
    return len(part & whole) / len(part) if part else 1.0


def merge_duplicates(entries: list[Entry], *, threshold: float = 0.8) -> tuple[list[Entry], int]:
    """Fold each near-duplicate into the copy seen first (the bundled pages come before added folders): that
    copy keeps its text and gains the duplicate's citation, so a copy cannot replace what it copies. A later
    copy with content of its own (under `threshold` of it inside the first) stays a separate entry.
    Return the entries and how many were merged.

    Candidates come from a prefix filter (two answers sharing 80% of the smaller one's shingles
    must share one of its rarest 20%), so only a few pairs are compared, not all of them.
    """
    sets = [shingles(e.answer) for e in entries]
    frequency = Counter(s for shingle_set in sets for s in shingle_set)
    full: dict[str, list[int]] = defaultdict(list)  # shingle -> kept slots having it
    rare: dict[str, list[int]] = defaultdict(list)  # shingle -> kept slots having it in their prefix
    kept: list[Entry] = []
    kept_sets: list[set[str]] = []
    merged = 0
    for entry, shingle_set in zip(entries, sets):
        prefix = _prefix(shingle_set, frequency, threshold)
        slots = {k for s in prefix for k in full.get(s, ())} | {k for s in shingle_set for k in rare.get(s, ())}
        match = next((k for k in sorted(slots) if is_near_duplicate(entry, kept[k])), None)
        if match is not None and share(shingle_set, kept_sets[match]) >= threshold:
            first = kept[match]
            kept[match] = replace(first, citations=tuple(dict.fromkeys(first.citations + entry.citations)),
                                  tags=tuple(dict.fromkeys(first.tags + entry.tags)))
            merged += 1
            continue
        for s in shingle_set:
            full[s].append(len(kept))
        for s in prefix:
            rare[s].append(len(kept))
        kept.append(entry)
        kept_sets.append(shingle_set)
    return kept, merged


def _prefix(shingle_set: set[str], frequency: Counter, threshold: float) -> list[str]:
    """The rarest shingles a near-duplicate must share at least one of."""
    size = len(shingle_set)
    length = size - math.ceil(threshold * size) + 1
    return sorted(shingle_set, key=lambda s: (frequency[s], s))[:max(length, 1)]
