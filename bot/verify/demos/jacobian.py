"""Jacobian: torch.autograd.functional.jacobian equals rows built with torch.autograd.grad."""
import torch


def f(x: torch.Tensor) -> torch.Tensor:
    return torch.stack([x[0] * x[1], x[0] ** 2 + x[1]])


x = torch.tensor([2.0, 3.0], requires_grad=True)
J = torch.autograd.functional.jacobian(f, x)  # 雅可比矩阵
y = f(x)
rows = [torch.autograd.grad(y[i], x, retain_graph=True)[0] for i in range(len(y))]  # 逐行求梯度
J_loop = torch.stack(rows)

print("jacobian:\n", J)
assert torch.equal(J, J_loop)
assert J.tolist() == [[3.0, 2.0], [4.0, 1.0]]  # [[x1, x0], [2*x0, 1]]
