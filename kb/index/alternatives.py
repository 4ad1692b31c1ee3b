"""Other ways people ask for an entry: extra questions, kept as data, that retrieval matches beside the
entry's own text (`kb/data/alternatives.toml` or `$AUTOGRAD_KB_ALTERNATIVES`, keyed by a docs entry's API
name or a page entry's question)."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from kb.settings import alternatives_file
from kb.types import Chunk


@lru_cache(maxsize=2)
def load_alternatives(path: Path | None) -> dict[str, tuple[str, ...]]:
    """Entry key → its extra questions, from a data file (none without one)."""
    if path is None or not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a TOML file of alternative questions ({exc})") from None
    tables = {key: table.get("questions") for key, table in data.items() if isinstance(table, dict)}
    return {key: tuple(q.strip() for q in questions if isinstance(q, str) and q.strip())
            for key, questions in tables.items() if isinstance(questions, list)}


def entry_key(chunk: Chunk) -> str:
    """The key an entry's alternatives are filed under: a docs chunk's API name, a page chunk's question."""
    return chunk.question.split(":", 1)[0] if chunk.origin == "torch-docs" else chunk.question


def alternatives(chunk: Chunk) -> tuple[str, ...]:
    """The extra questions of the chunk's entry, carried by every part of a long entry (ranked on the tuning
    split: every part, MRR@10 0.916; the first part only, 0.903)."""
    return load_alternatives(alternatives_file()).get(entry_key(chunk), ())
