"""Hybrid retrieval: dense and lexical candidates fused by reciprocal rank, bridged across languages."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kb.bridge import expand
from kb.index import Index, lexical_text
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


@dataclass(frozen=True)
class Evidence:
    """What the retrieval saw, for deciding whether the knowledge base answers the question."""

    dense: float  # best cosine similarity
    coverage: float  # IDF-weighted share of the question's tokens the best hit covers
    domain: bool  # the question uses a torch/autograd term (directly or through the bridge)


def rrf(rankings: list[list[int]], *, k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion of several ranked id lists."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank + 1)
    return fused


def dense_query(query: str) -> str:
    """The query as the English-only model should see it: plus English names of its Chinese terms."""
    english = expand(query).english
    return f"{query} ({', '.join(english)})" if english else query


def lexical_query(query: str, *, bridge: bool = True) -> list[str]:
    """The query's lexical tokens, plus those of its bridge equivalents."""
    tokens = tokenize(query)
    return tokens + tokenize(" ".join(expand(query).terms)) if bridge else tokens


class Retriever:
    """Searches one loaded index with the model it was built with."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.model = index.manifest["model"]
        lexical = index.lexical
        indptr = np.asarray(lexical.scores["indptr"])
        self.vocab = lexical.vocab_dict
        self.df = np.diff(indptr)
        self.n_docs = max(1, int(lexical.scores.get("num_docs", len(index.chunks))))

    def embed_query(self, text: str) -> np.ndarray:
        """The query's unit embedding."""
        from kb.embed import embed

        return embed([text], model=self.model)[0]

    def search(self, query: str, *, k: int = 5, candidates: int = 50, dense: bool = True,
               lexical: bool = True, bridge: bool = True) -> tuple[list[Hit], Evidence]:
        """Top `k` chunks and the evidence; sides and the bridge can be switched off for ablations."""
        vector = self.embed_query(dense_query(query) if bridge else query)
        dense_hits = self.index.dense_search(vector, candidates)
        dense_ids = [i for i, _ in dense_hits] if dense else []
        lexical_ids = [i for i, _ in self.index.lexical_search(lexical_query(query, bridge=bridge),
                                                               candidates)] if lexical else []
        fused = rrf([r for r in (dense_ids, lexical_ids) if r])
        best = sorted(fused, key=lambda i: -fused[i])[:k]
        rank = lambda ids, i: ids.index(i) + 1 if i in ids else None  # noqa: E731
        hits = [Hit(self.index.chunks[i], fused[i], rank(dense_ids, i), rank(lexical_ids, i))
                for i in best]
        top_cos = dense_hits[0][1] if dense_hits else 0.0
        return hits, Evidence(top_cos, self.coverage(query, hits[0].chunk) if hits else 0.0,
                              is_domain(query))

    def idf(self, token: str) -> float:
        """BM25's inverse document frequency of a token (unknown tokens count as rare)."""
        tid = self.vocab.get(token)
        df = int(self.df[tid]) if tid is not None and tid < len(self.df) else 0
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def coverage(self, query: str, chunk: Chunk) -> float:
        """IDF-weighted share of the query's tokens found in the chunk or its bridge equivalents."""
        text = lexical_text(chunk)
        have = set(tokenize(text)) | set(tokenize(" ".join(expand(text).terms)))
        tokens = set(tokenize(query))
        total = sum(self.idf(t) for t in tokens)
        return sum(self.idf(t) for t in tokens if t in have) / total if total else 0.0


def is_domain(query: str) -> bool:
    """Whether the query names anything torch or autograd, directly or through the bridge."""
    from kb.classify import load_rules

    rules = load_rules()
    text = query + " " + " ".join(expand(query).terms)
    patterns = list(rules.strong) + list(rules.weak) + list(rules.autograd.values())
    return any(p.search(text) for p in patterns)
