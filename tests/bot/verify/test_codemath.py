"""The maths a page's code states, read from its assignments (never from running it)."""
import pytest

from bot.verify.codemath import maths_of_code

CODE = "import torch\nx = torch.tensor({x}, requires_grad=True)\n"


@pytest.mark.parametrize("body,expected", [
    ("y = x ** 2 + 3 * x\ny.backward()\nprint(x.grad)  # 7", "y = ((x)**(2))+((3)*(x)) at x = 2.0"),
    ("w = torch.tensor(3.0, requires_grad=True)\nz = torch.sin(x) * w\nz.backward()",
     "z = (sin(x))*(w) at x = 2.0, w = 3.0"),
    ("y = x ** 2\nz = y * x\ng = torch.autograd.grad(z, x, create_graph=True)\nfor i in range(2):\n    pass",
     None),  # a Jacobian call needs a vector leaf
])
def test_plain_programs_state_their_maths(body, expected):
    assert maths_of_code(CODE.format(x="2.0") + body) == expected


def test_a_jacobian_of_a_vector_leaf():
    code = CODE.format(x="[2.0, 3.0]") + "y = x**2\nz = y*x\nJ = torch.zeros((2, 2))\n" \
        "grads = torch.autograd.grad(z, x, create_graph=True)\nprint(J)"
    assert maths_of_code(code) == "z = ((x)**(2))*(x) at x = [2.0, 3.0]"


@pytest.mark.parametrize("body", [
    "y = x ** 2\ny.backward()\ny = x ** 2\ny.backward()",  # gradients accumulate over two backward calls
    "x.register_hook(lambda g: g * 2)\ny = x ** 2\ny.backward()",  # a hook changes the gradient
    "y = x ** 2\ny.backward() ;x.grad.mul_(2)",  # the gradient is changed after backward
    "y = x ** 2\nwith torch.no_grad():\n    y = y * 2\ny.backward()",
    "y = (x ** 2).sum()\ny.backward()",  # a reduction: not plain arithmetic
    "y = x ** 2",  # nothing differentiated
])
def test_anything_but_plain_maths_states_nothing(body):
    assert maths_of_code(CODE.format(x="2.0") + body) is None


def test_an_output_with_a_long_name_is_called_f():
    assert maths_of_code(CODE.format(x="2.0") + "loss = x ** 2\nloss.backward()") == "f = (x)**(2) at x = 2.0"


def test_names_of_many_letters_or_bad_code_give_nothing():
    assert maths_of_code("import torch\nweight = torch.tensor(2.0, requires_grad=True)\ny = weight * 3\ny.backward()") \
        is None
    assert maths_of_code("this is ( not python") is None
    assert maths_of_code("x = torch.tensor(__import__('os').getpid(), requires_grad=True)\ny = x\ny.backward()") is None
