"""Term matching shared by the bridge and the domain check."""
import pytest

from kb.text import term_pattern, term_spans


@pytest.mark.parametrize("term, text", [
    ("grad", "x.GRAD is None"),  # ASCII: case-insensitive, a whole identifier
    ("grad", "gradle build"),  # not inside a longer identifier
    ("grad", "requires_grad"),
    ("梯度", "为什么梯度是 None"),  # Chinese: a substring
    ("出现nan", "训练时出现NaN"),  # mixed: case-insensitive too
    ("OOM", "显存 oom 了"),
    ("retain_graph", "retain graph"),
])
def test_the_substring_shortcut_agrees_with_the_pattern(term, text):
    assert term_spans(term, text) == [m.span() for m in term_pattern(term).finditer(text)]
