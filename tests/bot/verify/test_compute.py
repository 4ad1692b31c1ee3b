"""The question's own numbers, through the real sandbox: its stated function (beside sympy) or its code."""
import pytest

from bot.verify.compute import RUNS, compute_question, question_code, run_ours


class Counting:
    """The real sandbox, counting its runs."""

    def __init__(self, sandbox):
        self.sandbox, self.runs = sandbox, 0

    def run(self, code):
        self.runs += 1
        return self.sandbox.run(code)


def test_a_stated_function_is_computed_beside_sympy(sandbox):
    computed = compute_question("z = x*y + y at x=4, y=5, what are the gradients?", sandbox)
    assert computed.origin == "question-function" and computed.run.ok
    assert [(v.name, v.at, v.torch, v.sympy, v.agree) for v in computed.values] == [
        ("dz/dx", "x=4, y=5", 5.0, 5.0, True), ("dz/dy", "x=4, y=5", 5.0, 5.0, True)]
    assert computed.values[0].describe() == "dz/dx = 5 at x=4, y=5 (torch; sympy agrees)"


def test_code_in_the_question_is_run_with_a_labelled_repair(sandbox):
    computed = compute_question("x = torch.ones(3, requires_grad=True) (x * 4).sum().backward() 为什么 x.grad 是 4?",
                                sandbox)
    assert computed.origin == "question-code" and computed.repair == "add the missing `import torch`"
    assert [(v.name, v.torch) for v in computed.values] == [("x.grad", [4.0, 4.0, 4.0])]
    assert computed.values[0].describe() == "x.grad = [4, 4, 4] (your code, run here)"


@pytest.mark.parametrize("question", ["grad_fn是什么意思", "what is x = 2 in autograd?", "y = x^2 的导数"])
def test_questions_without_numbers_or_code_compute_nothing(question, sandbox):
    assert compute_question(question, sandbox) is None and question_code(question) is None


def test_a_failing_question_program_reports_its_error(sandbox):
    computed = compute_question("import torch\nx = torch.ones(2, requires_grad=True)\ny = x.no_such_method()\n",
                                sandbox)
    assert computed.origin == "question-code" and not computed.run.ok and computed.values == ()
    assert "no_such_method" in computed.run.error and computed.repair is None


def test_a_non_scalar_backward_in_the_question_is_repaired_and_said_so(sandbox):
    computed = compute_question("import torch\nx = torch.ones(2, requires_grad=True)\nx.backward()\n", sandbox)
    assert computed.run.ok and computed.repair == "pass ones as the gradient of a non-scalar output"
    assert [(v.name, v.torch) for v in computed.values] == [("x.grad", [1.0, 1.0])]


def test_autograd_kbs_own_programs_run_once(sandbox):
    counting, code = Counting(sandbox), "import torch\nx = torch.tensor(1.25, requires_grad=True)\n(x * 3).backward()\n"
    RUNS.pop(code, None)
    first, second = run_ours(code, counting), run_ours(code, counting)
    assert first.ok and second is first and counting.runs == 1
