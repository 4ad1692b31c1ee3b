"""Check every chunk of the knowledge base: does its snippet run, and what do its claims get?"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.check import Check, check_chunk
from kb.types import Chunk


@dataclass
class Audit:
    """Snippet and verdict counts over a whole knowledge base."""

    checks: dict[str, Check | None] = field(default_factory=dict)

    @property
    def verdicts(self) -> Counter:
        """How many claims were confirmed, contradicted and unchecked."""
        return Counter(v.status for c in self.checks.values() if c for v in c.verdicts)

    @property
    def snippets(self) -> Counter:
        """Snippet outcomes: runs, repaired (runs after a labelled repair), fails, none."""
        out = Counter()
        for check in self.checks.values():
            if check is None:
                out["none"] += 1
            elif check.run.ok:
                out["runs"] += 1
            else:
                out["repaired" if check.repaired_run and check.repaired_run.ok else "fails"] += 1
        return out

    def lines(self) -> list[str]:
        """The audit as summary lines."""
        snippets = ", ".join(f"{n} {k}" for k, n in sorted(self.snippets.items()))
        verdicts = ", ".join(f"{self.verdicts.get(k, 0)} {k}" for k in ("confirmed", "contradicted", "unchecked"))
        return [f"snippets: {snippets}", f"quoted values: {verdicts}"]


def audit(chunks: list[Chunk], sandbox) -> Audit:
    """Run every chunk's snippet (shared snippets once per chunk) and judge its claims."""
    result = Audit()
    for chunk in chunks:
        result.checks[chunk.id] = check_chunk(chunk, sandbox)
    return result
