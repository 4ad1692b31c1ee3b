"""Scalar backward: f = 4s^3 - 2s + 5 at s = 1.5 gives df/ds = 12s^2 - 2 = 25."""
import torch

s = torch.tensor(1.5, requires_grad=True)
f = 4 * s ** 3 - 2 * s + 5  # f = 15.5
f.backward()  # 反向传播, 梯度写入 s.grad
print("f:", f.item(), "s.grad:", s.grad)
assert f.item() == 15.5
assert s.grad.item() == 25.0  # 12 * 1.5**2 - 2
