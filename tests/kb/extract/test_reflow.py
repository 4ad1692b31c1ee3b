"""Code reflow: flatten real multi-line snippets the way the scraper did, reflow, compare ASTs."""
import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.extract.reflow import reflow_code, split_pieces

SNIPPETS = sorted((Path(__file__).parents[1] / "data" / "snippets").glob("*.py"))


def flatten(code: str) -> str:
    """What the scraper did: every line stripped of its indentation, joined by one space."""
    return " ".join(line.strip() for line in code.splitlines() if line.strip())


def same_ast(a: str, b: str) -> bool:
    return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))


def test_corpus_is_large_and_parses():
    assert len(SNIPPETS) >= 50
    for path in SNIPPETS:
        ast.parse(path.read_text())


def test_reflow_round_trips_most_real_snippets():
    failures = []
    for path in SNIPPETS:
        code = path.read_text()
        out = reflow_code(flatten(code))
        if out is None or not same_ast(code, out):
            failures.append(path.name)
    rate = 1 - len(failures) / len(SNIPPETS)
    print(f"reflow round-trip: {rate:.0%}; different: {failures}")
    assert rate >= 0.9, failures


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.stem)
def test_reflow_always_parses_or_refuses(path):
    out = reflow_code(flatten(path.read_text()))
    assert out is None or ast.parse(out)


def test_comments_are_kept_and_end_at_the_next_statement():
    flat = ("import torch # 定义张量 x = torch.tensor([2.0], requires_grad=True) z = x * 3 "
            "# 计算梯度 z.backward() print(x.grad) # 输出张量 [3.0]")
    out = reflow_code(flat)
    assert out.splitlines() == [
        "import torch", "# 定义张量", "x = torch.tensor([2.0], requires_grad=True)", "z = x * 3",
        "# 计算梯度", "z.backward()", "print(x.grad)  # 输出张量 [3.0]",
    ]


def test_english_prose_comments_do_not_become_code():
    flat = ("x = torch.tensor(1., requires_grad=True) # Build a computational graph. y = 2 * x + 3 "
            "# y = 2 * x + 3 # Compute gradients. y.backward() # Print out the gradients. print(x.grad)")
    lines = reflow_code(flat).splitlines()
    assert "# Build a computational graph." in lines
    assert any(line.startswith("y = 2 * x + 3  # y = 2 * x + 3") for line in lines)
    assert "y.backward()" in lines
    assert "# Print out the gradients." in lines and lines[-1] == "print(x.grad)"


def test_block_bodies_end_where_the_loop_variable_stops_being_used():
    flat = ("jac = torch.zeros(2, 2) for i in range(2): jac[i] = torch.autograd.grad(g[i], x, "
            "retain_graph=True)[0] print(jac)")
    assert reflow_code(flat).splitlines()[-1] == "print(jac)"


def test_class_methods_and_statement_after_class():
    flat = ("class Net(nn.Module): def __init__(self): super().__init__() self.fc = nn.Linear(2, 1) "
            "def forward(self, x): return self.fc(x) net = Net() out = net(x)")
    expected = ("class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                "        self.fc = nn.Linear(2, 1)\n    def forward(self, x):\n        return self.fc(x)\n"
                "net = Net()\nout = net(x)\n")
    assert same_ast(reflow_code(flat), expected)


def test_strings_with_hashes_and_colons_are_not_split():
    out = reflow_code('print("loss: #", 1) x = {"a": 1} print(x)')
    assert out.splitlines() == ['print("loss: #", 1)', 'x = {"a": 1}', "print(x)"]


def test_prose_is_refused_not_guessed():
    assert reflow_code("这不是代码 just some words here") is None
    assert reflow_code("") is None


@settings(max_examples=200, deadline=2000)
@given(st.text(alphabet=st.sampled_from(list("ab =()[]:#.'\"12 forinxyz梯度\n")), max_size=80))
def test_reflow_never_crashes_and_output_parses(text):
    out = reflow_code(text)
    assert out is None or ast.parse(out) is not None
    assert split_pieces(text) is None or isinstance(split_pieces(text), list)
