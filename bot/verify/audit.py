"""Check every chunk of the knowledge base: does its snippet run, and what do its claims get?"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.verify.check import Check, check_chunk
from kb.types import Chunk


@dataclass
class Audit:
    """Snippet and verdict counts over a whole knowledge base, by origin."""

    checks: dict[str, Check | None] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # chunk id -> "pages" | "torch-docs"

    def _checks(self, origin: str | None) -> list[Check | None]:
        return [c for cid, c in self.checks.items() if origin in (None, self.origins.get(cid))]

    def verdicts(self, origin: str | None = None) -> Counter:
        """How many claims were confirmed, contradicted and unchecked (in one origin, or all)."""
        return Counter(v.status for c in self._checks(origin) if c for v in c.verdicts)

    def by_evidence(self, origin: str | None = None) -> Counter:
        """How many claims got each verdict on each evidence: (evidence or None, status)."""
        return Counter((v.evidence, v.status) for c in self._checks(origin) if c for v in c.verdicts)

    def snippets(self, origin: str | None = None) -> Counter:
        """Snippet outcomes: runs, repaired (runs after a labelled repair), fails, none."""
        out = Counter()
        for check in self._checks(origin):
            if check is None:
                out["none"] += 1
            elif check.run.ok:
                out["runs"] += 1
            else:
                out["repaired" if check.repaired_run and check.repaired_run.ok else "fails"] += 1
        return out

    def lines(self) -> list[str]:
        """The audit as summary lines, one pair per origin."""
        out = []
        for origin in sorted(set(self.origins.values())):
            snippets = ", ".join(f"{n} {k}" for k, n in sorted(self.snippets(origin).items()))
            counts = self.verdicts(origin)
            verdicts = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("confirmed", "contradicted", "unchecked"))
            out += [f"{origin} snippets: {snippets}", f"{origin} quoted values: {verdicts}",
                    f"{origin} by evidence: {evidence_summary(self.by_evidence(origin))}"]
        return out


def evidence_summary(counts: Counter) -> str:
    """`independent 3 confirmed, 0 contradicted; source-code 5 confirmed, 1 contradicted; unchecked 2`."""
    parts = [f"{kind} {counts[kind, 'confirmed']} confirmed, {counts[kind, 'contradicted']} contradicted"
             for kind in ("independent", "source-code")]
    return "; ".join(parts + [f"unchecked {counts[None, 'unchecked']}"])


def audit(chunks: list[Chunk], sandbox) -> Audit:
    """Run every chunk's snippet (shared snippets once per chunk) and judge its claims."""
    result = Audit()
    for chunk in chunks:
        result.checks[chunk.id] = check_chunk(chunk, sandbox)
        result.origins[chunk.id] = chunk.origin
    return result
