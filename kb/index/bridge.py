"""The terminology bridge: Chinese and English terms for the same idea, kept as data."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb.settings import DATA_DIR
from kb.text import CJK, term_spans

BRIDGE_FILE = DATA_DIR / "bridge.txt"


@dataclass(frozen=True)
class Expansion:
    """What a text gains from the bridge: every equivalent term, and the English ones alone."""

    terms: tuple[str, ...]
    english: tuple[str, ...]


@lru_cache(maxsize=2)
def load_bridge(path: Path = BRIDGE_FILE) -> tuple[tuple[str, ...], ...]:
    """Groups of equivalent terms from the data file."""
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            groups.append(tuple(t.strip() for t in line.split("|") if t.strip()))
    return tuple(groups)


@lru_cache(maxsize=4096)
def expand(text: str) -> Expansion:
    """Terms equivalent to those the text uses (the ones it already has excluded)."""
    terms, english, lowered = [], [], text.lower()
    for group in load_bridge():
        present = [bool(term_spans(t, text, lowered=lowered)) for t in group]
        if any(present):
            missing = [t for t, found in zip(group, present) if not found]
            terms += missing
            if not present[0]:
                english.append(group[0])
    return Expansion(tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(english)))


@lru_cache(maxsize=1)
def _chinese_terms() -> tuple[re.Pattern, dict[str, str]]:
    english = {t: group[0] for group in load_bridge() for t in group[1:] if not t.isascii()}
    alternation = "|".join(re.escape(t) for t in sorted(english, key=len, reverse=True))
    return re.compile(alternation), english


def gloss(text: str) -> str:
    """The text as an English-only model can read it: Chinese terms become their English names
    in place, other Chinese characters are dropped."""
    pattern, english = _chinese_terms()
    text = pattern.sub(lambda m: f" {english[m.group(0)]} ", text)
    return re.sub(r"\s+", " ", CJK.sub(" ", text)).strip()
