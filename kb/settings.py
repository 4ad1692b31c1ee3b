"""Where things live and which model to use; each one an environment variable away."""
from __future__ import annotations

import os
from pathlib import Path

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"
KB_DIR = Path(__file__).parent
DATA_DIR = KB_DIR / "data"  # files people edit: bridge, stopwords, topics, torch docs list
CORPUS_DIR = KB_DIR / "corpus"  # the bundled pages
CURRENT = "current"  # in a data directory: the link to the live index


def data_dir() -> Path:
    """The data directory: `$AUTOGRAD_KB_HOME`, else `~/.local/share/autograd-kb`."""
    home = os.environ.get("AUTOGRAD_KB_HOME")
    return Path(home) if home else Path.home() / ".local" / "share" / "autograd-kb"


def model_name() -> str:
    """The embedding model: `$AUTOGRAD_KB_MODEL` (a path or a local model name), else the bundled one."""
    return os.environ.get("AUTOGRAD_KB_MODEL") or BUNDLED_MODEL


def ann_threshold() -> int:
    """From how many chunks on the dense index is approximate (HNSW): `$AUTOGRAD_KB_ANN_THRESHOLD`,
    default 200,000 (exact search stays under 30 ms per query below that on 2 cores)."""
    return int(os.environ.get("AUTOGRAD_KB_ANN_THRESHOLD", "200000"))


def passage_words() -> int:
    """Window length in words for the extra passages of a long chunk: `$AUTOGRAD_KB_PASSAGE_WORDS`,
    default 40; 0 embeds each chunk once (builds about twice as fast on Q&A text, Recall@1 ~0.04 lower)."""
    return int(os.environ.get("AUTOGRAD_KB_PASSAGE_WORDS", "40"))


def max_tokens() -> int:
    """Word pieces embedded per text: `$AUTOGRAD_KB_MAX_TOKENS`, default 128 (all-MiniLM-L6-v2 was
    trained on 128; longer inputs cost twice the time and added nothing on the dev set)."""
    return int(os.environ.get("AUTOGRAD_KB_MAX_TOKENS", "128"))


def alternatives_file() -> Path | None:
    """Entries' alternative questions: `$AUTOGRAD_KB_ALTERNATIVES` (a TOML file; set but empty: none),
    default the bundled `kb/data/alternatives.toml`."""
    value = os.environ.get("AUTOGRAD_KB_ALTERNATIVES")
    if value is None:
        return DATA_DIR / "alternatives.toml"
    return Path(value).expanduser() if value.strip() else None
