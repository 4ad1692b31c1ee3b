"""Jacobian: torch.autograd.functional.jacobian equals rows built with torch.autograd.grad."""
import torch


def f(u: torch.Tensor) -> torch.Tensor:
    return torch.stack([u[0] * u[1], u[0] ** 2 + u[1]])


u = torch.tensor([1.5, -1.0], requires_grad=True)
J = torch.autograd.functional.jacobian(f, u)  # 雅可比矩阵
out = f(u)
rows = [torch.autograd.grad(out[i], u, retain_graph=True)[0] for i in range(len(out))]  # 逐行求梯度
J_loop = torch.stack(rows)

print("jacobian:\n", J)
assert torch.equal(J, J_loop)
assert J.tolist() == [[-1.0, 1.5], [3.0, 1.0]]  # [[u1, u0], [2*u0, 1]]
