"""How query latency, memory and ANN recall grow with corpus size.

Texts are synthetic but made of the corpus's own sentences; 5,000 of them are embedded once with the
real model (cached in bench/cache/). Larger corpora mix two real vectors and two texts per chunk, so
the vectors keep the clustered shape of real embeddings without embedding a million texts.
"""
from __future__ import annotations

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
    from kb.pipeline import build_chunks

    text = " ".join(c.question + " " + c.text for c in build_chunks()[0])
    return [s.strip() for s in re.split(r"(?<=[。!?])|\n", text) if len(s.strip()) > 12]


def base_corpus(seed: int = 0) -> tuple[list[str], np.ndarray]:
    """5,000 synthetic chunks and their real embeddings (embedded once, then cached)."""
    from kb.embed import embed
    from kb.settings import BUNDLED_MODEL

    rng = random.Random(seed)
    pool = sentences()
    texts = [" ".join(rng.sample(pool, 3)) + f" example_{i} x{i % 97}.grad" for i in range(BASE_TEXTS)]
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"base-{seed}-{BASE_TEXTS}.npy"
    if not path.exists():
        np.save(path, embed(texts, model=BUNDLED_MODEL, batch_size=64))
    return texts, np.load(path)


def corpus(n: int, texts: list[str], vectors: np.ndarray, seed: int = 1) -> tuple[list[str], np.ndarray]:
    """`n` chunks: the base ones, then mixtures of two base chunks each."""
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, len(texts), n), rng.integers(0, len(texts), n)
    mixed = vectors[i] + 0.6 * vectors[j]
    mixed[: min(n, len(texts))] = vectors[: min(n, len(texts))]
    mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
    return [texts[a] if k < len(texts) else texts[a] + " " + texts[b] for k, (a, b) in enumerate(zip(i, j))], \
        mixed.astype(np.float32)


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

    from kb.index import make_dense_index

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


def lexical_figures(texts: list[str], query_texts: list[str], *, naive: bool) -> dict:
    """bm25s with the project's weighted tokens, and (for small sizes) rank_bm25 as the naive way."""
    import bm25s

    from bot.retrieve import weighted_tokens
    from kb.index import top_k, weighted_bm25
    from kb.tokens import tokenize

    start = time.perf_counter()
    tokens = [tokenize(t) or ["_"] for t in texts]
    out = {"tokenize_s": time.perf_counter() - start}
    lexical = bm25s.BM25()
    lexical.index(tokens, show_progress=False)
    weights = [weighted_tokens(q) for q in query_texts]
    out["bm25s_query_ms"] = time_queries(lambda w: top_k(weighted_bm25(lexical, w, len(texts)), 10), weights)
    if naive:
        from rank_bm25 import BM25Okapi

        okapi = BM25Okapi(tokens)
        out["rank_bm25_query_ms"] = time_queries(lambda w: okapi.get_top_n(list(w), texts, n=10), weights)
    return out


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(sizes: list[int]) -> list[dict]:
    """One row of figures per corpus size."""
    texts, vectors = base_corpus()
    rows = []
    for n in sizes:
        chunk_texts, chunk_vectors = corpus(n, texts, vectors)
        rng = np.random.default_rng(7)
        picks = rng.integers(0, n, QUERIES)
        noisy = chunk_vectors[picks] + 0.05 * rng.standard_normal((QUERIES, chunk_vectors.shape[1])).astype(np.float32)
        queries = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
        row = {"chunks": n, **dense_figures(chunk_vectors, queries)}
        row.update(lexical_figures(chunk_texts, [chunk_texts[p][:60] for p in picks[:50]], naive=n <= 10_000))
        row["peak_rss_mb"] = rss_mb()
        rows.append(row)
        print(f"  {n:>9,} chunks: flat {row['flat_query_ms']:.2f} ms, hnsw {row['hnsw_query_ms']:.2f} ms "
              f"(recall@10 {row['hnsw_recall@10']:.3f}), bm25 {row['bm25s_query_ms']:.1f} ms", flush=True)
    return rows
