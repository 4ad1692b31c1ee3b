"""torch.autograd.grad returns gradients without filling .grad; create_graph=True allows a second derivative."""
import torch

s = torch.tensor(1.5, requires_grad=True)
f = s ** 4
(df,) = torch.autograd.grad(f, s, create_graph=True)  # 一阶导 4s^3, 保留计算图
print("df/ds:", df.item(), "s.grad:", s.grad)
assert df.item() == 13.5
assert s.grad is None  # autograd.grad 不写入 .grad

(d2f,) = torch.autograd.grad(df, s)  # 二阶导 12s^2
print("d2f/ds2:", d2f.item())
assert d2f.item() == 27.0
