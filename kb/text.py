"""Character classes and term matching that every stage shares: one definition each."""
from __future__ import annotations

import re
from functools import lru_cache

HAN = re.compile(r"[\u3400-\u9fff]+")  # runs of Chinese ideographs: what jieba words and bigrams are made of
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]+")  # runs of East Asian script: ideographs, radicals, kana,
# CJK punctuation (。，：) and full-width forms; where prose ends and code starts, and what a gloss drops
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls but tab, LF and CR:
# terminal escapes, backspaces and NULs that must not reach a screen or an index


@lru_cache(maxsize=None)
def term_pattern(term: str) -> re.Pattern:
    """ASCII terms match as whole identifiers (`grad` not in `gradle`); others as substrings."""
    escaped = re.escape(term)
    if term.isascii():
        return re.compile(rf"(?<![A-Za-z0-9_]){escaped}(?![A-Za-z0-9_])", re.I)
    return re.compile(escaped, re.I)


def term_spans(term: str, text: str, *, lowered: str | None = None) -> list[tuple[int, int]]:
    """Where `term_pattern(term)` matches the text, trying a plain substring test first (`lowered` is the text
    in lower case, when the caller has it): a term the text lacks costs no pattern compile."""
    if term.lower() not in (lowered if lowered is not None else text.lower()):
        return []
    return [m.span() for m in term_pattern(term).finditer(text)]
