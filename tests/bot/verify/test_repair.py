"""Repair rules, each on a real failing run: general rules, never per-document patches."""
from bot.verify.check import check_snippet
from bot.verify.repair import find_repair
from bot.verify.snippet import Snippet
from kb.types import Claim


def test_missing_import_is_added(sandbox):
    code = "x = torch.ones(2, requires_grad=True)\nx.sum().backward()\n"
    repair = find_repair(code, sandbox.run(code))
    assert repair.code.startswith("import torch\n") and "missing" in repair.rule
    assert sandbox.run(repair.code).ok


def test_non_scalar_backward_gets_ones_as_gradient(sandbox):
    code = "import torch\nx = torch.ones(3, requires_grad=True)\ny = x * 2\ny.backward()\n"
    run = sandbox.run(code)
    repair = find_repair(code, run)
    assert "y.backward(torch.ones_like(y))" in repair.code
    assert sandbox.run(repair.code).grads == {"x": [2.0, 2.0, 2.0]}


def test_non_scalar_autograd_grad_gets_grad_outputs(sandbox):
    code = "import torch\nx = torch.ones(2, requires_grad=True)\ng = torch.autograd.grad(x * 3, x)\n"
    repair = find_repair(code, sandbox.run(code))
    assert "grad_outputs=torch.ones_like(x * 3)" in repair.code and sandbox.run(repair.code).ok


def test_malformed_literal_is_fixed_only_from_the_answers_own_text(sandbox):
    code = "import torch\nx = torch.tensor([1.0,0.],[-1.,1.],requires_grad=True)\nz = x.pow(2).sum()\nz.backward()\n"
    run = sandbox.run(code)
    assert find_repair(code, run, "no other form here") is None
    context = "创建张量: x = torch.tensor([[1.0, 0.], [-1., 1.]], requires_grad=True)- 这里"
    repair = find_repair(code, run, context)
    assert "x = torch.tensor([[1.0, 0.], [-1., 1.]], requires_grad=True)" in repair.code


def test_claims_are_judged_on_the_labelled_repaired_run(sandbox):
    code = "x = torch.tensor(3.0, requires_grad=True)\n(x * x).backward()\n"
    check = check_snippet(Snippet(code, "kb"), (Claim("x.grad", "6", 6.0),), sandbox)
    assert not check.run.ok and check.repaired_run.ok
    assert "+import torch" in check.diff
    assert [v.status for v in check.verdicts] == ["confirmed"]


def test_an_unrepairable_failure_is_shown_as_is(sandbox):
    code = "import torch\nundefined_thing()\n"
    check = check_snippet(Snippet(code, "kb"), (), sandbox)
    assert check.repaired is None and "NameError" in check.run.error
