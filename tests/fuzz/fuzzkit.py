"""Shared pieces of the parser fuzz tests: settings per property, a hard time guard, text strategies."""
from __future__ import annotations

import signal
import time
from contextlib import contextmanager

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SCALE = max(1, settings.default.max_examples // 100)  # 1 by default, 10 under the `fuzz` profile


def fuzz(examples: int, deadline_ms: int = 1000) -> settings:
    """Settings for one property: `examples` tries by default (times SCALE), `deadline_ms` per input."""
    return settings(max_examples=examples * SCALE, deadline=deadline_ms,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class Hang(Exception):
    """An input took longer than the hard guard allows."""


@contextmanager
def bounded(seconds: float):
    """Interrupt the block (even inside a regex match) with `Hang` once `seconds` have passed."""
    def alarm(signum, frame):
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - start < seconds


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PUNCT = st.sampled_from(list("()[]{}.,:;=+-*/^#@_'\"\\<>!%&|~` \n\t，。：（）"))
CONTROL = st.characters(max_codepoint=0x1F) | st.sampled_from(["\x7f", "\x85", "\u2028", "\u200b", "\ufeff"])
ANY = st.characters(blacklist_categories=("Cs",))  # all of unicode but lone surrogates
CHAR = st.one_of(ANY, CJK, PUNCT, CONTROL, st.characters(max_codepoint=0x7E))
WORD = st.sampled_from(["tensor(", "tensor([", "grad", ".grad", "grad_fn=<MulBackward0>", "的梯度", "为", "是",
                        "和", "print(", "for i in range(2):", "if ", "def f(x):", "x = ", "at x = 2", "sin", "^"])
TEXT = st.lists(CHAR | WORD, max_size=150).map("".join)
UNITS = ["a", "1", "[1", "[", "1,", "(", "tensor(", "tensor([", "x 和 ", "x和", "x.", "a.", "x.grad", "1e",
         "x的梯度", "的", "if x: ", "for i in x: ", "if x: y = 1 ", "x = 1 ", "print(x) # c ", "sin(", "2^",
         "y = x^", "x ", "# ", "'''", "\\", "\0"]


def repeated(max_chars: int) -> st.SearchStrategy[str]:
    """A short unit repeated up to `max_chars`: the shape of input that exposes super-linear parsing."""
    unit = st.sampled_from(UNITS) | st.text(CHAR, min_size=1, max_size=6)
    return st.builds(lambda u, k: (u * (max_chars // len(u) + 1))[: max(1, k)], unit,
                     st.integers(1, max_chars))
