"""Docstring examples become one program whose printed outputs are claims."""
import ast

from kb.ingest.doctests import doctest_program, find_examples, output_paths

DOC = """Example::

    >>> x = torch.tensor([1., 2.], requires_grad=True)
    >>> # xdoctest: +SKIP
    >>> with torch.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    >>> (x ** 2).sum().backward()
    >>> x.grad
    tensor([2., 4.])
    >>> torch.autograd.functional.hessian(lambda a, b: (a * b).sum(), (x, x))
    ((tensor([[0., 0.],
              [0., 0.]]), tensor([[1., 0.],
              [0., 1.]])),
     (tensor([[1., 0.],
              [0., 1.]]), tensor([[0., 0.],
              [0., 0.]])))
    # a comment line after an output is not part of it
"""


def test_examples_keep_continuations_and_outputs_and_drop_directives():
    examples = find_examples(DOC)
    assert [e.code.splitlines()[0] for e in examples][:3] == [
        "x = torch.tensor([1., 2.], requires_grad=True)", "with torch.no_grad():", "y.requires_grad"]
    assert examples[1].code == "with torch.no_grad():\n    y = x * 2" and examples[2].want == "False"
    assert "comment" not in examples[-1].want


def test_output_paths_follow_the_printed_structure():
    assert output_paths("tensor([1.])") == [()]
    assert output_paths("True") == [()] and output_paths("3.5") == [()]
    assert output_paths("(tensor([1.]), tensor([2.]))") == [(0,), (1,)]
    assert output_paths("((tensor(1.), tensor(2.)), (tensor(3.), tensor(4.)))") == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert output_paths("torch.Size([2, 3])") is None and output_paths("<Handle object>") is None


def test_the_program_parses_and_names_every_claimed_output():
    program, claims = doctest_program(DOC, imports=("import torch", "from torch.func import grad"))
    ast.parse(program)
    assert program.startswith("import torch\nfrom torch.func import grad\n")
    targets = {c.target: c.value for c in claims}
    assert targets["out_3"] == 0.0 and targets["out_5"] == [2.0, 4.0]
    assert targets["out_6_1_0"] == [[1.0, 0.0], [0.0, 1.0]]
    assert "out_6_1_0 = out_6[1][0]" in program and "out_3 = torch.as_tensor(y.requires_grad)" in program


def test_a_docstring_without_examples_gives_just_the_imports():
    assert doctest_program("Computes things.") == ("import torch\n", ())


def test_earlier_examples_of_the_same_docstring_run_first_without_claims():
    setup = ">>> x = torch.ones(2, requires_grad=True)\n>>> x.sum()\ntensor(2., grad_fn=<SumBackward0>)\n"
    program, claims = doctest_program(">>> (2 * x).sum().backward()\n>>> x.grad\ntensor([2., 2.])\n", setup=setup)
    assert program.index("x = torch.ones(2") < program.index("(2 * x).sum().backward()")
    assert [(c.target, c.value) for c in claims] == [("out_4", [2.0, 2.0])]  # numbered after the setup's
