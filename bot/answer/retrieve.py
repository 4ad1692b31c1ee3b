"""Hybrid retrieval: dense and weighted-BM25 candidates fused by z-score, bridged across languages."""
from __future__ import annotations

import builtins
import re
import types
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from bot.answer.compare import comparison_sides
from bot.answer.domain import near
from bot.answer.names import CODE_NAME, defines, definitions, question_names
from bot.answer.parts import order_parts
from kb.index.bridge import expand, gloss
from kb.index.search import Index, lexical_text
from kb.index.tokens import tokenize
from kb.types import ORIGIN_CHOICES, Chunk

CANDIDATES = 50  # each side's candidates per query
RRF_K = 60
DENSE_WEIGHT = 0.5  # the dense side's weight in z-score fusion; the lexical side has 1
EXCERPT_PENALTY = 0.5  # in standard deviations: a teaser from a page's recommendation block is not an answer
EXCERPT_SECTIONS = {"recommend", "article"}
ORIGIN_PRIOR = {"pages": 0.0, "torch-docs": -0.75}  # in standard deviations: the curated Q&A first, the
# reference docs when they match clearly better (an API name, a topic the pages do not cover); tuning split of 411
# with 16 alternative questions per entry: MRR 0.893 at -2 (chosen with none), 0.916 on a plateau from -1 to -0.5
DEFINES_LIFT = 2.0  # in standard deviations: a docs entry defining a name the question uses (its API with its
# module, or a parameter the pages never mention) outweighs the page that matches best; tuning split (3 was chosen
# against a prior of -2)
BRIDGE_WEIGHT = 0.3
TRIGRAM_WEIGHT = 0.1
SPELLING_WEIGHT = 0.7  # a word one typo away from an indexed word counts almost as that word
PYTHON_NAMES = frozenset(n.lower() for n in dir(builtins) + dir(types))  # NoneType, FunctionType: not torch APIs


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score."""

    chunk: Chunk
    score: float
    row: int  # the chunk's position in the index


@dataclass(frozen=True)
class SearchOptions:
    """Parts of retrieval that the evaluation switches off or swaps to measure what each is worth;
    answers always use the defaults."""

    dense: bool = True
    lexical: bool = True
    bridge: bool = True
    fusion: str = "zscore"  # or "rrf", reciprocal rank fusion; or "none": one channel's own ranking, no priors
    compare: bool = True  # a comparison question gets each side's best hit too
    typos: bool = True  # an unknown word also looks for the indexed words one typo away
    names: bool = True  # a docs entry that defines a name the question uses is lifted (bot.answer.names)
    parts: bool = True  # the parts of one entry are ordered by their dense similarity (bot.answer.parts)


def rrf(rankings: list[list[int]], *, k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion of several ranked id lists."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank + 1)
    return fused


def zscores(values: np.ndarray) -> np.ndarray:
    """Scores in standard deviations from their mean: a confident outlier stands out, flat noise does not."""
    std = values.std()
    return (values - values.mean()) / std if std > 0 else np.zeros_like(values)


def dense_query(query: str) -> str:
    """The query as the English-only model should see it: the bridge's gloss of it."""
    return gloss(query) or query


def weighted_tokens(query: str, *, bridge: bool = True) -> dict[str, float]:
    """Lexical query terms and their weights: the question's own words count most, bridged terms
    less, character trigrams (there to catch typos) least."""
    weights: dict[str, float] = {}
    own = tokenize(query)
    extra = tokenize(" ".join(expand(query).terms)) if bridge else []
    for tokens, weight in ((extra, BRIDGE_WEIGHT), (own, 1.0)):
        for token in tokens:
            weights[token] = weight * (TRIGRAM_WEIGHT if token.startswith("#") else 1.0)
    return weights


@lru_cache(maxsize=64)
def query_vector(model: str, text: str) -> np.ndarray:
    """A query's unit embedding under `model`, cached and read-only."""
    from kb.index.embed import embed

    vector = embed([text], model=model)[0]
    vector.setflags(write=False)
    return vector


def prune_for_size(weights: dict[str, float], n_chunks: int) -> dict[str, float]:
    """From the ANN threshold up, typo trigrams leave the lexical query: their long postings cost most
    of a query at 1M chunks (typos still reach indexed words through the spelling index)."""
    from kb.settings import ann_threshold

    if n_chunks < ann_threshold():
        return weights
    return {t: w for t, w in weights.items() if not t.startswith("#")}


class Retriever:
    """Searches one loaded index with the model it was built with."""

    def __init__(self, index: Index) -> None:
        import faiss

        faiss.omp_set_num_threads(1)  # one query at a time: threads cost more than they save
        self.index = index
        self.model = index.manifest["model"]
        self.english_only = index.manifest.get("english_only", True)
        self.vocabs = {origin: set(part.bm25.vocab_dict) for origin, part in index.lexical.items()}
        self.vocabs["all"] = self.vocab = set().union(*self.vocabs.values())
        self.names = {origin: part.names for origin, part in index.lexical.items()}
        self.names["all"] = frozenset().union(*self.names.values())
        self.chunk_tokens: dict[str, frozenset[str]] = {}
        self.definitions = [definitions(c) for c in index.chunks]
        self.spellings = {origin: SpellingIndex(t for t in words if re.fullmatch(r"[a-z_][a-z0-9_.]{4,}", t))
                          for origin, words in self.vocabs.items()}
        self.spelling = self.spellings["all"]

    def embed_query(self, text: str) -> np.ndarray:
        """The query's unit embedding (read-only; recent ones are kept, so weighing reuses search's)."""
        return query_vector(self.model, text)

    def dense_vector(self, query: str, *, bridge: bool = True) -> np.ndarray:
        """The query as the dense side reads it: glossed (with the bridge, for an English-only model), embedded."""
        return self.embed_query(dense_query(query) if bridge and self.english_only else query)

    def similarity(self, query: str, hit: Hit) -> float:
        """The hit's best passage cosine with the query, as the dense side reads the query."""
        return float(self.index.cosines([hit.row], self.dense_vector(query))[0])

    def search(self, query: str, *, k: int = 5, origin: str = "all",
               options: SearchOptions = SearchOptions()) -> list[Hit]:
        """Top `k` chunks of `origin` ("pages", "torch-docs" or "all")."""
        if origin not in ORIGIN_CHOICES:
            raise ValueError(f"unknown origin {origin!r}; choose one of {', '.join(ORIGIN_CHOICES)}")
        vector = self.dense_vector(query, bridge=options.bridge) if options.dense else None
        dense_hits = self.index.dense_search(vector, CANDIDATES, origin=origin) if options.dense else []
        lexical_hits = self.index.lexical_search(self.query_terms(query, bridge=options.bridge, typos=options.typos),
                                                 CANDIDATES, origin=origin) if options.lexical else []
        dense_ids = [i for i, _ in dense_hits]
        if options.fusion == "none":
            if options.dense == options.lexical:
                raise ValueError('fusion="none" ranks by one channel: switch the other off')
            fused = dict(dense_hits or lexical_hits)
        elif options.fusion == "rrf":
            fused = rrf([r for r in (dense_ids, [i for i, _ in sorted(lexical_hits, key=lambda h: -h[1])]) if r])
        else:
            names = self.corrected_names(query, typos=options.typos) if options.names else frozenset()
            fused = self._zscore_fusion(vector, dense_ids, dict(lexical_hits), names)
        ranked = sorted(fused, key=lambda i: -fused[i])
        scores = [float(fused[i]) for i in ranked]  # a place's score stays with the place
        if options.parts and options.fusion == "zscore" and vector is not None:
            ranked = order_parts(ranked, self.index.chunks, lambda rows: self.index.cosines(rows, vector))
        hits = [Hit(self.index.chunks[i], score, i) for i, score in zip(ranked[:k], scores)]
        sides = comparison_sides(query) if options.compare else None
        if sides and hits:
            single = replace(options, compare=False)
            side_hits = [h for side in sides for h in self.search(side, k=1, origin=origin, options=single)]
            hits = list({h.chunk.id: h for h in [hits[0], *side_hits, *hits[1:]]}.values())[:k]
        return hits

    def corrected_names(self, query: str, *, typos: bool = True) -> frozenset[str]:
        """The question's code-like names, and (with `typos`) each with its unknown last part replaced by the
        indexed words one typo away (`torch.no_gard` → `torch.no_grad`)."""
        names = question_names(query)
        if not typos:
            return names
        fixed = {f"{head}{dot}{word}" for name in names for head, dot, last in [name.rpartition(".")]
                 if last not in self.vocab for word in self.spelling.near(last)}
        return names | fixed

    def query_terms(self, query: str, *, bridge: bool = True, typos: bool = True) -> dict[str, float]:
        """Weighted lexical terms, plus (with `typos`) the indexed words that unknown words are one typo away
        from."""
        weights = prune_for_size(weighted_tokens(query, bridge=bridge), len(self.index.chunks))
        for token in [t for t in weights if typos and t not in self.vocab and not t.startswith("#")]:
            for word in self.spelling.near(token):
                weights.setdefault(word, SPELLING_WEIGHT * weights[token])
        return weights

    def _zscores_per_origin(self, ids: list[int], values: np.ndarray) -> np.ndarray:
        """Z-scores of the values, taken within each origin's chunks separately."""
        origins = np.array([self.index.chunks[i].origin for i in ids])
        out = np.zeros(len(ids))
        for origin in set(origins):
            same = origins == origin
            out[same] = zscores(values[same])
        return out

    def _zscore_fusion(self, vector: np.ndarray | None, dense_ids: list[int], lexical: dict[int, float],
                       names: frozenset[str]) -> dict:
        """Sum of each side's z-scores over the candidates both sides proposed, plus the priors. Dense scores
        are standardised within each origin (glossed Chinese pages and English docs are embedded differently,
        so their cosines are not on one scale); BM25 scores over all candidates (standardised per origin,
        every origin's best match would look equally good)."""
        ids = list(dict.fromkeys(dense_ids + list(lexical)))
        if not ids:
            return {}
        total = np.zeros(len(ids))
        if dense_ids:
            total += DENSE_WEIGHT * self._zscores_per_origin(ids, self.index.cosines(ids, vector))
        if lexical:
            total += zscores(np.array([lexical.get(i, 0.0) for i in ids]))
        total -= EXCERPT_PENALTY * np.array([is_excerpt(self.index.chunks[i]) for i in ids])
        total += np.array([ORIGIN_PRIOR[self.index.chunks[i].origin] for i in ids])
        if names:
            page_words = self.vocabs.get("pages", set())
            total += DEFINES_LIFT * np.array([defines(self.definitions[i], names, page_words=page_words) for i in ids])
        return dict(zip(ids, total))

    def unknown_names(self, query: str, *, origin: str = "all") -> tuple[str, ...]:
        """API-like names in the question (`torch.jit.script`, `lr_scheduler`, `GradScaler`) that no entry of
        `origin` mentions in its own text or code, not even one typo away (an entry's alternative questions
        do not count: they say how people ask, not what the entry is about). A dotted name counts by its last
        part (`w1.grad` is known); exception and warning classes and Python's own types (NoneType) never count."""
        names, spelling = self.names.get(origin, frozenset()), self.spellings.get(origin)
        unknown = []
        for match in CODE_NAME.finditer(query):
            name = match.group(0).lower().rstrip(".")
            last = name.rsplit(".", 1)[-1]
            if re.search(r"(error|warning|exception)$", last) or len(last) < 2 or name in PYTHON_NAMES:
                continue
            if {name, last} & names:
                continue
            near_words = spelling.near(name) | spelling.near(last) if spelling else set()
            if not near_words & names:
                unknown.append(match.group(0))
        return tuple(unknown)

    def coverage(self, query: str, chunk: Chunk) -> float:
        """IDF-weighted (within the chunk's origin) share of the query's tokens found in the chunk or its
        bridge equivalents; an unknown word counts when the chunk has a word it is one typo away from."""
        if chunk.id not in self.chunk_tokens:  # the lexical index's tokens, bridge terms included
            self.chunk_tokens[chunk.id] = frozenset(tokenize(lexical_text(chunk)))
        have = self.chunk_tokens[chunk.id]
        idf = {t: self.index.lexical[chunk.origin].idf(t) for t in tokenize(query) if not t.startswith("#")}
        found = [t for t in idf if t in have or (t not in self.vocab and self.spelling.near(t) & have)]
        total = sum(idf.values())
        return sum(idf[t] for t in found) / total if total else 0.0


class SpellingIndex:
    """Indexed words by their one-letter deletions, to find the words a typo is one edit away from."""

    def __init__(self, words) -> None:
        self.by_deletion: dict[str, set[str]] = {}
        for word in words:
            for key in {word, *_deletions(word)}:
                self.by_deletion.setdefault(key, set()).add(word)

    def near(self, word: str) -> set[str]:
        """Indexed words within one insertion, deletion, substitution or swap of `word`."""
        if len(word) < 5:
            return set()
        found = set().union(*(self.by_deletion.get(k, set()) for k in {word, *_deletions(word)}))
        return {w for w in found if w != word and near(w, word)}


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def is_excerpt(chunk: Chunk) -> bool:
    """Whether a chunk only ever appeared as a teaser in recommendation or related-article blocks."""
    return all(s.section in EXCERPT_SECTIONS for s in chunk.citations)
