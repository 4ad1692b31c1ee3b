"""Shared fixtures: one real index of the bundled corpus, built once per test session."""
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    """A data directory holding an index of the bundled corpus, built with the bundled model."""
    from kb.build import build_index
    from kb.settings import BUNDLED_MODEL

    data_dir = tmp_path_factory.mktemp("kb-data")
    build_index(data_dir=data_dir, model=BUNDLED_MODEL)
    return data_dir
