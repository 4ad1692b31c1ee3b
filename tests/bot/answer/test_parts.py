"""The parts of one long entry: ordered among the places they hold by their dense similarity to the question."""
import numpy as np

from bot.answer.parts import order_parts
from bot.answer.retrieve import SearchOptions


def test_parts_swap_places_and_other_entries_stay(bot):
    chunks = bot.retriever.index.chunks
    rows = {c.question: i for i, c in enumerate(chunks)}
    first, second = (next(i for q, i in rows.items() if q.startswith("torch.func.vmap:") and q.endswith(f"({n}/4)"))
                     for n in (1, 2))
    other = next(i for i, c in enumerate(chunks) if c.origin == "pages")
    cosines = {first: 0.1, second: 0.9}
    similarity = lambda ids: np.array([cosines[i] for i in ids])  # noqa: E731
    assert order_parts([first, other, second], chunks, similarity) == [second, other, first]
    assert order_parts([second, other, first], chunks, similarity) == [second, other, first]
    assert order_parts([other], chunks, similarity) == [other]


def test_the_part_that_holds_the_answer_comes_first(bot):
    question = "which operators take the most time in the profiler table"
    first = lambda options: bot.retriever.search(question, k=1, options=options)[0].chunk  # noqa: E731
    unordered, ordered = first(SearchOptions(parts=False)), first(SearchOptions())
    assert unordered.section == ordered.section == "torch.autograd.profiler.profile"
    assert "table" not in unordered.text and "table" in ordered.text  # the part with key_averages().table()


def test_scores_stay_with_their_places(bot):
    hits = bot.retriever.search("how do I pass in_dims to vmap so one argument is not batched", k=10)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
