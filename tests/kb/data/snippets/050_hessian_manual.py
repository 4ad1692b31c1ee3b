import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
f = x[0] ** 3 + x[0] * x[1] ** 2
grad = torch.autograd.grad(f, x, create_graph=True)[0]
hess = torch.zeros(2, 2)
for i in range(2):
    hess[i] = torch.autograd.grad(grad[i], x, retain_graph=True)[0]
print(hess)  # [[6, 4], [4, 2]]
