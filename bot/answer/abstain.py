"""Whether the knowledge base answers a question, decided from retrieval evidence."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.answer.retrieve import Evidence

POLICY_FILE = Path(__file__).with_name("abstain.toml")


@dataclass(frozen=True)
class Policy:
    """Thresholds on the evidence; see bot/data/abstain.toml."""

    weak_min_coverage: float
    min_coverage: float
    min_dense: float

    def answers(self, evidence: Evidence) -> bool:
        """True when the evidence says the knowledge base covers the question."""
        if evidence.domain == "none":
            return False
        if evidence.domain == "weak":
            return evidence.coverage >= self.weak_min_coverage
        return evidence.coverage >= self.min_coverage or evidence.dense >= self.min_dense


def load_policy(path: Path = POLICY_FILE) -> Policy:
    """The calibrated policy from its data file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Policy(float(data["weak_min_coverage"]), float(data["min_coverage"]), float(data["min_dense"]))
