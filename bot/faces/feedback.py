"""Likes and dislikes on answers, kept in a local SQLite file (WAL mode) in the data directory."""
from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    question TEXT NOT NULL,
    answer_id TEXT,
    liked INTEGER NOT NULL
)"""


class FeedbackUnavailable(Exception):
    """The feedback file cannot be opened; it is left as it is."""


class FeedbackStore:
    """A small thread-safe store of answer feedback; each row is committed on its own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackUnavailable(f"cannot open the feedback file {path} ({exc}); it is left untouched: "
                                      "move it aside to start a new one") from None

    def record(self, question: str, answer_id: str | None, liked: bool) -> None:
        """Store one like (True) or dislike (False), durably."""
        with self.lock:
            self.db.execute("INSERT INTO feedback (at, question, answer_id, liked) VALUES (?, ?, ?, ?)",
                            (time.time(), question, answer_id, int(liked)))

    def rows(self) -> Iterator[dict]:
        """Every stored feedback row, oldest first."""
        with self.lock:
            cursor = self.db.execute("SELECT id, at, question, answer_id, liked FROM feedback ORDER BY id")
            rows = cursor.fetchall()
        for row_id, at, question, answer_id, liked in rows:
            yield {"id": row_id, "at": at, "question": question, "answer_id": answer_id, "liked": bool(liked)}

    def close(self) -> None:
        """Close the database."""
        with self.lock:
            self.db.close()


def feedback_path(data_dir: Path) -> Path:
    """Where the feedback file lives."""
    return data_dir / "feedback.sqlite3"
