"""The sandbox pool's fair sharing: asks go first, looping runs never hold the last worker, a full pool says busy.

Order, not time: each test holds leases open with events and checks who was granted a worker, so a loaded
machine cannot change the outcome.
"""
from __future__ import annotations

import threading
import time

import pytest

from bot.sandbox.pool import Busy, SandboxPool


class Holder:
    """A thread that leases a worker and keeps it until released."""

    def __init__(self, pool: SandboxPool, session: str, lane: str) -> None:
        self.granted, self.done, self.error = threading.Event(), threading.Event(), None
        self.thread = threading.Thread(target=self._hold, args=(pool, session, lane), daemon=True)
        self.thread.start()

    def _hold(self, pool: SandboxPool, session: str, lane: str) -> None:
        try:
            with pool.lease(session, lane=lane):
                self.granted.set()
                self.done.wait(60)
        except Busy as exc:
            self.error = exc
            self.granted.set()

    def release(self) -> None:
        self.done.set()
        self.thread.join(10)


def settle(pool: SandboxPool, waiting: int) -> None:
    """Wait until `waiting` leases are queued (the threads have reached the pool)."""
    for _ in range(500):
        if len(pool._waiters) == waiting:
            return
        time.sleep(0.01)
    raise AssertionError(f"expected {waiting} waiting leases, have {len(pool._waiters)}")


@pytest.fixture
def pool():
    box = SandboxPool(size=2, max_waiting=3, max_wait=120)  # waiting never runs out within a test
    yield box
    box.close()


def test_runs_never_hold_the_last_worker_so_an_ask_gets_it(pool):
    first_run = Holder(pool, "looper-1", "run")
    assert first_run.granted.wait(10) and first_run.error is None
    second_run = Holder(pool, "looper-2", "run")
    settle(pool, 1)
    assert not second_run.granted.is_set()  # one worker is free, but it is kept for answers
    ask = Holder(pool, "asker", "ask")
    assert ask.granted.wait(10) and ask.error is None
    for holder in (ask, first_run):
        holder.release()
    assert second_run.granted.wait(10)
    second_run.release()


def test_a_waiting_ask_goes_before_runs_that_came_first(pool):
    holders = [Holder(pool, "asker-a", "ask"), Holder(pool, "asker-b", "ask")]
    assert all(h.granted.wait(10) for h in holders)  # both workers held
    run = Holder(pool, "looper", "run")
    settle(pool, 1)
    ask = Holder(pool, "asker-c", "ask")
    settle(pool, 2)
    holders[0].release()
    assert ask.granted.wait(10)
    assert not run.granted.is_set()
    holders[1].release()
    ask.release()
    assert run.granted.wait(10)
    run.release()


def test_a_session_that_used_less_goes_first(pool):
    with pool.lease("heavy", lane="ask"):
        time.sleep(0.2)  # "heavy" has used the sandbox, "light" has not
    holders = [Holder(pool, "holder-a", "ask"), Holder(pool, "holder-b", "ask")]
    assert all(h.granted.wait(10) for h in holders)
    heavy = Holder(pool, "heavy", "ask")
    settle(pool, 1)
    light = Holder(pool, "light", "ask")
    settle(pool, 2)
    holders[0].release()
    assert light.granted.wait(10) and not heavy.granted.is_set()
    for holder in (holders[1], light, heavy):
        holder.release()


def test_a_full_pool_says_busy_with_a_time_to_retry(pool):
    holders = [Holder(pool, f"s{i}", "ask") for i in range(2)]
    assert all(h.granted.wait(10) for h in holders)
    waiting = [Holder(pool, f"w{i}", "ask") for i in range(3)]
    settle(pool, 3)
    refused = Holder(pool, "late", "ask")
    assert refused.granted.wait(10)
    assert isinstance(refused.error, Busy) and refused.error.retry_after == 5
    for holder in holders + waiting:
        holder.release()


def test_a_lease_that_waits_longer_than_max_wait_is_told_busy():
    pool = SandboxPool(size=1, max_wait=0.2)
    holder = Holder(pool, "looper", "ask")
    assert holder.granted.wait(10)
    late = Holder(pool, "asker", "ask")
    assert late.granted.wait(10)  # set by the Busy it got, not by a worker
    assert isinstance(late.error, Busy) and pool._waiters == []
    holder.release()
    with pool.lease("asker"):  # the worker is free again
        pass


def test_a_leased_worker_runs_snippets(pool):
    with pool.lease("someone", lane="run") as box:
        run = box.run("import torch\nx = torch.tensor([3.0], requires_grad=True)\n(x ** 2).sum().backward()\n")
    assert run.ok and run.tensor("x").grad == [6.0]
    assert pool.run("y = 1").ok
