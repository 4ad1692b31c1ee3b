"""What counts as a question: text, not empty, not huge, no binary data (cheap: no heavy imports)."""
from __future__ import annotations

import re

from kb.text import CONTROL

MAX_QUESTION_CHARS = 2000
SURROGATE = re.compile("[\ud800-\udfff]")


class BadQuestion(ValueError):
    """A question that cannot be answered as given (empty, huge, binary)."""


def validate_question(question: str) -> str:
    """The question stripped, or BadQuestion saying what is wrong with it."""
    if not isinstance(question, str):
        raise BadQuestion("the question must be text")
    if SURROGATE.search(question):  # how undecodable input bytes arrive
        raise BadQuestion("the question is not valid UTF-8 text")
    control = CONTROL.search(question)
    if control:
        what = "a NUL byte" if control.group() == "\0" else f"control character U+{ord(control.group()):04X}"
        raise BadQuestion(f"the question contains binary data ({what})")
    question = question.strip()
    if not question:
        raise BadQuestion("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadQuestion(f"the question is too long ({len(question)} characters; the limit is "
                          f"{MAX_QUESTION_CHARS})")
    return question
