"""Weighted BM25 over postings gives exactly bm25s's own scores, summed with the weights."""
import random

import bm25s
import numpy as np

from kb.index.search import top_k, weighted_bm25


def test_weighted_bm25_matches_bm25s_and_top_k_matches_a_full_sort():
    rng = random.Random(0)
    docs = [[f"w{rng.randint(0, 50)}" for _ in range(rng.randint(1, 20))] for _ in range(300)]
    lexical = bm25s.BM25()
    lexical.index(docs, show_progress=False)
    weights = {"w1": 1.0, "w7": 0.3, "w33": 0.1, "unknown": 1.0}
    expected = sum(w * lexical.get_scores([t]) for t, w in weights.items())
    scores = weighted_bm25(lexical, weights, len(docs))
    assert np.allclose(scores, expected, atol=1e-6)
    best_first = np.sort(scores)[::-1]
    assert np.array_equal(scores[top_k(scores, 10)], best_first[:10])  # ties may come in any order
    assert sorted(top_k(scores, 1000)) == list(range(len(docs))) and len(top_k(scores, 0)) == 0
