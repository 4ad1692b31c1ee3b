import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
dy_dx, = torch.autograd.grad(y, x)
print(dy_dx)  # tensor(12.)
print(x.grad)  # None, autograd.grad does not populate .grad
