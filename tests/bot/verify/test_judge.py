"""Verdicts from real sandbox runs: confirmed only when torch produced the value."""
from bot.verify.judge import draws_random_inputs, judge
from kb.types import Claim

SNIPPET = ("import torch\nx = torch.tensor([2.0], requires_grad=True)\ny = x ** 2 + 3 * x + 1\n"
           "y.backward()\nc = x + x\n")


def test_a_right_value_is_confirmed_and_a_wrong_one_contradicted_with_torchs_value(sandbox):
    run = sandbox.run(SNIPPET)
    assert judge(Claim("x.grad", "tensor([7.])", [7.0]), run).status == "confirmed"
    wrong = judge(Claim("x.grad", "tensor([5.])", [5.0]), run)
    assert wrong.status == "contradicted" and wrong.actual == "tensor([7.])"


def test_grad_fn_claims_compare_class_names(sandbox):
    run = sandbox.run(SNIPPET)
    assert judge(Claim("type(c.grad_fn)", "AddBackward", "AddBackward"), run).status == "confirmed"
    assert judge(Claim("type(c.grad_fn)", "MulBackward", "MulBackward"), run).status == "contradicted"


def test_unchecked_says_why(sandbox):
    run = sandbox.run(SNIPPET)
    assert "no tensor named w" in judge(Claim("w.grad", "1", 1.0), run).why
    assert "is None" in judge(Claim("y.grad", "1", 1.0), run).why
    failed = sandbox.run("import torch\nx = torch.ones(1, requires_grad=True)\nraise ValueError('boom')\n")
    verdict = judge(Claim("x.grad", "1", 1.0), failed)
    assert verdict.status == "unchecked" and "boom" in verdict.why
    assert judge(Claim("x.grad", "1", 1.0), None).why == "no snippet was run"


def test_random_inputs_are_read_from_the_code_not_its_comments_or_strings():
    assert draws_random_inputs("import torch\nx = torch.randn(3)\n")
    assert draws_random_inputs("y = x.normal_()\n") and draws_random_inputs("y = F.dropout(x)\n")
    assert not draws_random_inputs("w = torch.ones(2)  # not torch.rand(3)\n")
    assert not draws_random_inputs('note = "torch.rand(2)"\n')
    assert not draws_random_inputs("torch.manual_seed(0)\nx = torch.rand(2)\n")
