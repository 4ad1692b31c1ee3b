"""The searchable index: dense vectors in FAISS, and BM25 over Chinese-aware tokens with one BM25 index
per origin (each origin's chunks scored against their own collection statistics)."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from kb.index.alternatives import alternatives
from kb.index.bridge import expand, gloss
from kb.index.store import IndexUnavailable, Stored, load_stored
from kb.index.tokens import IDENT, identifier_tokens, tokenize
from kb.types import Chunk


def embed_text(chunk: Chunk, *, english_only: bool = True) -> str:
    """What the dense model sees. An English-only model reads Chinese as [UNK], so it gets the
    bridge's gloss: Chinese terms in English, other Chinese dropped."""
    if english_only:
        return f"{gloss(chunk.question)}\n{gloss(chunk.text)}"[:2000]
    return f"{chunk.question}\n{chunk.text}"[:2000]


def passages(chunk: Chunk, *, english_only: bool = True) -> list[str]:
    """What the dense model embeds for a chunk: its start (question and answer, as `embed_text`), then
    windows of `passage_words()` words over the rest, each after the question: the model reads 128 word
    pieces, so a long answer's later content would otherwise never reach a vector. (An entry's alternative
    questions stay out of it: as passages of their own they ranked worse on the tuning split than as words.)"""
    from kb.settings import passage_words

    text, size = embed_text(chunk, english_only=english_only), passage_words()
    if size <= 0:
        return [text]
    title = (gloss(chunk.question) if english_only else chunk.question)[:200]
    words = text.split()
    return [text] + [f"{title} {' '.join(words[i : i + size])}" for i in range(size, len(words), size)]


def own_text(chunk: Chunk) -> str:
    """An entry's own words: its question, its answer and its code."""
    code = chunk.code.text if chunk.code else ""
    return "\n".join([chunk.question, chunk.text, code])


def bridged(text: str) -> str:
    """The text followed by the bridge's equivalents of the terms it uses."""
    return f"{text}\n{' '.join(expand(text).terms)}"


def lexical_text(chunk: Chunk) -> str:
    """What the lexical index sees: the entry's own words, its alternative questions, and bridge equivalents."""
    return bridged("\n".join([own_text(chunk), *alternatives(chunk)]))


def own_names(chunk: Chunk) -> set[str]:
    """The code-like words of an entry's own words and of their bridge equivalents ("batch normalization" brings
    BatchNorm), not of its alternative questions: what decides whether the knowledge base mentions a name a
    question uses."""
    return {t for m in IDENT.finditer(bridged(own_text(chunk))) for t in identifier_tokens(m.group(0))}


NAMES_FILE = "names.json"
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 80, 128


@lru_cache(maxsize=8)
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
    """Write the FAISS file and, per origin (`lexical/<origin>/`), a BM25 index and its entries' own names."""
    import bm25s
    import faiss

    faiss.write_index(make_dense_index(vectors, kind=dense_kind(len(chunks))), str(folder / "dense.faiss"))
    for origin, rows in origin_rows(chunks).items():
        lexical = bm25s.BM25()
        lexical.index([tokenize(lexical_text(chunks[i])) or ["_"] for i in rows], show_progress=False)
        lexical.save(str(folder / "lexical" / origin), show_progress=False)
        names = sorted(set().union(*(own_names(chunks[i]) for i in rows)))
        (folder / "lexical" / origin / NAMES_FILE).write_text(json.dumps(names))


def origin_rows(chunks: list[Chunk]) -> dict[str, np.ndarray]:
    """Each origin's chunk positions in index order."""
    origins = np.array([c.origin for c in chunks])
    return {str(o): np.flatnonzero(origins == o) for o in dict.fromkeys(origins)}


@dataclass(frozen=True)
class LexicalPart:
    """One origin's BM25 index and the index positions of its chunks."""

    bm25: object
    rows: np.ndarray
    names: frozenset[str] = frozenset()  # the code-like words of its entries' own texts (own_names)

    def search(self, weights: dict[str, float], k: int) -> list[tuple[int, float]]:
        """This origin's best weighted-BM25 matches with a positive score, as (index position, score)."""
        scores = weighted_bm25(self.bm25, weights, len(self.rows))
        return [(int(self.rows[i]), float(scores[i])) for i in top_k(scores, k) if scores[i] > 0]

    @cached_property
    def document_frequency(self) -> np.ndarray:
        """How many of this origin's chunks hold each token, by token id."""
        return np.diff(np.asarray(self.bm25.scores["indptr"]))

    def idf(self, token: str) -> float:
        """BM25's inverse document frequency of a token in this origin (unknown tokens count as rare)."""
        tid = self.bm25.vocab_dict.get(token)
        df = int(self.document_frequency[tid]) if tid is not None and tid < len(self.document_frequency) else 0
        return math.log(1 + (len(self.rows) - df + 0.5) / (df + 0.5))


@dataclass
class Index:
    """A loaded index: chunks plus their dense and lexical search structures."""

    stored: Stored
    dense: object
    lexical: dict[str, LexicalPart]  # origin -> its BM25 index
    filters: dict = field(default_factory=dict, repr=False)  # origin -> (FAISS search params, selector)

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
            lexical = {origin: LexicalPart(bm25s.BM25.load(str(folder), show_progress=False), rows,
                                           frozenset(json.loads((folder / NAMES_FILE).read_text())))
                       for origin, rows in origin_rows(stored.chunks).items()
                       for folder in [stored.path / "lexical" / origin]}
        except (RuntimeError, OSError, ValueError, KeyError) as exc:
            raise IndexUnavailable(f"index at {stored.path} is damaged ({exc}); "
                                   "run `autograd-kb build`") from None
        if dense.ntotal != len(stored.vectors):
            raise IndexUnavailable(f"index at {stored.path} is inconsistent; run `autograd-kb build`")
        return cls(stored, dense, lexical)

    def dense_search(self, vector: np.ndarray, k: int, *, origin: str = "all") -> list[tuple[int, float]]:
        """Nearest chunks of `origin` ("all": every origin) by their best passage's inner product with the unit
        vector (from the nearest 4k passages)."""
        n = min(4 * k, self.dense.ntotal)
        scores, rows = self.dense.search(vector.reshape(1, -1).astype(np.float32), n,
                                         params=self.dense_filter(origin))
        best: dict[int, float] = {}
        for row, score in zip(rows[0], scores[0]):
            if row >= 0:
                best.setdefault(int(self.stored.owner[row]), float(score))  # rows come best first
        return list(best.items())[:k]

    def lexical_search(self, weights: dict[str, float], k: int, *, origin: str = "all") -> list[tuple[int, float]]:
        """Best weighted-BM25 matches with a positive score, up to `k` from each origin searched, each scored
        with its own origin's statistics; `weights` maps tokens to their weight."""
        if not weights:
            return []
        return [hit for name, part in self.lexical.items() if origin in ("all", name)
                for hit in part.search(weights, k)]

    def dense_filter(self, origin: str):
        """FAISS search parameters that keep only the passages of `origin`'s chunks; None for "all".
        Made once per origin."""
        if origin == "all":
            return None
        if origin not in self.filters:
            import faiss

            chunk_rows = self.lexical[origin].rows if origin in self.lexical else np.array([], dtype=int)
            rows = np.flatnonzero(np.isin(self.stored.owner, chunk_rows))
            selector = faiss.IDSelectorBatch(rows.astype("int64"))
            self.filters[origin] = (faiss.SearchParameters(sel=selector), selector)  # params do not keep it alive
        return self.filters[origin][0]

    def cosines(self, ids: list[int], vector: np.ndarray) -> np.ndarray:
        """Each chunk's best passage cosine with the unit vector."""
        spans, vectors = self.stored.spans, self.stored.vectors
        return np.array([float((vectors[spans[i] : spans[i + 1]] @ vector).max()) for i in ids])
