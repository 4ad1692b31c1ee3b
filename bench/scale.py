"""How query latency, memory and ANN recall grow with corpus size.

Texts are synthetic but made of the corpus's own sentences; 5,000 of them are embedded once with the
real model (cached in bench/cache/) and tokenized once. Larger corpora mix two real vectors and two
texts per chunk, so the vectors keep the clustered shape of real embeddings and the BM25 postings the
shape of real term counts (bench/lexical.py) without embedding or tokenizing a million texts.
"""
from __future__ import annotations

import hashlib
import random
import re
import resource
import statistics
import time
from pathlib import Path

import numpy as np

CACHE = Path(__file__).parent / "cache"
BASE_TEXTS = 5_000
QUERIES = 200


def sentences() -> list[str]:
    """Sentences of the bundled corpus's kept answers."""
    from kb.ingest.pipeline import build_chunks

    text = " ".join(c.question + " " + c.text for c in build_chunks()[0])
    return [s.strip() for s in re.split(r"(?<=[。!?])|\n", text) if len(s.strip()) > 12]


def base_corpus(seed: int = 0) -> tuple[list[str], np.ndarray]:
    """5,000 synthetic chunks and their real embeddings (embedded once, then cached)."""
    from kb.index.embed import embed
    from kb.settings import BUNDLED_MODEL

    rng = random.Random(seed)
    pool = sentences()
    texts = [" ".join(rng.sample(pool, 3)) + f" example_{i} x{i % 97}.grad" for i in range(BASE_TEXTS)]
    CACHE.mkdir(exist_ok=True)
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:12]  # the pool follows the knowledge base
    path = CACHE / f"base-{seed}-{BASE_TEXTS}-{digest}.npy"
    if not path.exists():
        np.save(path, embed(texts, model=BUNDLED_MODEL, batch_size=64))
    return texts, np.load(path)


def pairs(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Which two base chunks each of `n` chunks is made of (the first 5,000 are the base ones)."""
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, BASE_TEXTS, n), rng.integers(0, BASE_TEXTS, n)
    base = min(n, BASE_TEXTS)
    i[:base], j[:base] = np.arange(base), -1
    return i, j


def mixed_vectors(vectors: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Unit vectors of the chunks: a base vector, plus 0.6 of a second one for mixed chunks."""
    mixed = vectors[i] + 0.6 * np.where((j >= 0)[:, None], vectors[np.maximum(j, 0)], 0)
    return (mixed / np.linalg.norm(mixed, axis=1, keepdims=True)).astype(np.float32)


def chunk_text(texts: list[str], a: int, b: int) -> str:
    """A chunk's text: its base text, and the second one for a mixed chunk."""
    return texts[a] if b < 0 else texts[a] + " " + texts[b]


def p50(samples: list[float]) -> float:
    """The median."""
    return statistics.median(samples)


def time_queries(search, queries: np.ndarray) -> float:
    """Median milliseconds of one query at a time."""
    samples = []
    for q in queries:
        start = time.perf_counter()
        search(q)
        samples.append((time.perf_counter() - start) * 1e3)
    return p50(samples)


def dense_figures(vectors: np.ndarray, queries: np.ndarray) -> dict:
    """Exact and HNSW: build time, query p50, index bytes, and HNSW's recall@10 against exact."""
    import faiss

    from kb.index.search import make_dense_index

    out = {}
    found = {}
    for kind in ("flat", "hnsw"):
        start = time.perf_counter()
        index = make_dense_index(vectors, kind=kind)
        out[f"{kind}_build_s"] = time.perf_counter() - start
        faiss.omp_set_num_threads(1)
        out[f"{kind}_query_ms"] = time_queries(lambda q: index.search(q[None, :], 10), queries)
        found[kind] = index.search(queries, 10)[1]
        out[f"{kind}_bytes"] = int(faiss.serialize_index(index).nbytes)
    out["hnsw_recall@10"] = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found["hnsw"], found["flat"])]))
    return out


def lexical_figures(terms, i: np.ndarray, j: np.ndarray, query_texts: list[str], *, naive: bool) -> dict:
    """The product's weighted BM25 over the chunks' postings; for small sizes also a real bm25s index
    (which must score the same) and rank_bm25 as the naive way."""
    from bench.lexical import postings, token_lists
    from bot.answer.retrieve import prune_for_size, weighted_tokens
    from kb.index.search import top_k, weighted_bm25

    start = time.perf_counter()
    lexical = postings(terms, i, j)
    out = {"tokenize_ms_per_text": terms.ms_per_text, "bm25_build_s": time.perf_counter() - start,
           "bm25_bytes": lexical.nbytes}
    weights = [weighted_tokens(q) for q in query_texts]
    search = lambda w: top_k(weighted_bm25(lexical, w, len(i)), 10)  # noqa: E731
    queries = [prune_for_size(w, len(i)) for w in weights]  # what the retriever sends at this size
    out["bm25s_query_ms"] = time_queries(search, queries)
    out["bm25_recall@10"] = float(np.mean([len(set(search(q)) & set(search(w))) / 10
                                           for q, w in zip(queries, weights)]))
    if naive:
        import bm25s
        from rank_bm25 import BM25Okapi

        tokens = token_lists(terms, i, j)
        real = bm25s.BM25()
        real.index(tokens, show_progress=False)
        gap = max(float(np.abs(weighted_bm25(real, w, len(i)) - weighted_bm25(lexical, w, len(i))).max())
                  for w in weights)
        assert gap < 1e-3, f"synthetic postings differ from bm25s by {gap}"
        okapi = BM25Okapi(tokens)
        out["rank_bm25_query_ms"] = time_queries(lambda w: okapi.get_top_n(list(w), tokens, n=10), weights)
    return out


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(sizes: list[int]) -> list[dict]:
    """One row of figures per corpus size."""
    from bench.lexical import base_terms

    texts, vectors = base_corpus()
    terms = base_terms(texts)
    rows = []
    for n in sizes:
        i, j = pairs(n)
        chunk_vectors = mixed_vectors(vectors, i, j)
        rng = np.random.default_rng(7)
        picks = rng.integers(0, n, QUERIES)
        noisy = chunk_vectors[picks] + 0.05 * rng.standard_normal((QUERIES, chunk_vectors.shape[1])).astype(np.float32)
        queries = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
        row = {"chunks": n, **dense_figures(chunk_vectors, queries)}
        del chunk_vectors
        query_texts = [chunk_text(texts, i[p], j[p])[:60] for p in picks[:50]]
        row.update(lexical_figures(terms, i, j, query_texts, naive=n <= 10_000))
        row["peak_rss_mb"] = rss_mb()
        rows.append(row)
        print(f"  {n:>9,} chunks: flat {row['flat_query_ms']:.2f} ms, hnsw {row['hnsw_query_ms']:.2f} ms "
              f"(recall@10 {row['hnsw_recall@10']:.3f}), bm25 {row['bm25s_query_ms']:.1f} ms "
              f"(recall@10 {row['bm25_recall@10']:.3f})", flush=True)
    return rows
