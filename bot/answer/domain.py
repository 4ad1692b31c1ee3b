"""Does a question name torch or autograd at all? Typo-tolerant, and wary of ambiguous words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb.index.bridge import load_bridge
from kb.ingest.classify import load_topics
from kb.text import term_pattern

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


@dataclass(frozen=True)
class DomainMatch:
    """The domain concepts a question names, and whether any of them is unambiguous."""

    concepts: tuple[str, ...]
    unambiguous: bool
    foreign: bool  # names another framework and no torch anchor

    @property
    def strength(self) -> str:
        """`strong` (an unambiguous term, or two concepts), `weak` (one ambiguous concept) or `none`."""
        if self.foreign or not self.concepts:
            return "none"
        return "strong" if self.unambiguous or len(self.concepts) >= 2 else "weak"


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, str], frozenset[str], tuple, tuple]:
    """Domain term → concept (its bridge group's first term, else itself), the ambiguous terms,
    the other-framework patterns and the torch-syntax patterns."""
    data = load_topics()
    terms = set(data["anchors"]["strong"]) | set(data["anchors"]["weak"]) | set(data["autograd"]["terms"])
    terms |= set(data["domain"]["api"])
    terms |= {t for group in data["tags"].values() for t in group}
    concept = {t: t for t in terms}
    for group in load_bridge():
        if any(t in terms for t in group):
            concept.update({t: group[0] for t in group})
    ambiguous = frozenset(data["domain"]["ambiguous"])
    ambiguous |= {t for t, c in concept.items() if c in ambiguous}
    other = tuple(term_pattern(t) for t in data["anchors"]["other_frameworks"])
    syntax = tuple(re.compile(p) for p in data["domain"]["syntax"])
    return concept, ambiguous, other, syntax


def near(a: str, b: str) -> bool:
    """Within one edit (insert, delete, substitute or swap two neighbours) for words of 5+ letters."""
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def match_domain(question: str) -> DomainMatch:
    """Which domain concepts the question names, allowing one typo per long word."""
    concept, ambiguous, other, syntax = _vocabulary()
    found = {t for t in concept if term_pattern(t).search(question)}
    lowered = {t.lower() for t in concept}
    words = {w.lower() for w in WORD.findall(question)} - lowered  # exact matches need no typo help
    ascii_terms = [t for t in concept if re.fullmatch(r"[A-Za-z_]{5,}", t)]
    found |= {t for t in ascii_terms for w in words if near(w, t.lower())}
    concepts = tuple(sorted({concept[t] for t in found}))
    code = [p.pattern for p in syntax if p.search(question)]
    named_torch = any(concept[t] in ("torch", "pytorch") for t in found)  # "autograd" and `x.grad` are not
    foreign = not named_torch and any(p.search(question) for p in other)  # enough beside MXNet or jax.grad
    return DomainMatch(concepts + tuple(code), bool(code) or any(t not in ambiguous for t in found), foreign)
