"""Index builds with the real model and FAISS: incremental, atomic, locked, model-aware."""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from kb.index import build as build_module
from kb.index.build import BuildLocked, build_index, build_lock
from kb.index.embed import resolve_model
from kb.index.search import Index
from kb.index.store import IndexUnavailable
from kb.index.tokens import tokenize
from kb.settings import BUNDLED_MODEL

UNSEEN = Path(__file__).parents[1] / "data" / "unseen"


@pytest.fixture
def data_dir(built_index, tmp_path) -> Path:
    """A private copy of the session's index, free to modify."""
    target = tmp_path / "data"
    shutil.copytree(built_index, target, symlinks=True)
    return target


def test_manifest_records_model_dimension_and_hash(built_index):
    index = Index.load(built_index)
    manifest = index.manifest
    assert manifest["model"] == BUNDLED_MODEL and manifest["dim"] == 384
    assert manifest["chunks"] == len(index.chunks) and manifest["passages"] == index.dense.ntotal
    assert np.allclose(np.linalg.norm(index.stored.vectors, axis=1), 1.0, atol=1e-4)


def test_dense_and_lexical_search_find_the_jacobian_page(built_index):
    index = Index.load(built_index)
    from kb.index.embed import embed

    vector = embed(["How do I compute a Jacobian matrix with torch.autograd.grad?"], model=BUNDLED_MODEL)[0]
    dense_top = index.chunks[index.dense_search(vector, 1)[0][0]]
    lexical_top = index.chunks[index.lexical_search(dict.fromkeys(tokenize("雅克比矩阵 autograd.grad"), 1.0), 1)[0][0]]
    assert "雅克比" in dense_top.question and "雅克比" in lexical_top.question


def test_a_long_chunk_is_found_by_words_far_into_its_text(built_index):
    from kb.index.embed import embed
    from kb.index.search import embed_text

    index = Index.load(built_index)
    pos = max(range(len(index.chunks)), key=lambda i: len(embed_text(index.chunks[i])))
    rows = slice(index.stored.spans[pos], index.stored.spans[pos + 1])
    tail = " ".join(embed_text(index.chunks[pos]).split()[-30:])  # beyond the model's 128 word pieces
    vector = embed([tail], model=BUNDLED_MODEL)[0]
    assert index.dense_search(vector, 1)[0][0] == pos
    assert np.argmax(index.stored.vectors[rows] @ vector) > 0  # found by a later passage, not the first


def test_each_source_is_scored_against_its_own_statistics(built_index):
    import bm25s

    from kb.index.search import lexical_text

    index = Index.load(built_index)
    weights = dict.fromkeys(tokenize("backward 梯度 leaf"), 1.0)
    for origin in ("pages", "torch-docs"):
        own = [c for c in index.chunks if c.origin == origin]
        alone = bm25s.BM25()  # a BM25 index of this origin alone
        alone.index([tokenize(lexical_text(c)) for c in own], show_progress=False)
        expected = sum(alone.get_scores([t]) for t in weights if t in alone.vocab_dict)
        found = dict(index.lexical_search(weights, len(own), origin=origin))
        assert {index.chunks[i].origin for i in found} == {origin}
        assert np.allclose([found.get(index.chunks.index(c), 0.0) for c in own], expected, atol=1e-5)


def test_unchanged_corpus_is_not_rebuilt(data_dir):
    before = (data_dir / "current").resolve()
    result = build_index(data_dir=data_dir, model=BUNDLED_MODEL)
    assert result.up_to_date and result.embedded == 0
    assert (data_dir / "current").resolve() == before


def test_new_documents_embed_only_the_new_chunks(data_dir, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(UNSEEN / "100_retain_graph.txt", extra)
    old = len(Index.load(data_dir).stored.keys)  # passages
    result = build_index(data_dir=data_dir, model=BUNDLED_MODEL, folders=[extra])
    index = Index.load(data_dir)
    assert result.reused == old and result.embedded == len(index.stored.keys) - old > 0
    assert any("100_retain_graph.txt" in s.file for c in index.chunks for s in c.citations)


def test_model_change_forces_a_full_rebuild(data_dir):
    other_name = resolve_model(BUNDLED_MODEL)  # same weights, a different model setting
    result = build_index(data_dir=data_dir, model=other_name)
    assert result.reused == 0 and result.embedded == len(Index.load(data_dir).stored.keys)
    assert Index.load(data_dir).manifest["model"] == other_name


def test_a_crash_mid_build_leaves_the_previous_index_usable(data_dir, tmp_path, monkeypatch):
    before = (data_dir / "current").resolve()
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(UNSEEN / "103_no_time_line.txt", extra)

    def crash(*args):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(build_module, "write_search_files", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index(data_dir=data_dir, model=BUNDLED_MODEL, folders=[extra])
    assert (data_dir / "current").resolve() == before
    assert len(Index.load(data_dir).chunks) == json.loads((before / "manifest.json").read_text())["chunks"]
    monkeypatch.undo()
    build_index(data_dir=data_dir, model=BUNDLED_MODEL, folders=[extra])
    assert not list(data_dir.glob("*.tmp")), "leftovers of the crashed build are cleaned up"


def test_two_builds_at_once_are_refused(data_dir):
    with build_lock(data_dir):
        with pytest.raises(BuildLocked, match="another build"):
            build_index(data_dir=data_dir, model=BUNDLED_MODEL, force=True)


def test_damaged_index_says_how_to_fix_it(data_dir):
    (data_dir / "current" / "vectors.npy").write_bytes(b"garbage")
    with pytest.raises(IndexUnavailable, match="autograd-kb build"):
        Index.load(data_dir)
    with pytest.raises(IndexUnavailable, match="no index"):
        Index.load(data_dir / "nowhere")
    build_index(data_dir=data_dir, model=BUNDLED_MODEL)  # a damaged index is rebuilt, not trusted
    assert Index.load(data_dir).chunks


def test_above_the_threshold_the_dense_index_is_hnsw_and_finds_the_same(data_dir, monkeypatch):
    import faiss

    from kb.index.embed import embed

    vector = embed(["How do I compute a Jacobian matrix with torch.autograd.grad?"], model=BUNDLED_MODEL)[0]
    exact = Index.load(data_dir).dense_search(vector, 3)
    monkeypatch.setenv("AUTOGRAD_KB_ANN_THRESHOLD", "10")
    build_index(data_dir=data_dir, model=BUNDLED_MODEL, force=True)
    index = Index.load(data_dir)
    assert isinstance(index.dense, faiss.IndexHNSWFlat)
    assert [i for i, _ in index.dense_search(vector, 3)] == [i for i, _ in exact]
