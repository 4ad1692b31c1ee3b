import torch
from torch.autograd.functional import jacobian

def f(x):
    return torch.stack([x[0] * x[1], x[0] + x[1] ** 2])

x = torch.tensor([1.0, 2.0])
J = jacobian(f, x)
print(J)  # tensor([[2., 1.], [1., 4.]])
