"""Lexical tokens for Chinese, English and code: jieba words, character bigrams, identifiers."""
from __future__ import annotations

import re
from functools import lru_cache

from kb.settings import DATA_DIR
from kb.text import HAN

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){0,7}")  # <= 8 parts: tails grow as parts²
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
_OPERAND = r"(?:\d+(?:\.\d+)?[A-Za-z]{0,2}|[A-Za-z]{1,2})(?:\^\d+|[²³])?"
FORMULA = re.compile(rf"(?<![\w.]){_OPERAND}(?:\s*(?:\*\*|[-+*/=^])\s*{_OPERAND})+(?![\w.(])")
STOPWORDS_FILE = DATA_DIR / "stopwords.txt"
JIEBA_SPAN = 200  # jieba's HMM is quadratic in a run's length (100 KB of 的: 51 s); real runs end at punctuation


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stopword list from its data file."""
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def identifier_tokens(ident: str) -> list[str]:
    """`torch.autograd.grad` → itself, its dotted tails and parts; `grad_fn` → itself and parts."""
    ident = ident.lower()
    parts = ident.split(".")
    out = [ident] + [".".join(parts[i:]) for i in range(1, len(parts) - 1)]
    for part in parts:
        out.append(part)
        if "_" in part.strip("_"):
            out += [p for p in part.split("_") if p]
    return list(dict.fromkeys(out))


def chinese_tokens(run: str) -> list[str]:
    """jieba words of two or more characters plus every bigram without a function character."""
    stop = stopwords()
    spans = (run[i : i + JIEBA_SPAN] for i in range(0, len(run), JIEBA_SPAN))
    words = [w for span in spans for w in _jieba().lcut(span) if len(w) >= 2]
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    return words + [b for b in bigrams if b[0] not in stop and b[1] not in stop]


def char_trigrams(word: str) -> list[str]:
    """`#bac #ack ...` for words of five or more letters, so `backwrad` still meets `backward`."""
    word = word.lower()
    return [f"#{word[i : i + 3]}" for i in range(len(word) - 2)] if len(word) >= 5 else []


def formula_tokens(expression: str) -> list[str]:
    """`y = x² + 3*x + 1` → `y=x^2+3x+1` and its sides with an operator (`x^2+3x+1`): formulas are
    quoted with any spacing, `**` or `^`, `3*x` or `3x`."""
    norm = re.sub(r"\s+", "", expression).lower().replace("**", "^").replace("²", "^2").replace("³", "^3")
    norm = re.sub(r"\*(?=[a-z])", "", norm)  # implicit multiplication: 3*x = 3x, w*x = wx
    sides = [side for side in norm.split("=") if re.search(r"[-+*/^]", side[1:])]
    return list(dict.fromkeys([norm] + sides))


def tokenize(text: str) -> list[str]:
    """All lexical tokens of a text, stopwords removed."""
    idents = [m.group(0) for m in IDENT.finditer(text)]
    tokens = [t for ident in idents for t in identifier_tokens(ident)]
    tokens += [g for ident in idents for part in re.split(r"[._]", ident) for g in char_trigrams(part)]
    tokens += [n.rstrip("0").rstrip(".") if "." in n else n for n in NUMBER.findall(text)]
    tokens += [t for m in HAN.finditer(text) for t in chinese_tokens(m.group(0))]
    tokens += [t for m in FORMULA.finditer(text) for t in formula_tokens(m.group(0))]
    stop = stopwords()
    return [t for t in tokens if t not in stop and (len(t) > 1 or t.isdigit())]
