"""Finding code in a record, and showing fenced code as the program that runs."""
from kb.extract.code import collapse_spaces, find_code, reflow_fences


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


def test_code_hidden_far_to_the_right_is_pulled_into_view():
    program = "import torch\ny.backward()" + " " * 200 + ";x.grad.mul_(2)\n"
    assert collapse_spaces(program) == "import torch\ny.backward() ;x.grad.mul_(2)\n"


def test_indentation_strings_and_comment_gaps_stay():
    program = 'if x:\n    s = "a    b"  # note   here\n'
    assert collapse_spaces(program) == program
    assert collapse_spaces("x = (1,\n     2)\n") == "x = (1,\n     2)\n"  # a continuation line's indent
    assert collapse_spaces("x = f(  1  )\n") == "x = f( 1 )\n"


def test_the_search_for_inline_code_is_bounded(monkeypatch):
    """A long record of flattened code (18 KB took a minute) gets at most MAX_ATTEMPTS reflows, each of at most
    MAX_SPAN_CHARS characters."""
    import kb.extract.code as code

    calls = []
    real = code.reflow
    monkeypatch.setattr(code, "reflow", lambda raw: calls.append(len(raw)) or real(raw))
    flat = " ".join(f"y{i} = x * {i} # 注释 {i} for j in range(2): y{i} = y{i} + j print(y{i})" for i in range(300))
    code.find_code("flattened?", "说明 import torch x = torch.tensor([1.0], requires_grad=True) " + flat)
    assert 0 < len(calls) <= code.MAX_ATTEMPTS
    assert max(calls) <= code.MAX_SPAN_CHARS
