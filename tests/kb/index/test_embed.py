"""The plain-torch BERT encoder gives sentence-transformers' embeddings, only faster to start."""
from pathlib import Path

import numpy as np

from kb.index.bert import BertEncoder, supports
from kb.index.embed import embed, reads_chinese, resolve_model
from kb.settings import BUNDLED_MODEL

TEXTS = ["x.grad 梯度 hello", "How do I compute a Jacobian with torch.autograd.grad?", "backward " * 400, ""]


def test_fast_encoder_matches_sentence_transformers():
    from sentence_transformers import SentenceTransformer

    path = Path(resolve_model(BUNDLED_MODEL))
    assert supports(path)
    fast = BertEncoder(path).encode(TEXTS)
    reference = SentenceTransformer(str(path), device="cpu").encode(TEXTS, normalize_embeddings=True)
    assert np.abs(fast - reference).max() < 1e-4


def test_embed_returns_unit_rows_in_batches():
    seen = []
    vectors = embed(TEXTS * 20, model=BUNDLED_MODEL, batch_size=16, progress=seen.append)
    assert vectors.shape == (80, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert sum(seen) == 80 and len(seen) == 5


def test_the_bundled_model_is_english_only(tmp_path):
    assert reads_chinese(BUNDLED_MODEL) is False
    assert not supports(tmp_path)  # an empty folder is not a model
