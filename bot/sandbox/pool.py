"""Sandbox workers shared fairly among the web chat's sessions.

A pool holds one `Sandbox` (one zygote) per core. A session leases a worker for a whole answer or a code-panel
run. Waiting leases are served asks first, then the session holding the fewest workers, then the one that has
used the least sandbox time lately, then in order of arrival; code-panel runs never hold the last free worker,
so looping snippets cannot keep an answer waiting longer than one run's time limit. At most `max_waiting`
leases may wait, none longer than `max_wait` seconds (two runs' time limits): beyond that the pool says busy
rather than keep people waiting (the web chat also caps each session's requests).
"""
from __future__ import annotations

import itertools
import math
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from bot.sandbox.client import Sandbox
from bot.sandbox.result import RunResult

LANES = ("ask", "run")  # an answer's checks, a code-panel run
HALF_LIFE = 60.0  # seconds over which a session's past sandbox time counts half as much


class Busy(RuntimeError):
    """The pool (or this session's share of it) is full: try again in `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class _Session:
    held: int = 0
    waiting: int = 0
    used: float = 0.0  # sandbox seconds, decayed with HALF_LIFE
    seen: float = field(default_factory=time.monotonic)

    def decayed(self, now: float) -> float:
        return self.used * 0.5 ** ((now - self.seen) / HALF_LIFE)


@dataclass
class _Waiter:
    session: str
    lane: str
    seq: int
    box: Sandbox | None = None


def default_size() -> int:
    """One worker per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)))


class SandboxPool:
    """A fair, bounded pool of sandboxes; `run` and `lease` are what the web chat calls."""

    def __init__(self, *, size: int | None = None, timeout: float = 5.0, max_waiting: int = 32,
                 max_wait: float | None = None) -> None:
        self.size = size or default_size()
        self.timeout = timeout
        self.max_waiting = max_waiting
        self.max_wait = 2 * timeout if max_wait is None else max_wait
        self._workers = [Sandbox(timeout=timeout) for _ in range(self.size)]
        self._free = list(self._workers)
        self._held: dict[int, str] = {}  # id(box) -> lane
        self._waiters: list[_Waiter] = []
        self._sessions: dict[str, _Session] = {}
        self._seq = itertools.count()
        self._cond = threading.Condition()

    def start(self) -> None:
        """Start the first worker now and the others in the background (each imports torch)."""
        self._workers[0].start()
        for box in self._workers[1:]:
            threading.Thread(target=box.start, daemon=True).start()

    def close(self) -> None:
        """Stop every worker's zygote."""
        for box in self._workers:
            box.close()

    def run(self, code: str, *, timeout: float | None = None, session: str = "", lane: str = "ask") -> RunResult:
        """Run one snippet on a leased worker."""
        with self.lease(session, lane=lane) as box:
            return box.run(code, timeout=timeout)

    @contextmanager
    def lease(self, session: str, *, lane: str = "ask") -> Iterator[Sandbox]:
        """Hold a worker for a while (an answer's several runs); raise Busy when too many wait."""
        if lane not in LANES:
            raise ValueError(f"lane must be one of {LANES}, got {lane!r}")
        box = self._acquire(session, lane)
        start = time.monotonic()
        try:
            yield box
        finally:
            self._release(session, box, time.monotonic() - start)

    def _acquire(self, session: str, lane: str) -> Sandbox:
        with self._cond:
            busy = Busy("the sandbox is busy with other people's runs", math.ceil(self.timeout))
            if len(self._waiters) >= self.max_waiting:
                raise busy
            state = self._sessions.setdefault(session, _Session())
            waiter = _Waiter(session, lane, next(self._seq))
            self._waiters.append(waiter)
            state.waiting += 1
            self._dispatch()
            deadline = time.monotonic() + self.max_wait
            while waiter.box is None and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            state.waiting -= 1
            if waiter.box is None:
                self._waiters.remove(waiter)
                raise busy
            state.held += 1
            return waiter.box

    def _release(self, session: str, box: Sandbox, seconds: float) -> None:
        with self._cond:
            now = time.monotonic()
            state = self._sessions[session]
            state.used, state.seen = state.decayed(now) + seconds, now
            state.held -= 1
            del self._held[id(box)]
            self._free.append(box)
            self._forget_idle(now)
            self._dispatch()

    def _dispatch(self) -> None:
        """Hand free workers to the waiters that come first; runs never take the last free worker."""
        now = time.monotonic()
        while self._free and self._waiters:
            runs_held = sum(lane == "run" for lane in self._held.values())
            allowed = [w for w in self._waiters if w.lane == "ask" or runs_held < max(self.size - 1, 1)]
            if not allowed:
                return
            state = self._sessions
            best = min(allowed, key=lambda w: (w.lane != "ask", state[w.session].held,
                                               state[w.session].decayed(now), w.seq))
            self._waiters.remove(best)
            best.box = self._free.pop()
            self._held[id(best.box)] = best.lane
        self._cond.notify_all()

    def _forget_idle(self, now: float) -> None:
        """Drop sessions with nothing held or waiting once their past use has faded (bounded memory)."""
        if len(self._sessions) > 1024:
            self._sessions = {k: s for k, s in self._sessions.items()
                              if s.held or s.waiting or s.decayed(now) > 0.01}
