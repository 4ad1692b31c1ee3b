"""Shared fixtures: one real index of the bundled corpus, built once per test session."""
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    """A data directory holding an index of the bundled corpus, built with the bundled model."""
    from kb.index.build import build_index
    from kb.settings import BUNDLED_MODEL

    data_dir = tmp_path_factory.mktemp("kb-data")
    build_index(data_dir=data_dir, model=BUNDLED_MODEL)
    return data_dir


@pytest.fixture(scope="session")
def sandbox():
    """One real sandbox (zygote + seccomp children) for the session."""
    from bot.sandbox.client import Sandbox

    box = Sandbox(timeout=10.0)
    box.start()
    yield box
    box.close()


@pytest.fixture(scope="session")
def bot(built_index, sandbox):
    """The whole bot on the real index, model and sandbox."""
    from bot.answer.bot import Bot

    return Bot(built_index, sandbox=sandbox)
