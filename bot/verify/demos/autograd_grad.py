"""torch.autograd.grad returns gradients without filling .grad; create_graph=True allows a second derivative."""
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
(dy,) = torch.autograd.grad(y, x, create_graph=True)  # 一阶导 3x^2, 保留计算图
print("dy/dx:", dy.item(), "x.grad:", x.grad)
assert dy.item() == 12.0
assert x.grad is None  # autograd.grad 不写入 .grad

(d2y,) = torch.autograd.grad(dy, x)  # 二阶导 6x
print("d2y/dx2:", d2y.item())
assert d2y.item() == 12.0
