"""Basic scalar backward: y = x**2 + 3x + 1 at x = 2 gives dy/dx = 2x + 3 = 7."""
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 2 + 3 * x + 1  # y = 11
y.backward()  # 反向传播, 梯度写入 x.grad
print("y:", y.item(), "x.grad:", x.grad)
assert y.item() == 11.0
assert x.grad.item() == 7.0  # 2*2 + 3
