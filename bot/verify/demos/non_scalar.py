"""backward() on a non-scalar output needs gradient=... (the vector in the vector-Jacobian product)."""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2  # 向量, 不是标量
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
    assert "grad can be implicitly created only for scalar outputs" in str(e)

y.backward(torch.ones_like(y))  # 等价于 y.sum().backward()
print("x.grad:", x.grad)
assert x.grad.tolist() == [2.0, 4.0, 6.0]
