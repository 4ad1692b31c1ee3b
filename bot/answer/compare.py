"""Comparison questions ("no_grad vs inference_mode", "detach 和 no_grad 的区别"): no chunk compares the two,
so each side is searched on its own and the answer shows both."""
from __future__ import annotations

import re

PATTERNS = tuple(re.compile(p, re.I) for p in (
    r"difference(?:s)? between (?P<a>.+?) and (?P<b>.+?)(?:[?？,，]|$)",
    r"(?:compare|comparing) (?P<a>.+?) (?:and|with|to) (?P<b>.+?)(?:[?？,，]|$)",
    r"(?:^|[\s,，:：])(?P<a>[^\s,，:：][^,，:：]*?)\s+(?:vs\.?|versus)\s+(?P<b>[^?？,，]+)",
    r"(?P<a>[^\s,，:：。？?]+?)\s*(?:和|与|跟)\s*(?P<b>[^\s,，。？?]+?)\s*(?:有什么|有啥|有何|有哪些)?\s*"
    r"(?:的|之间的|之间)?(?:区别|差别|差异|不同)",
    r"(?:用|选)\s*(?P<a>[^\s,，。？?]+?)\s*还是\s*(?:用|选)?\s*(?P<b>[^\s,，。？?]+?)\s*(?:[?？,，。]|好|更|呢|$)",
))
MIN_SIDE = 2


def comparison_sides(question: str) -> tuple[str, str] | None:
    """The two things a question compares, or None when it is not a comparison."""
    for pattern in PATTERNS:
        match = pattern.search(question)
        if match:
            a, b = (match.group(k).strip(" \t`'\"") for k in ("a", "b"))
            if len(a) >= MIN_SIDE and len(b) >= MIN_SIDE and a.lower() != b.lower():
                return a, b
    return None
