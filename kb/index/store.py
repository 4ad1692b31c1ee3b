"""The index on disk: manifest, chunks, vectors, FAISS and BM25 files, swapped in atomically."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from kb.settings import CURRENT
from kb.types import Chunk, Citation, Claim, Code

FORMAT = 5  # 2: one BM25 index per origin under lexical/<origin>/; 3: several passages per chunk; 4: citations;
# 5: lexical/<origin>/names.json


class IndexUnavailable(Exception):
    """The index is missing or damaged; the message says what to do."""


def chunk_to_dict(chunk: Chunk) -> dict:
    """A chunk as JSON-ready data."""
    return asdict(chunk)


def chunk_from_dict(data: dict) -> Chunk:
    """Rebuild a chunk from `chunk_to_dict` output."""
    return Chunk(
        id=data["id"], question=data["question"], text=data["text"],
        citations=tuple(Citation(**s) for s in data["citations"]), topic=data["topic"],
        tags=tuple(data["tags"]), code=Code(**data["code"]) if data["code"] else None,
        claims=tuple(Claim(**c) for c in data["claims"]), markup=data.get("markup", ""))


@dataclass
class Stored:
    """What an index directory holds, loaded: chunks, and the vectors of their passages (those of chunk
    i are rows spans[i]:spans[i + 1], each with its content key)."""

    path: Path
    manifest: dict
    chunks: list[Chunk]
    keys: list[str]
    vectors: np.ndarray
    spans: np.ndarray

    @cached_property
    def owner(self) -> np.ndarray:
        """The chunk of each passage row."""
        return np.repeat(np.arange(len(self.chunks)), np.diff(self.spans))


def current_path(data_dir: Path) -> Path | None:
    """The live index directory, if there is one."""
    link = data_dir / CURRENT
    return link.resolve() if link.exists() else None


def read_manifest(data_dir: Path) -> dict | None:
    """The live index's manifest, or None when there is no readable one."""
    path = current_path(data_dir)
    try:
        manifest = json.loads((path / "manifest.json").read_text()) if path else None
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def damage(path: Path, manifest: dict, names: Iterable[str] | None = None) -> str | None:
    """What is wrong with the index directory's files (all listed ones, or just `names`) against
    the sizes and SHA-256 digests in its manifest, or None when they match."""
    sizes, digests = manifest.get("files"), manifest.get("sha256")
    if not isinstance(sizes, dict) or not isinstance(digests, dict):
        return "the manifest does not list the index files"
    for name in sizes if names is None else names:
        file = path / name
        if not file.is_file():
            return f"{name} is missing"
        if file.stat().st_size != sizes.get(name):
            return f"{name} is {file.stat().st_size} bytes, the manifest says {sizes.get(name)} (truncated?)"
        if _sha256(file) != digests.get(name):
            return f"{name} does not match its SHA-256 digest (corrupted)"
    return None


def is_intact(data_dir: Path) -> bool:
    """Whether every file the live manifest lists is there with its recorded size and digest."""
    path, manifest = current_path(data_dir), read_manifest(data_dir)
    return bool(path and manifest) and damage(path, manifest) is None


def load_stored(data_dir: Path, *, check: Iterable[str] | None = None) -> Stored:
    """Load the live index's chunks and vectors after checking its files (all, or just `check`)."""
    path = current_path(data_dir)
    if path is None:
        raise IndexUnavailable(f"no index in {data_dir}; run `autograd-kb build` first")
    manifest = read_manifest(data_dir)
    problem = "manifest.json is unreadable" if manifest is None else damage(path, manifest, check)
    if problem:
        raise IndexUnavailable(f"index at {path} is damaged ({problem}); run `autograd-kb build`")
    try:
        rows = [json.loads(line) for line in (path / "chunks.jsonl").read_text().splitlines()]
        vectors = np.load(path / "vectors.npy", allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise IndexUnavailable(f"index at {path} is damaged ({exc}); run `autograd-kb build`") from None
    if manifest.get("format") != FORMAT or len(rows) != manifest.get("chunks"):
        raise IndexUnavailable(f"index at {path} is inconsistent; run `autograd-kb build`")
    keys = [r["keys"] for r in rows]
    if vectors.shape != (sum(map(len, keys)), manifest.get("dim")):
        raise IndexUnavailable(f"index at {path} holds {vectors.shape[-1]}-dimensional vectors, but its manifest "
                               f"is for model {manifest.get('model')!r} ({manifest.get('dim')} dimensions): the "
                               "manifest belongs to another index; run `autograd-kb build`")
    chunks = [chunk_from_dict(r["chunk"]) for r in rows]
    spans = np.cumsum([0] + [len(k) for k in keys])
    return Stored(path, manifest, chunks, [k for ks in keys for k in ks], vectors, spans)


def write_index(data_dir: Path, manifest: dict, chunks: list[Chunk], keys: list[list[str]],
                vectors: np.ndarray, write_extra) -> Path:
    """Write a new index directory completely, then make it current in one rename; `keys` are the content
    keys of each chunk's passages, whose vectors are the rows of `vectors` in that order."""
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / f"index-{manifest['input_hash'][:12]}-{time.time_ns()}"
    tmp = target.with_name(target.name + ".tmp")
    tmp.mkdir()
    rows = [{"keys": k, "chunk": chunk_to_dict(c)} for k, c in zip(keys, chunks)]
    (tmp / "chunks.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    np.save(tmp / "vectors.npy", vectors, allow_pickle=False)
    write_extra(tmp)
    files = [p for p in sorted(tmp.rglob("*")) if p.is_file()]
    manifest = {**manifest, "files": {str(p.relative_to(tmp)): p.stat().st_size for p in files},
                "sha256": {str(p.relative_to(tmp)): _sha256(p) for p in files}}
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    _fsync_tree(tmp)
    tmp.rename(target)
    link = data_dir / f"{CURRENT}.{os.getpid()}.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(target.name)
    os.replace(link, data_dir / CURRENT)
    prune(data_dir, keep={target.name})
    return target


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())


def prune(data_dir: Path, keep: set[str]) -> None:
    """Remove old index directories and leftovers of interrupted builds."""
    for path in data_dir.glob("index-*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
    for link in data_dir.glob(f"{CURRENT}.*.tmp"):
        link.unlink(missing_ok=True)
