"""The searchable index: dense vectors in FAISS and BM25 over Chinese-aware tokens."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from kb.bridge import expand, gloss
from kb.store import IndexUnavailable, Stored, load_stored
from kb.tokens import tokenize
from kb.types import Chunk


def embed_text(chunk: Chunk, *, english_only: bool = True) -> str:
    """What the dense model sees. An English-only model reads Chinese as [UNK], so it gets the
    bridge's gloss: Chinese terms in English, other Chinese dropped."""
    if english_only:
        return f"{gloss(chunk.question)}\n{gloss(chunk.text)}"[:2000]
    return f"{chunk.question}\n{chunk.text}"[:2000]


def lexical_text(chunk: Chunk) -> str:
    """What the lexical index sees: the question, the answer, the code, and bridge equivalents."""
    code = chunk.code.text if chunk.code else ""
    text = f"{chunk.question}\n{chunk.text}\n{code}"
    return f"{text}\n{' '.join(expand(text).terms)}"


HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 80, 128


@lru_cache(maxsize=4)
def postings_matrix(lexical):
    """A bm25s index's score matrix as SciPy CSC (documents × tokens), sharing its arrays."""
    from scipy.sparse import csc_matrix

    scores = lexical.scores
    shape = (int(scores["num_docs"]), len(scores["indptr"]) - 1)
    return csc_matrix((scores["data"], scores["indices"], scores["indptr"]), shape=shape, copy=False)


def weighted_bm25(lexical, weights: dict[str, float], n_docs: int) -> np.ndarray:
    """Sum over tokens of weight × BM25 score per document, reading only the query tokens' postings
    (their columns of the score matrix, times the weights)."""
    known = [(lexical.vocab_dict[t], w) for t, w in weights.items() if t in lexical.vocab_dict]
    if not known:
        return np.zeros(n_docs, dtype=np.float32)
    columns, values = zip(*known)
    return np.asarray(postings_matrix(lexical)[:, list(columns)] @ np.array(values, dtype=np.float32))


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the `k` highest scores, best first, without sorting everything."""
    k = min(k, len(scores))
    if k == 0:
        return np.array([], dtype=int)
    best = np.argpartition(-scores, k - 1)[:k]
    return best[np.argsort(-scores[best], kind="stable")]


def make_dense_index(vectors: np.ndarray, *, kind: str):
    """An exact (`flat`) or approximate (`hnsw`) inner-product FAISS index of unit vectors."""
    import faiss

    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return index


def dense_kind(n: int) -> str:
    """Exact search below the ANN threshold (a setting), HNSW above it."""
    from kb.settings import ann_threshold

    return "hnsw" if n >= ann_threshold() else "flat"


def write_search_files(folder: Path, chunks: list[Chunk], vectors: np.ndarray) -> None:
    """Write the FAISS and BM25 files of an index directory."""
    import bm25s
    import faiss

    faiss.write_index(make_dense_index(vectors, kind=dense_kind(len(chunks))), str(folder / "dense.faiss"))
    lexical = bm25s.BM25()
    lexical.index([tokenize(lexical_text(c)) or ["_"] for c in chunks], show_progress=False)
    lexical.save(str(folder / "lexical"), show_progress=False)


@dataclass
class Index:
    """A loaded index: chunks plus their dense and lexical search structures."""

    stored: Stored
    dense: object
    lexical: object
    filters: dict = field(default_factory=dict, repr=False)  # source -> (mask, FAISS search params, selector)

    @property
    def chunks(self) -> list[Chunk]:
        """The indexed chunks, in index order."""
        return self.stored.chunks

    @property
    def manifest(self) -> dict:
        """The index's manifest (model, dimension, input hash, counts)."""
        return self.stored.manifest

    @classmethod
    def load(cls, data_dir: Path) -> "Index":
        """Load the live index; raises IndexUnavailable with what to do when it cannot."""
        import bm25s
        import faiss

        stored = load_stored(data_dir)
        try:
            dense = faiss.read_index(str(stored.path / "dense.faiss"))
            lexical = bm25s.BM25.load(str(stored.path / "lexical"), show_progress=False)
        except (RuntimeError, OSError, ValueError, KeyError) as exc:
            raise IndexUnavailable(f"index at {stored.path} is damaged ({exc}); "
                                   "run `autograd-kb build`") from None
        if dense.ntotal != len(stored.chunks):
            raise IndexUnavailable(f"index at {stored.path} is inconsistent; run `autograd-kb build`")
        return cls(stored, dense, lexical)

    def dense_search(self, vector: np.ndarray, k: int, *, source: str = "all") -> list[tuple[int, float]]:
        """Nearest chunks of `source` by inner product of unit vectors."""
        k = min(k, self.dense.ntotal)
        params = self.source_filter(source)[1]
        scores, ids = self.dense.search(vector.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def lexical_search(self, weights: dict[str, float], k: int, *, source: str = "all") -> list[tuple[int, float]]:
        """Best weighted-BM25 matches of `source` with a positive score; `weights` maps tokens to their weight."""
        if not weights:
            return []
        scores = weighted_bm25(self.lexical, weights, len(self.chunks))
        mask = self.source_filter(source)[0]
        if mask is not None:
            scores[~mask] = 0
        return [(int(i), float(scores[i])) for i in top_k(scores, k) if scores[i] > 0]

    def source_filter(self, source: str) -> tuple[np.ndarray | None, object]:
        """Which chunks come from `source` ("pages" or "torch-docs") as a mask and as FAISS search
        parameters; (None, None) for "all". Made once per source."""
        if source == "all":
            return None, None
        if source not in self.filters:
            import faiss

            mask = np.array([c.origin == source for c in self.chunks])
            selector = faiss.IDSelectorBatch(np.flatnonzero(mask).astype("int64"))
            self.filters[source] = (mask, faiss.SearchParameters(sel=selector), selector)  # params do not keep it alive
        return self.filters[source][:2]

    def vectors_of(self, ids: list[int]) -> np.ndarray:
        """The stored unit vectors of some chunks."""
        return self.stored.vectors[ids]
