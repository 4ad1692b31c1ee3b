"""BM25 over synthetic chunks without tokenizing them: each chunk's terms are the sum of its two base
texts' term counts (texts are tokenized once), and the score matrix is laid out the way bm25s keeps it
(per-token postings), so `kb.index.search.weighted_bm25` queries it exactly as it queries a built index."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

K1, B = 1.5, 0.75  # bm25s's defaults ("lucene")
BLOCK = 100_000


@dataclass
class Terms:
    """The base texts' distinct token ids and counts, the vocabulary, and tokenizing speed."""

    vocab: dict[str, int]
    ids: list[np.ndarray]
    counts: list[np.ndarray]
    ms_per_text: float


@dataclass(eq=False)  # hashable by identity, like a bm25s index
class Postings:
    """What `weighted_bm25` reads of a bm25s index."""

    scores: dict
    vocab_dict: dict[str, int]

    @property
    def nbytes(self) -> int:
        """Memory of the score matrix."""
        return sum(self.scores[k].nbytes for k in ("data", "indices", "indptr"))


def base_terms(texts: list[str]) -> Terms:
    """Tokenize the base texts once with the product's tokenizer."""
    from kb.index.tokens import tokenize

    vocab: dict[str, int] = {}
    ids, counts = [], []
    start = time.perf_counter()
    for text in texts:
        tokens = np.array([vocab.setdefault(t, len(vocab)) for t in tokenize(text) or ["_"]], dtype=np.int32)
        unique, count = np.unique(tokens, return_counts=True)
        ids.append(unique)
        counts.append(count.astype(np.int32))
    return Terms(vocab, ids, counts, (time.perf_counter() - start) * 1e3 / len(texts))


def _block(terms: Terms, i: np.ndarray, j: np.ndarray, first: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, token, tf) of a block of chunks, the two base texts' counts merged."""
    parts = [(i, np.arange(len(i)))] + [(j[j >= 0], np.flatnonzero(j >= 0))]
    docs, toks, tfs = [], [], []
    for bases, rows in parts:
        sizes = np.array([len(terms.ids[b]) for b in bases], dtype=np.int64)
        docs.append(np.repeat(rows + first, sizes))
        toks.append(np.concatenate([terms.ids[b] for b in bases]) if len(bases) else np.array([], np.int32))
        tfs.append(np.concatenate([terms.counts[b] for b in bases]) if len(bases) else np.array([], np.int32))
    key = np.concatenate(docs).astype(np.int64) * len(terms.vocab) + np.concatenate(toks)
    order = np.argsort(key, kind="stable")
    key, tf = key[order], np.concatenate(tfs)[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    key = key[starts]
    return (key // len(terms.vocab)).astype(np.int32), (key % len(terms.vocab)).astype(np.int32), \
        np.add.reduceat(tf, starts).astype(np.float32)


def postings(terms: Terms, i: np.ndarray, j: np.ndarray) -> Postings:
    """The BM25 score matrix of chunks made of base texts `i[k]` and `j[k]` (none when -1)."""
    blocks = [_block(terms, i[s : s + BLOCK], j[s : s + BLOCK], s) for s in range(0, len(i), BLOCK)]
    doc, tok, tf = (np.concatenate(parts) for parts in zip(*blocks))
    n, vocab = len(i), len(terms.vocab)
    lengths = np.bincount(doc, weights=tf, minlength=n)
    df = np.bincount(tok, minlength=vocab)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    data = idf[tok] * tf / (tf + K1 * (1 - B + B * lengths[doc] / lengths.mean())).astype(np.float32)
    order = np.argsort(tok, kind="stable")
    indptr = np.r_[0, np.cumsum(df)].astype(np.int64)
    scores = {"data": data[order].astype(np.float32), "indices": doc[order], "indptr": indptr, "num_docs": n}
    return Postings(scores, terms.vocab)


def token_lists(terms: Terms, i: np.ndarray, j: np.ndarray) -> list[list[str]]:
    """The chunks as token lists (for bm25s and rank_bm25 at small sizes)."""
    words = np.array(sorted(terms.vocab, key=terms.vocab.get), dtype=object)
    expand = lambda b: list(words[np.repeat(terms.ids[b], terms.counts[b])])  # noqa: E731
    return [expand(a) + (expand(b) if b >= 0 else []) for a, b in zip(i, j)]
