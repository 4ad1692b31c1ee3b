import torch

f = lambda t: t ** 3 - 2 * t
x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
f(x).sum().backward()
print(x.grad)  # tensor([-2.,  1., 10.])  3x^2 - 2
