"""Hybrid retrieval: dense and lexical candidates fused by reciprocal rank."""
from __future__ import annotations

from dataclasses import dataclass

from kb.index import Index
from kb.tokens import tokenize
from kb.types import Chunk

RRF_K = 60


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


def rrf(rankings: list[list[int]], *, k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion of several ranked id lists."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank + 1)
    return fused


class Retriever:
    """Searches one loaded index with the model it was built with."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.model = index.manifest["model"]

    def query_vector(self, query: str):
        """The query's unit embedding."""
        from kb.embed import embed

        return embed([query], model=self.model)[0]

    def search(self, query: str, *, k: int = 5, candidates: int = 50,
               dense: bool = True, lexical: bool = True) -> list[Hit]:
        """Top `k` chunks for a query; either side can be switched off for ablations."""
        dense_ids = [i for i, _ in self.index.dense_search(self.query_vector(query), candidates)] \
            if dense else []
        lexical_ids = [i for i, _ in self.index.lexical_search(tokenize(query), candidates)] \
            if lexical else []
        fused = rrf([r for r in (dense_ids, lexical_ids) if r])
        best = sorted(fused, key=lambda i: -fused[i])[:k]
        rank = lambda ids, i: ids.index(i) + 1 if i in ids else None  # noqa: E731
        return [Hit(self.index.chunks[i], fused[i], rank(dense_ids, i), rank(lexical_ids, i))
                for i in best]
