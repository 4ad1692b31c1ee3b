"""Where things live and which model to use; each one an environment variable away."""
from __future__ import annotations

import os
from pathlib import Path

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"


def data_dir() -> Path:
    """The data directory: `$AUTOGRAD_KB_HOME`, else `~/.local/share/autograd-kb`."""
    home = os.environ.get("AUTOGRAD_KB_HOME")
    return Path(home) if home else Path.home() / ".local" / "share" / "autograd-kb"


def model_name() -> str:
    """The embedding model: `$AUTOGRAD_KB_MODEL` (a path or a local model name), else the bundled one."""
    return os.environ.get("AUTOGRAD_KB_MODEL") or BUNDLED_MODEL
