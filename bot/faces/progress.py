"""Progress on a terminal's stderr for work that takes more than a second: `⠹ loading the model… 1.4 s`."""
from __future__ import annotations

import sys
import threading
import time

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
CLEAR = "\r\x1b[2K"


class Spinner:
    """A one-line spinner saying what is happening and for how long, drawn on `stream` (stderr) from `delay`
    seconds on and only when the stream is a terminal, so pipes and logs get nothing; `step` changes its words."""

    def __init__(self, label: str, *, stream=None, delay: float = 1.0, interval: float = 0.1) -> None:
        self.label, self.stream, self.delay, self.interval = label, stream or sys.stderr, delay, interval
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._drawn = False
        self._thread = threading.Thread(target=self._spin, daemon=True)

    def __enter__(self) -> Spinner:
        self.started = time.monotonic()
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        with self._lock:
            if self._drawn:
                self.stream.write(CLEAR)
                self.stream.flush()

    def step(self, label: str) -> None:
        """Say what is happening now."""
        self.label = label

    def _spin(self) -> None:
        frame = 0
        while not self._stop.wait(self.interval):
            elapsed = time.monotonic() - self.started
            if elapsed < self.delay:
                continue
            with self._lock:
                self.stream.write(f"{CLEAR}{FRAMES[frame % len(FRAMES)]} {self.label}… {elapsed:.1f} s")
                self.stream.flush()
                self._drawn = True
            frame += 1
