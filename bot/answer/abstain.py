"""Whether the knowledge base answers a question: does the question name torch at all, and how much of it
does the best hit cover?"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from bot.answer.domain import match_domain
from bot.answer.retrieve import Hit, Retriever

POLICY_FILE = Path(__file__).with_name("abstain.toml")


@dataclass(frozen=True)
class Evidence:
    """What the decision rests on."""

    coverage: float  # IDF-weighted share of the question's tokens the best hit covers
    domain: str  # "strong", "weak" or "none": see bot.answer.domain
    unknown_names: tuple[str, ...] = ()  # API-like names no chunk holds (Retriever.unknown_names)
    elsewhere: Hit | None = None  # asked of one source: another source's entry that ranks first over all of them
    elsewhere_coverage: float = 0.0  # and how much of the question that entry covers
    similarity: float = 1.0  # the best hit's cosine with the question as the dense side reads it


def weigh(retriever: Retriever, question: str, hits: list[Hit], *, origin: str = "all") -> Evidence:
    """The evidence for a question and its ranked hits from `origin`; asked of one source, also the best entry
    of the others when it ranks above this source's best."""
    coverage = retriever.coverage(question, hits[0].chunk) if hits else 0.0
    similarity = retriever.similarity(question, hits[0]) if hits else 0.0
    evidence = Evidence(coverage, match_domain(question).strength, retriever.unknown_names(question, origin=origin),
                        similarity=similarity)
    if origin == "all":
        return evidence
    overall = retriever.search(question, k=3)
    others = [h for h in overall if h.chunk.origin != origin]
    if not overall or overall[0].chunk.origin == origin or not others:
        return evidence
    best = max(others, key=lambda h: retriever.coverage(question, h.chunk))
    return replace(evidence, elsewhere=best, elsewhere_coverage=retriever.coverage(question, best.chunk))


@dataclass(frozen=True)
class Policy:
    """The calibrated threshold; see abstain.toml."""

    weak_min_coverage: float
    decline_unknown_names: bool = True
    source_min_coverage: float = 0.0
    source_margin: float = 1.0
    strong_min_coverage: float = 0.0
    strong_min_similarity: float = 0.0

    def answers(self, evidence: Evidence) -> bool:
        """True when the evidence says the knowledge base (or the source asked) covers the question."""
        if evidence.domain == "none" or (self.decline_unknown_names and evidence.unknown_names):
            return False
        if self.source_lacks(evidence):
            return False
        if evidence.domain == "strong":
            return evidence.coverage >= self.strong_min_coverage or evidence.similarity >= self.strong_min_similarity
        return evidence.coverage >= self.weak_min_coverage

    def source_lacks(self, evidence: Evidence) -> bool:
        """Asked of one source: another source's entry ranks first and covers the question clearly better than
        this source's best, which covers little of it."""
        return evidence.elsewhere is not None and evidence.coverage < self.source_min_coverage \
            and evidence.elsewhere_coverage - evidence.coverage >= self.source_margin


def load_policy(path: Path = POLICY_FILE) -> Policy:
    """The calibrated policy from its data file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Policy(float(data["weak_min_coverage"]), bool(data.get("decline_unknown_names", True)),
                  float(data.get("source_min_coverage", 0.0)), float(data.get("source_margin", 1.0)),
                  float(data.get("strong_min_coverage", 0.0)), float(data.get("strong_min_similarity", 0.0)))
