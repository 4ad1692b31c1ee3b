"""Does a question name torch or autograd at all? Typo-tolerant, and wary of ambiguous words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb.index.bridge import load_bridge
from kb.ingest.classify import load_topics
from kb.text import term_pattern, term_spans

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


@dataclass(frozen=True)
class DomainMatch:
    """The domain concepts a question names, and whether any of them is unambiguous."""

    concepts: tuple[str, ...]  # autograd concepts (the library's own name is not one)
    unambiguous: bool
    foreign: bool  # names another framework and no torch anchor
    library: bool = False  # names torch itself

    @property
    def strength(self) -> str:
        """`strong` (an unambiguous autograd term, or two concepts, the library counting as one), `weak` (one
        ambiguous concept, or only the library's names) or `none`."""
        if self.foreign or not (self.concepts or self.library):
            return "none"
        return "strong" if self.unambiguous or len(self.concepts) + self.library >= 2 else "weak"


@dataclass(frozen=True)
class Vocabulary:
    """The domain's terms, read once from the topic rules, the bridge and the documented API names."""

    concept: dict[str, str]  # domain term → concept (its bridge group's first term, else itself)
    ambiguous: frozenset[str]  # terms that alone do not make a question autograd's
    other: tuple[re.Pattern, ...]  # other frameworks' names
    syntax: tuple[re.Pattern, ...]  # torch syntax (`x.grad`, `.backward()`)
    library: frozenset[str]  # the library's own names
    lowered: frozenset[str]  # every term in lower case: a question's words among them need no typo help
    typo_terms: tuple[tuple[str, str], ...]  # (term, its lower case) for ASCII terms long enough for a typo


@lru_cache(maxsize=1)
def _vocabulary() -> Vocabulary:
    """The domain vocabulary from its data files."""
    data = load_topics()
    terms = set(data["anchors"]["strong"]) | set(data["anchors"]["weak"]) | set(data["autograd"]["terms"])
    terms |= set(data["domain"]["api"])
    terms |= {t for group in data["tags"].values() for t in group}
    concept = {t: t for t in terms}
    for group in load_bridge():
        if any(t in terms for t in group):
            concept.update({t: group[0] for t in group})
    known = {t.lower() for t in concept}
    named = {t for t in api_name_parts() if t.lower() not in known}  # taken as they are: a plain word among
    concept.update({t: t for t in named})  # them ("function") brings in no bridge group (函数)
    plain = {t for t in named if t.isalpha() and (t.islower() or t.istitle())}
    ambiguous = frozenset(data["domain"]["ambiguous"]) | plain
    ambiguous |= {t for t, c in concept.items() if c in ambiguous}
    return Vocabulary(concept, ambiguous, tuple(term_pattern(t) for t in data["anchors"]["other_frameworks"]),
                      tuple(re.compile(p) for p in data["domain"]["syntax"]), frozenset(data["domain"]["library"]),
                      frozenset(t.lower() for t in concept),
                      tuple((t, t.lower()) for t in concept if re.fullmatch(r"[A-Za-z_]{5,}", t)))


def api_name_parts() -> set[str]:
    """The parts of the documented APIs' names after `torch.` (`profiler`, `save_on_cpu`, `FunctionCtx`): a plain
    word among them is ambiguous (`profile`, `functional`), an identifier is not."""
    from kb.ingest.torchdocs import load_settings

    return {part for name in load_settings()["apis"] for part in name.split(".")[1:]}


def outermost(spans: dict[str, list[tuple[int, int]]]) -> set[str]:
    """The terms found at least once outside a longer term's match ("node" inside "leaf node" is not a
    concept of its own)."""
    every = [span for found in spans.values() for span in found]
    inside = lambda a, b: b[0] <= a[0] and a[1] <= b[1] and a != b  # noqa: E731
    return {t for t, found in spans.items() if any(not any(inside(a, b) for b in every) for a in found)}


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
    vocab = _vocabulary()
    concept, lowered = vocab.concept, question.lower()
    found = outermost({t: term_spans(t, question, lowered=lowered) for t in concept})
    words = {w.lower() for w in WORD.findall(question)} - vocab.lowered  # exact: no typo help
    found |= {t for t, low in vocab.typo_terms for w in words if near(w, low)}
    names_library = {t for t in found if concept[t] in vocab.library}
    concepts = tuple(sorted({concept[t] for t in found - names_library}))
    code = [p.pattern for p in vocab.syntax if p.search(question)]
    named_torch = any(concept[t] in ("torch", "pytorch") for t in names_library)  # "autograd" and `x.grad`
    foreign = not named_torch and any(p.search(question) for p in vocab.other)  # are not enough beside MXNet
    unambiguous = bool(code) or any(t not in vocab.ambiguous for t in found - names_library)  # or jax.grad
    return DomainMatch(concepts + tuple(code), unambiguous, foreign, bool(names_library))
