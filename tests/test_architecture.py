"""docs/ARCHITECTURE.md stays true to the tree: every package is on the map, every path it names exists."""
import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
DOC = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def test_every_package_has_a_line_on_the_map():
    packages = [p.parent.relative_to(ROOT).as_posix() for top in ("kb", "bot")
                for p in (ROOT / top).glob("*/__init__.py")]
    assert len(packages) == 7
    assert [p for p in packages if f"`{p}/`" not in DOC] == []


def test_every_path_the_map_names_exists():
    named = set(re.findall(r"`((?:kb|bot|eval)/[\w./]*)`", DOC))
    assert len(named) >= 10
    assert sorted(p for p in named if not (ROOT / p).exists()) == []

