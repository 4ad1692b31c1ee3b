"""tokenize under fuzz: deterministic, only real tokens, unchanged by odd separators, linear on 100 KB."""
import random

from fuzzkit import CJK, TEXT, bounded, fuzz, repeated
from hypothesis import example, given
from hypothesis import strategies as st

from kb.index.tokens import stopwords, tokenize

IDENTS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}(\.[A-Za-z_][A-Za-z0-9_]{0,5}){0,3}", fullmatch=True)
WORDS = st.lists(IDENTS | st.text(CJK, min_size=1, max_size=6) | st.integers(0, 10**6).map(str),
                 min_size=1, max_size=12)
KB100 = 100_000
RANGES = [(0, 0x1F), (0x20, 0x7E), (0x80, 0x2FF), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xE000, 0xFFFF),
          (0x10000, 0x10FFFF)]  # control, ASCII, Latin, CJK punctuation and ideographs, private use, astral


def random_unicode(seed: int) -> str:
    """100 KB of random characters (no lone surrogates) drawn across the ranges above."""
    rng = random.Random(seed)
    return "".join(chr(rng.randint(*rng.choice(RANGES))) for _ in range(KB100))


SEPARATORS = ["\0", "\x07", "\x1b", "\t", "\r\n", "\u3000", "\u200b", ",", "(", "#", "，", "\U0001f600"]


@fuzz(200)
@given(TEXT)
def test_tokens_are_deterministic_nonempty_and_not_stopwords(text):
    with bounded(2):
        first = tokenize(text)
    assert first == tokenize(text)
    assert all(isinstance(t, str) and t and t == t.strip() for t in first)
    assert not set(first) & stopwords()
    assert all(len(t) > 1 or t.isdigit() for t in first)


@fuzz(150)
@given(WORDS, st.sampled_from(SEPARATORS))
def test_separators_do_not_change_tokens(words, sep):
    assert tokenize(sep.join(words)) == tokenize(" ".join(words))


@fuzz(8, deadline_ms=None)
@given(repeated(KB100).map(lambda s: (s * (KB100 // len(s) + 1))[:KB100]) | st.integers(0).map(random_unicode))
@example("a." * (KB100 // 2))  # one 50,000-part dotted name: 13 s before names were capped at 8 parts
@example("的" * KB100)  # one 100 KB CJK run: jieba's HMM took 51 s before runs were cut in spans
def test_hundred_kilobytes_in_bounded_time(text):
    with bounded(8):
        tokens = tokenize(text)
    assert len(tokens) <= 4 * len(text)
