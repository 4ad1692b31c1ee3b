import torch
from torch.autograd.functional import hessian

def f(x):
    # f(x) = x0^2 * x1 + x1^3
    return x[0] ** 2 * x[1] + x[1] ** 3

x = torch.tensor([1.0, 2.0])
H = hessian(f, x)
print(H)  # tensor([[ 4.,  2.], [ 2., 12.]])
