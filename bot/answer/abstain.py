"""Whether the knowledge base answers a question: does the question name torch at all, and how much of it
does the best hit cover?"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
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


def weigh(retriever: Retriever, question: str, hits: list[Hit]) -> Evidence:
    """The evidence for a question and its ranked hits."""
    coverage = retriever.coverage(question, hits[0].chunk) if hits else 0.0
    return Evidence(coverage, match_domain(question).strength, retriever.unknown_names(question))


@dataclass(frozen=True)
class Policy:
    """The calibrated threshold; see abstain.toml."""

    weak_min_coverage: float
    decline_unknown_names: bool = True

    def answers(self, evidence: Evidence) -> bool:
        """True when the evidence says the knowledge base covers the question."""
        if evidence.domain == "none" or (self.decline_unknown_names and evidence.unknown_names):
            return False
        return evidence.domain == "strong" or evidence.coverage >= self.weak_min_coverage


def load_policy(path: Path = POLICY_FILE) -> Policy:
    """The calibrated policy from its data file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Policy(float(data["weak_min_coverage"]), bool(data.get("decline_unknown_names", True)))
