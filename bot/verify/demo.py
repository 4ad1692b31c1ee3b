"""Authored demo programs, one per topic, chosen by knowledge-base chunk tags (see demos/demos.toml)."""
from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEMO_DIR = Path(__file__).with_name("demos")
DEMOS_FILE = DEMO_DIR / "demos.toml"


@dataclass(frozen=True)
class Demo:
    """One runnable demo program and the topic it illustrates."""

    topic: str
    path: Path
    code: str


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[Demo, tuple[str, ...]], ...]:
    data = tomllib.loads(DEMOS_FILE.read_text(encoding="utf-8"))
    out = []
    for topic, entry in data.items():
        path = DEMO_DIR / entry["file"]
        out.append((Demo(topic, path, path.read_text(encoding="utf-8")), tuple(entry["tags"])))
    return tuple(out)


def all_demos() -> list[Demo]:
    """Return every demo listed in demos.toml, in file order."""
    return [demo for demo, _ in _load()]


def demo_for(tags: Sequence[str]) -> Demo | None:
    """Return the demo serving the earliest of `tags` (chunk order), or None if no tag has one."""
    for tag in tags:
        for demo, served in _load():
            if tag in served:
                return demo
    return None
