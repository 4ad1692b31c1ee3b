import torch

# 用牛顿法求 sqrt(2)，梯度由 autograd 计算
x = torch.tensor(1.0, requires_grad=True)
it = 0
while it < 10:
    f = x ** 2 - 2
    df, = torch.autograd.grad(f, x)
    with torch.no_grad():
        x -= f / df
    it += 1
    if abs(f.item()) < 1e-6:
        break
print(it, x.item())  # ~1.41421
