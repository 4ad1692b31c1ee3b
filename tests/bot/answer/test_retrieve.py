"""Retrieval's ablation switches: a channel alone ranks by its own scores, with no priors added."""
import pytest

from bot.answer.retrieve import SearchOptions, dense_query

QUESTION = "如何在 backward 之后保留非叶子节点的梯度"


def test_dense_alone_is_the_cosine_ranking_of_the_glossed_question(bot):
    retriever = bot.retriever
    hits = retriever.search(QUESTION, k=5, options=SearchOptions(lexical=False, fusion="none"))
    vector = retriever.embed_query(dense_query(QUESTION))  # glossed by hand, not by dense_vector
    expected = retriever.index.dense_search(vector, 5)
    assert [h.chunk.id for h in hits] == [retriever.index.chunks[i].id for i, _ in expected]
    assert [h.score for h in hits] == pytest.approx([s for _, s in expected])
    fused = retriever.search(QUESTION, k=5, options=SearchOptions(lexical=False))
    assert [h.score for h in fused] != pytest.approx([h.score for h in hits])  # fusion adds priors


def test_lexical_alone_is_the_bm25_ranking(bot):
    retriever = bot.retriever
    options = SearchOptions(dense=False, bridge=False, fusion="none")
    hits = retriever.search(QUESTION, k=5, options=options)
    scores = dict(retriever.index.lexical_search(retriever.query_terms(QUESTION, bridge=False), 50))
    assert [h.score for h in hits] == sorted(scores.values(), reverse=True)[:5]


@pytest.mark.parametrize("options", [SearchOptions(fusion="none"),
                                     SearchOptions(dense=False, lexical=False, fusion="none")])
def test_no_fusion_needs_exactly_one_channel(bot, options):
    with pytest.raises(ValueError, match="one channel"):
        bot.retriever.search(QUESTION, options=options)
