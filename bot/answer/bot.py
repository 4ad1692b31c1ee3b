"""One Answer type for the CLI, the web chat and the evaluation; the Bot that produces it."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.answer.abstain import Policy, load_policy, weigh
from bot.answer.question import validate_question
from bot.answer.retrieve import Hit, Retriever
from bot.verify.check import Check, check_chunk
from bot.verify.compute import Computed, compute_question


@dataclass(frozen=True)
class Answer:
    """A question's answer: the ranked hits (none answers when it abstained), the checked snippet, the
    question's own numbers computed, and how long each stage took."""

    query: str
    abstained: bool
    hits: tuple[Hit, ...]
    check: Check | None = None
    computed: Computed | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    unknown_names: tuple[str, ...] = ()  # API-like names in the question that no entry mentions
    elsewhere: Hit | None = None  # declined when asked of one source: the entry another source has

    @property
    def best(self) -> Hit | None:
        """The answering hit, unless the bot abstained."""
        return None if self.abstained or not self.hits else self.hits[0]


class Bot:
    """Loads the index, model and sandbox once; answers many questions."""

    def __init__(self, data_dir: Path, *, sandbox=None, policy: Policy | None = None) -> None:
        from kb.index.search import Index

        self.retriever = Retriever(Index.load(data_dir))
        self.sandbox = sandbox
        self.policy = policy or load_policy()

    def warm_up(self, text: str = "warm up 预热") -> None:
        """Load now, rather than on the first question, what searching `text` needs: the embedding model, and
        the Chinese tokenizer if it has Chinese (the default text has both)."""
        self.retriever.search(text, k=1)

    def retrieve(self, question: str, *, k: int = 3, origin: str = "all") -> Answer:
        """Validate, retrieve from `origin` and decide whether to answer; no snippet is run yet."""
        start = time.perf_counter()
        query = validate_question(question)
        hits = self.retriever.search(query, k=max(k, 1), origin=origin)
        evidence = weigh(self.retriever, query, hits, origin=origin)
        abstained = not hits or not self.policy.answers(evidence)
        retrieve_ms = (time.perf_counter() - start) * 1e3
        timings = {"retrieve": retrieve_ms, "run": 0.0, "total": retrieve_ms}
        return Answer(query, abstained, tuple(hits), timings_ms=timings, unknown_names=evidence.unknown_names,
                      elsewhere=evidence.elsewhere if abstained else None)

    def verify(self, answer: Answer, *, sandbox=None) -> Answer:
        """Compute the question's own numbers, run the best chunk's snippet in the sandbox and judge its claims.

        `sandbox` is one leased from a pool; by default the bot's own."""
        sandbox = sandbox or self.sandbox
        if sandbox is None:
            return answer
        start = time.perf_counter()
        computed = compute_question(answer.query, sandbox)
        check = None if answer.abstained else check_chunk(answer.hits[0].chunk, sandbox)
        if check and check.maths and computed and check.maths.code == computed.code:  # the example is your numbers
            check = replace(check, verdicts=tuple(replace(v, about="question") if v.evidence == "independent" else v
                                                  for v in check.verdicts))
        run_ms = (time.perf_counter() - start) * 1e3
        timings = {**answer.timings_ms, "run": run_ms, "total": answer.timings_ms["retrieve"] + run_ms}
        return replace(answer, check=check, computed=computed, timings_ms=timings)

    def answer(self, question: str, *, k: int = 3, origin: str = "all", run: bool = True) -> Answer:
        """Retrieve, decide whether to answer, run and check the best chunk's snippet."""
        answer = self.retrieve(question, k=k, origin=origin)
        return self.verify(answer) if run else answer
