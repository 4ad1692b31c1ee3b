"""Build or refresh the index: incremental by content hash, atomic, one build at a time."""
from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kb.index.search import passages, write_search_files
from kb.index.store import (
    FORMAT,
    IndexUnavailable,
    current_path,
    is_intact,
    load_stored,
    prune,
    read_manifest,
    write_index,
)
from kb.ingest.pipeline import Report, build_chunks, folder_files
from kb.settings import CORPUS_DIR, DATA_DIR, KB_DIR, alternatives_file, max_tokens, passage_words
from kb.types import content_hash


@dataclass
class BuildResult:
    """What a build did."""

    report: Report
    path: Path | None
    embedded: int
    reused: int
    up_to_date: bool
    seconds: float


class BuildError(Exception):
    """A build cannot start; the message says why."""


class BuildLocked(BuildError):
    """Another build holds the lock."""


@contextmanager
def build_lock(data_dir: Path):
    """Hold the data directory's build lock, or raise BuildLocked at once (BuildError when the
    directory cannot be made). The kernel drops the lock when its holder dies, even by kill -9."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fh = open(data_dir / "build.lock", "w")
    except OSError as exc:
        raise BuildError(f"cannot use data directory {data_dir}: {exc.strerror}") from None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"another build is running in {data_dir}") from None
        yield


def input_hash(model: str, folders: list[Path]) -> str:
    """A hash of everything a build reads: the documents, the kb code and data, the settings and the
    installed torch's version (its docs are a source).
    When it matches the live index's, the whole pipeline can be skipped."""
    from kb.ingest.torchdocs import torch_version

    alternatives = alternatives_file()
    digest = hashlib.sha256(f"{FORMAT}|{model}|{max_tokens()}|{passage_words()}|torch {torch_version()}|"
                            f"{alternatives}".encode())
    files = [(p, None) for p in sorted(KB_DIR.rglob("*.py")) + sorted(DATA_DIR.glob("*"))]
    if alternatives and alternatives.is_file() and alternatives.resolve().parent != DATA_DIR.resolve():
        files.append((alternatives, None))  # the bundled one is among the data files already
    for folder in [CORPUS_DIR, *folders]:
        files += folder_files(folder) if folder.is_dir() else []
    for path, unread in files:  # only what the build reads, streamed; a file it skips counts by name and reason
        digest.update(os.fsencode(path.resolve()) + b"\0" + (unread or "").encode() + b"\0")
        if unread is None:
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _english_only(data_dir: Path, model: str) -> bool:
    """Whether the model needs Chinese glossed into English; remembered in the manifest per model."""
    from kb.index.embed import reads_chinese

    manifest = read_manifest(data_dir)
    if manifest and manifest.get("model") == model and "english_only" in manifest:
        return bool(manifest["english_only"])
    return not reads_chinese(model)


def _previous_vectors(data_dir: Path, model: str) -> dict[str, np.ndarray]:
    """Vectors of the live index by content key, when it was built with the same model; damaged
    search files do not matter here, only intact chunks and vectors."""
    manifest = read_manifest(data_dir)
    if not manifest or manifest.get("model") != model:
        return {}
    try:
        stored = load_stored(data_dir, check=["chunks.jsonl", "vectors.npy"])
    except IndexUnavailable:
        return {}
    return dict(zip(stored.keys, stored.vectors))


def build_index(*, data_dir: Path, model: str, folders: list[Path] | None = None,
                force: bool = False, progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Build the index from the bundled corpus plus the `folders` added; skip work that is already done.
    One build at a time per data directory: a second one raises BuildLocked."""
    with build_lock(data_dir):
        return _build(data_dir, model, folders or [], force, progress)


def _build(data_dir: Path, model: str, folders: list[Path], force: bool,
           progress: Callable[[int, int], None] | None) -> BuildResult:
    from kb.index.embed import dimension, embed

    start = time.perf_counter()
    inputs = input_hash(model, folders)
    manifest = read_manifest(data_dir)
    if not force and manifest and manifest.get("input_hash") == inputs and is_intact(data_dir):
        prune(data_dir, keep={current_path(data_dir).name})  # leftovers of a killed build
        return BuildResult(Report.from_dict(manifest["report"]), None, 0, manifest["passages"], True,
                           time.perf_counter() - start)
    chunks, report = build_chunks(folders, torch_docs=True)
    english_only = _english_only(data_dir, model)
    chunk_texts = [passages(c, english_only=english_only) for c in chunks]
    chunk_keys = [[content_hash(model, str(max_tokens()), t) for t in ts] for ts in chunk_texts]
    texts, keys = [t for ts in chunk_texts for t in ts], [k for ks in chunk_keys for k in ks]
    known = {} if force else _previous_vectors(data_dir, model)
    todo = [i for i, k in enumerate(keys) if k not in known]
    dim = dimension(model)
    vectors = np.zeros((len(texts), dim), dtype=np.float32)
    for i, k in enumerate(keys):
        if k in known:
            vectors[i] = known[k]
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(todo))

    if todo:
        vectors[todo] = embed([texts[i] for i in todo], model=model, progress=step)
    manifest = {"format": FORMAT, "model": model, "dim": dim, "input_hash": inputs,
                "english_only": english_only, "max_tokens": max_tokens(),
                "report": report.to_dict(),
                "chunks": len(chunks), "passages": len(texts), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "files": sorted({s.file for c in chunks for s in c.citations})}
    path = write_index(data_dir, manifest, chunks, chunk_keys, vectors,
                       lambda folder: write_search_files(folder, chunks, vectors))
    return BuildResult(report, path, len(todo), len(texts) - len(todo), False,
                       time.perf_counter() - start)


