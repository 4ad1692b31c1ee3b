"""Turn kept entries into retrievable chunks: one per Q&A, long answers split at paragraphs."""
from __future__ import annotations

import re
from dataclasses import replace

from kb.extract.claims import extract_claims
from kb.extract.code import CODE_START, find_code, reflow_fences
from kb.index.tokens import tokenize
from kb.ingest.dedupe import Entry
from kb.text import HAN
from kb.types import Chunk, content_hash

FENCED = re.compile(r"```.*?```", re.S)
MAX_CHARS = 2000  # characters; one Q&A stays whole up to here (the longest bundled answer is 1,709)


def paragraphs(text: str) -> list[str]:
    """Lines of the answer, with a fenced code block never split."""
    blocks, pos = [], 0
    for m in FENCED.finditer(text):
        blocks += text[pos : m.start()].split("\n") + [m.group(0)]
        pos = m.end()
    blocks += text[pos:].split("\n")
    return [b.strip() for b in blocks if b.strip()]


def split_text(text: str, *, max_chars: int = MAX_CHARS) -> list[str]:
    """Group paragraphs into parts of at most `max_chars` (a single long paragraph stays whole)."""
    parts: list[str] = []
    for para in paragraphs(text):
        if parts and len(parts[-1]) + len(para) + 1 <= max_chars:
            parts[-1] += "\n" + para
        else:
            parts.append(para)
    return parts or [""]


def title(question: str, answer: str) -> str:
    """The question, or when it says nothing (`hhhhh`) or is code (`# Create tensors. x = ...`), the answer's
    first sentence of prose."""
    words = {t for t in tokenize(question) if not t.startswith("#")}
    if (len(words) >= 2 or HAN.search(question)) and not CODE_START.match(question.lstrip()):
        return question
    for line in answer.splitlines():
        sentence = re.split(r"(?<=[。!?！？])", line.strip())[0]
        if HAN.search(sentence) and len(sentence) >= 8 and find_code("", sentence) is None:
            return sentence[:120]
    return question


def make_chunks(entry: Entry, *, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Chunks for one entry; every part of a long answer keeps the answer's code and its own claims, and
    shows fenced code reflowed."""
    code = find_code(entry.question, entry.answer)
    if code is not None:
        code = replace(code, context=entry.answer)
    parts = split_text(reflow_fences(entry.answer), max_chars=max_chars)
    heading = title(entry.question, entry.answer)
    chunks = []
    for i, part in enumerate(parts):
        question = heading if len(parts) == 1 else f"{heading} ({i + 1}/{len(parts)})"
        chunks.append(Chunk(
            id=content_hash(entry.citations[0].file, question, part),
            question=question, text=part, citations=entry.citations, topic=entry.topic,
            tags=entry.tags, code=code, claims=extract_claims(part, code)))
    return chunks
