"""The web chat's Markdown: a claims table row stays one row with four cells, whatever a value holds."""
import re

from bot.faces.webview import claim_row
from bot.verify.judge import Verdict
from kb.types import Claim

LIVE_PIPE = re.compile(r"(?<!\\)\|")  # a pipe that separates cells


def test_pipes_and_newlines_in_a_claim_stay_inside_their_cells():
    claim = Claim("x|y.grad", "tensor([1.,\n 2.])", [1.0, 2.0])
    row = claim_row(Verdict(claim, "unchecked", actual="a | b\r\nc", why="the snippet failed (Error: |\nboom)"))
    assert "\n" not in row and "\r" not in row
    assert len(LIVE_PIPE.findall(row)) == 5  # | target | quoted | torch | verdict |
    assert r"x\|y.grad" in row and r"a \| b c" in row and "tensor([1., 2.])" in row.replace("  ", " ")


def test_a_plain_row():
    row = claim_row(Verdict(Claim("x.grad", "7", 7.0), "confirmed", actual="tensor(7.)"))
    assert row == "| `x.grad` | `7` | `tensor(7.)` | ✅ confirmed |"


def test_an_overlong_line_of_a_shown_program_is_pointed_out():
    from bot.faces.webview import snippet_markdown
    from bot.sandbox.result import RunResult
    from bot.verify.check import Check
    from bot.verify.snippet import Snippet

    code = "import torch\nx = 1" + " + 1" * 60 + "\n"
    check = Check(Snippet(code, "kb"), RunResult(True, "", None, None, (), 1.0), None, None, ())
    assert "line 2 is 245 characters long: read it to the end" in snippet_markdown(check)
    assert "characters long" not in snippet_markdown(Check(Snippet("import torch\n", "kb"), check.run, None, None, ()))


def test_shown_code_cannot_close_its_block_and_inject_markup():
    from bot.faces.webview import fenced

    code = 'x = 1\n```\n<img src="http://127.0.0.1:9/x.png">\n```python\ny = 2\n'
    block = fenced(code, "python")
    assert block.startswith("````python\n") and block.endswith("\n````") and code.rstrip() in block
    assert fenced("print(1)\n", "text") == "```text\nprint(1)\n```"


def test_a_decline_speaks_the_language_of_the_question(bot):
    """A Chinese question is declined in Chinese (it was English-only), an English one in English."""
    from bot.faces.terminal import answer_text
    from bot.faces.webview import answer_markdown
    from bot.faces.wording import PHRASES, is_decline

    for question, lang in (("红烧肉怎么做才好吃", "zh"), ("how do I center a div", "en")):
        answer = bot.retrieve(question)
        assert answer.abstained
        for shown in (answer_text(answer), answer_markdown(answer)):
            assert PHRASES[lang]["not_covered"] in shown and PHRASES[lang]["closest"] in shown
            assert is_decline(shown)
    named = bot.retrieve("torch.jit.script 能保留梯度吗")
    assert "没有条目提到 torch.jit.script。" in answer_text(named)


def test_a_docstring_renders_as_callouts_code_and_escaped_prose():
    from bot.faces.webview import docs_markdown

    markup = ("Use :func:`~torch.autograd.grad` <img src=x onerror=alert(1)> *not bold*.\n\n"
              ".. note::\n    ``a`b`` is `fine`.\n\nArgs:\n    retain_graph (bool): keep it.")
    shown = docs_markdown(markup)
    assert shown.split("\n\n") == [
        r"Use `grad` \<img src=x onerror=alert\(1\)\> \*not bold\*\.",
        "> **Note:** `` a`b `` is `fine`\\.", "**Args**", r"- `retain_graph` \(bool\): keep it\."]


def test_a_docs_answer_in_the_terminal_has_no_directives():
    import inspect

    import click
    import torch

    from bot.faces.terminal import docs_text

    text = click.unstyle(docs_text(inspect.getdoc(torch.autograd.grad)))
    assert ".. note::" not in text and "``" not in text and ":ref:" not in text
    assert "│ Note: " in text and "  • retain_graph (bool, optional): If `False`" in text
