import torch

def func(x):
    return torch.stack([x[0] ** 2 * x[1], 5 * x[0] + torch.sin(x[1])])

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = func(x)
rows = []
for i in range(y.shape[0]):
    # 每次对 y 的一个分量求梯度
    g = torch.autograd.grad(y[i], x, retain_graph=True)[0]
    rows.append(g)
jacobian = torch.stack(rows)
print(jacobian)
print(torch.autograd.functional.jacobian(func, x.detach()))  # 两种结果一致
