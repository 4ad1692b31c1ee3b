"""Decide what a record is about: `autograd`, `torch-other` or `off-topic`, from its own words."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb.settings import DATA_DIR
from kb.text import term_pattern

TOPICS_FILE = DATA_DIR / "topics.toml"


@dataclass(frozen=True)
class Classification:
    """A record's topic, its tags, and why."""

    topic: str
    tags: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Rules:
    strong: tuple[re.Pattern, ...]
    weak: tuple[re.Pattern, ...]
    other: tuple[re.Pattern, ...]
    autograd: dict[str, re.Pattern]
    tags: dict[str, tuple[re.Pattern, ...]]
    blurbs: tuple[str, ...] = ()
    blurb_max_chars: int = 0


@lru_cache(maxsize=4)
def load_topics(path: Path = TOPICS_FILE) -> dict:
    """The topics data file as read (its one reader: the record rules below and the question domain use it)."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def load_rules(path: Path = TOPICS_FILE) -> Rules:
    """The record rules: topic terms and tags from the data file."""
    data = load_topics(path)
    compile_all = lambda terms: tuple(term_pattern(t) for t in terms)  # noqa: E731
    return Rules(
        strong=compile_all(data["anchors"]["strong"]),
        weak=compile_all(data["anchors"]["weak"]),
        other=compile_all(data["anchors"]["other_frameworks"]),
        autograd={t: term_pattern(t) for t in data["autograd"]["terms"]},
        tags={tag: compile_all(terms) for tag, terms in data["tags"].items()},
        blurbs=tuple(data.get("blurbs", {}).get("phrases", ())),
        blurb_max_chars=data.get("blurbs", {}).get("max_chars", 0),
    )


def _hits(patterns, text: str) -> list[str]:
    return [p.pattern for p in patterns if p.search(text)]


def rank_tags(question: str, answer: str, rules: Rules) -> tuple[str, ...]:
    """The tags a record has, most telling first: a mention in the question outweighs three in the answer."""
    scores = {}
    for tag, patterns in rules.tags.items():
        score = sum(3 * len(p.findall(question)) + len(p.findall(answer)) for p in patterns)
        if score:
            scores[tag] = score
    return tuple(sorted(scores, key=lambda t: -scores[t]))


def classify(question: str, answer: str, *, rules: Rules | None = None) -> Classification:
    """Classify a Q&A record by the torch and autograd terms it uses."""
    rules = rules or load_rules()
    text = f"{question}\n{answer}"
    if not answer.strip():
        return Classification("off-topic", (), "no answer")
    if len(answer) <= rules.blurb_max_chars and any(phrase in answer for phrase in rules.blurbs):
        return Classification("off-topic", (), "an article's teaser, no answer")
    in_question = [t for t, p in rules.autograd.items() if p.search(question)]
    in_answer = [t for t, p in rules.autograd.items() if p.search(answer)]
    strong, weak = _hits(rules.strong, text), _hits(rules.weak, text)
    if not strong and _hits(rules.other, text):
        return Classification("off-topic", (), "another framework")
    if not strong and not (weak and (in_question or in_answer)):
        return Classification("off-topic", (), "no torch terms")
    mentions = sum(len(p.findall(text)) for p in rules.strong + rules.weak)
    if not _hits(rules.strong + rules.weak, question) and mentions < 2:
        return Classification("off-topic", (), "passing mention of torch")
    tags = rank_tags(question, answer, rules)
    if in_question or len(set(in_answer)) >= 2:
        return Classification("autograd", tags, "autograd terms: " + ", ".join(sorted(set(in_question + in_answer))))
    return Classification("torch-other", tags, "torch without autograd terms")
