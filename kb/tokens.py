"""Lexical tokens for Chinese, English and code: jieba words, character bigrams, identifiers."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
CJK = re.compile(r"[\u3400-\u9fff]+")
STOPWORDS_FILE = Path(__file__).parent / "data" / "stopwords.txt"


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
    """jieba words of two or more characters plus every character bigram."""
    words = [w for w in _jieba().lcut(run) if len(w) >= 2]
    return words + [run[i : i + 2] for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    """All lexical tokens of a text, stopwords removed."""
    tokens = [t for m in IDENT.finditer(text) for t in identifier_tokens(m.group(0))]
    tokens += [t for m in CJK.finditer(text) for t in chinese_tokens(m.group(0))]
    stop = stopwords()
    return [t for t in tokens if t not in stop and len(t) > 1]
