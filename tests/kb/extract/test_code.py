"""Finding code in a record, and showing fenced code as the program that runs."""
from kb.extract.code import find_code, reflow_fences


def test_flattened_fences_are_shown_as_real_code():
    shown = reflow_fences("例如: ```python import torch x = torch.ones(1) print(x) ``` 然后")
    assert "```python\nimport torch\nx = torch.ones(1)\nprint(x)\n```" in shown
    assert shown.startswith("例如:") and shown.endswith("然后")


def test_a_fence_that_does_not_reflow_is_shown_as_written():
    assert "```python\nthis is not ( python\n```" in reflow_fences("```this is not ( python```")


def test_the_shown_program_is_the_one_found():
    answer = "例如: ```python import torch x = torch.ones(1) print(x) ```"
    assert find_code("", answer).text.strip() in reflow_fences(answer)


def test_a_flattened_fence_without_a_language_keeps_its_first_word():
    assert find_code("", "```import torch\nx = torch.ones(1)```").text.startswith("import torch")
